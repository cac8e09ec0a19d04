"""Reading Zoom and course-platform reports and matching them to registrants (pure, no app)."""
from datetime import datetime, timezone

from training.attendance.matching import (
    IGNORE,
    UNLINKED,
    Registrant,
    connected_minutes,
    merged_status,
    plan_attendance,
)
from training.attendance.meeting_fit import SessionFacts, meeting_id_of, meeting_warnings, topic_fits
from training.attendance.reports import read_report
from training.attendance.suggestions import suggest
from training.tabular import read_table
from training.textkeys import name_key

# Zoom's participant export as the web portal writes it: a block about the meeting, then the people.
ZOOM_EN = """Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants,
81234567890,Sesión 1,11/02/2021 01:50:03 PM,11/02/2021 04:05:11 PM,host@capacita.example,135,6,

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Secretaría Técnica,host@capacita.example,11/02/2021 01:50:03 PM,11/02/2021 04:05:11 PM,136,No
Ana Pérez,ana@mx.example,11/02/2021 01:58:00 PM,11/02/2021 02:40:00 PM,42,Yes
Ana Pérez,ana@mx.example,11/02/2021 02:45:00 PM,11/02/2021 04:00:00 PM,75,Yes
LUIS GOMEZ,,11/02/2021 02:00:00 PM,11/02/2021 02:50:00 PM,50,Yes
Teléfono 55 1234,,11/02/2021 02:10:00 PM,11/02/2021 02:30:00 PM,20,Yes
Ana María (María Mendez),,11/02/2021 02:00:00 PM,11/02/2021 04:00:00 PM,120,Yes
"""

PEOPLE = [Registrant(1, "Ana@MX.example", "Ana", "Pérez"), Registrant(2, "luis@gt.example", "Luis", "Gómez"),
          Registrant(3, "maria@sv.example", "María", "Méndez"), Registrant(4, "rosa@hn.example", "Rosa", "Soto")]


def zoom(text=ZOOM_EN, encoding="utf-8"):
    return read_report(read_table(text.encode(encoding)), "zoom")


def test_zoom_header_is_found_below_the_meeting_block_and_rows_keep_their_numbers():
    report = zoom()
    assert report.missing_columns == []
    assert [row.number for row in report.rows] == [5, 6, 7, 8, 9, 10]
    assert report.rows[1].name == "Ana Pérez" and report.rows[1].minutes == 42


def test_matching_by_email_then_by_name_and_durations_summed():
    plan = plan_attendance(zoom(), PEOPLE, session_minutes=120)
    outcomes = plan.outcomes
    assert (outcomes[1].how, outcomes[1].minutes, outcomes[1].status) == ("email", 117, "present")
    assert (outcomes[2].how, outcomes[2].minutes, outcomes[2].status) == ("name", 50, "partial")
    assert (outcomes[3].how, outcomes[3].status) == ("name", "present")  # original name in parentheses
    assert 4 not in outcomes
    assert [v.name for v in plan.unmatched] == ["Teléfono 55 1234"]
    summary = plan.summary()
    assert {k: summary[k] for k in ("matched", "present", "partial", "unmatched", "ignored", "hosts")} == \
        {"matched": 3, "present": 2, "partial": 1, "unmatched": 1, "ignored": 1, "hosts": 1}


def test_the_minimum_share_decides_present_or_partial():
    # 117 of 120 minutes is 97.5 %; 50 of 120 is 41.7 %.
    assert plan_attendance(zoom(), PEOPLE, session_minutes=120, min_share=98).outcomes[1].status == "partial"
    assert plan_attendance(zoom(), PEOPLE, session_minutes=120, min_share=40).outcomes[2].status == "present"
    assert plan_attendance(zoom(), PEOPLE, session_minutes=120, min_share=42).outcomes[2].status == "partial"


