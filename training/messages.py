"""Message templates with {placeholders}: the default texts of each kind of message and their rendering (pure)."""
import re

PLACEHOLDERS = ("first_name", "full_name", "program", "delegation", "link", "end_date", "link_until")
# Reminders about a questionnaire also know its title and when it closes (filled in by the assessments side).
REMINDER_PLACEHOLDERS = ("questionnaire", "closes")
# The recording sent to those absent from a session also knows the session's title and the recording's address.
ABSENCE_PLACEHOLDERS = ("session", "recording")
_PATTERN = re.compile(r"\{(" + "|".join(PLACEHOLDERS + REMINDER_PLACEHOLDERS + ABSENCE_PLACEHOLDERS) + r")\}")

DEFAULT_INVITATION = {
    "es": (
        "Invitación: {program}",
        "Estimada/o {first_name}:\n\n"
        "Le damos la bienvenida al programa «{program}» como integrante de la delegación de {delegation}.\n\n"
        "Este es su enlace personal. Con él verá la agenda en su zona horaria, responderá los cuestionarios "
        "y descargará su certificado:\n\n{link}\n\n"
        "El enlace es solo para usted; no lo reenvíe. Es válido hasta: {link_until}.\n\n"
        "Saludos cordiales,\nSecretaría Ejecutiva",
    ),
    "en": (
        "Invitation: {program}",
        "Dear {first_name},\n\n"
        "Welcome to the program “{program}” as a member of the delegation of {delegation}.\n\n"
        "This is your personal link. With it you will see the agenda in your time zone, answer the questionnaires "
        "and download your certificate:\n\n{link}\n\n"
        "The link is for you only; please do not forward it. It is valid until: {link_until}.\n\n"
        "Kind regards,\nExecutive Secretariat",
    ),
}

DEFAULT_REMINDER = {
    "es": (
        "Recordatorio: {questionnaire}",
        "Estimada/o {first_name}:\n\n"
        "Le recordamos responder «{questionnaire}» del programa «{program}». Sus respuestas nos permiten medir "
        "lo aprendido y mejorar el programa. Toma pocos minutos y se guarda a medida que responde.{closes}\n\n"
        "Entre con su enlace personal:\n\n{link}\n\n"
        "Saludos cordiales,\nSecretaría Ejecutiva",
    ),
    "en": (
        "Reminder: {questionnaire}",
        "Dear {first_name},\n\n"
        "This is a reminder to answer “{questionnaire}” of the program “{program}”. Your answers let us measure "
        "what was learned and improve the program. It takes a few minutes and is saved as you go.{closes}\n\n"
        "Open it with your personal link:\n\n{link}\n\n"
        "Kind regards,\nExecutive Secretariat",
    ),
}


DEFAULT_CERTIFICATE = {
    "es": (
        "Su certificado: {program}",
        "Estimada/o {first_name}:\n\n"
        "Su certificado del programa «{program}» está listo. Descárguelo en PDF desde su página personal:\n\n"
        "{link}\n\n"
        "El certificado lleva un código QR: quien lo escanee verá que es auténtico.\n\n"
        "Felicitaciones y saludos cordiales,\nSecretaría Ejecutiva",
    ),
    "en": (
        "Your certificate: {program}",
        "Dear {first_name},\n\n"
        "Your certificate for the program “{program}” is ready. Download it as a PDF from your personal page:\n\n"
        "{link}\n\n"
        "The certificate carries a QR code: anyone who scans it can see that it is genuine.\n\n"
        "Congratulations and kind regards,\nExecutive Secretariat",
    ),
}


DEFAULT_ABSENCE = {
    "es": (
        "Grabación: {session}",
        "Estimada/o {first_name}:\n\n"
        "Le extrañamos en «{session}» del programa «{program}». La grabación de la sesión está aquí:\n\n"
        "{recording}\n\n"
        "Su página personal, con la agenda y los cuestionarios:\n\n{link}\n\n"
        "Saludos cordiales,\nSecretaría Ejecutiva",
    ),
    "en": (
        "Recording: {session}",
        "Dear {first_name},\n\n"
        "We missed you at “{session}” of the program “{program}”. The session's recording is here:\n\n"
        "{recording}\n\n"
        "Your personal page, with the agenda and the questionnaires:\n\n{link}\n\n"
        "Kind regards,\nExecutive Secretariat",
    ),
}

DEFAULTS = {"invitation": DEFAULT_INVITATION, "reminder": DEFAULT_REMINDER, "certificate": DEFAULT_CERTIFICATE,
            "absence": DEFAULT_ABSENCE}
# The kinds whose texts the secretariat edits on the messages page (the others are edited where they are sent, or
# not at all).
EDITABLE_KINDS = ("invitation", "absence")
# The placeholders each kind of message fills in (an editor of its text may use these, and hears of others).
KIND_PLACEHOLDERS = {"invitation": PLACEHOLDERS, "reminder": PLACEHOLDERS + REMINDER_PLACEHOLDERS,
                     "certificate": PLACEHOLDERS, "absence": PLACEHOLDERS + ABSENCE_PLACEHOLDERS}


def default_template(kind, language):
    """(subject, body) of the built-in text, in `language` or else Spanish."""
    texts = DEFAULTS[kind]
    return texts.get(language, texts["es"])


def render(text, values):
    """Replace the known {placeholders}; anything else in braces is left as typed."""
    return _PATTERN.sub(lambda match: str(values.get(match.group(1), "")), text)


def unknown_placeholders(text, known=PLACEHOLDERS):
    """Braced words that are not placeholders, so an editor hears about a typo like {frist_name}."""
    return sorted({word for word in re.findall(r"\{([A-Za-z_]+)\}", text) if word not in known})


def unknown_reminder_placeholders(text):
    return unknown_placeholders(text, KIND_PLACEHOLDERS["reminder"])
