"""Every route against every role: anonymous → login, wrong role → 403, another country's or program's objects → 404.

The roles a route lets in are read from the one table of who may do what (training/permissions.py), through the
action the route's view declares; the statuses beyond that (a redirect once done, a form sent back, another country's
object) are written here. A participant's session (opened through their personal link) is no staff login: every staff
route answers it with 403, and the participant pages name no object, so one participant cannot reach another's data."""
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from extensions import db
from tests.conftest import csrf_from, login
from tests.factories import make_delegation, make_grant, make_participant, make_program
from tests.helpers import enter, link_for
from training.access import permission_required
from training.models import Program, User
from training.permissions import PERMISSIONS, may
from training.permissions import ROLES as USER_ROLES

ROLES = ("anonymous", "participant", "admin", "organizer", "facilitator", "focal_mx", "focal_gt")
STAFF = ROLES[2:]
ACCOUNT_ROLE = {"focal_mx": "focal_point", "focal_gt": "focal_point"}  # the others are their accounts' roles
OK, LOGIN, FORBIDDEN, MISSING = 200, "login", 403, 404
MX, GT = ("focal_mx",), ("focal_gt",)
CAN_CALL = re.compile(r"""\bcan\(["']([^"']+)["']\)""")


@dataclass(frozen=True)
class Allowed:
    """What each role gets from a route whose view declares `action`: `ok` for the staff PERMISSIONS lets do it
    (404 for those of them whose objects are `outside` their country), 403 for the other staff and for a
    participant's session, the login form for an anonymous visitor."""

    action: str
    ok: object = OK
    outside: tuple = ()

    def status(self, role):
        if role in ("anonymous", "participant"):
            return LOGIN if role == "anonymous" else FORBIDDEN
        if not may(ACCOUNT_ROLE.get(role, role), self.action):
            return FORBIDDEN
        return MISSING if role in self.outside else self.ok


@dataclass(frozen=True)
class Everyone:
    """A route that needs no login: the same answer for everyone."""

    ok: object = OK
    action = None

    def status(self, _role):
        return self.ok


@dataclass(frozen=True)
class FollowsJob:
    """A job's progress: for who sees the program (`action`) and may do the job's work (`work`); 404 for the other
    staff who see the program (the job is not theirs to know of)."""

    work: str
    action: str = "programs.view"

    def status(self, role):
        status = Allowed(self.action).status(role)
        if status != OK:
            return status
        return OK if may(ACCOUNT_ROLE.get(role, role), self.work) else MISSING


