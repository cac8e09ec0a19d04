"""Database work for certificates: settings, who qualifies, claiming and storing certificates, revoking (flush only)."""
import hashlib
import secrets
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, undefer

from assessments.models import Attempt, Questionnaire
from extensions import db
from training.models import Activity, Attendance, Participant, utcnow
from training.services import ServiceError, record
from training.services_activities import program_activities

from . import eligibility
from .models import Certificate, CertificateLogo, CertificateSettings, CertificateSignatory

CODE_BYTES = 24  # 192 random bits, 32 URL-safe characters


def settings_for(program):
    """The program's settings, or unsaved defaults when it has none yet."""
    return db.session.get(CertificateSettings, program.id) or CertificateSettings(
        program_id=program.id, required_activity_ids=None, excused_counts=False, pre_test_required=True,
        post_test_required=True,
        min_post_score=None, min_share=None, hours=None, place={}, issuer={}, language_mode="participant",
        last_serial=0)


# What a program without saved settings asks (settings_for's defaults), for the rules alone.
DEFAULT_RULE_SETTINGS = SimpleNamespace(required_activity_ids=None, excused_counts=False, pre_test_required=True,
                                        post_test_required=True, min_post_score=None, min_share=None)


def rule_settings(program_id):
    """The settings the rules read (rules_for), read-only: a plain row rather than an ORM object (a participant's
    page reads them on every request, and the ORM's bookkeeping cost more than the query); the defaults when the
    program has none yet."""
    return db.session.execute(_rule_settings_query(), {"program_id": program_id}).one_or_none() \
        or DEFAULT_RULE_SETTINGS


@cache
def _rule_settings_query():
    columns = CertificateSettings.__table__.c
    return select(columns.required_activity_ids, columns.excused_counts, columns.pre_test_required,
                  columns.post_test_required, columns.min_post_score, columns.min_share) \
        .where(columns.program_id == bindparam("program_id"))


def test_rules(program_id):
    """(pre-test required, post-test required, minimum post-test score) of the program's certificate, as
    rules_for says them, in one statement: the program's questionnaire kinds with its settings beside them."""
    rows = db.session.execute(_test_rules_query(), {"program_id": program_id}).all()
    kinds = {row.kind for row in rows}
    settings = rows[0] if rows and rows[0].program_id is not None else DEFAULT_RULE_SETTINGS
    return eligibility.questionnaire_rules(settings.pre_test_required, settings.post_test_required,
                                           settings.min_post_score, kinds)


@cache
def _test_rules_query():
    questionnaires, settings = Questionnaire.__table__, CertificateSettings.__table__
    return (select(questionnaires.c.kind, settings.c.program_id, settings.c.pre_test_required,
                   settings.c.post_test_required, settings.c.min_post_score)
            .select_from(questionnaires)
            .outerjoin(settings, settings.c.program_id == questionnaires.c.program_id)
            .where(questionnaires.c.program_id == bindparam("program_id")))


def save_settings(program, actor_id, **values):
    settings = settings_for(program)
    for name, value in values.items():
        setattr(settings, name, value)
    db.session.add(settings)
    db.session.flush()
    record(actor_id, "certificate_settings.saved", program)
    return settings


def rules_for(settings, activities, kinds):
    """The pure rules from the settings; with no list chosen, the activities marked required count. `kinds`: the
    program's questionnaires (a test it does not have is required of nobody)."""
    chosen = settings.required_activity_ids
    known = {activity.id for activity in activities}
    required = [i for i in chosen if i in known] if chosen is not None else [a.id for a in activities if a.required]
    pre, post, min_score = eligibility.questionnaire_rules(settings.pre_test_required, settings.post_test_required,
                                                           settings.min_post_score, kinds)
    return eligibility.Rules(required=tuple(required), excused_counts=settings.excused_counts,
                             pre_test_required=pre, post_test_required=post, min_post_score=min_score,
                             min_share=settings.min_share / 100 if settings.min_share else None)


def questionnaire_kinds(program):
    """The kinds of questionnaire the program has ('pre', 'post', …)."""
    return set(db.session.scalars(select(Questionnaire.kind).where(Questionnaire.program_id == program.id)))


def program_rules(program, activities):
    return rules_for(settings_for(program), activities, questionnaire_kinds(program))


