"""Online registration: a focal point's form and shareable link, the public form, and the secretariat's moderation
(quota checked again at acceptance, duplicates never confirmed to strangers)."""
import io
import json
import re
import zipfile

from sqlalchemy import func, select

from extensions import db, limiter
from tests.conftest import csrf_from, login, post_form
from tests.factories import make_delegation, make_program
from tests.helpers import erase_personal_data
from training.models import AuditEvent, Participant
from training.models_registration import RegistrationRequest

PERSON = {"given_names": "Luz", "family_names": "Ríos Vega", "email": "Luz.Rios@example.mx", "position": "Consejera",
          "institution": "SNE", "gender": "female", "profile": "employment_counselor", "language": "es"}


def _count(app, model, **where):
    with app.app_context():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


def _register(client, delegation_id, **changes):
    url = f"/delegations/{delegation_id}/registration"
    return post_form(client, url, {**PERSON, **changes}, page=url)


def _open_link(client, delegation_id):
    url = f"/delegations/{delegation_id}/registration"
    post_form(client, f"{url}/link", {"action": "open"}, page=url)
    page = client.get(url).get_data(as_text=True)
    return re.search(r'value="https?://[^/"]+(/register/[A-Za-z0-9_-]+)"', page).group(1)


def _requests(app):
    with app.app_context():
        return {r.email_key: (r.status, r.link_id is not None, r.reason)
                for r in db.session.scalars(select(RegistrationRequest))}


def test_a_focal_point_s_request_waits_then_the_secretariat_accepts_it(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["focal_mx"])
    assert _register(client, ids["mx"]).status_code == 302
    assert _requests(app) == {"luz.rios@example.mx": ("pending", False, "")}
    assert _count(app, Participant, email_key="luz.rios@example.mx") == 0  # nothing registered before review
    page = client.get(f"/delegations/{ids['mx']}/registration").get_data(as_text=True)
    assert "Luz Ríos Vega" in page and "Esperando revisión" in page
    assert client.get(f"/programs/{ids['program']}/registrations").status_code == 403  # moderation: secretariat

    login(client, world["emails"]["admin"])
    waiting = client.get(f"/programs/{ids['program']}/registrations").get_data(as_text=True)
    assert "Luz Ríos Vega" in waiting and "SNE" in waiting
    with app.app_context():
        request_id = db.session.scalar(select(RegistrationRequest.id))
    url = f"/programs/{ids['program']}/registrations"
    done = post_form(client, f"/registrations/{request_id}/accept", {}, page=url)
    assert done.status_code == 302
    with app.app_context():
        luz = db.session.scalar(select(Participant).where(Participant.email_key == "luz.rios@example.mx"))
        assert (luz.delegation_id, luz.gender, luz.profile, luz.timezone) == (ids["mx"], "female",
                                                                              "employment_counselor",
                                                                              "America/Mexico_City")
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"registration.requested", "registration.accepted", "participant.created"} <= actions
    assert _requests(app) == {}  # the request became the participant


def test_quota_counts_waiting_requests_and_is_checked_again_at_acceptance(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["focal_mx"])  # Mexico: quota 3, two registered: one place
    assert _register(client, ids["mx"]).status_code == 302
    refused = _register(client, ids["mx"], email="otra@example.mx")
    assert refused.status_code == 200 and "cupo" in refused.get_data(as_text=True)
    assert _count(app, RegistrationRequest) == 1
    # Meanwhile the place is taken another way (the secretariat adds someone): accepting must not overfill.
    with app.app_context():
        from tests.factories import make_participant
        from training.models import Delegation

        make_participant(db.session.get(Delegation, ids["mx"]), "Ana", "Sol", "ana.sol@example.mx")
        db.session.commit()
        request_id = db.session.scalar(select(RegistrationRequest.id))
    login(client, world["emails"]["admin"])
    url = f"/programs/{ids['program']}/registrations"
    answer = post_form(client, f"/registrations/{request_id}/accept", {}, page=url)
    assert answer.status_code == 302
    assert "cupo" in client.get(url).get_data(as_text=True)
    assert _count(app, Participant, delegation_id=ids["mx"]) == 3
    assert _requests(app)["luz.rios@example.mx"][0] == "pending"  # still there, for a decision


