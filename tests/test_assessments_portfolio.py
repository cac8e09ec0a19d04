"""The portfolio: indicators across programs on a hand-computed two-program dataset, its scope, workbook and feed."""
import io
import re
from datetime import date, datetime, timezone

import pytest
from openpyxl import load_workbook

from assessments.models import Answer, Attempt
from assessments.portfolio.indicators import Person, breakdown, choose, distinct_people, options
from extensions import db
from tests.conftest import login, post_form
from tests.factories import (
    make_activity,
    make_certificate,
    make_delegation,
    make_grant,
    make_participant,
    make_program,
    make_question,
    make_questionnaire,
    make_section,
)
from tests.helpers import choose_english
from training.models import Attendance, User

DONE = datetime(2024, 3, 2, 22, 0, tzinfo=timezone.utc)
OPTIONS = [{"key": "a", "es": "A", "en": "A"}, {"key": "b", "es": "B", "en": "B"}]


def _tests(program, items, opinions=False):
    """Pre- and post-test with `items` knowledge questions (1 point each) and, with `opinions`, a satisfaction and
    an intended-use statement in the post-test."""
    questions = {}
    for kind in ("pre", "post"):
        section = make_section(make_questionnaire(program, kind, {"es": kind}), {"es": "Única"})
        for index in range(1, items + 1):
            questions[kind, index] = make_question(section, "single_choice", "knowledge", {"es": f"P{index}"},
                                                   position=index, item_key=f"K{index}", options=OPTIONS,
                                                   correct=["b"], points=1.0)
        if opinions and kind == "post":
            questions["post", "sat"] = make_question(section, "likert", "satisfaction", {"es": "Me gustó"},
                                                     position=10)
            questions["post", "use"] = make_question(section, "likert", "application", {"es": "Lo usaré"},
                                                     position=11)
    db.session.flush()
    return questions


def _answer(questions, person, kind, right, extra=None):
    """`right`: how many knowledge items, from the first, the person got right."""
    attempt = Attempt(questionnaire_id=questions[kind, 1].questionnaire_id, participant_id=person.id,
                      status="submitted", submitted_at=DONE)
    db.session.add(attempt)
    db.session.flush()
    items = [key for key in questions if key[0] == kind and isinstance(key[1], int)]
    values = {questions[key].id: ("b" if key[1] <= right else "a") for key in items}
    values |= {questions[kind, name].id: value for name, value in (extra or {}).items()}
    db.session.add_all(Answer(attempt_id=attempt.id, question_id=qid, value=value) for qid, value in values.items())