def test_linking_and_ignoring_unmatched_people():
    decisions = {"name:telefono 55 1234": 4, "email:host@capacita.example": IGNORE}
    plan = plan_attendance(zoom(), PEOPLE, decisions=decisions, session_minutes=120)
    assert (plan.outcomes[4].how, plan.outcomes[4].minutes, plan.outcomes[4].status) == ("linked", 20, "partial")
    assert plan.unmatched == [] and [v.name for v in plan.ignored] == ["Secretaría Técnica"]
    # A decision naming someone who is not a registrant links nobody.
    plan = plan_attendance(zoom(), PEOPLE, decisions={"name:telefono 55 1234": 99}, session_minutes=120)
    assert 99 not in plan.outcomes and [v.name for v in plan.unmatched] == ["Teléfono 55 1234"]


def test_the_same_rows_twice_are_counted_once():
    doubled = ZOOM_EN + "\n".join(ZOOM_EN.splitlines()[4:]) + "\n"
    plan = plan_attendance(zoom(doubled), PEOPLE, session_minutes=120)
    assert plan.duplicates == 6
    assert plan.outcomes[1].minutes == 117


def test_overlapping_connections_are_not_counted_twice():
    text = ("Name,Join Time,Leave Time,Duration (Minutes)\n"
            "Ana Pérez,2021-11-02 14:00:00,2021-11-02 15:00:00,60\n"
            "Ana Pérez,2021-11-02 14:30:00,2021-11-02 16:00:00,90\n")
    report = zoom(text)
    assert connected_minutes(report.rows) == 120


def test_spanish_zoom_export_in_cp1252_with_semicolons_and_p_m():
    text = ("Nombre (nombre original);Correo electrónico del usuario;Hora de entrada;Hora de salida;"
            "Duración (minutos);Invitado\r\n"
            "Ana Pérez;;02/11/2021 01:58:00 p. m.;02/11/2021 03:58:00 p. m.;120;Sí\r\n")
    report = zoom(text, "cp1252")
    assert report.missing_columns == [] and report.rows[0].minutes == 120
    assert (report.rows[0].joined.day, report.rows[0].joined.month, report.rows[0].joined.hour) == (2, 11, 13)
    assert plan_attendance(report, PEOPLE, session_minutes=120).outcomes[1].status == "present"


def test_unknown_layout_and_bad_rows_are_reported():
    assert zoom("Fecha,Tema\n2021-11-02,Sesión\n").missing_columns == ["name", "minutes"]
    report = zoom("Name,Duration (Minutes)\nAna,cuarenta\nLuis,-5\n,30\nRosa,30\n")
    assert [(row.number, row.errors[0][0]) for row in report.error_rows] == \
        [(2, "bad_minutes"), (3, "bad_minutes"), (4, "no_person")]
    assert not plan_attendance(report, PEOPLE, session_minutes=120).clean
    report = zoom("Name,Join Time,Leave Time\nAna,2021-11-02 15:00:00,2021-11-02 14:00:00\n")
    assert report.error_rows[0].errors[0][0] == "left_before_joined"


def test_minutes_from_join_and_leave_when_zoom_gives_no_duration():
    report = zoom("Name,Join Time,Leave Time\nAna Pérez,2021-11-02 14:00:00,2021-11-02 15:30:00\n")
    assert plan_attendance(report, PEOPLE, session_minutes=120).outcomes[1].minutes == 90


def test_names_that_fit_two_registrants_are_left_for_review():
    twins = PEOPLE + [Registrant(5, "otra.ana@cr.example", "Ana", "Perez")]
    plan = plan_attendance(zoom("Name,Duration (Minutes)\nana pérez,100\n"), twins, session_minutes=120)
    assert plan.outcomes == {} and [v.name for v in plan.unmatched] == ["ana pérez"]
    assert sorted(plan.unmatched[0].suggestions) == [1, 5]


def test_partial_names_are_suggested_not_matched():
    people = [Registrant(7, "", "Ana Lucía", "Pérez Zúñiga")]
    plan = plan_attendance(zoom("Name,Duration (Minutes)\nAna Pérez,100\n"), people, session_minutes=120)
    assert plan.outcomes == {} and plan.unmatched[0].suggestions == [7]


