"""Copy a program into a new one at new dates: the parts chosen (activities and agendas, message texts,
delegations, and what later blueprints add through hooks.add_program_copier); never its people or what they did."""
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from extensions import db

from .hooks import ProgramCopier, hooks
from .models import Activity, AgendaItem, Delegation, MessageTemplate, Program
from .models_grants import ProgramRole
from .models_groups import Group, GroupWork
from .services import LOCALIZED_PROGRAM_FIELDS, grant_role, record, save_program
from .services_activities import program_activities
from .shifting import day_shift, first_day, shift_date, shift_moment


@dataclass
class CopyPlan:
    """What each part's copier needs: both programs, the shift in days, and the ids of what was already copied
    (source id → copy's id), so a questionnaire keeps its agenda slot and the certificate rule its activities."""

    source: Program
    target: Program
    days: int
    actor_id: int
    activity_ids: dict[int, int] = field(default_factory=dict)
    agenda_item_ids: dict[int, int] = field(default_factory=dict)

    def moved(self, moment):
        return shift_moment(moment, self.days, self.target.timezone)


def copy_parts():
    """Every part a copy may carry over, training's first, then the later blueprints' (the form's boxes)."""
    return [*TRAINING_PARTS, *hooks(current_app).program_copiers]


def copy_program(source, actor_id, *, code, start_date: date, title, options):
    """A new program `code` starting on `start_date` (its end moved alike), titled `title` ({language: text}), with
    the source's other texts, zone and languages and the parts named in `options`."""
    days = day_shift(source.start_date or _first_day(source), start_date)
    end_date = shift_date(source.end_date, days) if source.start_date else None
    texts = {name: deepcopy(getattr(source, name)) for name in LOCALIZED_PROGRAM_FIELDS if name != "title"}
    target = save_program(None, actor_id, code=code, start_date=start_date, end_date=end_date,
                          timezone=source.timezone, languages=list(source.languages), title=title, **texts)
    plan = CopyPlan(source, target, days, actor_id)
    chosen = [part for part in copy_parts() if part.option in options]
    for part in chosen:
        part.copy(plan)
        db.session.flush()
    record(actor_id, "program.copied", target, source=source.code, source_id=source.id, days=days,
           parts=[part.option for part in chosen])
    return target


def _first_day(source):
    """A program without a start date is measured from its first activity (its local day)."""
    moments = db.session.execute(select(Activity.starts_at, Activity.due_at)
                                 .where(Activity.program_id == source.id)).all()
    return first_day([moment for row in moments for moment in row], source.timezone)


def _copy_activities(plan):
    for activity in program_activities(plan.source):
        copy = Activity(program_id=plan.target.id, code=activity.code, kind=activity.kind, required=activity.required,
                        title=deepcopy(activity.title), description=deepcopy(activity.description),
                        starts_at=plan.moved(activity.starts_at), ends_at=plan.moved(activity.ends_at),
                        due_at=plan.moved(activity.due_at), link=activity.link, location=activity.location,
                        absent_notice_hours=activity.absent_notice_hours)  # last year's recording stays behind
        copy.items = [AgendaItem(starts_at=plan.moved(item.starts_at), ends_at=plan.moved(item.ends_at),
                                 kind=item.kind, title=deepcopy(item.title), facilitators=item.facilitators,
                                 speakers=item.speakers, notes=item.notes, parallel=item.parallel)
                      for item in activity.items]
        db.session.add(copy)
        db.session.flush()
        plan.activity_ids[activity.id] = copy.id
        plan.agenda_item_ids.update(zip((i.id for i in activity.items), (i.id for i in copy.items), strict=True))
    _copy_group_works(plan)


def _copy_group_works(plan):
    """The exercises and their groups as planned (names, perspectives, countries), without their members: the new
    program's people are formed into them when it runs."""
    works = db.session.scalars(select(GroupWork).where(GroupWork.agenda_item_id.in_(plan.agenda_item_ids))
                               .options(selectinload(GroupWork.groups))).all()
    for work in works:
        copy = GroupWork(agenda_item_id=plan.agenda_item_ids[work.agenda_item_id], strategy=work.strategy,
                         seed=work.seed, only_present=work.only_present, questions=deepcopy(work.questions),
                         updated_by=plan.actor_id)
        copy.groups = [Group(position=g.position, names=deepcopy(g.names),
                             perspective=deepcopy(g.perspective),
                             countries=list(g.countries)) for g in work.groups]
        db.session.add(copy)


def _copy_messages(plan):
    for template in db.session.scalars(select(MessageTemplate).where(MessageTemplate.program_id == plan.source.id)):
        db.session.add(MessageTemplate(program_id=plan.target.id, kind=template.kind, language=template.language,
                                       subject=template.subject, body=template.body))


def _copy_delegations(plan):
    """Countries and organizations with their quotas and focal points' contacts; each list starts over (invited)."""
    for d in plan.source.delegations:
        db.session.add(Delegation(program_id=plan.target.id, kind=d.kind, country_code=d.country_code,
                                  organization=d.organization, quota=d.quota,
                                  focal_point_name=d.focal_point_name, focal_point_email=d.focal_point_email,
                                  focal_point_phone=d.focal_point_phone))


def _copy_grants(plan):
    """The roles held in the source (focal points of their country, organizers, facilitators) given in the copy too,
    each audited; a grant for every program (the secretariat's) reaches the copy already."""
    grants = db.session.scalars(select(ProgramRole).where(ProgramRole.program_id == plan.source.id)
                                .order_by(ProgramRole.id)).all()
    for grant in grants:
        grant_role(grant.user, plan.actor_id, program=plan.target, role=grant.role, country_code=grant.country_code)


TRAINING_PARTS = (
    ProgramCopier("activities", _l("Activities and their agendas, at the new dates (and group work exercises)"),
                  _copy_activities),
    ProgramCopier("messages", _l("Message texts"), _copy_messages),
    ProgramCopier("delegations", _l("Delegations, with their quotas and focal points' contacts"), _copy_delegations),
    ProgramCopier("grants", _l("Staff roles in this program (focal points, organizers, facilitators)"),
                  _copy_grants),
)