@pytest.fixture
def two_programs(app, world):
    """PF-2024 (Mexico a1 a2, Guatemala a3, a4 withdrawn) and PF-2025 (Mexico b1 — a1 again — and b2).

    2024: a1 present, both tests 0/2 → 2/2, satisfied 5, will use 4, certified; a2 absent, 1/2 → 1/2, 2 and 4;
    a3 late, 1/2 → 2/2, 4 and 1. 2025: b1 and b2 present, 0/1 → 1/1 and 1/1 → 1/1, nobody certified."""
    with app.app_context():
        first = make_program("PF-2024", {"es": "Primero"}, start_date=date(2024, 3, 1), end_date=date(2024, 3, 9))
        second = make_program("PF-2025", {"es": "Segundo"}, start_date=date(2025, 3, 1), end_date=date(2025, 3, 9))
        mx, gt, mx2 = (make_delegation(first, "MX", quota=5), make_delegation(first, "GT", quota=5),
                       make_delegation(second, "MX", quota=5))
        # World's focal points, in the programs where their country has a delegation.
        focal_mx, focal_gt = (db.session.get(User, world["ids"][key]) for key in ("focal_mx", "focal_gt"))
        make_grant(focal_mx, "focal_point", first, "MX")
        make_grant(focal_mx, "focal_point", second, "MX")
        make_grant(focal_gt, "focal_point", first, "GT")
        a1 = make_participant(mx, "Ana", "Uno", "ana@example.mx", gender="female", profile="employment_counselor")
        a2 = make_participant(mx, "Beto", "Dos", "beto@example.mx", gender="male", profile="labor_inspector")
        a3 = make_participant(gt, "Cira", "Tres", "cira@example.gt", gender="female", profile="employment_counselor")
        make_participant(gt, "Dani", "Cuatro", "dani@example.gt", gender="male", profile="other", status="withdrawn")
        b1 = make_participant(mx2, "Ana", "Uno", "ANA@example.mx", gender="female", profile="employment_counselor")
        b2 = make_participant(mx2, "Eva", "Cinco", "eva@example.mx", gender="female", profile="employment_counselor")
        for program, marks in ((first, ((a1, "present"), (a2, "absent"), (a3, "late"))),
                               (second, ((b1, "present"), (b2, "present")))):
            session = make_activity(program, "S1", {"es": "Sesión"}, DONE.replace(hour=20), DONE)
            db.session.add_all(Attendance(participant_id=person.id, activity_id=session.id, status=status,
                                          minutes=120) for person, status in marks)
        questions = _tests(first, 2, opinions=True)
        for person, before, after, satisfied, use in ((a1, 0, 2, "5", "4"), (a2, 1, 1, "2", "4"),
                                                       (a3, 1, 2, "4", "1")):
            _answer(questions, person, "pre", before)
            _answer(questions, person, "post", after, {"sat": satisfied, "use": use})
        questions = _tests(second, 1)
        for person, before, after in ((b1, 0, 1), (b2, 1, 1)):
            _answer(questions, person, "pre", before)
            _answer(questions, person, "post", after)
        make_certificate(a1, serial_number=1, code="portfolio-certificate-" + "y" * 24)
        db.session.commit()
        return {"first": first.id, "second": second.id}