def test_hand_marks_are_not_lowered_by_a_report():
    assert merged_status("present", "manual", "partial") == ("present", True)
    assert merged_status("excused", "manual", "absent") == ("excused", True)
    assert merged_status("absent", "manual", "partial") == ("partial", False)
    assert merged_status("present", "zoom", "partial") == ("partial", False)
    assert merged_status(None, None, "present") == ("present", False)
    people = [Registrant(1, "ana@mx.example", "Ana", "Pérez", status="present", source="manual")]
    outcome = plan_attendance(zoom(), people, session_minutes=120, min_share=99).outcomes[1]
    assert (outcome.reported, outcome.status, outcome.kept) == ("partial", "present", True)


def test_name_key_ignores_accents_case_and_punctuation():
    assert name_key("  PÉREZ-Zúñiga,  Ana ") == "perez zuniga ana"


COURSE_MOODLE = """First name,Surname,Email address,Course complete,Completion date
Ana,Pérez,ana@mx.example,Completed,2/11/21 10:00
Luis,Gómez,LUIS@gt.example,Not completed,
María,Méndez,maria@sv.example,In progress,
Rosa,Soto,rosa@hn.example,,15/11/21
Pedro,Ruiz,pedro@pa.example,Completed,3/11/21
"""


def test_course_report_marks_completion_by_status_or_date():
    report = read_report(read_table(COURSE_MOODLE.encode()), "course")
    assert report.missing_columns == [] and report.error_rows == []
    plan = plan_attendance(report, PEOPLE)
    assert {pid: o.status for pid, o in plan.outcomes.items()} == \
        {1: "completed", 2: "absent", 3: "partial", 4: "completed"}
    assert [v.name for v in plan.unmatched] == ["Pedro Ruiz"]
    assert plan.summary()["present"] == 2


def test_course_report_in_spanish_with_an_unknown_status():
    text = ("Nombre;Apellido(s);Dirección de correo;Estado de finalización\n"
            "Ana;Pérez;ana@mx.example;Finalizado\nLuis;Gómez;luis@gt.example;quizás\n")
    report = read_report(read_table(text.encode("cp1252")), "course")
    assert report.rows[0].status == "completed"
    assert report.error_rows[0].number == 3 and report.error_rows[0].errors == [("bad_status", {"value": "quizás"})]


def test_course_report_without_a_status_or_date_column():
    report = read_report(read_table(b"Email,Name\nana@mx.example,Ana\n"), "course")
    assert report.missing_columns == ["status"]


def test_day_first_dates_that_also_read_month_first_are_read_day_first_when_that_is_the_sane_reading():
    # 1 November 23:50 → 2 November 00:20 is 30 minutes; read month-first it would be a month.
    text = ("Nombre;Hora de entrada;Hora de salida\n"
            "Ana Pérez;01/11/2021 11:50:00 p. m.;02/11/2021 12:20:00 a. m.\n")
    report = zoom(text)
    assert report.error_rows == [] and report.rows[0].minutes == 30
    assert (report.rows[0].joined.month, report.rows[0].joined.day) == (11, 1)
    assert plan_attendance(report, PEOPLE, session_minutes=120).outcomes[1].status == "partial"


def test_an_ambiguous_date_takes_the_reading_with_the_shortest_connections_whatever_the_language():
    # English headers (month-first first), but only the day-first reading gives a 30-minute connection.
    report = zoom("Name,Join Time,Leave Time\nAna Pérez,01/11/2021 11:50 PM,02/11/2021 12:20 AM\n")
    assert report.error_rows == [] and report.rows[0].minutes == 30


def test_a_connection_longer_than_a_day_is_a_bad_row():
    report = zoom("Name,Join Time,Leave Time\nAna,2021-11-01 14:00:00,2021-11-03 14:00:00\n")
    assert report.error_rows[0].errors[0][0] == "bad_minutes"


