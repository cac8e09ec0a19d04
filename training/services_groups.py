"""Group work: generate groups by a strategy, move people, name rapporteurs, record conclusions."""
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from extensions import db

from .attendance.rules import ATTENDED
from .grouping import Person as GroupingPerson
from .grouping import balanced_groups, country_clusters
from .localized import compact
from .models import AgendaItem, Attendance, Delegation, Participant
from .models_groups import Group, GroupMember, GroupWork
from .services import ServiceError, record

MEMBERS_LOADED = selectinload(Group.members).selectinload(GroupMember.participant) \
    .selectinload(Participant.delegation)  # group pages list every member with their delegation


def group_work_of(item):
    return db.session.scalar(select(GroupWork).where(GroupWork.agenda_item_id == item.id)
                             .options(selectinload(GroupWork.groups).options(MEMBERS_LOADED)))


def people_for(activity, only_present):
    """Who takes part: everyone registered, or only those with an attending mark for the session."""
    query = (select(Participant, Delegation).join(Participant.delegation)
             .where(Participant.program_id == activity.program_id, Participant.status != "withdrawn"))
    if only_present:
        query = query.join(Attendance, (Attendance.participant_id == Participant.id)
                           & (Attendance.activity_id == activity.id)).where(Attendance.status.in_(ATTENDED))
    return [GroupingPerson(p.id, d.country_code or f"org:{d.organization}", p.gender)
            for p, d in db.session.execute(query.order_by(Participant.id))]


def generate(item, actor_id, *, strategy, specs, seed, only_present, questions):
    """Create (or replace, with every earlier move and rapporteur) the groups of an agenda item.
    `specs` is one dict per group: names and perspective ({language: text}), countries (clusters strategy)."""
    people = people_for(item.activity, only_present)
    if not specs:
        raise ServiceError("groups", _l("Describe at least one group."))
    if strategy == "clusters":
        assignment = country_clusters(people, [spec["countries"] for spec in specs])
    else:
        assignment = balanced_groups(people, len(specs), seed=seed)
    work = group_work_of(item) or GroupWork(agenda_item_id=item.id)
    work.strategy, work.seed, work.only_present, work.questions, work.updated_by = \
        strategy, seed, only_present, questions, actor_id
    work.groups.clear()
    db.session.add(work)
    _flush_or_conflict("strategy")  # the old groups (and their members, by cascade) go before the new ones
    for position, (spec, member_ids) in enumerate(zip(specs, assignment, strict=True), start=1):
        group = Group(position=position, names=compact(spec["names"]), perspective=compact(spec.get("perspective")),
                      countries=spec.get("countries", []))
        group.members = [GroupMember(participant_id=pid) for pid in member_ids]
        work.groups.append(group)
    _flush_or_conflict("strategy")
    record(actor_id, "groups.generated", work, strategy=strategy, seed=seed, groups=len(specs), people=len(people))
    return work


def move(work, moves, actor_id):
    """`moves` maps participant id → group id (or None: out of every group); people not yet in a group join."""
    groups = {group.id for group in work.groups}
    current = {m.participant_id: m for m in db.session.scalars(select(GroupMember)
                                                               .where(GroupMember.group_work_id == work.id))}
    changed = 0
    for participant_id, group_id in moves.items():
        member = current.get(participant_id)
        if group_id is not None and group_id not in groups:
            raise ServiceError("groups", _l("That group is not part of this group work."))
        if member is not None and group_id is None:
            db.session.delete(member)
        elif member is not None and member.group_id != group_id:
            member.group_id, member.is_rapporteur = group_id, False  # a rapporteur speaks for their old group
        elif member is None and group_id is not None:
            db.session.add(GroupMember(group_work_id=work.id, group_id=group_id, participant_id=participant_id))
        else:
            continue
        changed += 1
    db.session.flush()
    if changed:
        record(actor_id, "groups.moved", work, count=changed)
    return changed


def save_group(group, actor_id, *, names, perspective, rapporteur_id, conclusions):
    """A group's names and perspective ({language: text}), rapporteur and conclusions."""
    members = {member.participant_id: member for member in group.members}
    if rapporteur_id is not None and rapporteur_id not in members:
        raise ServiceError("rapporteur_id", _l("The rapporteur must be a member of the group."))
    group.names = compact(names) or group.names
    group.perspective, group.conclusions = compact(perspective), conclusions
    db.session.execute(update(GroupMember).where(GroupMember.group_id == group.id, GroupMember.is_rapporteur)
                       .values(is_rapporteur=False))
    db.session.flush()  # the old rapporteur steps down before the new one (one per group, in the database)
    if rapporteur_id is not None:
        members[rapporteur_id].is_rapporteur = True
    _flush_or_conflict("rapporteur_id")
    db.session.expire(group, ["members"])
    record(actor_id, "groups.group_saved", group, rapporteur=rapporteur_id)



def _flush_or_conflict(field):
    """Two people changing the same groups at once: the database refuses the second; say so, next to `field`."""
    try:
        db.session.flush()
    except IntegrityError as error:
        raise ServiceError(field, _l("Someone changed these groups at the same moment. Look again and retry.")) \
            from error


def groups_of_participant(participant):
    """(group work, group) pairs the participant belongs to, in agenda order."""
    rows = db.session.execute(_groups_of_participant_query(), {"participant_id": participant.id})
    return [(work, group) for work, group in rows]


@cache
def _groups_of_participant_query():
    """Built once: the participant's page runs it on every visit."""
    return (select(GroupWork, Group).join(GroupMember, GroupMember.group_work_id == GroupWork.id)
            .join(Group, Group.id == GroupMember.group_id).join(GroupWork.agenda_item)
            .where(GroupMember.participant_id == bindparam("participant_id")).order_by(AgendaItem.starts_at)
            .options(MEMBERS_LOADED))
