"""The scriptable commands: create-admin, create-program, demo (exit 0, or 1 with one line per problem)."""
from sqlalchemy import func, select

from extensions import db
from training.models import Delegation, Participant, Program, User


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_create_admin_then_log_in(app, client):
    result = run(app, "create-admin", "--email", "Secretaria@CRM.example", "--password", "muy-secreta-123")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "secretaria@crm.example"))
        assert user.is_admin and [(grant.role, grant.program_id) for grant in user.grants] == [("admin", None)]
    from tests.conftest import post_form

    assert post_form(client, "/login", {"email": "secretaria@crm.example", "password": "muy-secreta-123"}) \
        .status_code == 302


def test_create_admin_reports_each_problem(app):
    result = run(app, "create-admin", "--email", "not-an-email", "--password", "short")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("--email") and lines[1].startswith("--password")


def test_create_program_with_countries(app):
    result = run(app, "create-program", "--code", "crm-2027", "--title-es", "Programa", "--title-en", "Program",
                 "--countries", "MX,gt, HN", "--quota", "12", "--start", "2027-01-10", "--end", "2027-02-10")
    assert result.exit_code == 0, result.stderr
    with app.app_context():
        program = db.session.scalar(select(Program).where(Program.code == "CRM-2027"))
        assert program.title == {"es": "Programa", "en": "Program"}
        quotas = {d.country_code: d.quota for d in db.session.scalars(select(Delegation))}
        assert quotas == {"MX": 12, "GT": 12, "HN": 12}


def test_create_program_lists_every_problem_and_writes_nothing(app):
    result = run(app, "create-program", "--code", "X1", "--title-es", "T", "--countries", "MX,ZZ,Q1",
                 "--start", "2027-13-01", "--timezone", "Nowhere/City")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4
    assert any("ZZ" in line for line in lines) and any("Q1" in line for line in lines)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Program)) == 0


def test_create_program_refuses_a_taken_code(app):
    assert run(app, "create-program", "--code", "DUP", "--title-es", "Uno").exit_code == 0
    result = run(app, "create-program", "--code", "dup", "--title-es", "Dos")
    assert result.exit_code == 1 and "--code" in result.stderr


def test_demo_loads_the_reference_program(app):
    result = run(app, "demo")
    assert result.exit_code == 0, result.stderr
    with app.app_context():
        program = db.session.scalar(select(Program).where(Program.code == "CRM-CE-2021"))
        assert program.timezone == "America/Mexico_City" and "consejeras de empleo" in program.title["es"]
        members = db.session.scalars(select(Delegation).where(Delegation.kind == "member",
                                                              Delegation.program_id == program.id)).all()
        assert {d.country_code for d in members} == {"BZ", "CA", "CR", "SV", "US", "GT", "HN", "MX", "NI", "PA", "DO"}
        observers = db.session.scalars(select(Delegation.organization).where(Delegation.kind == "observer")).all()
        assert any("RROCM" in name for name in observers)
        people = db.session.scalars(select(Participant).where(Participant.program_id == program.id)).all()
        assert 100 <= len(people) <= 130
        assert any("ú" in p.family_names or "á" in p.family_names for p in people)
        assert {p.gender for p in people} == {"female", "male"}
        grants = {(user.email, grant.role, grant.program_id, grant.country_code)
                  for user in db.session.scalars(select(User)) for grant in user.grants}
        second = db.session.scalar(select(Program.id).where(Program.code == "CRM-CE-2022"))
        # Staff roles in both programs, a focal point's where their country has a delegation (Canada: 2021 only).
        assert grants == {("admin@capacita.example", "admin", None, None),
                          *{(email, role, program_id, country)
                            for program_id in (program.id, second)
                            for email, role, country in (("organizadora@capacita.example", "organizer", None),
                                                         ("organizacao.pt@capacita.example", "organizer", None),
                                                         ("facilitadora@capacita.example", "facilitator", None),
                                                         ("punto.focal.mx@capacita.example", "focal_point", "MX"),
                                                         ("punto.focal.gt@capacita.example", "focal_point", "GT"))},
                          ("focal.point.ca@capacita.example", "focal_point", program.id, "CA")}
    again = run(app, "demo")
    assert again.exit_code == 1 and "already exists" in again.stderr
    quiet = run(app, "demo", "--if-empty")
    assert quiet.exit_code == 0 and "not loaded" in quiet.output


def test_demo_loads_a_second_program_after_the_first_with_people_returning(app):
    assert run(app, "demo").exit_code == 0
    with app.app_context():
        first, second = (db.session.scalar(select(Program).where(Program.code == code))
                         for code in ("CRM-CE-2021", "CRM-CE-2022"))
        assert second.start_date > first.end_date
        emails = {code: set(db.session.scalars(select(Participant.email_key).where(Participant.program_id == p.id)))
                  for code, p in (("first", first), ("second", second))}
        assert len(emails["second"]) == 64 and len(emails["first"] & emails["second"]) == 16  # two per country


def test_create_program_applies_the_web_forms_rules(app):
    result = run(app, "create-program", "--code", "bad code!", "--title-es", "  ")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith("--code:") for line in lines) and any(line.startswith("--title-es:") for line in lines)
    too_long = run(app, "create-program", "--code", "X" * 60, "--title-es", "Título")
    assert too_long.exit_code == 1 and too_long.stderr.startswith("--code:")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Program)) == 0


def test_create_program_in_any_languages_with_title_options(app):
    result = run(app, "create-program", "--code", "ca-2027", "--title", "fr=Programme des conseillers",
                 "--title", "pt=Programa de conselheiros", "--countries", "CA")
    assert result.exit_code == 0, result.stderr
    with app.app_context():
        program = db.session.scalar(select(Program).where(Program.code == "CA-2027"))
        assert program.languages == ["fr", "pt"] and program.default_language == "fr"
        assert program.title == {"fr": "Programme des conseillers", "pt": "Programa de conselheiros"}
    result = run(app, "create-program", "--code", "pt-2027", "--title", "fr=Programme", "--languages", "pt,fr,xx",
                 "--title", "de=Programm")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith("--languages: xx") for line in lines)
    assert any(line.startswith("--title: write LANG=TEXT") for line in lines)
    assert any(line.startswith("--title pt=…:") for line in lines)  # the default language needs its title
    with app.app_context():
        assert db.session.scalar(select(Program).where(Program.code == "PT-2027")) is None


def test_create_program_with_the_two_language_options_as_before(app):
    assert run(app, "create-program", "--code", "old-2027", "--title-es", "Programa").exit_code == 0
    with app.app_context():
        program = db.session.scalar(select(Program).where(Program.code == "OLD-2027"))
        assert program.languages == ["es", "en"] and program.title == {"es": "Programa"}


def test_the_demo_s_groups_are_named_in_its_four_languages(app):
    from training.models_groups import Group

    assert run(app, "demo").exit_code == 0
    with app.app_context():
        names = {tuple(sorted(group.names.items())) for group in db.session.scalars(select(Group))}
    assert (("en", "Group 2"), ("es", "Grupo 2"), ("fr", "Groupe 2"), ("pt", "Grupo 2")) in names