def test_a_rejection_needs_a_reason_the_focal_point_then_reads(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["focal_mx"])
    _register(client, ids["mx"])
    with app.app_context():
        request_id = db.session.scalar(select(RegistrationRequest.id))
    login(client, world["emails"]["admin"])
    url = f"/programs/{ids['program']}/registrations"
    post_form(client, f"/registrations/{request_id}/reject", {"reason": "  "}, page=url)
    assert _requests(app)["luz.rios@example.mx"][0] == "pending"
    post_form(client, f"/registrations/{request_id}/reject", {"reason": "Not a counselor"}, page=url)
    assert _requests(app)["luz.rios@example.mx"] == ("rejected", False, "Not a counselor")
    again = post_form(client, f"/registrations/{request_id}/accept", {}, page=url)
    assert again.status_code == 302 and _count(app, Participant, email_key="luz.rios@example.mx") == 0
    login(client, world["emails"]["focal_mx"])
    assert "Not a counselor" in client.get(f"/delegations/{ids['mx']}/registration").get_data(as_text=True)
    # Rejected, the e-mail may be sent again (a corrected request).
    assert _register(client, ids["mx"]).status_code == 302 and _count(app, RegistrationRequest) == 2


def test_people_register_through_the_shared_link_without_learning_who_is_known(app, client, world):
    ids = world["ids"]
    with app.app_context():  # room for all: a full delegation answers everyone alike (the test below)
        from training.models import Delegation

        db.session.get(Delegation, ids["gt"]).quota = 10
        db.session.commit()
    login(client, world["emails"]["focal_gt"])
    path = _open_link(client, ids["gt"])
    client.get("/logout")
    stranger = app.test_client()
    form = stranger.get(path)
    assert form.status_code == 200 and "Guatemala" in form.get_data(as_text=True)
    sent = post_form(stranger, path, {**PERSON, "email": "nuevo@example.gt"}, page=path)
    known = post_form(stranger, path, {**PERSON, "email": "IXCHEL.TZUL@example.gt"}, page=path)  # a participant
    twice = post_form(stranger, path, {**PERSON, "email": "nuevo@example.gt"}, page=path)  # waiting already
    assert sent.status_code == known.status_code == twice.status_code == 200
    pages = {re.sub(r'name="csrf_token" value="[^"]*"', "", answer.get_data(as_text=True))
             for answer in (sent, known, twice)}
    assert len(pages) == 1 and "Gracias" in pages.pop()  # one answer: the page never tells who is known
    assert _requests(app) == {"nuevo@example.gt": ("pending", True, "")}
    bad = post_form(stranger, path, {**PERSON, "email": "not-an-address", "given_names": ""}, page=path)
    assert bad.status_code == 200 and _count(app, RegistrationRequest) == 1
    # Nothing is chosen for the person: a gender or profile they skipped is not stored as an answer.
    assert len(re.findall(r'<option (?:selected value=""|value="" selected)', form.get_data(as_text=True))) == 2
    skipped = post_form(stranger, path, {**PERSON, "email": "otra@example.gt", "gender": "", "profile": ""}, page=path)
    assert "Elija una respuesta" in skipped.get_data(as_text=True) and _count(app, RegistrationRequest) == 1
    not_an_answer = post_form(stranger, path, {**PERSON, "email": "otra@example.gt", "gender": "not_recorded"},
                              page=path)
    assert not_an_answer.status_code == 200 and _count(app, RegistrationRequest) == 1
    forged = stranger.post(path, data={**PERSON, "email": "sin.csrf@example.gt"})
    assert forged.status_code == 400 and _count(app, RegistrationRequest) == 1
    # Replaced or closed, the link is gone; a made-up one never worked.
    login(client, world["emails"]["focal_gt"])
    newer = _open_link(client, ids["gt"])
    assert newer != path and stranger.get(path).status_code == 404 and stranger.get(newer).status_code == 200
    post_form(client, f"/delegations/{ids['gt']}/registration/link", {"action": "revoke"},
              page=f"/delegations/{ids['gt']}/registration")
    assert stranger.get(newer).status_code == 404
    limiter.reset()  # a guesser's misses are limited (two per 10 s): these are not a guesser's
    assert stranger.get("/register/" + "x" * 43).status_code == 404
    assert stranger.get("/register/%00<script>").status_code in (400, 404)  # refused, never a 500


