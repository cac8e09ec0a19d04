"""Message templates with {placeholders}: the default texts of each kind of message and their rendering (pure)."""
import re

from .localized import DEFAULT_LANGUAGE

PLACEHOLDERS = ("first_name", "full_name", "program", "delegation", "link", "end_date", "link_until")
# Reminders about a questionnaire, and the follow-up survey, also know its title and when it closes (filled in by the
# assessments side).
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
        "El enlace es solo para usted; no lo reenvíe. Vigencia del enlace: {link_until}.\n\n"
        "Saludos cordiales,\nSecretaría Ejecutiva",
    ),
    "en": (
        "Invitation: {program}",
        "Dear {first_name},\n\n"
        "Welcome to the program “{program}” as a member of the delegation of {delegation}.\n\n"
        "This is your personal link. With it you will see the agenda in your time zone, answer the questionnaires "
        "and download your certificate:\n\n{link}\n\n"
        "The link is for you only; please do not forward it. Link validity: {link_until}.\n\n"
        "Kind regards,\nExecutive Secretariat",
    ),
    "fr": (
        "Invitation : {program}",
        "Bonjour {first_name},\n\n"
        "Nous vous souhaitons la bienvenue au programme « {program} » (délégation : {delegation}).\n\n"
        "Voici votre lien personnel. Il vous permet de consulter l'ordre du jour dans votre fuseau horaire, de "
        "répondre aux questionnaires et de télécharger votre certificat :\n\n{link}\n\n"
        "Ce lien vous est réservé ; ne le transférez pas. Validité du lien : {link_until}.\n\n"
        "Salutations cordiales,\nSecrétariat exécutif",
    ),
    "pt": (
        "Convite: {program}",
        "Prezada/o {first_name},\n\n"
        "Damos as boas-vindas ao programa “{program}” (delegação: {delegation}).\n\n"
        "Este é o seu link pessoal. Com ele você verá a agenda no seu fuso horário, responderá aos questionários "
        "e baixará o seu certificado:\n\n{link}\n\n"
        "O link é só para você; não o encaminhe. Validade do link: {link_until}.\n\n"
        "Atenciosamente,\nSecretaria Executiva",
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
    "fr": (
        "Rappel : {questionnaire}",
        "Bonjour {first_name},\n\n"
        "Nous vous rappelons de répondre à « {questionnaire} » du programme « {program} ». Vos réponses nous "
        "permettent de mesurer les acquis et d'améliorer le programme. Cela prend quelques minutes et s'enregistre "
        "au fur et à mesure.{closes}\n\n"
        "Ouvrez-le avec votre lien personnel :\n\n{link}\n\n"
        "Salutations cordiales,\nSecrétariat exécutif",
    ),
    "pt": (
        "Lembrete: {questionnaire}",
        "Prezada/o {first_name},\n\n"
        "Lembramos que você ainda pode responder “{questionnaire}” do programa “{program}”. Suas respostas nos "
        "permitem medir o que foi aprendido e melhorar o programa. Leva poucos minutos e é salvo à medida que você "
        "responde.{closes}\n\n"
        "Abra-o com o seu link pessoal:\n\n{link}\n\n"
        "Atenciosamente,\nSecretaria Executiva",
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
    "fr": (
        "Votre certificat : {program}",
        "Bonjour {first_name},\n\n"
        "Votre certificat du programme « {program} » est prêt. Téléchargez-le en PDF depuis votre page "
        "personnelle :\n\n{link}\n\n"
        "Le certificat porte un code QR : toute personne qui le scanne peut vérifier qu'il est authentique.\n\n"
        "Félicitations et salutations cordiales,\nSecrétariat exécutif",
    ),
    "pt": (
        "Seu certificado: {program}",
        "Prezada/o {first_name},\n\n"
        "Seu certificado do programa “{program}” está pronto. Baixe-o em PDF na sua página pessoal:\n\n"
        "{link}\n\n"
        "O certificado tem um código QR: quem o escanear poderá ver que é autêntico.\n\n"
        "Parabéns e atenciosamente,\nSecretaria Executiva",
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
    "fr": (
        "Enregistrement : {session}",
        "Bonjour {first_name},\n\n"
        "Vous nous avez manqué à « {session} » du programme « {program} ». L'enregistrement de la séance est "
        "ici :\n\n{recording}\n\n"
        "Votre page personnelle, avec l'ordre du jour et les questionnaires :\n\n{link}\n\n"
        "Salutations cordiales,\nSecrétariat exécutif",
    ),
    "pt": (
        "Gravação: {session}",
        "Prezada/o {first_name},\n\n"
        "Sentimos sua falta em “{session}” do programa “{program}”. A gravação da sessão está aqui:\n\n"
        "{recording}\n\n"
        "Sua página pessoal, com a agenda e os questionários:\n\n{link}\n\n"
        "Atenciosamente,\nSecretaria Executiva",
    ),
}

# It says nothing of how long ago the program was: the schedule sends it any number of weeks after the end (the
# demo's, two).
DEFAULT_FOLLOW_UP = {
    "es": (
        "¿Cómo le ha servido en su trabajo? {program}",
        "Estimada/o {first_name}:\n\n"
        "Usted completó el programa «{program}». Queremos saber qué ha podido aplicar desde "
        "entonces en su trabajo de orientación y cuáles han sido los obstáculos. Sus respuestas ayudan a mejorar "
        "los próximos programas y a mostrar su utilidad a quienes los apoyan.\n\n"
        "El cuestionario «{questionnaire}» toma unos diez minutos y se guarda a medida que responde.{closes}\n\n"
        "Entre con su enlace personal:\n\n{link}\n\n"
        "Gracias por su tiempo. Saludos cordiales,\nSecretaría Ejecutiva",
    ),
    "en": (
        "How has it helped you at work? {program}",
        "Dear {first_name},\n\n"
        "You completed the program “{program}”. We would like to know what you have been able to "
        "apply in your counseling work since then, and what got in the way. Your answers help us improve the next "
        "programs and show their value to those who support them.\n\n"
        "The questionnaire “{questionnaire}” takes about ten minutes and is saved as you go.{closes}\n\n"
        "Open it with your personal link:\n\n{link}\n\n"
        "Thank you for your time. Kind regards,\nExecutive Secretariat",
    ),
    "fr": (
        "Qu'avez-vous pu appliquer dans votre travail ? {program}",
        "Bonjour {first_name},\n\n"
        "Vous avez suivi le programme « {program} ». Nous aimerions savoir ce que vous avez "
        "pu appliquer depuis dans votre travail d'orientation, et ce qui vous en a empêché. Vos réponses nous "
        "aident à améliorer les prochains programmes et à montrer leur utilité à ceux qui les soutiennent.\n\n"
        "Le questionnaire « {questionnaire} » prend une dizaine de minutes et s'enregistre au fur et à "
        "mesure.{closes}\n\n"
        "Ouvrez-le avec votre lien personnel :\n\n{link}\n\n"
        "Merci de votre temps. Salutations cordiales,\nSecrétariat exécutif",
    ),
    "pt": (
        "Como isso tem ajudado no seu trabalho? {program}",
        "Prezada/o {first_name},\n\n"
        "Você concluiu o programa “{program}”. Queremos saber o que você conseguiu aplicar desde "
        "então no seu trabalho de orientação e quais foram os obstáculos. Suas respostas ajudam a melhorar os "
        "próximos programas e a mostrar sua utilidade a quem os apoia.\n\n"
        "O questionário “{questionnaire}” leva cerca de dez minutos e é salvo à medida que você responde.{closes}\n\n"
        "Abra-o com o seu link pessoal:\n\n{link}\n\n"
        "Obrigado pelo seu tempo. Atenciosamente,\nSecretaria Executiva",
    ),
}

DEFAULTS = {"invitation": DEFAULT_INVITATION, "reminder": DEFAULT_REMINDER, "certificate": DEFAULT_CERTIFICATE,
            "absence": DEFAULT_ABSENCE, "follow_up": DEFAULT_FOLLOW_UP}
# The kinds whose texts the secretariat edits on the messages page (the others are edited where they are sent, or
# not at all).
EDITABLE_KINDS = ("invitation", "absence")
# The placeholders each kind of message fills in (an editor of its text may use these, and hears of others).
KIND_PLACEHOLDERS = {"invitation": PLACEHOLDERS, "reminder": PLACEHOLDERS + REMINDER_PLACEHOLDERS,
                     "certificate": PLACEHOLDERS, "absence": PLACEHOLDERS + ABSENCE_PLACEHOLDERS,
                     "follow_up": PLACEHOLDERS + REMINDER_PLACEHOLDERS}


def default_template(kind, language):
    """(subject, body) of the built-in text, in `language` (each supported language has one) or else Spanish."""
    texts = DEFAULTS[kind]
    return texts.get(language, texts[DEFAULT_LANGUAGE])


def render(text, values):
    """Replace the known {placeholders}; anything else in braces is left as typed."""
    return _PATTERN.sub(lambda match: str(values.get(match.group(1), "")), text)


def unknown_placeholders(text, known=PLACEHOLDERS):
    """Braced words that are not placeholders, so an editor hears about a typo like {frist_name}."""
    return sorted({word for word in re.findall(r"\{([A-Za-z_]+)\}", text) if word not in known})


def unknown_reminder_placeholders(text):
    return unknown_placeholders(text, KIND_PLACEHOLDERS["reminder"])