def test_rows_shorter_than_a_header_found_lower_in_the_file():
    course = read_report(read_table(
        b"Course completion report\nFirst name,Surname,Email address,Course complete\nJose,N,jose@x.example\n"),
        "course")
    assert course.missing_columns == [] and course.rows[0].status == "absent"
    meeting = zoom("Meeting ID,Topic\n1,S1\nName,User Email,Join Time,Leave Time,Duration (Minutes)\nAna\n")
    assert meeting.rows[0].errors == [("no_minutes", {})]


# --- the meeting block, and whether the report fits the session --------------------------------------------------

def test_the_meeting_block_gives_the_id_topic_start_and_host():
    meeting = zoom().meeting
    assert (meeting.meeting_id, meeting.topic, meeting.host_email) == ("81234567890", "Sesión 1",
                                                                       "host@capacita.example")
    assert meeting.start == datetime(2021, 11, 2, 13, 50, 3)
    # Zoom's newer layout names the host, and its Spanish export writes dates day-first.
    text = ("Tema,ID de reunión,Anfitrión,Hora de inicio,Duración (minutos)\n"
            "Sesión 2,812 3456 7890,Secretaría Técnica,08/12/2026 02:00:00 p. m.,120\n\n"
            "Nombre (nombre original),Hora de entrada,Hora de salida\n"
            "Ana Pérez,08/12/2026 02:00:00 p. m.,08/12/2026 03:00:00 p. m.\n")
    meeting = zoom(text).meeting
    assert (meeting.meeting_id, meeting.topic, meeting.host_name, meeting.host_email) == \
        ("81234567890", "Sesión 2", "Secretaría Técnica", "")
    assert meeting.start == datetime(2026, 12, 8, 14, 0)
    assert zoom("Name,Duration (Minutes)\nAna,30\n").meeting is None


S2 = SessionFacts(datetime(2026, 12, 10, 20, 0, tzinfo=timezone.utc), "America/Mexico_City",
                  "https://us02web.zoom.us/j/89876543210?pwd=abc", ("Sesión virtual 2: Capacidades", "Session 2"), "S2")
S1_REPORT = """Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants,
812 3456 7890,Sesión 1,12/08/2026 01:55:00 PM,12/08/2026 04:00:00 PM,host@capacita.example,125,2,

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Ana Pérez,ana@mx.example,12/08/2026 02:00:00 PM,12/08/2026 04:00:00 PM,120,Yes
"""


def test_a_report_of_another_session_gets_a_warning_for_its_date_meeting_and_topic():
    warnings = meeting_warnings(zoom(S1_REPORT), S2)
    assert warnings == [("date", {"report": datetime(2026, 12, 8, 13, 55), "session": datetime(2026, 12, 10, 14, 0)}),
                        ("meeting_id", {"report": "81234567890", "session": "89876543210"}),
                        ("topic", {"report": "Sesión 1"})]
    # The session's own report: an hour early in another zone, its ID, its topic as people write it.
    own = S1_REPORT.replace("812 3456 7890", "89876543210").replace("Sesión 1", "CRM - Sesión 2") \
        .replace("12/08/2026 01:55", "12/10/2026 03:05")
    assert meeting_warnings(zoom(own), S2) == []
    # Without the meeting block the earliest join says the date; a link without an ID checks nothing.
    rows_only = "\n".join(S1_REPORT.splitlines()[3:]) + "\n"
    assert [code for code, _params in meeting_warnings(zoom(rows_only), S2)] == ["date"]
    assert meeting_warnings(zoom(rows_only), SessionFacts(None, "UTC", "https://zoom.us/my/ana", (), "S2")) == []


def test_meeting_ids_in_links_and_topics_compared_folded():
    assert meeting_id_of("https://us02web.zoom.us/j/81234567890?pwd=x") == "81234567890"
    assert meeting_id_of("zoommtg://zoom.us/join?action=join&confno=81234567890") == "81234567890"
    assert meeting_id_of("https://zoom.example.org/j/s1") == meeting_id_of("https://zoom.us/my/ana") == ""
    titles = ("Sesión virtual 2: Capacidades y áreas de oportunidad",)
    for topic in ("SESION 2", "CRM 2026 – sesión virtual 2", "Capacidades y áreas de oportunidad", "S2: taller"):
        assert topic_fits(topic, titles, "S2"), topic
    for topic in ("Sesión 1", "Reunión personal de Ana", "Sesión virtual 3: Capacidades"):
        assert not topic_fits(topic, titles, "S2"), topic