def test_the_public_form_is_rate_limited(app, client, world):
    login(client, world["emails"]["admin"])
    path = _open_link(client, world["ids"]["gt"])
    stranger = app.test_client()
    app.config["REGISTRATION_RATE_LIMIT"] = "2 per minute"
    try:
        answers = [post_form(stranger, path, {**PERSON, "email": f"p{n}@example.gt"}, page=path).status_code
                   for n in range(3)]
    finally:
        app.config["REGISTRATION_RATE_LIMIT"] = "10 per minute;60 per hour"
    assert answers[:2] == [200, 200] and answers[2] == 429


def test_registration_pages_are_scoped(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["focal_gt"])
    assert client.get(f"/delegations/{ids['mx']}/registration").status_code == 404
    assert client.post(f"/delegations/{ids['mx']}/registration/link",
                       data={"action": "open", "csrf_token": csrf_from(
                           client.get(f"/delegations/{ids['gt']}/registration").get_data(as_text=True))}
                       ).status_code == 404
    login(client, world["emails"]["organizer"])
    assert client.get(f"/delegations/{ids['mx']}/registration").status_code == 403
    login(client, world["emails"]["admin"])
    assert client.get("/delegations/999999/registration").status_code == 404
    assert client.get("/programs/999999/registrations").status_code == 404
    token = csrf_from(client.get(f"/programs/{ids['program']}/registrations").get_data(as_text=True))
    assert client.post("/registrations/999999/accept", data={"csrf_token": token}).status_code == 404
    assert _count(app, RegistrationRequest) == 0


def test_erasing_a_participant_erases_their_rejected_requests(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["admin"])
    with app.app_context():  # a second request of a registered person, rejected: it still names them
        db.session.add(RegistrationRequest(
            program_id=ids["program"], delegation_id=ids["mx"], given_names="José Ángel", family_names="Núñez Peña",
            email="jose.nunez@example.mx", email_key="jose.nunez@example.mx", position="", institution="",
            gender="male", profile="other", language="es", status="rejected", reason="Ya registrado"))
        db.session.commit()
    exported = post_form(client, f"/participants/{ids['mx1']}/personal-data.zip", {},
                         page=f"/participants/{ids['mx1']}/personal-data")
    with zipfile.ZipFile(io.BytesIO(exported.data)) as archive:
        held = json.loads(archive.read("personal-data.json"))["registration_requests"]
    assert [(r["status"], r["reason"], r["family_names"]) for r in held] == [("rejected", "Ya registrado",
                                                                             "Núñez Peña")]
    answer = erase_personal_data(client, ids["mx1"], reason="Pidió que se borraran sus datos", confirm="y")
    assert answer.status_code == 302 and _count(app, RegistrationRequest) == 0


def test_erasing_a_person_everywhere_reaches_requests_where_they_never_registered(app, client, world):
    ids = world["ids"]
    with app.app_context():
        other = make_program("OTRO-2027", {"es": "Otro"})
        db.session.add(RegistrationRequest(
            program_id=other.id, delegation_id=make_delegation(other, country_code="MX").id, given_names="José Ángel",
            family_names="Núñez Peña", email="jose.nunez@example.mx", email_key="jose.nunez@example.mx",
            gender="male", profile="other", language="es", status="pending"))
        db.session.commit()
    login(client, world["emails"]["admin"])
    here_only = erase_personal_data(client, ids["mx2"], reason="Pidió que se borraran sus datos", confirm="y")
    assert here_only.status_code == 302 and _count(app, RegistrationRequest) == 1  # someone else's request
    everywhere = erase_personal_data(client, ids["mx1"], reason="Pidió que se borraran sus datos", confirm="y",
                                     all_programs="y")
    assert everywhere.status_code == 302 and _count(app, RegistrationRequest) == 0