def _page(client, query=""):
    response = client.get(f"/portfolio{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _rows(html, heading):
    """The rows of the table under the `heading` (h3), as lists of cell texts."""
    part = html.split(f">{heading}</h3>", 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", part.split("<tbody>", 1)[1])]


def test_counts_by_program_and_year(client, world, two_programs):
    login(client, world["emails"]["admin"])
    choose_english(client)
    by_program = {row[0]: row[1:] for row in _rows(_page(client), "By program")}
    # registered, attended, completed (session and both tests: a1 and a3; b1 and b2), certified
    assert by_program["PF-2024"] == ["3", "2", "2", "1"]
    assert by_program["PF-2025"] == ["2", "2", "2", "0"]
    # Ana registered in both (ana@ and ANA@ are one e-mail): these five registrations are four people (and world's
    # program has five more).
    assert re.search(r'id="distinct-people">The registrations are 9 different people \(by e-mail\); 1 of them took '
                     r'part in more than one program.</p>', _page(client))
    html = _page(client, "?year=2024")
    assert 'id="distinct-people">The registrations are 3 different people (by e-mail).</p>' in html
    assert _rows(html, "By year") == [["2024", "3", "2", "2", "1"]]
    assert _rows(html, "By gender") == [["Female", "2", "2", "2", "1"], ["Male", "1", "0", "0", "0"]]
    assert {row[0]: row[1] for row in _rows(html, "By country")} == {"Mexico": "2", "Guatemala": "1"}


def test_knowledge_gain_and_opinions_per_program(client, world, two_programs):
    login(client, world["emails"]["admin"])
    choose_english(client)
    book = load_workbook(io.BytesIO(client.get("/portfolio.xlsx").data))
    rows = {row[0]: row for row in book["Knowledge and opinions"].iter_rows(values_only=True)}
    header = rows["Program"]
    first = dict(zip(header, rows["PF-2024"], strict=True))
    # Gains in percent points: 100, 0 and 50 → mean 50, sd 50, 95% CI 50 ± t(2) · 50/√3.
    assert first["Pairs"] == 3 and first["Gain (points)"] == pytest.approx(50)
    assert first["CI low"] == pytest.approx(50 - 4.302653 * 50 / 3 ** 0.5, abs=1e-3)
    assert first["Satisfaction (agreeing)"] == pytest.approx(2 / 3)
    assert first["Intended use (agreeing)"] == pytest.approx(2 / 3)
    second = dict(zip(header, rows["PF-2025"], strict=True))
    assert second["Pairs"] == 2 and second["Gain (points)"] == pytest.approx(50)  # 0 → 100 and 100 → 100
    assert second["Satisfaction (agreeing)"] is None
    assert [row[1:] for row in book["Program"].iter_rows(values_only=True) if row[0] == "PF-2024"] == [(3, 2, 2, 1)]
    html = _page(client)
    assert 'id="chart-forest"' in html and "PF-2025" in html.split('id="chart-forest"', 1)[1].split("</script>")[0]


def test_a_focal_point_counts_their_own_country_only(client, world, two_programs):
    login(client, world["emails"]["focal_gt"])
    choose_english(client)
    html = _page(client, "?year=2024")
    assert _rows(html, "By country") == [["Guatemala", "1", "1", "1", "0"]]
    assert "PF-2025" not in html  # no Guatemalan delegation there
    assert client.get("/portfolio?program=PF-2025").status_code == 200  # a value they cannot see: refused, not shown
    assert "Not one of the values shown" in _page(client, "?program=PF-2025")


@pytest.mark.parametrize("role, status", [("organizer", 403), ("facilitator", 403)])
def test_only_the_secretariat_and_focal_points_see_it(client, world, role, status):
    login(client, world["emails"][role])
    assert client.get("/portfolio").status_code == status
    assert client.get("/portfolio.xlsx").status_code == status


def test_bad_filters_are_refused_not_errors(client, world, two_programs):
    login(client, world["emails"]["admin"])
    choose_english(client)
    html = _page(client, "?year=abc&country=%3Cscript%3E&gender=" + "x" * 5000)
    assert "<script>" not in html.split("</header>", 1)[-1]
    assert html.count("Not one of the values shown") == 3
    assert _rows(html, "By program")  # everyone is counted: the bad filters are left out


def _make_token(client, label, programs=()):
    response = post_form(client, "/portfolio/tokens", {"label": label, "programs": list(programs)},
                         page="/portfolio")
    assert response.headers["Cache-Control"] == "no-store"  # the one page that shows the token
    html = response.get_data(as_text=True)
    return re.search(r'<code class="token">([A-Za-z0-9_-]{40,})</code>', html).group(1)


def test_the_feed_reads_what_the_token_allows(client, world, two_programs):
    login(client, world["emails"]["admin"])
    choose_english(client)
    token = _make_token(client, "Power BI")
    client.post("/logout")
    rows = client.get(f"/feed/people.json?token={token}&year=2024").get_json()
    assert {(r["country"], r["gender"], r["profile"]): r["registered"] for r in rows} == {
        ("MX", "female", "employment_counselor"): 1, ("MX", "male", "labor_inspector"): 1,
        ("GT", "female", "employment_counselor"): 1}
    programs = client.get("/feed/programs.json", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert {row["program"]: row["mean_diff"] for row in programs if row["program"].startswith("PF")} == {
        "PF-2024": pytest.approx(50), "PF-2025": pytest.approx(50)}
    csv = client.get(f"/feed/people.csv?token={token}&program=PF-2025").data.decode("utf-8-sig")
    assert csv.splitlines() == ["program,country,gender,profile,year,registered,attending,completing,certified",
                                "PF-2025,MX,female,employment_counselor,2025,2,2,2,0"]
    semicolons = client.get(f"/feed/people.csv?token={token}&program=PF-2025&sep=semicolon").data.decode("utf-8-sig")
    assert semicolons.splitlines()[1] == "PF-2025;MX;female;employment_counselor;2025;2;2;2;0"
    assert client.get(f"/feed/people.json?token={token}&year=1999").status_code == 400
    assert client.get("/feed/people.json?token=nonsense").status_code == 401
    assert client.get("/feed/people.json").status_code == 401


def test_a_token_keeps_to_its_programs_and_its_creators_country(client, world, two_programs):
    login(client, world["emails"]["admin"])
    only_second = _make_token(client, "Solo 2025", [two_programs["second"]])
    rows = client.get(f"/feed/people.json?token={only_second}").get_json()
    assert {row["program"] for row in rows} == {"PF-2025"}
    login(client, world["emails"]["focal_gt"])
    guatemala = _make_token(client, "GT")
    rows = client.get(f"/feed/people.json?token={guatemala}").get_json()
    assert rows and {row["country"] for row in rows} == {"GT"}
    # Asking for a program the focal point does not see: refused by the form, no token made.
    response = post_form(client, "/portfolio/tokens", {"label": "x", "programs": [two_programs["second"]]},
                         page="/portfolio")
    assert response.status_code == 302


def test_a_revoked_token_reads_nothing(app, client, world, two_programs):
    login(client, world["emails"]["focal_mx"])
    token = _make_token(client, "Excel")
    assert client.get(f"/feed/people.json?token={token}").status_code == 200
    with app.app_context():
        from assessments.models_feed import FeedToken

        row = db.session.scalar(db.select(FeedToken))
        assert row.last_used_at is not None and row.token_hash != token
        token_id = row.id
    login(client, world["emails"]["focal_gt"])  # not theirs: as if it did not exist
    assert post_form(client, f"/portfolio/tokens/{token_id}/revoke", {}, page="/portfolio").status_code == 404
    login(client, world["emails"]["focal_mx"])
    assert post_form(client, f"/portfolio/tokens/{token_id}/revoke", {}, page="/portfolio").status_code == 302
    response = client.get(f"/feed/programs.csv?token={token}")
    assert response.status_code == 401 and b"PF-" not in response.data


def test_a_token_reads_nothing_once_its_maker_is_deactivated_or_demoted(app, client, world, two_programs):
    login(client, world["emails"]["focal_gt"])
    token = _make_token(client, "Excel")
    login(client, world["emails"]["admin"])
    admins = _make_token(client, "Power BI")
    with app.app_context():
        db.session.get(User, world["ids"]["focal_gt"]).active = False
        admin = db.session.get(User, world["ids"]["admin"])
        admin.grants.clear()
        db.session.flush()
        make_grant(admin, "organizer")  # in every program, but may no longer read the portfolio
        db.session.commit()
    assert client.get(f"/feed/people.json?token={token}").status_code == 401
    assert client.get(f"/feed/people.json?token={admins}").get_json() == []


def test_indicators_pure():
    people = [Person(1, "A", "MX", "female", "other", "2024", True, True, True),
              Person(2, "A", "GT", "male", "other", "2024", True, False, False),
              Person(3, "B", "MX", "female", "other", "2025", False, False, False)]
    assert breakdown(people, "country") == [
        {"value": "MX", "registered": 2, "attending": 1, "completing": 1, "certified": 1},
        {"value": "GT", "registered": 1, "attending": 1, "completing": 0, "certified": 0}]
    assert choose({"year": "2025", "country": "XX", "gender": ""}, options(people)) == ({"year": "2025"}, ["country"])
    again = [Person(4, "B", "MX", "female", "other", "2025", person="ana@example.mx"),
             Person(5, "A", "MX", "female", "other", "2024", person="ana@example.mx")]
    assert distinct_people(people + again) == {"people": 4, "returning": 1}  # 1–3 have no e-mail key: each its own
