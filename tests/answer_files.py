"""Answers exported by Google Forms, KoboToolbox and Moodle for the PLAIN pre-test, as the import tests upload them."""

LIKERT_ENDS = {"es": ["Totalmente en desacuerdo", "Totalmente de acuerdo"], "en": ["Strongly disagree",
                                                                                 "Strongly agree"]}
PLAIN = {"kind": "pre", "title": {"es": "Prueba de entrada", "en": "Pre-test"}, "intro": {}, "sections": [
    {"title": {"es": "Conocimientos"}, "questions": [
        {"type": "single_choice", "dimension": "knowledge", "item_key": "k1", "points": 2, "required": True,
         "text": {"es": "¿Cuál es la función principal del servicio público de empleo?",
                  "en": "What is the main role of the public employment service?"},
         "options": [{"key": "a", "es": "Vincular oferta y demanda de empleo", "en": "Matching job supply and demand"},
                     {"key": "b", "es": "Recaudar impuestos", "en": "Collecting taxes"},
                     {"key": "c", "es": "Emitir pasaportes", "en": "Issuing passports"}],
         "correct": ["a"], "scale_labels": {}},
        {"type": "multiple_choice", "dimension": "knowledge", "item_key": "k2", "points": 2, "required": False,
         "text": {"es": "¿Qué servicios ofrece una oficina de empleo?",
                  "en": "Which services does an employment office offer?"},
         "options": [{"key": "a", "es": "Orientación, asesoría y acompañamiento",
                      "en": "Guidance, counseling and support"},
                     {"key": "b", "es": "Bolsa de trabajo", "en": "Job board"},
                     {"key": "c", "es": "Licencias de conducir", "en": "Driving licences"}],
         "correct": ["a", "b"], "scale_labels": {}},
        {"type": "true_false", "dimension": "knowledge", "item_key": "k3", "points": 1, "required": False,
         "text": {"es": "La OIT es una agencia de las Naciones Unidas.", "en": "The ILO is a United Nations agency."},
         "options": [], "correct": ["true"], "scale_labels": {}},
    ]},
    {"title": {"es": "Expectativas"}, "questions": [
        {"type": "likert", "dimension": "expectations", "item_key": "e1", "points": 0, "required": False,
         "text": {"es": "Me siento preparado para orientar a personas migrantes.",
                  "en": "I feel prepared to counsel migrants."},
         "options": [], "correct": [], "scale_labels": LIKERT_ENDS},
        {"type": "long_text", "dimension": "expectations", "item_key": None, "points": 0, "required": False,
         "text": {"es": "¿Qué espera aprender?", "en": "What do you hope to learn?"},
         "options": [], "correct": [], "scale_labels": {}},
    ]},
]}
QUESTION_TEXTS_ES = [q["text"]["es"] for s in PLAIN["sections"] for q in s["questions"]]
QUESTION_TEXTS_EN = [q["text"]["en"] for s in PLAIN["sections"] for q in s["questions"]]
HOSTILE = "<script>alert('x')</script> & <b>negrita</b>"


def csv_line(cells):
    return ",".join(f'"{cell}"' if ("," in cell or '"' in cell) else cell for cell in cells) + "\n"


GOOGLE_ES = (csv_line(["Marca temporal", "Dirección de correo electrónico", "Puntuación", *QUESTION_TEXTS_ES])
             + csv_line(["2026/03/03 10:02:11 a. m. CST", "jose.nunez@example.mx", "5 / 5",
                          "Vincular oferta y demanda de empleo",
                          "Orientación, asesoría y acompañamiento, Bolsa de trabajo", "Verdadero",
                          "Totalmente de acuerdo", HOSTILE])
             + csv_line(["2026/03/03 10:05:40 a. m. CST", "Fatima.Gomez@example.mx ", "0 / 5", "recaudar impuestos",
                          "Bolsa de trabajo", "Falso", "2", "Más herramientas"])
             + csv_line(["2026/03/03 10:07:02 a. m. CST", "visitante@example.org", "0 / 5", "Emitir pasaportes",
                          "Licencias de conducir", "Falso", "3", ""]))
GOOGLE_EN = (csv_line(["Timestamp", "Email Address", "Score", *QUESTION_TEXTS_EN])
             + csv_line(["3/3/2026 10:02:11", "jose.nunez@example.mx", "5 / 5", "Matching job supply and demand",
                          "Guidance, counseling and support, Job board", "True", "Strongly agree", "Tools"]))
KOBO = ("start;end;today;email;k1;grupo_conocimiento/k2;k3;e1;comentario;_id;_uuid;_submission_time\n"
        "2026-03-03T10:00:00.000-06:00;2026-03-03T10:09:00.000-06:00;2026-03-03;jose.nunez@example.mx;a;a b;true;4;"
        "Nada;101;8f1c;2026-03-03T16:09:05\n")
MOODLE = ("Surname,First name,Email address,State,Started on,Completed,Time taken,Grade/5.00,Q. 1 /2.00,"
          "Response 1,Response 2,Response 3,Response 4,Response 5\n"
          "Núñez Peña,José Ángel,jose.nunez@example.mx,Finished,3 March 2026 10:00 AM,3 March 2026 10:09 AM,9 mins,"
          "5.00,2.00,Matching job supply and demand,\"Guidance, counseling and support; Job board\",True,-,-\n")