# (url template, method, what each role gets); objects named by the `world` fixture's keys.
MATRIX = [
    ("/healthz", "GET", Everyone()),  # for load balancers: no login (test_app_operations.py)
    ("/programs", "GET", Allowed("programs.view")),
    ("/portfolio", "GET", Allowed("portfolio.view")),
    ("/portfolio.xlsx", "GET", Allowed("portfolio.view")),
    ("/portfolio/tokens", "POST", Allowed("portfolio.view", 302)),  # an empty form: refused, back to the page
    ("/portfolio/tokens/0/revoke", "POST", Allowed("portfolio.view", 404)),  # no such token
    ("/feed/people.json", "GET", Everyone(401)),  # no token: refused alike (test_assessments_portfolio.py)
    ("/lessons", "GET", Allowed("lessons.view")),
    ("/lessons.xlsx", "GET", Allowed("lessons.view")),
    ("/lessons/{lesson}.pdf", "GET", Allowed("lessons.view")),
    ("/lessons/{lesson}/share", "POST", Allowed("lessons.record", 302)),  # an empty form: refused, back
    ("/lessons/shared", "GET", Everyone()),  # test_assessments_lessons_library.py
    ("/lessons/shared/{lesson}", "GET", Everyone(404)),  # not shared
    ("/lessons/shared/{lesson}.pdf", "GET", Everyone(404)),
    ("/programs/new", "GET", Allowed("programs.manage")),
    ("/programs/{program}", "GET", Allowed("programs.view")),
    ("/programs/{program}/edit", "GET", Allowed("programs.manage")),
    ("/programs/{program}/copy", "GET", Allowed("programs.manage")),
    ("/programs/{program}/delegations/new", "GET", Allowed("delegations.manage")),
    ("/delegations/{mx}/edit", "GET", Allowed("delegations.manage")),
    ("/programs/{program}/participants", "GET", Allowed("participants.view")),
    ("/programs/{program}/participants/new", "GET", Allowed("participants.edit")),
    ("/participants/{mx1}/edit", "GET", Allowed("participants.edit", outside=GT)),
    ("/participants/{mx1}/withdraw", "POST", Allowed("participants.edit", 302, outside=GT)),
    ("/participants/{mx1}/reinstate", "POST", Allowed("participants.edit", 302, outside=GT)),
    ("/programs/{program}/participants/import", "GET", Allowed("participants.edit")),
    ("/programs/{program}/participants/export.csv", "GET", Allowed("participants.view")),
    ("/programs/{program}/participants/template.xlsx", "GET", Allowed("participants.edit")),
    ("/delegations/{mx}/registration", "GET", Allowed("participants.edit", outside=GT)),
    ("/delegations/{mx}/registration/link", "POST", Allowed("participants.edit", 302, outside=GT)),
    ("/programs/{program}/registrations", "GET", Allowed("registrations.moderate")),
    # The world holds no registration request: those let in reach the lookup, which finds none.
    ("/registrations/0/accept", "POST", Allowed("registrations.moderate", 404)),
    ("/registrations/0/reject", "POST", Allowed("registrations.moderate", 404)),
    ("/imports/{batch}", "GET", Allowed("participants.edit", outside=GT)),
    ("/imports/{batch}/confirm", "POST", Allowed("participants.edit", 302, outside=GT)),
    ("/imports/{batch}/discard", "POST", Allowed("participants.edit", 302, outside=GT)),
    ("/participants/{mx1}/link", "POST", Allowed("participants.edit", 302, outside=GT)),
    ("/delegations/{gt}/submit", "POST", Allowed("delegations.submit", 302, outside=MX)),
    ("/delegations/{gt}/confirm", "POST", Allowed("delegations.manage", 302)),
    ("/programs/{program}/messages", "GET", Allowed("messages.send")),
    ("/programs/{program}/messages/export.csv", "GET", Allowed("messages.send")),
    ("/programs/{program}/messages/template", "GET", Allowed("messages.send")),
    ("/programs/{program}/messages/template/absence", "GET", Allowed("messages.send")),
    ("/programs/{program}/invitations", "POST", Allowed("messages.send", 302)),
    ("/programs/{program}/messages/deliver", "POST", Allowed("messages.send", 302)),
    ("/programs/{program}/jobs/{job}", "GET", FollowsJob("messages.send")),
    # The world holds no message: those let in reach the lookup, which finds none.
    ("/programs/{program}/messages/0/send-again", "POST", Allowed("messages.send", 404)),
    ("/programs/{program}/messages/0/mark-sent", "POST", Allowed("messages.send", 404)),
    ("/programs/{program}/activities", "GET", Allowed("activities.view")),
    ("/programs/{program}/activities/new", "GET", Allowed("activities.plan")),
    ("/programs/{program}/agenda.ics", "GET", Allowed("activities.view")),
    ("/activities/{activity}", "GET", Allowed("activities.view")),
    ("/activities/{activity}/edit", "GET", Allowed("activities.plan")),
    ("/activities/{activity}/agenda.ics", "GET", Allowed("activities.view")),
    ("/activities/{activity}/agenda.pdf", "GET", Allowed("activities.view")),
    ("/agenda-items/{agenda_item}/edit", "GET", Allowed("activities.plan")),
    ("/activities/{activity}/attendance", "GET", Allowed("attendance.mark")),
    ("/programs/{program}/attendance", "GET", Allowed("attendance.mark")),
    ("/activities/{activity}/attendance/absent", "POST", Allowed("attendance.mark", 302)),
    ("/activities/{activity}/attendance/import", "GET", Allowed("attendance.import")),
    ("/attendance-imports/{report}", "GET", Allowed("attendance.import")),
    ("/attendance-imports/{report}", "POST", Allowed("attendance.import", 302)),
    ("/attendance-imports/{report}/discard", "POST", Allowed("attendance.import", 302)),
    ("/programs/{program}/attendance.csv", "GET", Allowed("attendance.mark")),
    ("/agenda-items/{group_item}/groups", "GET", Allowed("groups.view")),
    ("/agenda-items/{group_item}/groups/setup", "GET", Allowed("groups.plan")),
    ("/agenda-items/{group_item}/groups/moves", "GET", Allowed("groups.move")),
    ("/agenda-items/{group_item}/groups/print", "GET", Allowed("groups.view")),
    ("/groups/{group}/edit", "GET", Allowed("groups.facilitate")),
    ("/users", "GET", Allowed("users.manage")),
    ("/users/new", "GET", Allowed("users.manage")),
    ("/users/{organizer}/edit", "GET", Allowed("users.manage")),
    # A role sent without its program, role and country comes back with the form's errors (200).
    ("/users/{organizer}/roles", "POST", Allowed("users.manage")),
    ("/users/{organizer}/roles/0/remove", "POST", Allowed("users.manage", 404)),
    ("/audit", "GET", Allowed("audit.read")),
    ("/audit/export.csv", "GET", Allowed("audit.read")),
    ("/participants/{mx1}/personal-data", "GET", Allowed("privacy.manage")),
    ("/participants/{mx1}/personal-data.zip", "POST", Allowed("privacy.manage")),
    # Without a reason and the confirmation the form comes back with its errors (400).
    ("/participants/{mx1}/erase", "POST", Allowed("privacy.manage", 400)),
    ("/questionnaires/{questionnaire}/responses/import", "GET", Allowed("responses.import")),
    ("/response-imports/{response_import}", "GET", Allowed("responses.import")),
    ("/response-imports/{response_import}", "POST", Allowed("responses.import", 302)),
    ("/response-imports/{response_import}/discard", "POST", Allowed("responses.import", 302)),
    ("/programs/{program}/tests", "GET", Allowed("tests.follow")),
    ("/programs/{program}/impact", "GET", Allowed("impact.view")),
    ("/programs/{program}/impact.xlsx", "GET", Allowed("impact.view")),
    ("/programs/{program}/impact.html", "GET", Allowed("impact.view")),
    ("/programs/{program}/impact/data/funnel.csv", "GET", Allowed("impact.view")),
    # The PDF summary: made by the worker (the page follows the job), or handed over at once when already made.
    ("/programs/{program}/impact/summary.pdf/make", "POST", Allowed("impact.view", 302)),
    # A file the worker made, looked for in the viewer's own scope's folder: none here.
    ("/programs/{program}/impact/files/nothing.pdf", "GET", Allowed("impact.view", MISSING)),
    ("/programs/{program}/questionnaires", "GET", Allowed("questionnaires.build")),
    ("/programs/{program}/questionnaires/import", "POST", Allowed("questionnaires.build", 400)),
    ("/questionnaires/{questionnaire}", "GET", Allowed("questionnaires.build")),
    # POSTs of the questionnaire builder: done, then back (302).
    ("/questionnaires/{questionnaire}/open", "POST", Allowed("questionnaires.build", 302)),
    ("/questionnaires/{questionnaire}/close", "POST", Allowed("questionnaires.build", 302)),
    ("/questionnaires/{questionnaire}/sections", "POST", Allowed("questionnaires.build", 302)),
    ("/questionnaires/{questionnaire}/copy-knowledge", "POST", Allowed("questionnaires.build", 404)),
    # World's questionnaire is a pre-test: the follow-up's own routes are not found for it, by whoever may build.
    ("/questionnaires/{questionnaire}/follow-up-schedule", "POST", Allowed("questionnaires.build", 404)),
    ("/questionnaires/{questionnaire}/copy-intended-use", "POST", Allowed("questionnaires.build", 404)),
    ("/questionnaires/{questionnaire}/export.json", "GET", Allowed("questionnaires.build")),
    ("/questionnaires/{questionnaire}/preview", "GET", Allowed("questionnaires.build")),
    ("/questionnaires/{questionnaire}/delete", "POST", Allowed("questionnaires.build", 302)),
    ("/sections/{section}/edit", "GET", Allowed("questionnaires.build")),
    ("/sections/{section}/delete", "POST", Allowed("questionnaires.build", 302)),
    ("/sections/{section}/move", "POST", Allowed("questionnaires.build", 302)),
    ("/sections/{section}/questions/new", "GET", Allowed("questionnaires.build")),
    ("/questions/{question}/edit", "GET", Allowed("questionnaires.build")),
    ("/questions/{question}/delete", "POST", Allowed("questionnaires.build", 302)),
    ("/questions/{question}/move", "POST", Allowed("questionnaires.build", 302)),
    # The questionnaire's program has no delegation: focal points have nothing to follow there.
    ("/questionnaires/{questionnaire}/progress", "GET", Allowed("tests.follow", outside=MX + GT)),
    ("/questionnaires/{questionnaire}/finalize", "POST", Allowed("questionnaires.build", 302)),
    ("/questionnaires/{questionnaire}/reminders", "POST", Allowed("tests.remind", 302)),
    ("/questionnaires/{questionnaire}/reminder-schedule", "POST", Allowed("tests.remind", 302)),
    ("/questionnaires/{questionnaire}/answers.csv", "GET", Allowed("answers.export")),
    ("/programs/{program}/certificates", "GET", Allowed("certificates.follow")),
    ("/programs/{program}/certificates.csv", "GET", Allowed("certificates.follow")),
    # World's certificate still waits for its PDF: the ZIP sends everyone back with a message.
    ("/programs/{program}/certificates.zip", "GET", Allowed("certificates.follow", 302)),
    ("/programs/{program}/certificates/draw", "POST", Allowed("certificates.issue", 302)),
    ("/programs/{program}/certificates/issue", "POST", Allowed("certificates.issue", 302)),
    ("/programs/{program}/certificates/email", "POST", Allowed("certificates.issue", 302)),
    ("/programs/{program}/certificates/settings", "GET", Allowed("certificates.issue")),
    ("/programs/{program}/certificates/specimen.pdf", "GET", Allowed("certificates.issue")),
    ("/certificates/{certificate}", "GET", Allowed("certificates.follow", outside=MX)),
    ("/certificates/{certificate}.pdf", "GET", Allowed("certificates.follow", outside=MX)),
    # Without a reason the form comes back with its error (400) for those who may revoke.
    ("/certificates/{certificate}/revoke", "POST", Allowed("certificates.issue", 400)),
    ("/certificates/{certificate}/reissue", "POST", Allowed("certificates.issue", 400)),
    ("/programs/{program}/lessons", "GET", Allowed("lessons.view")),
    ("/programs/{program}/lessons/new", "GET", Allowed("lessons.record")),
    # Without a code and a finding the form comes back with its errors (200).
    ("/programs/{program}/lessons/new", "POST", Allowed("lessons.record")),
    ("/lessons/{lesson}", "GET", Allowed("lessons.view")),
    ("/lessons/{lesson}/edit", "GET", Allowed("lessons.record")),
    ("/lessons/{lesson}/delete", "POST", Allowed("lessons.record", 302)),
]
PUBLIC = {"/healthz", "/login", "/language", "/", "/password/forgot", "/password/reset/<token>",
          "/login/oidc/<name>", "/login/oidc/<name>/callback",
          "/static/<path:filename>", "/assets/plotly-<plotly_version>.min.js",
          "/verify", "/verify/<code>",  # tested in test_app_operations.py and test_certificates_verify.py
          "/register/<token>",  # a delegation's shared registration link: test_training_registration.py
          "/feed/<any(people, programs):kind>.<any(json, csv):file_format>",  # test_assessments_portfolio.py
          "/lessons/shared", "/lessons/shared/<int:lesson_id>", "/lessons/shared/<int:lesson_id>.pdf"}