# --- the host, remembered links, suggestions ---------------------------------------------------------------------

def test_the_hosts_rows_are_ignored_unless_a_reviewer_links_them():
    plan = plan_attendance(zoom(), PEOPLE, session_minutes=120)
    (host,) = plan.ignored
    assert host.host and host.name == "Secretaría Técnica" and plan.host_rows == 1
    plan = plan_attendance(zoom(), PEOPLE, decisions={"email:host@capacita.example": 4}, session_minutes=120)
    assert plan.outcomes[4].how == "linked" and plan.host_rows == 0
    plan = plan_attendance(zoom(), PEOPLE, decisions={"email:host@capacita.example": UNLINKED}, session_minutes=120)
    assert "Secretaría Técnica" in [v.name for v in plan.unmatched]
    # The newer layout gives the host's name only: rows without an e-mail are compared by name.
    text = ("Topic,ID,Host,Start time\nSesión 1,81234567890,Secretaría Técnica,11/02/2021 01:50 PM\n\n"
            "Name (original name),Duration (minutes)\nSecretaría Técnica,130\nAna Pérez,100\n")
    plan = plan_attendance(zoom(text), PEOPLE, session_minutes=120)
    assert [v.name for v in plan.ignored] == ["Secretaría Técnica"] and list(plan.outcomes) == [1]


def test_remembered_links_match_by_themselves_and_a_reviewer_can_undo_them():
    remembered = {"telefono 55 1234": 4, "ana maria": 99}  # 99: no longer registered
    plan = plan_attendance(zoom(), PEOPLE, session_minutes=120, remembered=remembered)
    assert (plan.outcomes[4].how, plan.outcomes[4].minutes) == ("remembered", 20)
    assert plan.unmatched == [] and plan.remembered_links() == ([], [])
    plan = plan_attendance(zoom(), PEOPLE, decisions={"name:telefono 55 1234": UNLINKED}, session_minutes=120,
                           remembered=remembered)
    assert 4 not in plan.outcomes and plan.remembered_links() == ([], ["telefono 55 1234"])
    plan = plan_attendance(zoom(), PEOPLE, decisions={"name:telefono 55 1234": 3}, session_minutes=120,
                           remembered=remembered)
    assert "Teléfono 55 1234" in [row.name for row in plan.outcomes[3].rows] and 4 not in plan.outcomes
    assert plan.remembered_links() == ([("telefono 55 1234", 3)], [])


def test_suggestions_for_prefixes_typos_initials_and_email_but_never_a_match():
    people = [Registrant(1, "", "José Ángel", "Núñez Peña"), Registrant(2, "", "José", "Núñez Ortiz"),
              Registrant(3, "", "Fátima", "Gómez Díaz"), Registrant(4, "", "Abigail", "O'Brien")]
    assert suggest("MX - José Ángel Núñez Peña", people)[0] == 1
    assert suggest("Fatima Gomes Diaz", people) == [3]
    assert suggest("J. Á. Núñez Peña", people)[0] == 1 and suggest("JA Nunez", people)[0] == 1
    assert suggest("A. O'Brien", people) == [4]
    assert suggest("", people, email="fatima.gomez2@gmail.com") == [3]
    assert suggest("Fátima Núñez Ortiz", people) == [] and suggest("Teléfono 55 1234", people) == []
    assert suggest("José", people) == []  # one word says too little
    text = "Name,Duration (Minutes)\nMX - Fátima Gómes Díaz,100\n"
    plan = plan_attendance(zoom(text), people, session_minutes=120)
    assert plan.outcomes == {} and plan.unmatched[0].suggestions == [3]
