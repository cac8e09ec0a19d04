"""Scriptable commands: create-admin, create-program and demo (exit 0 on success, 1 with one line per problem)."""
from datetime import date, time, timedelta

import click
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from command_line import fail
from extensions import db
from transactions import writes

from . import demo_data
from .attendance.cli import import_attendance
from .attendance.services import save_marks
from .cli_registration import (
    export_attendance,
    export_participants,
    import_participants,
    participant_link,
    send_messages,
)
from .countries import normalize_code
from .forms import ProgramForm
from .hooks import hooks
from .localized import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from .localized import offered as supported
from .models import DEFAULT_QUOTA, Delegation, Participant, Program
from .services import (
    ServiceError,
    add_delegation,
    grant_role,
    program_by_code,
    save_participant,
    save_program,
    save_user,
    user_by_email,
)
from .services_activities import save_activity, save_agenda_item
from .services_groups import generate, save_group


def register_cli(app):
    for command in (create_admin, create_program, demo, import_participants, export_participants, participant_link,
                    send_messages, export_attendance, import_attendance):
        app.cli.add_command(command)


@click.command("create-admin")
@with_appcontext
@click.option("--email", required=True)
@click.option("--password", required=True, help="At least 10 characters.")
@click.option("--name", default="Secretaría Ejecutiva")
@writes
def create_admin(email, password, name):
    """Create an administrator (executive secretariat) account, or reset its password."""
    problems = []
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        problems.append(f"--email: {error}")
    if len(password) < 10:
        problems.append("--password: use at least 10 characters")
    if problems:
        fail(problems)
    existing = user_by_email(email)
    try:
        save_user(existing, None, email=email, name=existing.name if existing else name,
                  language=existing.language if existing else DEFAULT_LANGUAGE, password=password, secretariat=True)
    except ServiceError as error:
        fail([f"--{error.field}: {error.message}"])
    click.echo(f"{'Updated' if existing else 'Created'} administrator {email.strip().lower()}")


@click.command("create-program")
@with_appcontext
@click.option("--code", required=True)
@click.option("--title", "titles", multiple=True, metavar="LANG=TEXT",
              help="The title in one language, e.g. --title fr=Programme; repeat it for each language.")
@click.option("--title-es", default="", help="Same as --title es=TEXT.")
@click.option("--title-en", default="", help="Same as --title en=TEXT.")
@click.option("--languages", default="",
              help="The program's languages, the default first, e.g. fr,en (default: those of the titles given; "
                   "es,en with --title-es/--title-en only).")
@click.option("--countries", default="", help="Comma-separated ISO codes, e.g. MX,GT,HN.")
@click.option("--quota", default=DEFAULT_QUOTA, type=click.IntRange(0, 10000), show_default=True)
@click.option("--start", "start", default=None, help="YYYY-MM-DD")
@click.option("--end", "end", default=None, help="YYYY-MM-DD")
@click.option("--timezone", default="America/Mexico_City", show_default=True)
@writes
def create_program(code, titles, title_es, title_en, languages, countries, quota, start, end, timezone):
    """Create a program with its member countries' delegations."""
    texts, problems = _titles(titles, title_es, title_en)
    offered = [c.strip().lower() for c in languages.split(",") if c.strip()] or (
        list(texts) if titles else list(LEGACY_LANGUAGES))
    problems += [f"--languages: {c} is not one of {', '.join(SUPPORTED_LANGUAGES)}" for c in offered
                 if c not in SUPPORTED_LANGUAGES]
    offered = supported(offered)
    # The web form's own rules (code pattern, lengths, required title, date order, known zone) apply here too.
    form = ProgramForm.for_program(None, offered[0])(formdata=MultiDict({
        "code": code, "start_date": start or "", "end_date": end or "", "timezone": timezone,
        "default_language": offered[0], "languages": offered, **{f"title_{c}": text for c, text in texts.items()},
    }), meta={"csrf": False})
    form.validate()
    by_option = {option.partition("=")[0].strip().lower() for option in titles}
    problems += [f"{_option(name, by_option)}: {message}" for name, messages in form.errors.items()
                 for message in messages]
    codes = [c.strip() for c in countries.split(",") if c.strip()]
    problems += [f"--countries: {c} is not an ISO 3166-1 alpha-2 country code" for c in codes if not normalize_code(c)]
    if problems:
        fail(problems)
    try:
        program = save_program(None, None, code=form.code.data, start_date=form.start_date.data,
                               end_date=form.end_date.data, timezone=timezone, languages=form.chosen_languages(),
                               title=form.localized("title"))
        for country in dict.fromkeys(normalize_code(c) for c in codes):
            add_delegation(program, None, kind="member", country_code=country, quota=quota)
    except ServiceError as error:
        fail([f"{_option(error.field, by_option)}: {error.message}"])
    click.echo(f"Created program {program.code} (id {program.id}) with {len(program.delegations)} countries")


