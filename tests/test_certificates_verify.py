"""Public verification: the facts from the database (valid or revoked), nothing personal, one answer for bad codes."""
import pytest

from certificates.models import Certificate
from extensions import db
from tests.conftest import csrf_from
from training.models import Participant, utcnow


@pytest.fixture
def certificate(app, world):
    """World's certificate, stating what its PDF printed (the registration has changed since)."""
    with app.app_context():
        row = db.session.get(Certificate, world["ids"]["certificate"])
        row.facts = {**row.facts, "start": "2026-03-03", "end": "2026-03-20", "hours": 12.5,
                     "counts": {"virtual_session": 3, "online_course": 2}, "issuer": {"es": "Secretaría CRM"}}
        db.session.get(Participant, world["ids"]["gt1"]).given_names = "Nombre Cambiado"
        db.session.commit()
        return {"code": row.code, "serial": row.serial, "id": row.id}


def text_of(response):
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def test_a_valid_certificate_shows_the_printed_facts_and_no_personal_data(client, certificate):
    response = client.get(f"/verify/{certificate['code']}")
    text = text_of(response)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Certificado válido" in text and "Ixchel Tzul Batz" in text and "Nombre Cambiado" not in text
    assert "Programa de prueba" in text and "Secretaría CRM" in text and certificate["serial"] in text
    assert "3 sesiones virtuales y 2 cursos en línea · Modalidad virtual" in text
    assert "Fechas 3–20 de marzo de 2026" in text and "Horas 12,5 horas" in text
    assert "ixchel.tzul@example.gt" not in response.get_data(as_text=True)


def test_the_page_speaks_english_when_asked(client, certificate):
    text = text_of(client.get(f"/verify/{certificate['code']}", headers={"Accept-Language": "en"}))
    assert "Valid certificate" in text and "3 virtual sessions and 2 online courses · Virtual" in text
    assert "12.5 hours" in text
    assert "Test program" in text  # the program's English title


def test_a_revoked_certificate_says_so_with_the_date_but_not_the_reason(app, client, certificate):
    with app.app_context():
        row = db.session.get(Certificate, certificate["id"])
        row.revoked_at, row.revoked_reason = utcnow(), "Fraude interno, no publicar"
        db.session.commit()
    text = text_of(client.get(f"/verify/{certificate['code']}"))
    assert "Certificado revocado" in text and "ya no es válido" in text and "Certificado válido" not in text
    assert "Fraude interno" not in text


@pytest.mark.parametrize("code", ["x" * 32, "world-certificate-code-" + "x" * 19, "short", "a" * 65,
                                  "with.dots.and.more.chars", "%3Cscript%3E" * 3])
def test_unknown_or_tampered_codes_get_the_same_not_found_page(client, certificate, code):
    response = client.get(f"/verify/{code}")
    reference = client.get(f"/verify/{'z' * 32}")
    assert response.status_code == reference.status_code == 404
    assert text_of(response) == text_of(reference) and "Ningún certificado corresponde" in text_of(response)


def test_the_code_form_leads_to_the_verification_page(client, certificate):
    assert 'name="code"' in client.get("/verify").get_data(as_text=True)
    response = client.get("/verify", query_string={"code": f"  {certificate['code']} "})
    assert response.status_code == 302 and response.headers["Location"] == f"/verify/{certificate['code']}"
    code = certificate["code"]
    pasted = f"http://127.0.0.1:5000/verify/{code[:10]}\n{code[10:]}"  # the printed address, over two lines
    assert client.get("/verify", query_string={"code": pasted}).headers["Location"] == f"/verify/{code}"


def test_guessing_codes_is_rate_limited(app, client, certificate):
    misses = int(app.config["VERIFY_MISSES_RATE_LIMIT"].split(" per ")[0])
    statuses = [client.get(f"/verify/{'q' * 32}{i:03d}").status_code for i in range(misses + 1)]
    assert statuses[:misses] == [404] * misses and statuses[-1] == 429
    refused = client.get(f"/verify/{certificate['code']}")
    assert refused.status_code == 429  # the limit is per client, any code
    wait = refused.headers["Retry-After"]  # the page says how long, as the header does (ten seconds here)
    assert int(wait) <= 10 and f"Espere {wait} segundos" in text_of(refused)


def test_a_long_wait_is_said_in_minutes(app, client, certificate, monkeypatch):
    monkeypatch.setitem(app.config, "VERIFY_MISSES_RATE_LIMIT", "1 per hour")  # the app outlives this test
    assert client.get(f"/verify/{'q' * 32}").status_code == 404
    refused = client.get(f"/verify/{'q' * 33}", headers={"Accept-Language": "en"})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "3600"
    assert "Please wait 60 minutes and try again." in text_of(refused)


def test_verifying_real_codes_counts_only_against_the_overall_limit(app, client, certificate):
    limit, misses = (int(app.config[key].split(" per ")[0])
                     for key in ("VERIFY_RATE_LIMIT", "VERIFY_MISSES_RATE_LIMIT"))
    assert limit > misses
    path = f"/verify/{certificate['code']}"
    assert [client.get(path).status_code for _ in range(misses + 1)] == [200] * (misses + 1)
    assert client.get(f"/verify/{'q' * 32}").status_code == 404
    checked = [client.get(path).status_code for _ in range(limit - misses - 2)]
    assert checked == [200] * len(checked) and client.get(path).status_code == 429


def test_the_page_works_in_a_language_switched_by_hand(client, certificate):
    page = client.get("/login").get_data(as_text=True)
    client.post("/language", data={"language": "en", "next": "/", "csrf_token": csrf_from(page)})
    assert "Valid certificate" in text_of(client.get(f"/verify/{certificate['code']}"))


def test_a_refused_client_is_refused_again_before_the_app(app, client, certificate):
    from extensions import limiter

    misses = int(app.config["VERIFY_MISSES_RATE_LIMIT"].split(" per ")[0])
    statuses = [client.get(f"/verify/{'x' * 20}{n}").status_code for n in range(misses + 1)]
    assert statuses[-1] == 429
    with app.app_context():
        limiter.reset()  # the counters forget; the memo still refuses for the window the 429 named
    refused = client.get(f"/verify/{certificate['code']}")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 5
    app.extensions["refusals"].forget()
    assert client.get(f"/verify/{certificate['code']}").status_code == 200
