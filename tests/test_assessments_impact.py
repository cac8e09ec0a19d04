"""The impact report on the demo program, through `flask --app app impact`."""
import json

from sqlalchemy import func, select

from assessments.models import Attempt, Questionnaire
from extensions import db
from training.models import Delegation, Participant, Program


def _submitted(kind, country=None):
    """Participant ids with a submitted attempt at the demo's `kind` test, counted straight from the tables."""
    query = (select(Attempt.participant_id).join(Questionnaire).join(Program)
             .join(Participant, Participant.id == Attempt.participant_id).join(Delegation)
             .where(Program.code == "CRM-CE-2021", Questionnaire.kind == kind, Attempt.status == "submitted",
                    Participant.status != "withdrawn"))
    if country:
        query = query.where(Delegation.country_code == country)
    return set(db.session.scalars(query))


def test_impact_json_of_the_demo_matches_the_tables(app, tmp_path):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    output = tmp_path / "impact.json"
    result = runner.invoke(args=["impact", "--program", "CRM-CE-2021", "--output", str(output)])
    assert result.exit_code == 0, result.output
    figures = json.loads(output.read_text(encoding="utf-8"))
    with app.app_context():
        pre, post = _submitted("pre"), _submitted("post")
        active = db.session.scalar(select(func.count()).select_from(Participant).join(Program).where(
            Program.code == "CRM-CE-2021", Participant.status != "withdrawn"))
        mexico = _submitted("pre", "MX") & _submitted("post", "MX")
    assert figures["program"] == "CRM-CE-2021"
    assert figures["participation"]["registered"] == active
    assert (figures["participation"]["pre"], figures["participation"]["post"]) == (len(pre), len(post))
    assert figures["knowledge"]["n_pairs"] == len(pre & post) > 30
    assert figures["knowledge"]["mean_post"] > figures["knowledge"]["mean_pre"]  # the demo's participants learned
    assert figures["knowledge_keys"] == [f"K{n:02d}" for n in range(1, 11)] and figures["max_score"] == 10
    assert len(figures["items"]) == 10 and len(figures["paired"]) == len(pre & post)
    mx = runner.invoke(args=["impact", "--program", "CRM-CE-2021", "--country", "mx"])
    assert mx.exit_code == 0
    assert json.loads(mx.output)["knowledge"]["n_pairs"] == len(mexico)


def test_impact_of_an_unknown_program_fails_with_one_line(app):
    result = app.test_cli_runner().invoke(args=["impact", "--program", "NOPE"])
    assert result.exit_code == 1 and "no program with code 'NOPE'" in result.output
