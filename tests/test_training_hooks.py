"""How later blueprints plug into training (demo parts, personal-data sections, audited objects, the cards of the
participant's page, calendar sources): registered per app by create_app, never by being imported; the page's
template queries nothing."""
import ast
import logging
from contextlib import contextmanager
from pathlib import Path

from flask import before_render_template, template_rendered
from sqlalchemy import event, select

from app import create_app
from extensions import db
from tests.conftest import login
from tests.helpers import enter, link_for
from training.hooks import hooks

REGISTERING = {"register_section", "register_audit_object", "add_demo_part", "add_my_page_card",
               "add_calendar_source", "add_lifecycle_facts"}


@contextmanager
def rendering_watch(app):
    """[(template name, context)] of the templates rendered, and [(template name, SQL)] run while one rendered."""
    rendered, statements, rendering = [], [], []

    def started(_sender, template, context, **_extra):
        rendering.append(template.name)

    def finished(_sender, template, context, **_extra):
        rendering.pop()
        rendered.append((template.name, context))

    def executed(_connection, _cursor, statement, *_args):
        if rendering:
            statements.append((rendering[-1], statement))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", executed)
    before_render_template.connect(started, app)
    template_rendered.connect(finished, app)
    try:
        yield rendered, statements
    finally:
        template_rendered.disconnect(finished, app)
        before_render_template.disconnect(started, app)
        event.remove(engine, "before_cursor_execute", executed)


def my_page(app, participant_id):
    client = app.test_client()
    enter(client, link_for(app, participant_id))
    with rendering_watch(app) as (rendered, statements):
        html = client.get("/me").get_data(as_text=True)
    assert [name for name, _context in rendered] == ["training/my_page.html"]
    return html, rendered[0][1], statements


def test_my_page_shows_what_its_view_loaded_and_its_template_queries_nothing(app, course):
    from assessments.models import Question, Questionnaire, Section

    with app.app_context():  # course's post-test, which gt2 is still answering, gets a question: it is listed
        post = db.session.scalar(select(Questionnaire).where(Questionnaire.program_id == course["ids"]["program"]))
        section = Section(questionnaire_id=post.id, position=1, title={"es": "Conocimientos"})
        db.session.add(section)
        db.session.flush()
        db.session.add(Question(questionnaire_id=post.id, section_id=section.id, position=1, type="short_text",
                                dimension="application", text={"es": "¿Qué aplicará?"}))
        db.session.commit()
    html, context, statements = my_page(app, course["ids"]["gt2"])
    assert statements == []  # neither the eligibility nor the questionnaires are computed while rendering
    status, certificate, reasons, _after = context["cards"]["certificate"]
    assert (status, certificate) == ("not_yet", None)
    assert reasons == ["Ausente en S0 · Sesión 0", "Evaluación posterior no enviada"]
    assert "<li>Ausente en S0 · Sesión 0</li><li>Evaluación posterior no enviada</li>" in html
    tests = context["cards"]["tests"]
    assert [(s.questionnaire.kind, s.progress, s.refusal) for s in tests] == [("post", "in_progress", "not_open")]
    assert "Prueba de salida" in html.split('class="card my-tests"')[1].split("</div>")[0]


def test_an_issued_certificate_is_on_its_holders_page(app, course):
    html, context, statements = my_page(app, course["ids"]["gt1"])
    assert statements == []
    status, certificate, _reasons, _after = context["cards"]["certificate"]
    assert status == "issued" and certificate.participant_id == course["ids"]["gt1"]
    assert certificate.serial in html and "/me/certificate.pdf" in html


def test_each_app_has_its_own_registrations_made_by_create_app(app, tmp_path):
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        other = create_app({"TESTING": True, "CAPACITA_ENV": "test", "SECRET_KEY": "s" * 48,
                            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.sqlite3'}",
                            "RATELIMIT_STORAGE_URI": "memory://"})
    finally:
        root.handlers[:], root.level = saved
    mine, theirs = hooks(app), hooks(other)
    for registered in (mine, theirs):  # in the order of create_app, once each, however many apps were made
        assert [f"{load.__module__}.{load.__name__}" for load in registered.demo_parts] == [
            "assessments.demo.load_demo_tests", "assessments.demo_closing.load_demo_follow_up",
            "assessments.demo_closing.load_demo_lessons", "certificates.demo.load_demo_certificates"]
        assert list(registered.privacy_sections) == ["tests", "follow_up_surveys", "certificates"]
        assert list(registered.my_page_cards) == ["tests", "certificate"]
        assert list(registered.calendar_sources) == ["tests"]
        assert {name: f"{load.__module__}.{load.__name__}" for name, load in registered.lifecycle_facts.items()} == {
            "evaluation": "assessments.services_lifecycle.lifecycle_facts",
            "certificates": "certificates.services_lifecycle.lifecycle_facts"}
        assert {"Program", "Participant", "Questionnaire", "ResponseImport", "Certificate"} <= set(
            registered.audit_objects)
    assert mine is not theirs and mine.demo_parts is not theirs.demo_parts
    assert mine.privacy_sections is not theirs.privacy_sections and mine.my_page_cards is not theirs.my_page_cards
    assert mine.calendar_sources is not theirs.calendar_sources
    assert mine.lifecycle_facts is not theirs.lifecycle_facts
    with other.app_context():
        db.engine.dispose()


def top_level_calls(path):
    """Names of the functions a module calls at its top level (when it is imported), decorators aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Call):
                function = node.func
                yield function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)


def test_no_module_registers_into_trainings_hooks_when_imported():
    root = Path(__file__).resolve().parent.parent
    modules = [path for blueprint in ("training", "assessments", "certificates")
               for path in (root / blueprint).rglob("*.py")]
    offending = {str(path.relative_to(root)): sorted(set(top_level_calls(path)) & REGISTERING) for path in modules}
    assert {name: calls for name, calls in offending.items() if calls} == {}


def test_the_program_page_shows_the_lifecycle_its_view_loaded_and_its_template_queries_nothing(app, course):
    client = app.test_client()
    login(client, course["emails"]["admin"])
    with rendering_watch(app) as (rendered, statements):
        html = client.get(f"/programs/{course['ids']['program']}").get_data(as_text=True)
    assert [name for name, _context in rendered][0] == "training/program_dashboard.html"
    assert statements == []  # the facts of every blueprint were gathered by the view
    context = rendered[0][1]
    phases = {phase.key: {step.key: step.state for step in phase.steps} for phase in context["phases"]}
    # course's post-test has no questions yet; mx1 and mx2 qualify for a certificate months after S0, its only session.
    assert phases["evaluation"] == {"pre_test": "not_yet", "post_test": "not_yet"}
    assert phases["certificates"] == {"certificates": "late"}
    assert "Evaluación posterior (post-test)" in html
