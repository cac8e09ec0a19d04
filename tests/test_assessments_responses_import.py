"""Answers collected in Google Forms, KoboToolbox or Moodle: reading the exports (pure), upload → columns and
preview → confirm through the web, and `import-responses`."""
import io

import openpyxl
import pytest
from sqlalchemy import func, select

from assessments.models import Answer, Attempt, Questionnaire, ResponseImport
from assessments.responses_import import (
    EMAIL,
    IGNORE,
    Person,
    QuestionInfo,
    guess_mapping,
    match_rows,
    plan_responses,
)
from assessments.services import save_answer, start_attempt, submit_attempt
from assessments.services_builder import import_plain
from extensions import db
from tests.answer_files import (
    GOOGLE_EN,
    GOOGLE_ES,
    HOSTILE,
    KOBO,
    MOODLE,
    PLAIN,
    QUESTION_TEXTS_EN,
    QUESTION_TEXTS_ES,
    csv_line,
)
from tests.conftest import csrf_from, login, post_form
from tests.helpers import enter, link_for
from tests.helpers import upload_answers as upload
from training.models import AuditEvent, Participant, Program
from training.tabular import read_table


def _infos():
    """The PLAIN questions as the pure module receives them (ids 1…5)."""
    questions = [q for s in PLAIN["sections"] for q in s["questions"]]
    return [QuestionInfo(i, q["type"], q["text"], tuple(q["options"]), q["scale_labels"], q["item_key"])
            for i, q in enumerate(questions, start=1)]


def _plan(data, filename="export.csv", mapping=None):
    table = read_table(data if isinstance(data, bytes) else data.encode("utf-8"), filename)
    questions = _infos()
    return plan_responses(table, questions, mapping or guess_mapping(table.headers, table.rows, questions))


def _problems(plan):
    return [(p.row, p.column, p.code) for p in plan.problems]


# --- reading exports (pure) ---------------------------------------------------------------------------------

def test_google_forms_in_spanish_maps_every_question_and_reads_labels():
    plan = _plan(GOOGLE_ES)
    assert plan.mapping == {0: IGNORE, 1: EMAIL, 2: IGNORE, 3: 1, 4: 2, 5: 3, 6: 4, 7: 5}
    assert plan.clean and plan.unmapped_questions == []
    first, second, third = plan.rows
    assert (first.number, first.key) == (2, "jose.nunez@example.mx")
    assert first.answers == {1: "a", 2: ["a", "b"], 3: "true", 4: "5", 5: HOSTILE}
    assert (second.key, second.answers) == ("fatima.gomez@example.mx", {1: "b", 2: ["b"], 3: "false", 4: "2",
                                                                        5: "Más herramientas"})
    assert third.answers == {1: "c", 2: ["c"], 3: "false", 4: "3"}


def test_google_forms_in_english():
    plan = _plan(GOOGLE_EN)
    assert plan.mapping == {0: IGNORE, 1: EMAIL, 2: IGNORE, 3: 1, 4: 2, 5: 3, 6: 4, 7: 5}
    assert plan.rows[0].answers == {1: "a", 2: ["a", "b"], 3: "true", 4: "5", 5: "Tools"}


def test_kobotoolbox_names_and_space_separated_choices():
    plan = _plan(KOBO)
    assert plan.mapping[3] == EMAIL and [plan.mapping[i] for i in (4, 5, 6, 7)] == [1, 2, 3, 4]
    assert plan.mapping[8] == IGNORE and plan.unmapped_questions == [5]  # a name the test does not have
    assert plan.clean and plan.rows[0].answers == {1: "a", 2: ["a", "b"], 3: "true", 4: "4"}


def test_moodle_responses_by_order_with_grades_ignored_and_dashes_blank():
    plan = _plan(MOODLE)
    assert plan.mapping[2] == EMAIL and plan.mapping[8] == IGNORE  # "Q. 1 /2.00" is a mark, not an answer
    assert [plan.mapping[i] for i in range(9, 14)] == [1, 2, 3, 4, 5]
    assert plan.clean and plan.rows[0].answers == {1: "a", 2: ["a", "b"], 3: "true"}


