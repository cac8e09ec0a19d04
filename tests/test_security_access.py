"""Every route against every role: anonymous → login, wrong role → 403, another country's objects → 404.

A participant's session (opened through their personal link) is no staff login: every staff route answers it
with 403, and the participant pages name no object, so one participant cannot reach another's data."""
import pytest

from tests.conftest import csrf_from, login
from tests.helpers import enter, link_for

ROLES = ("anonymous", "participant", "admin", "organizer", "facilitator", "focal_mx", "focal_gt")
STAFF = ROLES[2:]
OK, LOGIN, FORBIDDEN, MISSING = 200, "login", 403, 404

# (url template, method, {role: expected}); objects named by the `world` fixture's keys.
STAFF_READ = {"admin": OK, "organizer": OK, "facilitator": OK, "focal_mx": OK, "focal_gt": OK}
ADMIN_ONLY = {"admin": OK, "organizer": FORBIDDEN, "facilitator": FORBIDDEN, "focal_mx": FORBIDDEN,
              "focal_gt": FORBIDDEN}
EDITORS_MX = {"admin": OK, "organizer": FORBIDDEN, "facilitator": FORBIDDEN, "focal_mx": OK, "focal_gt": MISSING}
MARKERS = {"admin": OK, "organizer": OK, "facilitator": OK, "focal_mx": OK, "focal_gt": OK}
PLANNERS = {"admin": OK, "organizer": OK, "facilitator": FORBIDDEN, "focal_mx": FORBIDDEN, "focal_gt": FORBIDDEN}
IMPORTERS = {"admin": OK, "organizer": OK, "facilitator": OK, "focal_mx": FORBIDDEN, "focal_gt": FORBIDDEN}
BUILT = {**PLANNERS, "admin": 302, "organizer": 302}  # POSTs of the questionnaire builder: done, then back
EDITORS_PROGRAM = {"admin": OK, "organizer": FORBIDDEN, "facilitator": FORBIDDEN, "focal_mx": OK, "focal_gt": OK}
MATRIX = [
    ("/healthz", "GET", {role: OK for role in ROLES}),  # for load balancers: no login (test_app_operations.py)
    ("/programs", "GET", STAFF_READ),
    ("/programs/new", "GET", ADMIN_ONLY),
    ("/programs/{program}", "GET", STAFF_READ),
    ("/programs/{program}/edit", "GET", ADMIN_ONLY),
    ("/programs/{program}/delegations/new", "GET", ADMIN_ONLY),
    ("/delegations/{mx}/edit", "GET", {**ADMIN_ONLY, "focal_gt": FORBIDDEN}),
    ("/programs/{program}/participants", "GET", STAFF_READ),
    ("/programs/{program}/participants/new", "GET", EDITORS_PROGRAM),
    ("/participants/{mx1}/edit", "GET", EDITORS_MX),
    ("/participants/{mx1}/withdraw", "POST", {**EDITORS_MX, "admin": 302, "focal_mx": 302}),
    ("/participants/{mx1}/reinstate", "POST", {**EDITORS_MX, "admin": 302, "focal_mx": 302}),
    ("/programs/{program}/participants/import", "GET", EDITORS_PROGRAM),
    ("/programs/{program}/participants/export.csv", "GET", STAFF_READ),
    ("/imports/{batch}", "GET", EDITORS_MX),
    ("/imports/{batch}/confirm", "POST", {**EDITORS_MX, "admin": 302, "focal_mx": 302}),
    ("/imports/{batch}/discard", "POST", {**EDITORS_MX, "admin": 302, "focal_mx": 302}),
    ("/participants/{mx1}/link", "POST", {**EDITORS_MX, "admin": 302, "focal_mx": 302}),
    ("/delegations/{gt}/submit", "POST", {**EDITORS_MX, "admin": 302, "focal_mx": MISSING, "focal_gt": 302}),
    ("/delegations/{gt}/confirm", "POST", {**ADMIN_ONLY, "admin": 302}),
    ("/programs/{program}/messages", "GET", ADMIN_ONLY),
    ("/programs/{program}/messages/export.csv", "GET", ADMIN_ONLY),
    ("/programs/{program}/messages/template", "GET", ADMIN_ONLY),
    ("/programs/{program}/invitations", "POST", {**ADMIN_ONLY, "admin": 302}),
    ("/programs/{program}/messages/deliver", "POST", {**ADMIN_ONLY, "admin": 302}),
    ("/programs/{program}/activities", "GET", STAFF_READ),
    ("/programs/{program}/activities/new", "GET", PLANNERS),
    ("/programs/{program}/agenda.ics", "GET", STAFF_READ),
    ("/activities/{activity}", "GET", STAFF_READ),
    ("/activities/{activity}/edit", "GET", PLANNERS),
    ("/activities/{activity}/agenda.ics", "GET", STAFF_READ),
    ("/activities/{activity}/agenda.pdf", "GET", STAFF_READ),
    ("/agenda-items/{agenda_item}/edit", "GET", PLANNERS),
    ("/activities/{activity}/attendance", "GET", MARKERS),
    ("/programs/{program}/attendance", "GET", MARKERS),
    ("/activities/{activity}/attendance/import", "GET", IMPORTERS),
    ("/attendance-imports/{report}", "GET", IMPORTERS),
    ("/attendance-imports/{report}", "POST", {**IMPORTERS, "admin": 302, "organizer": 302, "facilitator": 302}),
    ("/attendance-imports/{report}/discard", "POST",
     {**IMPORTERS, "admin": 302, "organizer": 302, "facilitator": 302}),
    ("/programs/{program}/attendance.csv", "GET", MARKERS),
    ("/agenda-items/{group_item}/groups", "GET", MARKERS),
    ("/agenda-items/{group_item}/groups/setup", "GET", PLANNERS),
    ("/agenda-items/{group_item}/groups/moves", "GET", MARKERS),
    ("/agenda-items/{group_item}/groups/print", "GET", MARKERS),
    ("/groups/{group}/edit", "GET", IMPORTERS),
    ("/users", "GET", ADMIN_ONLY),
    ("/users/new", "GET", ADMIN_ONLY),
    ("/users/{organizer}/edit", "GET", ADMIN_ONLY),
    ("/audit", "GET", ADMIN_ONLY),
    ("/audit/export.csv", "GET", ADMIN_ONLY),
    ("/participants/{mx1}/personal-data", "GET", ADMIN_ONLY),
    ("/participants/{mx1}/personal-data.zip", "POST", ADMIN_ONLY),
    # Without a reason and the confirmation the form comes back with its errors (400).
    ("/participants/{mx1}/erase", "POST", {**ADMIN_ONLY, "admin": 400}),
    ("/questionnaires/{questionnaire}/responses/import", "GET", PLANNERS),
    ("/response-imports/{response_import}", "GET", PLANNERS),
    ("/response-imports/{response_import}", "POST", {**PLANNERS, "admin": 302, "organizer": 302}),
    ("/response-imports/{response_import}/discard", "POST", {**PLANNERS, "admin": 302, "organizer": 302}),
    ("/programs/{program}/tests", "GET", STAFF_READ),
    ("/programs/{program}/impact", "GET", STAFF_READ),
    ("/programs/{program}/impact.xlsx", "GET", STAFF_READ),
    ("/programs/{program}/impact.html", "GET", STAFF_READ),
    ("/programs/{program}/impact.pdf", "GET", STAFF_READ),
    # A chart the report does not have: access is checked before anything is drawn.
    ("/programs/{program}/impact/charts/nothing.svg", "GET", {role: MISSING for role in STAFF_READ}),
    ("/programs/{program}/questionnaires", "GET", PLANNERS),
    ("/programs/{program}/questionnaires/import", "POST", {**PLANNERS, "admin": 400, "organizer": 400}),
    ("/questionnaires/{questionnaire}", "GET", PLANNERS),
    ("/questionnaires/{questionnaire}/open", "POST", BUILT),
    ("/questionnaires/{questionnaire}/close", "POST", BUILT),
    ("/questionnaires/{questionnaire}/sections", "POST", BUILT),
    ("/questionnaires/{questionnaire}/copy-knowledge", "POST", {**PLANNERS, "admin": 404, "organizer": 404}),
    ("/questionnaires/{questionnaire}/export.json", "GET", PLANNERS),
    ("/questionnaires/{questionnaire}/preview", "GET", PLANNERS),
    ("/questionnaires/{questionnaire}/delete", "POST", BUILT),
    ("/sections/{section}/edit", "GET", PLANNERS),
    ("/sections/{section}/delete", "POST", BUILT),
    ("/sections/{section}/move", "POST", BUILT),
    ("/sections/{section}/questions/new", "GET", PLANNERS),
    ("/questions/{question}/edit", "GET", PLANNERS),
    ("/questions/{question}/delete", "POST", BUILT),
    ("/questions/{question}/move", "POST", BUILT),
    # The questionnaire's program has no delegation: focal points have nothing to follow there.
    ("/questionnaires/{questionnaire}/progress", "GET", {**STAFF_READ, "focal_mx": MISSING, "focal_gt": MISSING}),
    ("/questionnaires/{questionnaire}/finalize", "POST", BUILT),
    ("/questionnaires/{questionnaire}/reminders", "POST", BUILT),
    ("/questionnaires/{questionnaire}/answers.csv", "GET", IMPORTERS),
    ("/programs/{program}/certificates", "GET", STAFF_READ),
    ("/programs/{program}/certificates.csv", "GET", STAFF_READ),
    # World's certificate still waits for its PDF: the ZIP sends everyone back with a message.
    ("/programs/{program}/certificates.zip", "GET", {role: 302 for role in STAFF_READ}),
    ("/programs/{program}/certificates/draw", "POST", {**PLANNERS, "admin": 302, "organizer": 302}),
    ("/programs/{program}/certificates/issue", "POST", {**PLANNERS, "admin": 302, "organizer": 302}),
    ("/programs/{program}/certificates/email", "POST", {**PLANNERS, "admin": 302, "organizer": 302}),
    ("/programs/{program}/certificates/settings", "GET", PLANNERS),
    ("/programs/{program}/certificates/specimen.pdf", "GET", PLANNERS),
    ("/certificates/{certificate}", "GET", {**STAFF_READ, "focal_mx": MISSING}),
    ("/certificates/{certificate}.pdf", "GET", {**STAFF_READ, "focal_mx": MISSING}),
    # Without a reason the form comes back with its error (400) for those who may revoke.
    ("/certificates/{certificate}/revoke", "POST", {**PLANNERS, "admin": 400, "organizer": 400}),
    ("/certificates/{certificate}/reissue", "POST", {**PLANNERS, "admin": 400, "organizer": 400}),
]
PUBLIC = {"/login", "/language", "/", "/static/<path:filename>", "/assets/plotly-<plotly_version>.min.js",
          "/verify", "/verify/<code>"}  # tested in test_certificates_verify.py