# Tested in test_training_portal.py and test_training_agenda_pdf.py.
PARTICIPANT_ROUTES = {"/p/<token>", "/me", "/me/leave", "/me/agenda.ics", "/me/agenda.pdf", "/me/tests/<kind>",
                      "/me/tests/<kind>/start", "/me/tests/<kind>/answers", "/me/tests/<kind>/review",
                      "/me/tests/<kind>/submit", "/me/tests/<kind>/done",
                      "/me/certificate.pdf"}  # and test_assessments_taking.py
ROUTES_NEEDING_LOGIN_ONLY = {"/logout"}


def _cases():
    for template, method, expected in MATRIX:
        for role in ROLES:
            yield pytest.param(template, method, role, expected.status(role), id=f"{method} {template} {role}")


def sign_in_as(app, client, world, role):
    if role == "participant":
        enter(client, link_for(app, world["ids"]["mx1"]))
    elif role != "anonymous":
        login(client, world["emails"][role])


@pytest.mark.parametrize("template, method, role, expected", list(_cases()))
def test_access(app, client, world, template, method, role, expected):
    sign_in_as(app, client, world, role)
    url = template.format(**world["ids"])
    if method == "POST":
        # The token is valid, so the answer is about access, not CSRF.
        token = csrf_from(client.get("/login").get_data(as_text=True))
        response = client.post(url, data={"csrf_token": token})
    else:
        response = client.get(url)
    if expected == LOGIN:
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == expected