LEGACY_LANGUAGES = ("es", "en")  # what --title-es/--title-en alone have always created
PROGRAM_OPTIONS = {"code": "--code", "start_date": "--start", "end_date": "--end", "timezone": "--timezone",
                   "languages": "--languages", "default_language": "--languages", "country_code": "--countries"}


def _titles(options, title_es, title_en):
    """{language: title} from --title-es, --title-en and each --title LANG=TEXT, and the problems found."""
    texts, problems = {}, []
    for code, text in (("es", title_es), ("en", title_en)):
        if text.strip():
            texts[code] = text
    for option in options:
        code, equals, text = option.partition("=")
        code = code.strip().lower()
        if not equals or code not in SUPPORTED_LANGUAGES:
            problems.append(f"--title: write LANG=TEXT with LANG one of {', '.join(SUPPORTED_LANGUAGES)} "
                            f"(got “{option}”)")
        else:
            texts[code] = text
    return texts, problems


def _option(field, by_option=()):
    """The option a form field's problem is reported on (title_fr → --title fr=…, title_es → --title-es unless
    given as --title es=…)."""
    if field.startswith("title_"):
        code = field[6:]
        return f"--title-{code}" if code in LEGACY_LANGUAGES and code not in by_option else f"--title {code}=…"
    return PROGRAM_OPTIONS.get(field, f"--{field.replace('_', '-')}")


@click.command("demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database has any program.")
@writes
def demo(if_empty):
    """Load the reference program CRM-CE-2021, a second program after it (CRM-CE-2022, some people returning) with
    invented participants, and staff accounts."""
    if if_empty and db.session.scalar(select(Program.id).limit(1)) is not None:
        click.echo("The database already has programs; demo not loaded.")
        return
    for spec in (demo_data.PROGRAM, demo_data.SECOND_PROGRAM):
        if program_by_code(spec["code"]) is not None:
            fail([f"Program {spec['code']} already exists."])
    programs = [_load_demo_program(), _load_second_program()]
    for program in programs:
        for load in hooks(current_app).demo_parts:  # later blueprints' parts (tests, certificates), in this transaction
            load(program)
        count = db.session.scalar(select(db.func.count()).where(Participant.program_id == program.id))
        click.echo(f"Loaded {program.code}: {len(program.delegations)} delegations, {count} participants.")
    click.echo(f"Staff accounts (password '{demo_data.DEMO_PASSWORD}'): "
               + ", ".join(email for email, *_ in demo_data.STAFF))


def _new_program(spec, start, end):
    texts = {field: spec[field] for field in ("title", "description", "general_objective", "specific_objectives")}
    return save_program(None, None, code=spec["code"], start_date=start, end_date=end, timezone=spec["timezone"],
                        languages=spec["languages"], **texts)


def _load_demo_program():
    start, end = demo_data.demo_dates(date.today())
    program = _new_program(demo_data.PROGRAM, start, end)
    statuses = ("confirmed", "confirmed", "list_received", "invited")
    for index, country in enumerate(demo_data.MEMBER_COUNTRIES):
        contact = demo_data.focal_point_contact(country)
        delegation = add_delegation(program, None, kind="member", country_code=country, quota=DEFAULT_QUOTA,
                                    status=statuses[index % len(statuses)], **contact)
        # One delegation still short of its quota, so the dashboard has something missing to show.
        count = 7 if country == "NI" else DEFAULT_QUOTA
        _add_people(program, delegation, demo_data.delegation_people(country, count))
    for organization, quota in demo_data.OBSERVERS:
        delegation = add_delegation(program, None, kind="observer", organization=organization, quota=quota,
                                    status="confirmed")
        _add_people(program, delegation, demo_data.observer_people(organization, quota))
    activities = _load_demo_activities(program, start, end)
    _load_demo_attendance(program, activities)
    _load_demo_groups(activities)
    _demo_staff(program)
    return program