# Tested in test_training_portal.py and test_training_agenda_pdf.py.
PARTICIPANT_ROUTES = {"/p/<token>", "/me", "/me/leave", "/me/agenda.ics", "/me/agenda.pdf", "/me/tests/<kind>",
                      "/me/tests/<kind>/start", "/me/tests/<kind>/answers", "/me/tests/<kind>/review",
                      "/me/tests/<kind>/submit", "/me/tests/<kind>/done",
                      "/me/certificate.pdf"}  # and test_assessments_taking.py
ROUTES_NEEDING_LOGIN_ONLY = {"/logout"}


def _cases():
    for template, method, expected in MATRIX:
        for role in ROLES:
            # A participant's session is known: staff pages are a plain 403 for it, not the staff login form.
            default = FORBIDDEN if role == "participant" else LOGIN
            yield pytest.param(template, method, role, expected.get(role, default), id=f"{method} {template} {role}")


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
        .replace("<int:delegation_id>", "{mx}").replace("<int:user_id>", "{organizer}")
        .replace("attendance.<any(csv, xlsx):file_format>", "attendance.csv")
        .replace("<int:batch_id>", "{batch}").replace("<int:activity_id>", "{activity}")
        .replace("<int:item_id>/groups", "{group_item}/groups").replace("<int:group_id>", "{group}")
        .replace("response-imports/<int:import_id>", "response-imports/{response_import}")
        .replace("<int:questionnaire_id>", "{questionnaire}").replace("<int:section_id>", "{section}")
        .replace("<int:question_id>", "{question}").replace("<int:certificate_id>", "{certificate}")
        .replace("<int:item_id>", "{agenda_item}").replace("<int:import_id>", "{report}")
        .replace("<any(csv, xlsx):file_format>", "csv")
        .replace("<name>.<any(png, svg):file_format>", "nothing.svg")
        for rule in app.url_map.iter_rules()
    }
    assert normalized - covered - PUBLIC - ROUTES_NEEDING_LOGIN_ONLY - PARTICIPANT_ROUTES == set()


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