# The participant pages, reached without a participant session: the same "link not valid" page (403) for
# everyone, staff included, whatever their role.
PARTICIPANT_PAGES = [("/me", "GET"), ("/me/agenda.ics", "GET"), ("/me/agenda.pdf", "GET"), ("/me/tests/pre", "GET"),
                     ("/me/tests/pre/review", "GET"), ("/me/tests/pre/done", "GET"), ("/me/certificate.pdf", "GET"),
                     ("/me/tests/pre", "POST"), ("/me/tests/pre/start", "POST"), ("/me/tests/pre/answers", "POST"),
                     ("/me/tests/pre/submit", "POST")]


@pytest.mark.parametrize("role", ("anonymous", *STAFF))
@pytest.mark.parametrize("path, method", PARTICIPANT_PAGES)
def test_participant_pages_need_a_participant_session(app, client, world, role, path, method):
    sign_in_as(app, client, world, role)
    if method == "POST":
        token = csrf_from(client.get("/login").get_data(as_text=True))
        response = client.post(path, data={"csrf_token": token}, headers={"X-CSRFToken": token})
    else:
        response = client.get(path)
    assert response.status_code == 403
    assert response.headers["Cache-Control"] == "no-store"


def test_a_participant_session_shows_only_that_participant(app, client, world):
    sign_in_as(app, client, world, "participant")
    page = client.get("/me").get_data(as_text=True)
    # Group mates are listed by name (the group-work item), nobody's contact details, and no one from other groups.
    assert "jose.nunez@example.mx" in page and "Fátima Gómez" in page and "fatima.gomez@example.mx" not in page
    assert "Ixchel" not in page and "Cojtí" not in page
    # Staff pages about another participant (or the same one) stay closed to a participant's session.
    for other in ("mx1", "mx2", "gt1"):
        assert client.get(f"/participants/{world['ids'][other]}/edit").status_code == 403