def test_accepting_at_once_never_overfills_the_quota(app, world):
    """Six secretaries accept six waiting requests for Mexico's last place at the same moment: one gets it."""
    from concurrent.futures import ThreadPoolExecutor

    ids, racers = world["ids"], 6
    with app.app_context():
        requests = [RegistrationRequest(
            program_id=ids["program"], delegation_id=ids["mx"], given_names=f"Persona {n}", family_names="Carrera",
            email=f"p{n}@example.mx", email_key=f"p{n}@example.mx", position="", institution="", gender="female",
            profile="other", language="es") for n in range(racers)]  # sent while the quota was larger
        db.session.add_all(requests)
        db.session.commit()
        request_ids = [r.id for r in requests]
    url = f"/programs/{ids['program']}/registrations"
    clients = [app.test_client() for _ in range(racers)]
    tokens = []
    for client in clients:
        login(client, world["emails"]["admin"])
        tokens.append(csrf_from(client.get(url).get_data(as_text=True)))

    def accept(index):
        return clients[index].post(f"/registrations/{request_ids[index]}/accept",
                                   data={"csrf_token": tokens[index]}).status_code

    with ThreadPoolExecutor(max_workers=racers) as pool:
        assert set(pool.map(accept, range(racers))) == {302}
    assert _count(app, Participant, delegation_id=ids["mx"]) == 3  # two before, the last place taken once
    assert _count(app, RegistrationRequest, status="pending") == racers - 1


def test_the_secretariat_s_dashboard_says_how_many_requests_wait(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["focal_mx"])
    assert _register(client, ids["mx"]).status_code == 302
    assert "esperando" not in client.get(f"/programs/{ids['program']}").get_data(as_text=True)  # not theirs to review
    login(client, world["emails"]["admin"])
    dashboard = client.get(f"/programs/{ids['program']}").get_data(as_text=True)
    assert re.search(r"Registros por revisar</a>\s*<strong class=\"badge\">1 esperando</strong>", dashboard)


def test_a_full_quota_says_so_instead_of_offering_the_form(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["focal_mx"])  # Mexico: quota 3, two registered: one place
    url = f"/delegations/{ids['mx']}/registration"
    assert 'name="given_names"' in client.get(url).get_data(as_text=True)
    assert _register(client, ids["mx"]).status_code == 302
    full = client.get(url).get_data(as_text=True)
    assert 'name="given_names"' not in full and "El cupo de la delegación está completo" in full


def test_once_the_program_has_ended_nobody_registers(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["focal_mx"])
    url = f"/delegations/{ids['mx']}/registration"
    shared = _open_link(client, ids["mx"])
    with app.app_context():
        from datetime import date

        from training.models import Program

        db.session.get(Program, ids["program"]).end_date = date(2026, 3, 4)  # world's program: 3 March 2026
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "El programa terminó el 4 de marzo de 2026: el registro está cerrado." in page
    assert 'name="given_names"' not in page and "Abrir un enlace" not in page
    refused = _register(client, ids["mx"])  # a form left open in another tab
    assert refused.status_code == 200 and "el registro está cerrado" in refused.get_data(as_text=True)
    reopened = post_form(client, f"{url}/link", {"action": "issue"}, page=url)
    assert "el registro está cerrado" in client.get(reopened.location).get_data(as_text=True)
    assert client.get(shared).status_code == 404  # the link people hold stops working too
    assert _count(app, RegistrationRequest) == 0


def test_a_full_delegation_answers_known_and_unknown_e_mails_alike(app, client, world):
    ids = world["ids"]
    login(client, world["emails"]["focal_mx"])
    path = _open_link(client, ids["mx"])
    client.get("/logout")
    stranger = app.test_client()
    assert post_form(stranger, path, {**PERSON, "email": "ultima@example.mx"}, page=path).status_code == 200
    known, unknown = (post_form(stranger, path, {**PERSON, "email": email}, page=path).get_data(as_text=True)
                      for email in ("jose.nunez@example.mx", "nadie@example.mx"))  # a participant; nobody
    strip = re.compile(r'name="csrf_token" value="[^"]*"|value="[^"]*@example\.mx"')
    assert strip.sub("", known) == strip.sub("", unknown) and "cupo" in known  # the place went to ultima@
    assert _requests(app) == {"ultima@example.mx": ("pending", True, "")}
