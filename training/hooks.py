"""Where later blueprints plug into training, per app: filled by each blueprint's `init_app`, which create_app calls."""
from dataclasses import dataclass, field
from typing import Callable

# Why not blinker signals: these are asked for data in an order people see (the export's sections, the demo's
# parts, one after the other in one transaction), and a signal's receivers come back in no set order.
KEY = "training.hooks"


@dataclass
class Hooks:
    """One app's registrations, in the order they were made (training's, then assessments', then certificates').
    `demo_parts`: `load(program)` run after training's part of `flask demo`, in its transaction.
    `privacy_sections`: name → services_privacy.Section, a part of a participant's personal data.
    `audit_objects`: model name → services_audit.ObjectKind, how the audit log names and links it.
    `questionnaire_notes`: `notes(participant, questionnaire)` → texts the intro of a participant's test adds
    (what their certificate asks of this test), so an intro never has to guess it.
    `my_page_cards`: name → `load(participant, activities)`, what the participant's page shows in that card (nothing
    shown when empty); its view loads them all and passes them to the template as `cards`.
    `message_values`: message kind → `values(params, language)`, the placeholders a kind of message adds (a reminder's
    questionnaire and closing time), from the params the page that asked for them stored on its job.
    `job_kinds`: task name → JobKind, who may follow such a job and how its progress reads.
    `scheduled_work`: name → `work(now)`, run every minute by the worker (training/tasks.py), each in its own
    transaction.
    `calendar_sources`: name → `load(program, language, zone)`, calendar_files.CalendarEvent items a program's
    calendar files carry besides its activities (the questionnaires' closing times).
    `lifecycle_facts`: name → `load(program, country_code)`, what that blueprint knows of the program's progress
    (lifecycle_facts.EvaluationFacts, lifecycle_facts.CertificateFacts), counted among the participants of
    `country_code` alone when it is given (a focal point's); the program's page passes them to `lifecycle.phases`
    by name.
    `agenda_item_moved`: `follow(item, actor_id)`, called in the transaction that saved new times for an agenda
    item (what is tied to the slot, such as a questionnaire's window, moves with it and records that it did).
    `person_history`: name → (column heading, `load(participant_ids)` → {participant id: text}), what the history of a
    person across programs shows of each of their registrations (tests' scores, certificate).
    `outcomes`: `load(program, participant_ids)` → {participant id: set of outcome names ("completed": meets the
    program's completion rule, "certified": holds a valid certificate)}, for indicators that count them across
    programs (the portfolio); the sets of every registration are joined.
    `program_copiers`: ProgramCopier items, the parts of a program another blueprint copies into a new one (after
    training's own parts, in this order, in the copy's transaction)."""

    demo_parts: list[Callable] = field(default_factory=list)
    privacy_sections: dict[str, object] = field(default_factory=dict)
    audit_objects: dict[str, object] = field(default_factory=dict)
    my_page_cards: dict[str, Callable] = field(default_factory=dict)
    questionnaire_notes: list[Callable] = field(default_factory=list)
    scheduled_work: dict[str, Callable] = field(default_factory=dict)
    job_kinds: dict[str, "JobKind"] = field(default_factory=dict)
    message_values: dict[str, Callable] = field(default_factory=dict)
    calendar_sources: dict[str, Callable] = field(default_factory=dict)
    lifecycle_facts: dict[str, Callable] = field(default_factory=dict)
    agenda_item_moved: list[Callable] = field(default_factory=list)
    outcomes: list[Callable] = field(default_factory=list)
    person_history: dict[str, tuple] = field(default_factory=dict)
    program_copiers: list["ProgramCopier"] = field(default_factory=list)


@dataclass(frozen=True)
class JobKind:
    """A kind of job the pages follow: the action one must be allowed to see it, what it says while it runs and
    once done (`running(job)`, `finished(job)`, translated texts), where its result is (`result_url(job)`, None
    while there is none) and, for work done for one country scope, whether the person asking may follow this one
    (`allowed(job)`)."""

    permission: str
    running: Callable
    finished: Callable
    result_url: Callable | None = None
    allowed: Callable | None = None


@dataclass(frozen=True)
class ProgramCopier:
    """A part of a program a copy may carry over: `option` (the form's value), `label` (what the box says) and
    `copy(plan)`, which adds the copies to the session (services_copy.CopyPlan: source, target, day shift, the new
    ids of the copied activities and agenda items)."""

    option: str
    label: object
    copy: Callable


def init_app(app):
    app.extensions[KEY] = Hooks()


def hooks(app):
    """The registrations of `app` (`current_app` while it handles a request or a command)."""
    return app.extensions[KEY]


def add_demo_part(app, load):
    hooks(app).demo_parts.append(load)


def add_job_kind(app, task_name, kind):
    hooks(app).job_kinds[task_name] = kind


def add_agenda_item_moved(app, follow):
    hooks(app).agenda_item_moved.append(follow)


def add_message_values(app, kind, values):
    hooks(app).message_values[kind] = values


def add_my_page_card(app, name, load):
    hooks(app).my_page_cards[name] = load


def add_questionnaire_notes(app, notes):
    hooks(app).questionnaire_notes.append(notes)


def add_calendar_source(app, name, load):
    hooks(app).calendar_sources[name] = load


def add_lifecycle_facts(app, name, load):
    hooks(app).lifecycle_facts[name] = load


def add_outcomes(app, load):
    hooks(app).outcomes.append(load)


def add_person_history(app, name, label, load):
    hooks(app).person_history[name] = (label, load)


def add_program_copier(app, option, label, copy):
    hooks(app).program_copiers.append(ProgramCopier(option, label, copy))