def test_every_route_is_in_the_matrix(app):
    """A new route must be added to MATRIX (or to PUBLIC) so its access rules are tested."""
    covered = {template for template, _method, _expected in MATRIX}
    normalized = {
        rule.rule.replace("<int:program_id>", "{program}").replace("<int:participant_id>", "{mx1}")
        .replace("<int:delegation_id>/submit", "{gt}/submit").replace("<int:delegation_id>/confirm", "{gt}/confirm")
        .replace("<int:delegation_id>", "{mx}").replace("<int:user_id>", "{organizer}").replace("<int:grant_id>", "0")
        .replace("attendance.<any(csv, xlsx):file_format>", "attendance.csv")
        .replace("<int:batch_id>", "{batch}").replace("<int:activity_id>", "{activity}")
        .replace("<int:item_id>/groups", "{group_item}/groups").replace("<int:group_id>", "{group}")
        .replace("response-imports/<int:import_id>", "response-imports/{response_import}")
        .replace("<int:questionnaire_id>", "{questionnaire}").replace("<int:section_id>", "{section}")
        .replace("<int:question_id>", "{question}").replace("<int:certificate_id>", "{certificate}")
        .replace("<int:item_id>", "{agenda_item}").replace("<int:import_id>", "{report}")
        .replace("<int:job_id>", "{job}").replace("<int:lesson_id>", "{lesson}")
        .replace("<int:message_id>", "0").replace("<int:request_id>", "0").replace("<int:token_id>", "0")
        .replace("<any(csv, xlsx):file_format>", "csv").replace("data/<chart>.csv", "data/funnel.csv")
        .replace("impact/<token>/make", "impact/summary.pdf/make").replace("files/<name>", "files/nothing.pdf")
        for rule in app.url_map.iter_rules()
    }
    assert normalized - covered - PUBLIC - ROUTES_NEEDING_LOGIN_ONLY - PARTICIPANT_ROUTES == set()


