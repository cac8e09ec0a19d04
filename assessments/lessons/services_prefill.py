"""What the platform already knows about a program, written into a new lesson's fields in each of its languages:
who took part (by delegation and profile), where (the delegations' countries), the program's goals; and the impact
summary's findings, in the reader's language, for the author to cite."""
from flask_babel import force_locale, ngettext
from sqlalchemy import func, select

from extensions import db
from training.access import program_country_scope
from training.countries import country_name
from training.labels import PROFILE_LABELS, delegation_label
from training.models import Delegation, Participant

from ..models_lessons import Lesson


def prefilled_lesson(program):
    """An unsaved lesson holding the program's beneficiaries, territory, countries and goals per language."""
    codes = sorted({d.country_code for d in program.delegations if d.country_code})
    counts = _people_counts(program)
    lesson = Lesson(program_id=program.id, kind="positive", countries=codes, code="")
    lesson.beneficiaries, lesson.territory, lesson.goals = {}, {}, {}
    for language in program.offered_languages:
        with force_locale(language):
            lesson.beneficiaries[language] = beneficiaries_text(counts, language)
        if codes:
            lesson.territory[language] = ", ".join(sorted(country_name(code, language) for code in codes))
        goals = "\n".join(text for text in ((program.general_objective or {}).get(language),
                                             (program.specific_objectives or {}).get(language)) if text)
        if goals:
            lesson.goals[language] = goals
    lesson.beneficiaries = {code: text for code, text in lesson.beneficiaries.items() if text}
    return lesson


def _people_counts(program):
    """{delegation: {profile: number}} of the program's participants who did not withdraw and were not erased."""
    rows = db.session.execute(
        select(Participant.delegation_id, Participant.profile, func.count())
        .where(Participant.program_id == program.id, Participant.status != "withdrawn",
               Participant.erased_at.is_(None))
        .group_by(Participant.delegation_id, Participant.profile)).all()
    delegations = {d.id: d for d in db.session.scalars(select(Delegation).where(Delegation.program_id == program.id))}
    counts = {}
    for delegation_id, profile, number in rows:
        counts.setdefault(delegations[delegation_id], {})[profile or "not_recorded"] = number
    return counts


def beneficiaries_text(counts, language):
    """'5 participants. Mexico: 3 (Employment counselor: 2, Labor inspector: 1). Guatemala: …' (current locale)."""
    if not counts:
        return ""
    total = sum(sum(profiles.values()) for profiles in counts.values())
    parts = [ngettext("%(num)d participant.", "%(num)d participants.", total)]
    named = sorted(counts.items(), key=lambda pair: delegation_label(pair[0], language) or "")
    for delegation, profiles in named:
        detail = ", ".join(f"{PROFILE_LABELS.get(profile, profile)}: {number}"
                           for profile, number in sorted(profiles.items(), key=lambda pair: (-pair[1], pair[0])))
        parts.append(f"{delegation_label(delegation, language)}: {sum(profiles.values())} ({detail}).")
    return " ".join(parts)


def evidence_lines(program, language):
    """The impact summary's findings for the reader (their country's, for a focal point): [(heading, sentence)]."""
    from ..impact.services import kept_report
    from ..impact.services_files import data_fingerprint
    from ..impact.summary_texts import summary_lines

    report = kept_report(program, program_country_scope(program), {}, data_fingerprint(program))
    return [(line.heading, line.sentence) for line in summary_lines(report, language, program.default_language)]