def test_excel_csv_in_windows_1252_with_semicolons():
    data = ("Correo;" + ";".join(QUESTION_TEXTS_ES[:4]) + "\r\n"
            "JOSE.NUNEZ@example.mx;EMITIR PASAPORTES;Licencias de conducir;Sí;Totalmente en desacuerdo\r\n"
            "ixchel.tzul@example.gt;Vincular oferta y demanda de empleo;Bolsa de trabajo;No;4 - De acuerdo\r\n"
            ).encode("cp1252")
    plan = _plan(data)
    assert plan.clean and plan.unmapped_questions == [5]
    assert [row.answers for row in plan.rows] == [{1: "c", 2: ["c"], 3: "true", 4: "1"},
                                                 {1: "a", 2: ["b"], 3: "false", 4: "4"}]


def test_xlsx_with_numbers_and_booleans_as_excel_stores_them():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["E-mail", *QUESTION_TEXTS_EN])
    sheet.append(["oscar.cojti@example.gt", "Collecting taxes", "Job board;Driving licences", False, 4, "Más"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = _plan(buffer.getvalue(), "respuestas.xlsx")
    assert plan.clean
    assert plan.rows[0].answers == {1: "b", 2: ["b", "c"], 3: "false", 4: "4", 5: "Más"}


def test_every_bad_cell_is_named_by_row_and_column():
    data = (csv_line(["Email Address", *QUESTION_TEXTS_EN])
            + csv_line(["jose.nunez@example.mx", "Maybe", "Job board, Other: a bakery", "Perhaps", "7", "x" * 6000])
            + csv_line(["", "Collecting taxes", "", "", "", ""])
            + csv_line(["not an e-mail", "Collecting taxes", "", "", "", ""])
            + csv_line(["JOSE.NUNEZ@example.mx", "Collecting taxes", "", "", "", ""]))
    plan = _plan(data)
    texts = QUESTION_TEXTS_EN
    assert _problems(plan) == [
        (2, texts[0], "unknown_option"), (2, texts[1], "unknown_option"), (2, texts[2], "unknown_option"),
        (2, texts[3], "out_of_range"), (2, texts[4], "too_long"),
        (3, "Email Address", "missing_email"), (4, "Email Address", "invalid_email"),
        (5, "Email Address", "duplicate_email")]
    assert plan.problems[-1].details["first"] == 2 and plan.problems[3].details == {"value": "7", "low": 1, "high": 5}
    assert len(plan.problems[4].details["value"]) == 80  # a long answer is quoted cut


def test_mapping_problems_concern_the_whole_file():
    plan = _plan(GOOGLE_ES, mapping={0: IGNORE, 1: IGNORE, 3: 1, 4: 1})
    assert _problems(plan) == [(None, "", "no_email_column"),
                               (None, QUESTION_TEXTS_ES[1], "question_twice")]
    plan = _plan(GOOGLE_ES, mapping={1: EMAIL, 2: EMAIL})
    assert _problems(plan) == [(None, "Puntuación", "two_email_columns"), (None, "", "no_question_columns")]


@pytest.mark.parametrize("cell, expected", [
    ("Orientación, asesoría y acompañamiento", ["a"]),
    ("orientacion, asesoria y acompanamiento, bolsa de trabajo", ["a", "b"]),
    ("Job board; Guidance, counseling and support", ["a", "b"]),  # stored in the options' order
    ("b c", ["b", "c"]),
    ("a,c", ["a", "c"]),
])
def test_multiple_choice_cells(cell, expected):
    plan = _plan(csv_line(["Email", QUESTION_TEXTS_ES[1]]) + csv_line(["ana@example.org", cell]))
    assert plan.clean and plan.rows[0].answers == {2: expected}


@pytest.mark.parametrize("column, cell, expected", [
    (2, "V", "true"), (2, "f", "false"), (2, "SÍ", "true"), (2, "no", "false"), (2, "True", "true"),
    (3, "5", "5"), (3, "1.0", "1"), (3, "strongly disagree", "1"), (3, "Totalmente de acuerdo", "5"),
])
def test_true_false_and_likert_cells(column, cell, expected):
    plan = _plan(csv_line(["Email", QUESTION_TEXTS_ES[column]]) + csv_line(["ana@example.org", cell]))
    assert plan.clean and plan.rows[0].answers == {column + 1: expected}


def test_a_scale_takes_0_to_10_and_refuses_the_rest():
    questions = [QuestionInfo(9, "scale", {"es": "¿Recomendaría el curso?"}, scale_labels={"es": ["Nunca", "Sí"]})]
    table = read_table("Correo,¿Recomendaría el curso?\na@x.org,0\nb@x.org,10\nc@x.org,11\nd@x.org,4.5\n"
                       "e@x.org,Nunca\n".encode())
    plan = plan_responses(table, questions, guess_mapping(table.headers, table.rows, questions))
    assert [row.answers for row in plan.rows] == [{9: "0"}, {9: "10"}, {}, {}, {9: "0"}]
    assert _problems(plan) == [(4, "¿Recomendaría el curso?", "out_of_range"),
                               (5, "¿Recomendaría el curso?", "out_of_range")]


def test_french_and_portuguese_exports_match_questions_options_and_yes_no_in_their_language():
    """A Google Form in French and a KoboToolbox export in Portuguese of a fr/pt questionnaire (options named by
    their labels, true/false by the words of each language, Moodle's "Réponse N")."""
    questions = [
        QuestionInfo(1, "single_choice", {"fr": "Qui paie le recrutement ?", "pt": "Quem paga o recrutamento?"},
                     ({"key": "a", "fr": "Le travailleur", "pt": "O trabalhador"},
                      {"key": "b", "fr": "L'employeur", "pt": "O empregador"})),
        QuestionInfo(2, "true_false", {"fr": "L'OIT publie des principes.", "pt": "A OIT publica princípios."}),
        QuestionInfo(3, "multiple_choice", {"fr": "Choisissez", "pt": "Escolha"},
                     ({"key": "x", "fr": "Conseil", "pt": "Aconselhamento"}, {"key": "y", "fr": "Bourse d'emploi"})),
    ]
    french = read_table("Horodateur,Adresse e-mail,Qui paie le recrutement ?,L'OIT publie des principes.,Choisissez\n"
                        "1,ana@x.org,L'employeur,Vrai,\"Conseil, Bourse d'emploi\"\nb,ben@x.org,le travailleur,"
                        "Faux,Conseil\n".encode())
    plan = plan_responses(french, questions, guess_mapping(french.headers, french.rows, questions))
    assert plan.mapping == {0: IGNORE, 1: EMAIL, 2: 1, 3: 2, 4: 3} and plan.clean
    assert [row.answers for row in plan.rows] == [{1: "b", 2: "true", 3: ["x", "y"]}, {1: "a", 2: "false", 3: ["x"]}]
    portuguese = read_table("Endereço de e-mail;Quem paga o recrutamento?;A OIT publica princípios.;Escolha\n"
                            "ana@x.org;O empregador;Sim;Aconselhamento\nben@x.org;o trabalhador;Não;y\n".encode())
    plan = plan_responses(portuguese, questions, guess_mapping(portuguese.headers, portuguese.rows, questions))
    assert plan.mapping == {0: EMAIL, 1: 1, 2: 2, 3: 3} and plan.clean
    assert [row.answers for row in plan.rows] == [{1: "b", 2: "true", 3: ["x"]}, {1: "a", 2: "false", 3: ["y"]}]
    moodle = read_table("Courriel,Réponse 1,Réponse 2\nana@x.org,Le travailleur,Oui\n".encode())
    plan = plan_responses(moodle, questions, guess_mapping(moodle.headers, moodle.rows, questions))
    assert plan.mapping == {0: EMAIL, 1: 1, 2: 2} and plan.rows[0].answers == {1: "a", 2: "true"}


def test_an_email_column_nobody_titled_is_found_by_its_content():
    table = read_table(b"q0_contacto,k1\nana@example.org,b\nluis@example.org,a\n")
    assert guess_mapping(table.headers, table.rows, _infos()) == {0: EMAIL, 1: 1}


def test_rows_are_matched_to_participants_by_email():
    data = (csv_line(["Email", QUESTION_TEXTS_ES[0]]) + "".join(
        csv_line([email, "Recaudar impuestos" if email != "vacio@x.org" else ""])
        for email in ("nuevo@x.org", "empezado@x.org", "hecho@x.org", "retirado@x.org", "nadie@x.org",
                      "vacio@x.org")) + csv_line(["malo@x.org", "Quizás"]))
    people = {"nuevo@x.org": Person(1), "empezado@x.org": Person(2, attempt="in_progress"),
              "hecho@x.org": Person(3, attempt="submitted"), "retirado@x.org": Person(4, withdrawn=True),
              "vacio@x.org": Person(5), "malo@x.org": Person(6)}
    plan = match_rows(_plan(data), people)
    assert [(row.number, row.outcome, row.participant_id) for row in plan.rows] == [
        (2, "import", 1), (3, "resume", 2), (4, "answered", 3), (5, "withdrawn", 4), (6, "unmatched", None),
        (7, "empty", 5), (8, "error", 6)]
    summary = plan.summary()
    assert (summary["to_import"], summary["answered"], summary["unmatched"], summary["errors"]) == (2, 1, 1, 1)
    assert summary["unmatched_rows"] == [[6, "nadie@x.org"]]


# --- through the web ----------------------------------------------------------------------------------------

@pytest.fixture
def pre_test(app, world):
    with app.app_context():
        questionnaire = import_plain(db.session.get(Program, world["ids"]["program"]), None, PLAIN)
        db.session.commit()
        return {"id": questionnaire.id, "questions": [q.id for s in questionnaire.sections for q in s.questions]}


def _english(client):
    """Messages in English (the msgids), so assertions do not depend on the Spanish catalog."""
    with client.session_transaction() as session:
        session["language"] = "en"


def attempts(app, questionnaire_id):
    with app.app_context():
        rows = db.session.scalars(select(Attempt).where(Attempt.questionnaire_id == questionnaire_id))
        return {a.participant_id: (a.status, a.finalized_by, a.score, a.max_score) for a in rows}


def answers_of(app, questionnaire_id, participant_id):
    with app.app_context():
        rows = db.session.execute(select(Answer.question_id, Answer.value).join(Attempt).where(
            Attempt.questionnaire_id == questionnaire_id, Attempt.participant_id == participant_id))
        return dict(rows.all())


def imported_events(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "responses.imported"))


def test_upload_preview_confirm_imports_scored_attempts(app, client, world, pre_test):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    _english(client)
    response = upload(client, pre_test["id"], GOOGLE_ES)
    assert response.status_code == 302
    location = response.headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert attempts(app, pre_test["id"]) == {}
    assert '<tr data-row="2" data-outcome="import">' in html and '<tr data-row="3" data-outcome="import">' in html
    assert '<tr data-row="4" data-outcome="unmatched">' in html and "visitante@example.org" in html
    assert "Import the answers of 2 participants" in html and 'value="confirm"' in html
    assert HOSTILE not in html and "&lt;script&gt;alert(" in html  # the first value of the comments column
    response = post_form(client, location, {"action": "confirm"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/questionnaires/{pre_test['id']}")
    assert "Answers imported: 2 participants; 0 already answered (skipped), 1 rows not matched." in \
        client.get(response.headers["Location"]).get_data(as_text=True)
    assert attempts(app, pre_test["id"]) == {ids["mx1"]: ("submitted", "import", 5.0, 5.0),
                                             ids["mx2"]: ("submitted", "import", 0.0, 5.0)}
    first, *_rest, comments = pre_test["questions"]
    assert answers_of(app, pre_test["id"], ids["mx1"])[comments] == HOSTILE  # stored as written
    assert answers_of(app, pre_test["id"], ids["mx2"])[first] == "b"
    # A second confirmation (double click, second tab) imports nothing more.
    again = post_form(client, location, {"action": "confirm"})
    assert again.status_code == 302 and imported_events(app) == 1
    page = client.get(location).get_data(as_text=True)
    assert "These answers were already imported." in page and 'value="confirm"' not in page


def test_a_bad_cell_blocks_everything_and_is_named(app, client, world, pre_test):
    login(client, world["emails"]["admin"])
    _english(client)
    bad = GOOGLE_ES.replace("recaudar impuestos", "Quizás")
    location = upload(client, pre_test["id"], bad).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert (f"Row 3, column “{QUESTION_TEXTS_ES[0]}”: “Quizás” is not one of the question&#39;s options."
            in html)
    assert "1 problem to fix. Nothing was imported." in html
    assert 'value="confirm" class="button" disabled' in html
    forced = post_form(client, location, {"action": "confirm"})
    assert forced.status_code == 200 and "Nothing was imported: the file has problems to fix." in \
        forced.get_data(as_text=True)
    assert attempts(app, pre_test["id"]) == {} and imported_events(app) == 0
    with app.app_context():
        assert db.session.get(ResponseImport, int(location.rsplit("/", 1)[1])).status == "previewed"


def test_columns_are_chosen_by_hand_and_a_changed_choice_is_previewed_first(app, client, world, pre_test):
    ids = world["ids"]
    login(client, world["emails"]["organizer"])
    _english(client)
    data = "Contacto,Pregunta 1,Pregunta 3\nixchel.tzul@example.gt,Vincular oferta y demanda de empleo,V\n"
    location = upload(client, pre_test["id"], data).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert "No column is read as a question" in html and 'value="confirm" class="button" disabled' in html
    first, _second, third, *_rest = pre_test["questions"]
    choice = {"column-0": "email", "column-1": str(first), "column-2": str(third)}
    # Confirming with columns the preview did not show saves them and asks for another look.
    response = post_form(client, location, {"action": "confirm", **choice})
    assert response.status_code == 302 and response.headers["Location"] == location
    assert attempts(app, pre_test["id"]) == {}
    html = client.get(location).get_data(as_text=True)
    assert "The columns changed: check the preview again before importing." in html
    assert f'<option value="{first}" selected>' in html and "Import the answers of 1 participant" in html
    post_form(client, location, {"action": "confirm", **choice})
    assert attempts(app, pre_test["id"]) == {ids["gt1"]: ("submitted", "import", 3.0, 5.0)}


def test_participants_who_already_answered_are_skipped_and_started_attempts_completed(app, client, world,
                                                                                      pre_test):
    ids = world["ids"]
    with app.app_context():
        questionnaire = db.session.get(Questionnaire, pre_test["id"])
        first_question = questionnaire.sections[0].questions[0]
        done = start_attempt(questionnaire, db.session.get(Participant, ids["mx1"]))
        save_answer(done, first_question, "c", seq=10)
        submit_attempt(done)
        started = start_attempt(questionnaire, db.session.get(Participant, ids["mx2"]))
        save_answer(started, first_question, "a", seq=99_000)
        db.session.commit()
    login(client, world["emails"]["organizer"])
    location = upload(client, pre_test["id"], GOOGLE_ES).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert '<tr data-row="2" data-outcome="answered">' in html and '<tr data-row="3" data-outcome="resume">' in html
    post_form(client, location, {"action": "confirm"})
    result = attempts(app, pre_test["id"])
    assert result[ids["mx1"]] == ("submitted", "participant", 0.0, 5.0)  # not overwritten
    assert result[ids["mx2"]] == ("submitted", "import", 0.0, 5.0)
    assert answers_of(app, pre_test["id"], ids["mx2"])[pre_test["questions"][0]] == "b"  # the file's answer won


def test_withdrawn_participants_are_not_imported(app, client, world, pre_test):
    with app.app_context():
        db.session.get(Participant, world["ids"]["mx2"]).status = "withdrawn"
        db.session.commit()
    login(client, world["emails"]["organizer"])
    location = upload(client, pre_test["id"], GOOGLE_ES).headers["Location"]
    assert '<tr data-row="3" data-outcome="withdrawn">' in client.get(location).get_data(as_text=True)
    post_form(client, location, {"action": "confirm"})
    assert set(attempts(app, pre_test["id"])) == {world["ids"]["mx1"]}


def test_unreadable_uploads_are_refused_next_to_the_field_and_nothing_is_kept(app, client, world, pre_test):
    login(client, world["emails"]["organizer"])
    _english(client)
    url = f"/questionnaires/{pre_test['id']}/responses/import"
    response = upload(client, pre_test["id"], b"%PDF-1.4 binary", "respuestas.pdf")
    assert response.status_code == 200
    assert 'id="file-error">This file is not a CSV or Excel (XLSX) spreadsheet.' in response.get_data(as_text=True)
    response = post_form(client, url, {})
    assert response.status_code == 200 and 'id="file-error">Choose a file.' in response.get_data(as_text=True)
    app.config["IMPORT_MAX_BYTES"], limit = 100, app.config["IMPORT_MAX_BYTES"]
    try:
        response = upload(client, pre_test["id"], GOOGLE_ES)
    finally:
        app.config["IMPORT_MAX_BYTES"] = limit
    assert response.status_code == 200 and "The file is larger than" in response.get_data(as_text=True)
    with app.app_context():
        unwritten = Questionnaire(program_id=world["ids"]["program"], kind="post", title={"es": "Salida"})
        db.session.add(unwritten)
        db.session.commit()
        unwritten_id = unwritten.id
    empty = upload(client, unwritten_id, GOOGLE_ES)
    assert empty.status_code == 200 and "has no questions yet" in empty.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ResponseImport)
                                 .where(ResponseImport.questionnaire_id == pre_test["id"])) == 0


def test_only_builders_may_import_and_unknown_imports_are_404(app, client, world, pre_test):
    login(client, world["emails"]["organizer"])
    location = upload(client, pre_test["id"], GOOGLE_ES).headers["Location"]
    for role in ("facilitator", "focal_mx"):
        login(client, world["emails"][role])
        assert client.get(location).status_code == 403
        assert client.get(f"/questionnaires/{pre_test['id']}/responses/import").status_code == 403
    participant = app.test_client()
    enter(participant, link_for(app, world["ids"]["mx1"]))
    assert participant.get(location).status_code == 403
    token = csrf_from(participant.get("/me").get_data(as_text=True))
    assert participant.post(location, data={"csrf_token": token, "action": "confirm"}).status_code == 403
    login(client, world["emails"]["admin"])
    assert client.get("/response-imports/999999").status_code == 404
    assert client.get("/questionnaires/999999/responses/import").status_code == 404
    assert attempts(app, pre_test["id"]) == {}


# --- command line -------------------------------------------------------------------------------------------

def test_cli_dry_run_writes_nothing_then_imports(app, world, pre_test, tmp_path):
    export = tmp_path / "google.csv"
    export.write_text(GOOGLE_ES, encoding="utf-8")
    runner = app.test_cli_runner()
    args = ["import-responses", str(export), "--questionnaire", str(pre_test["id"])]
    result = runner.invoke(args=args + ["--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"would import 2 into questionnaire {pre_test['id']} (pre): 0 already answered (skipped), 1 unmatched, "
        "0 withdrawn, 0 without answers", "unmatched: row 4: visitante@example.org"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ResponseImport)) == 1  # the world's only
    assert attempts(app, pre_test["id"]) == {}
    result = runner.invoke(args=args)
    assert result.exit_code == 0 and result.output.startswith("imported 2 into questionnaire")
    assert attempts(app, pre_test["id"])[world["ids"]["mx1"]] == ("submitted", "import", 5.0, 5.0)
    result = runner.invoke(args=args)
    assert result.exit_code == 0 and "imported 0 into" in result.output and "2 already answered" in result.output


def test_cli_lists_every_problem_and_imports_nothing(app, world, pre_test, tmp_path):
    export = tmp_path / "google.csv"
    export.write_text(GOOGLE_ES.replace("recaudar impuestos", "Quizás").replace("Totalmente de acuerdo", "9"),
                      encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-responses", str(export), "--questionnaire", str(pre_test["id"])])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"row 2, column “{QUESTION_TEXTS_ES[3]}”: ") and "9" in lines[0]
    assert lines[1].startswith(f"row 3, column “{QUESTION_TEXTS_ES[0]}”: ") and "Quizás" in lines[1]
    assert attempts(app, pre_test["id"]) == {}
    result = runner.invoke(args=["import-responses", str(export), "--questionnaire", "999999"])
    assert result.exit_code == 1 and result.stderr.strip() == "--questionnaire: no questionnaire with id 999999"