def test_every_route_declares_its_permission(app):
    """A staff route's view names its action in PERMISSIONS (@permission_required); a public or participant route,
    none. So a new route without one fails here, and so does a table entry no route uses."""
    undeclared, misplaced, declared = [], [], set()
    for rule in app.url_map.iter_rules():
        action = getattr(app.view_functions[rule.endpoint], "permission", None)
        no_staff_permission = rule.rule in PUBLIC | PARTICIPANT_ROUTES | ROUTES_NEEDING_LOGIN_ONLY
        if action is None and not no_staff_permission:
            undeclared.append(rule.rule)
        elif action is not None and no_staff_permission:
            misplaced.append(rule.rule)
        declared.add(action)
    assert undeclared == [], "declare the action each route serves with @permission_required (training/access.py)"
    assert misplaced == [], "a route for the public or a participant declares a staff permission"
    assert sorted(set(PERMISSIONS) - declared) == [], "actions in training/permissions.py that no route declares"


def test_the_matrix_reads_the_action_each_route_declares(app):
    adapter = app.url_map.bind("localhost")
    ids = defaultdict(lambda: 1)
    wrong = []
    for template, method, expected in MATRIX:
        endpoint, _arguments = adapter.match(template.format_map(ids), method=method)
        declared = getattr(app.view_functions[endpoint], "permission", None)
        if declared != expected.action:
            wrong.append(f"{method} {template}: the view declares {declared}, the matrix reads {expected.action}")
    assert wrong == []


def test_the_permission_table_names_staff_roles_and_known_actions_only():
    assert {role for roles in PERMISSIONS.values() for role in roles} <= set(USER_ROLES)
    assert may("admin", "users.manage") and not may("organizer", "users.manage")
    with pytest.raises(KeyError):
        may("admin", "users.mange")  # a typo is an error, not a "no"
    with pytest.raises(KeyError):
        permission_required("users.mange")  # …found when the views load


def test_pages_ask_only_for_actions_in_the_table():
    root = Path(__file__).resolve().parent.parent
    sources = [*root.joinpath("templates").rglob("*.html"),
               *(path for package in ("training", "assessments", "certificates")
                 for path in root.joinpath(package).rglob("*.py"))]
    asked = {match for path in sources for match in CAN_CALL.findall(path.read_text(encoding="utf-8"))}
    assert {"activities.plan", "certificates.issue"} <= asked
    assert sorted(asked - set(PERMISSIONS)) == []