def _demo_staff(program):
    """The demo's staff accounts (made once) and their roles in `program`: the secretariat's covers every program,
    a focal point has one where their country has a delegation."""
    countries = set(db.session.scalars(select(Delegation.country_code).where(Delegation.program_id == program.id)))
    for email, name, role, country, language in demo_data.STAFF:
        user = user_by_email(email) or save_user(None, None, email=email, name=name, language=language,
                                                 password=demo_data.DEMO_PASSWORD, secretariat=role == "admin")
        if role != "admin" and (country is None or country in countries):
            grant_role(user, None, program=program, role=role, country_code=country)


def _load_second_program():
    """The second program: fewer countries, every list confirmed, its own attendance (no group work)."""
    start, end = demo_data.second_dates(date.today())
    program = _new_program(demo_data.SECOND_PROGRAM, start, end)
    for country in demo_data.SECOND_COUNTRIES:
        delegation = add_delegation(program, None, kind="member", country_code=country, quota=DEFAULT_QUOTA,
                                    status="confirmed", **demo_data.focal_point_contact(country))
        _add_people(program, delegation, demo_data.second_people(country))
    activities = _load_demo_activities(program, start, end)
    _load_demo_attendance(program, activities, seed=2022)
    _demo_staff(program)
    return program


def _load_demo_activities(program, start, end):
    activities = []
    for code, offset, title, items in demo_data.SESSIONS:
        activity = save_activity(None, None, program, code=code, kind="virtual_session", required=True,
                                 title=dict(title), description={},
                                 day=start + timedelta(days=offset), start=time(14, 0), end=time(16, 5),
                                 due_day=None, link=f"https://zoom.example.org/j/{code.lower()}", location="")
        for item_start, item_end, kind, item_title, facilitators, speakers in items:
            save_agenda_item(None, None, activity, start=time.fromisoformat(item_start),
                             end=time.fromisoformat(item_end), kind=kind, title=dict(item_title),
                             facilitators=facilitators, speakers=speakers, notes="", parallel=False)
        activities.append(activity)
    for code, title, required, link in demo_data.COURSES:
        activities.append(save_activity(None, None, program, code=code, kind="online_course", required=required,
                                        title=dict(title), description={}, day=None,
                                        start=None, end=None, due_day=end, link=link, location=""))
    return activities


def _load_demo_attendance(program, activities, seed=2021):
    people = db.session.scalars(select(Participant).where(Participant.program_id == program.id)
                                .order_by(Participant.id)).all()
    plan = demo_data.attendance_plan(len(people), [a.code for a in activities if a.code != "C3"], seed)
    for activity in activities:
        minutes = {"present": 120, "late": 95, "absent": 0, "excused": 0} if activity.is_session else {}
        marks = {person.id: (plan[index][activity.code], "Cita médica" if plan[index][activity.code] == "excused"
                             else "", minutes.get(plan[index][activity.code]))
                 for index, person in enumerate(people) if activity.code in plan[index]}
        if marks:
            save_marks(activity, marks, None)


def _load_demo_groups(activities):
    """Groups for the group-work items of S2 and S3, a rapporteur in each, and S2's conclusions."""
    for activity in activities:
        spec = demo_data.GROUP_WORK.get(activity.code)
        if spec is None:
            continue
        item = next(item for item in activity.items if item.kind == "group_work")
        # A name is {language: name}, or one name in the program's default language.
        specs = [{"names": name if isinstance(name, dict) else {activity.program.default_language: name},
                  "countries": countries or [], "perspective": perspective or {}}
                 for name, countries, perspective in spec["groups"]]
        work = generate(item, None, strategy=spec["strategy"], specs=specs, seed=spec.get("seed", 0),
                        only_present=False, questions=spec["questions"])
        for index, group in enumerate(work.groups):
            first = min(group.members, key=lambda member: member.participant_id)
            conclusions = spec["conclusions"][index] if index < len(spec["conclusions"]) else ""
            save_group(group, None, names=group.names, perspective=group.perspective,
                       rapporteur_id=first.participant_id, conclusions=conclusions)


def _add_people(program, delegation, people):
    for person in people:
        save_participant(None, None, program=program, delegation=delegation, timezone="",
                         **{k: getattr(person, k) for k in ("given_names", "family_names", "email", "gender",
                                                            "profile", "position", "institution", "language")})