def planned_minutes(activity):
    if activity.starts_at is None or activity.ends_at is None:
        return None
    return int((activity.ends_at - activity.starts_at).total_seconds() // 60)


def activity_end(activity):
    """When the activity is over: the latest of its end, its agenda items' ends and its due date (None if none)."""
    moments = [m for m in (activity.ends_at, activity.due_at, *(i.ends_at for i in activity.items)) if m is not None]
    return max(moments, default=None)


def pure_activities(activities):
    return [eligibility.Activity(a.id, a.kind, planned_minutes(a), activity_end(a)) for a in activities]


def issuing_opens(program, activities=None, rules=None):
    """(activity, moment) of the counted activity that ends last (the moment in UTC), or None when no counted
    activity has a known end. `rules`: the program's, when the caller has them already (for these activities)."""
    activities = program_activities(program) if activities is None else activities
    rules = program_rules(program, activities) if rules is None else rules
    found = eligibility.issuable_from(rules, pure_activities(activities))
    if found is None:
        return None
    by_id = {activity.id: activity for activity in activities}
    return by_id[found[0].id], found[1]


@dataclass
class Row:
    """One participant on the eligibility screen: the decision, their current (or last revoked) certificate, and
    the status: eligible, not_yet, issued or revoked. `conflict`: issued, but the rules are no longer met."""
    participant: Participant
    decision: eligibility.Decision
    certificate: Certificate | None
    status: str

    @property
    def conflict(self):
        return self.status == "issued" and not self.decision.eligible


def eligibility_rows(program, participant_query):
    """Every registered (not withdrawn) participant of the query, in name order, with their decision."""
    participants = db.session.scalars(participant_query.where(Participant.status != "withdrawn")
                                      .order_by(Participant.search_key)).all()
    return rows_for(program, participants)


def rows_for(program, participants, activities=None):
    activities = program_activities(program) if activities is None else activities
    rules = program_rules(program, activities)
    pure = pure_activities(activities)
    ids = [p.id for p in participants]
    records = _records(program, ids)
    certificates = _latest_certificates(program, ids)
    rows = []
    for person in participants:
        decision = eligibility.decide(rules, pure, records.get(person.id, eligibility.Record(marks={})))
        certificate = certificates.get(person.id)
        rows.append(Row(person, decision, certificate, _status(decision, certificate)))
    return rows


def participant_row(program, participant, activities):
    """`rows_for` one participant (their own page), in fewer queries: the program's questionnaires come with the
    participant's attempts at them. Returns (row, the program's rules)."""
    params = {"program_id": program.id, "participant_id": participant.id}
    kinds, tests, untaken = set(), {}, ("not_started", None)
    for row in db.session.execute(_own_tests_query(), params):
        kinds.add(row.kind)
        if row.status is not None:
            score = 100 * row.score / row.max_score if row.max_score and row.score is not None else None
            tests[row.kind] = (row.status, score)
    rules = rules_for(rule_settings(program.id), activities, kinds)
    marks = {row.activity_id: eligibility.Mark(row.status, row.minutes)
             for row in db.session.execute(_own_marks_query(), params)}
    record = eligibility.Record(marks=marks, pre_test=tests.get("pre", untaken)[0],
                                post_test=tests.get("post", untaken)[0], post_score=tests.get("post", untaken)[1])
    decision = eligibility.decide(rules, pure_activities(activities), record)
    certificates = (OwnCertificate(*row) for row in db.session.execute(_own_certificates_query(), params))
    certificate = _latest(certificates).get(participant.id)
    return Row(participant, decision, certificate, _status(decision, certificate)), rules


@dataclass(frozen=True)
class OwnCertificate:
    """A certificate as its holder's page shows it (`participant_row`): plain values, read on every visit."""
    id: int
    participant_id: int
    serial: str
    revoked_at: object

    @property
    def valid(self):
        return self.revoked_at is None


@cache
def _own_tests_query():
    """Each questionnaire kind of the program, with the participant's attempt at it when there is one (a program
    has one questionnaire of each kind). Statements built once: on a participant's page building them would cost
    about as much as running them."""
    return (select(Questionnaire.kind, Attempt.status, Attempt.score, Attempt.max_score)
            .outerjoin(Attempt, (Attempt.questionnaire_id == Questionnaire.id)
                       & (Attempt.participant_id == bindparam("participant_id")))
            .where(Questionnaire.program_id == bindparam("program_id")))


@cache
def _own_marks_query():
    return (select(Attendance.activity_id, Attendance.status, Attendance.minutes).join(Activity)
            .where(Activity.program_id == bindparam("program_id"),
                   Attendance.participant_id == bindparam("participant_id")))


@cache
def _own_certificates_query():
    certificates = Certificate.__table__.c
    return (select(certificates.id, certificates.participant_id, certificates.serial, certificates.revoked_at)
            .where(certificates.program_id == bindparam("program_id"),
                   certificates.participant_id == bindparam("participant_id"))
            .order_by(certificates.issued_at, certificates.id))


def _status(decision, certificate):
    if certificate is not None:
        return "issued" if certificate.valid else "revoked"
    return "eligible" if decision.eligible else "not_yet"


def _records(program, participant_ids):
    """participant id → what they did: attendance marks, the pre-test's status, and the post-test's status and
    score (percent)."""
    marks, tests = {}, {"pre": {}, "post": {}}
    if not participant_ids:
        return {}
    for chunk in _chunks(participant_ids):
        for row in db.session.execute(select(Attendance.participant_id, Attendance.activity_id, Attendance.status,
                                             Attendance.minutes).join(Activity)
                                      .where(Activity.program_id == program.id,
                                             Attendance.participant_id.in_(chunk))):
            marks.setdefault(row.participant_id, {})[row.activity_id] = eligibility.Mark(row.status, row.minutes)
        for row in db.session.execute(select(Attempt.participant_id, Questionnaire.kind, Attempt.status,
                                             Attempt.score, Attempt.max_score)
                                      .join(Questionnaire).where(Questionnaire.program_id == program.id,
                                                                 Questionnaire.kind.in_(("pre", "post")),
                                                                 Attempt.participant_id.in_(chunk))):
            score = 100 * row.score / row.max_score if row.max_score and row.score is not None else None
            tests[row.kind][row.participant_id] = (row.status, score)
    untaken = ("not_started", None)
    return {pid: eligibility.Record(marks=marks.get(pid, {}), pre_test=tests["pre"].get(pid, untaken)[0],
                                    post_test=tests["post"].get(pid, untaken)[0],
                                    post_score=tests["post"].get(pid, untaken)[1]) for pid in participant_ids}


def _chunks(ids, size=900):  # below SQLite's bound-parameter limit on older builds
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _latest_certificates(program, participant_ids):
    """participant id → their valid certificate, else their most recently revoked one."""
    latest = {}
    for chunk in _chunks(participant_ids):
        latest.update(_latest(db.session.scalars(select(Certificate).where(
            Certificate.program_id == program.id, Certificate.participant_id.in_(chunk))
            .order_by(Certificate.issued_at, Certificate.id))))
    return latest


def _latest(certificates):
    """participant id → the valid one of `certificates` (in issuing order), else the last revoked one."""
    latest = {}
    for certificate in certificates:
        current = latest.get(certificate.participant_id)
        if current is None or not current.valid:  # a valid one stays; a later one replaces a revoked one
            latest[certificate.participant_id] = certificate
    return latest


# --- issuing ---------------------------------------------------------------------------------------------


@dataclass
class Claim:
    """What an issue request did: certificates made now (their PDFs still to draw), those that existed already,
    and the participants refused (not eligible, revoked, withdrawn, erased)."""
    created: list
    existing: list
    refused: list


def claim_certificates(program, settings, participants, actor_id, describe, replacing=None, override_reason=""):
    """Create a certificate for each eligible participant who has no valid one (the existing one is returned
    otherwise). `describe(settings, person)` gives what a certificate states and its languages. Runs in one write
    transaction: the settings row is locked first, so concurrent issuers of a program
    queue, and the database's unique index holds the line even if they did not."""
    settings = _lock(settings)
    rows = rows_for(program, sorted(participants, key=lambda person: person.search_key))  # serials in name order
    created, existing, refused = [], [], []
    for row in rows:
        if row.status == "issued":
            existing.append(row.certificate)
        elif row.decision.eligible and row.participant.status != "withdrawn" \
                and row.participant.erased_at is None and (row.status != "revoked" or replacing is not None):
            created.append(row.participant)
        else:
            refused.append(row)
    certificates = []
    for person in created:
        settings.last_serial += 1
        facts, languages = describe(settings, person)
        certificates.append(Certificate(
            program_id=program.id, participant_id=person.id, serial_number=settings.last_serial,
            serial=f"{program.code}-{settings.last_serial:04d}", code=secrets.token_urlsafe(CODE_BYTES),
            languages=languages, facts=facts, issued_by=actor_id, issued_at=utcnow()))
    db.session.add_all(certificates)
    try:
        db.session.flush()
    except IntegrityError as error:  # another issuer got there first, despite the lock (should not happen)
        raise ServiceError("participants", "conflict") from error
    early = {"override_reason": override_reason} if override_reason else {}
    for certificate in certificates:
        record(actor_id, "certificate.issued", certificate, serial=certificate.serial,
               participant_id=certificate.participant_id, **early)
    return Claim(certificates, existing, refused)


def _lock(settings):
    """The settings row, created if needed and locked (PostgreSQL; SQLite's write transaction serializes already)."""
    if settings not in db.session:
        try:
            with db.session.begin_nested():
                db.session.add(settings)
        except IntegrityError:  # another issuer created it at the same moment
            settings = db.session.get(CertificateSettings, settings.program_id)
    db.session.execute(select(CertificateSettings.program_id)
                       .where(CertificateSettings.program_id == settings.program_id).with_for_update())
    db.session.refresh(settings)
    return settings


def store_pdfs(drawn):
    """Keep each drawn PDF and its SHA-256: `drawn` maps certificate id → PDF bytes. Only a certificate still
    without a PDF is written, so a late duplicate drawing never replaces the one already handed out."""
    for certificate_id, pdf in drawn.items():
        db.session.execute(update(Certificate).where(Certificate.id == certificate_id, Certificate.pdf.is_(None))
                           .values(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest()))


def revoke(certificate, actor_id, reason):
    """Revoke a valid certificate (a conditional update: two revocations make one)."""
    done = db.session.execute(update(Certificate).where(Certificate.id == certificate.id,
                                                        Certificate.revoked_at.is_(None))
                              .values(revoked_at=utcnow(), revoked_by=actor_id, revoked_reason=reason.strip()[:500]))
    if not done.rowcount:
        raise ServiceError("reason", "already_revoked")
    db.session.refresh(certificate)
    record(actor_id, "certificate.revoked", certificate, serial=certificate.serial, reason=reason.strip()[:500])


def link_replacement(old, new, actor_id, reason):
    old.replaced_by_id = new.id
    db.session.flush()
    record(actor_id, "certificate.reissued", new, serial=new.serial, replaces=old.serial, reason=reason.strip()[:500])


def waiting_for_pdf(program, limit=None, after=0):
    """Valid certificates whose PDF is not drawn yet, in serial order from the serial after `after`."""
    query = select(Certificate).where(Certificate.program_id == program.id, Certificate.revoked_at.is_(None),
                                      Certificate.pdf.is_(None), Certificate.serial_number > after
                                      ).order_by(Certificate.serial_number)
    return db.session.scalars(query.limit(limit) if limit else query).all()


def count_waiting(program, participant_query=None):
    """How many valid certificates (of the query's participants) still wait for their PDF."""
    query = select(func.count()).select_from(Certificate).where(
        Certificate.program_id == program.id, Certificate.revoked_at.is_(None), Certificate.pdf.is_(None))
    if participant_query is not None:
        query = query.where(Certificate.participant_id.in_(participant_query.with_only_columns(Participant.id)))
    return db.session.scalar(query)


def holder_ids(program):
    """Ids of the participants holding a valid certificate."""
    return set(db.session.scalars(select(Certificate.participant_id).where(
        Certificate.program_id == program.id, Certificate.revoked_at.is_(None))))


def certificate_by_code(code):
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def issued_certificates(program, participant_query):
    """Valid certificates of the participants the query allows, with their PDFs loaded (for the bulk download)."""
    return db.session.scalars(select(Certificate).where(
        Certificate.program_id == program.id, Certificate.revoked_at.is_(None),
        Certificate.participant_id.in_(participant_query.with_only_columns(Participant.id)))
        .options(undefer(Certificate.pdf), joinedload(Certificate.participant).joinedload(Participant.delegation))
        .order_by(Certificate.serial_number)).all()


def save_artwork(program, actor_id, signatories, logos):
    """Signatories: position → (name, titles, image) where image None keeps, b"" removes; an empty name removes
    the signatory. Logos: position → image bytes, b"" to remove, None to keep."""
    current = {s.position: s for s in db.session.scalars(select(CertificateSignatory).where(
        CertificateSignatory.program_id == program.id))}
    for position, (name, titles, image) in signatories.items():
        existing = current.get(position)
        if not name:
            if existing is not None:
                db.session.delete(existing)
            continue
        existing = existing or CertificateSignatory(program_id=program.id, position=position)
        existing.name, existing.title = name, titles
        if image is not None:
            existing.image = image or None
        db.session.add(existing)
    _save_logos(program, logos)
    db.session.flush()
    record(actor_id, "certificate_artwork.saved", program)


def _save_logos(program, logos):
    current = {logo.position: logo for logo in db.session.scalars(select(CertificateLogo).where(
        CertificateLogo.program_id == program.id))}
    for position, image in logos.items():
        if image is None:
            continue
        if image == b"":
            if position in current:
                db.session.delete(current[position])
            continue
        logo = current.get(position) or CertificateLogo(program_id=program.id, position=position)
        logo.image = image
        db.session.add(logo)