def test_focal_point_lists_never_show_another_country(client, world):
    login(client, world["emails"]["focal_gt"])
    program = world["ids"]["program"]
    listing = client.get(f"/programs/{program}/participants").get_data(as_text=True)
    assert "Tzul Batz" in listing and "Núñez" not in listing and "Ruiz" not in listing
    forced = client.get(f"/programs/{program}/participants", query_string={"delegation": world["ids"]["mx"]})
    assert "Núñez" not in forced.get_data(as_text=True)
    dashboard = client.get(f"/programs/{program}").get_data(as_text=True)
    assert "Guatemala" in dashboard and "México" not in dashboard and "Red Civil" not in dashboard


def test_focal_point_cannot_register_into_another_country(app, client, world):
    from sqlalchemy import select

    from extensions import db
    from tests.conftest import post_form
    from training.models import Participant

    login(client, world["emails"]["focal_gt"])
    response = post_form(client, f"/programs/{world['ids']['program']}/participants/new", {
        "given_names": "Intrusa", "family_names": "Prueba", "email": "intrusa@example.org",
        "delegation_id": str(world["ids"]["mx"]), "gender": "female", "profile": "other", "language": "es",
        "timezone": "",
    })
    assert response.status_code == 200 and 'id="delegation_id-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Participant).where(Participant.email_key == "intrusa@example.org")) is None


def test_focal_point_only_sees_programs_with_their_delegation(app, client, world):
    from extensions import db
    from training.models import Program

    with app.app_context():
        db.session.add(Program(code="OTHER", title={"es": "Programa sin Guatemala"}, timezone="UTC"))
        db.session.commit()
    login(client, world["emails"]["focal_gt"])
    assert "Programa sin Guatemala" not in client.get("/programs").get_data(as_text=True)
    login(client, world["emails"]["admin"])
    assert "Programa sin Guatemala" in client.get("/programs").get_data(as_text=True)


# --- Roles per program --------------------------------------------------------------------------------------------
# The whole matrix again, with world's accounts given their roles in another program instead of world's (one with
# Mexico's and Guatemala's delegations too): every route about world's objects answers them 404 (403 where no role of
# theirs may do the action anywhere); an account with a focal point's role in one program and an organizer's in
# world's gets in world's what an organizer gets. The secretariat keeps every program.

NAMES_NO_PROGRAM = re.compile(r"\{(?!organizer\})")  # a user id names no program's object
MOVED = ("organizer", "facilitator", "focal_mx", "focal_gt")
COUNTRY = {"focal_mx": "MX", "focal_gt": "GT"}


@pytest.fixture
def other(app, world):
    """OTRO-2026: Mexico and Guatemala have delegations here too, one Mexican participant."""
    with app.app_context():
        program = make_program("OTRO-2026", {"es": "Otro programa"})
        mexico = make_delegation(program, country_code="MX")
        make_delegation(program, country_code="GT")
        person = make_participant(mexico, "Rocío", "Otra Persona", "rocio.otra@example.mx")
        db.session.commit()
        return {"program": program.id, "person": person.id}


def regrant(app, world, key, grants):
    """Replace the account's roles by `grants`: (program codes, role, country)."""
    with app.app_context():
        user = db.session.get(User, world["ids"][key])
        user.grants.clear()
        db.session.flush()
        for codes, role, country in grants:
            for code in codes:
                make_grant(user, role, db.session.scalar(select(Program).where(Program.code == code)), country)
        db.session.commit()


def answer(client, template, method, world):
    url = template.format(**world["ids"])
    if method == "POST":
        token = csrf_from(client.get("/login").get_data(as_text=True))
        response = client.post(url, data={"csrf_token": token})
    else:
        response = client.get(url)
    if response.status_code == 302 and response.headers["Location"].startswith("/login"):
        return LOGIN
    return response.status_code


def about_a_program(template):
    return NAMES_NO_PROGRAM.search(template) is not None


def elsewhere_status(rule, role):
    """What an account whose roles are all in another program gets from a route about world's objects."""
    if isinstance(rule, Everyone) or not about_a_program(template_of(rule)):
        return rule.status(role)
    return MISSING if may(ACCOUNT_ROLE.get(role, role), rule.action) else FORBIDDEN


def template_of(rule):
    return next(template for template, _method, other_rule in MATRIX if other_rule is rule)


@pytest.mark.parametrize("role", MOVED)
def test_roles_in_another_program_reach_nothing_of_this_one(app, client, world, other, role):
    """Even where world's program has a delegation of the focal point's country: 404, and nothing listed."""
    regrant(app, world, role, [(["OTRO-2026"], ACCOUNT_ROLE.get(role, role), COUNTRY.get(role))])
    login(client, world["emails"][role])
    wrong = [(template, method, status, elsewhere_status(rule, role))
             for template, method, rule in MATRIX
             if (status := answer(client, template, method, world)) != elsewhere_status(rule, role)]
    assert wrong == []
    programs = client.get("/programs").get_data(as_text=True)
    assert "OTRO-2026" in programs and "TEST-2026" not in programs and "TEST-Q-2026" not in programs
    assert client.get(f"/programs/{other['program']}").status_code == 200
    assert client.get(f"/programs/{world['ids']['program']}/participants/export.csv").status_code == MISSING


def test_a_focal_point_of_another_program_sees_only_its_people(app, client, world, other):
    regrant(app, world, "focal_mx", [(["OTRO-2026"], "focal_point", "MX")])
    login(client, world["emails"]["focal_mx"])
    listed = client.get(f"/programs/{other['program']}/participants").get_data(as_text=True)
    assert "Otra Persona" in listed and "Núñez" not in listed and "Gómez" not in listed
    assert client.get(f"/participants/{other['person']}/edit").status_code == 200
    for key in ("mx1", "mx2", "gt1"):  # world's Mexicans too: Mexico is theirs only in OTRO-2026
        assert client.get(f"/participants/{world['ids'][key]}/edit").status_code == MISSING


def test_the_secretariat_reaches_every_program(app, client, world, other):
    login(client, world["emails"]["admin"])
    programs = client.get("/programs").get_data(as_text=True)
    assert "OTRO-2026" in programs and "TEST-2026" in programs
    assert client.get(f"/participants/{other['person']}/edit").status_code == 200


ABOUT_A_PROGRAM = [(template, method, rule) for template, method, rule in MATRIX if about_a_program(template)]


@pytest.mark.parametrize("template, method, rule", ABOUT_A_PROGRAM)
def test_each_program_gets_its_own_role(app, client, world, other, template, method, rule):
    """Mexico's focal point in OTRO-2026 and organizer of world's programs: an organizer's answers in world's (a
    focal point's actions, like sending Mexico's list, are refused there), a focal point's in OTRO-2026."""
    regrant(app, world, "focal_mx", [(["OTRO-2026"], "focal_point", "MX"),
                                     (["TEST-2026", "TEST-Q-2026"], "organizer", None)])
    login(client, world["emails"]["focal_mx"])
    assert answer(client, template, method, world) == rule.status("organizer")


def test_a_role_in_one_program_does_not_open_the_others_actions(app, client, world, other):
    regrant(app, world, "focal_mx", [(["OTRO-2026"], "focal_point", "MX"),
                                     (["TEST-2026", "TEST-Q-2026"], "organizer", None)])
    login(client, world["emails"]["focal_mx"])
    assert client.get(f"/participants/{other['person']}/edit").status_code == 200  # a focal point's, in OTRO-2026
    assert client.get(f"/participants/{world['ids']['mx1']}/edit").status_code == FORBIDDEN  # an organizer's
    assert client.get(f"/programs/{other['program']}/activities/new").status_code == FORBIDDEN
    assert client.get(f"/programs/{world['ids']['program']}/activities/new").status_code == 200
    # The page says which role the account holds in the program on screen.
    assert "FP MX · Organización" in client.get(f"/programs/{world['ids']['program']}").get_data(as_text=True)
    assert "FP MX · Punto focal de país · México" in client.get(f"/programs/{other['program']}") \
        .get_data(as_text=True)
