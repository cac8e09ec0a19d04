"""Invented people and institutions for the demo program CRM-CE-2021 (pure: plain dicts, no database)."""
import random
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

PROGRAM = {
    "code": "CRM-CE-2021",
    "title": {
        "es": "Programa de capacitación para la sensibilización y profesionalización de las personas "
              "consejeras de empleo",
        "en": "Training program for the awareness and professionalization of employment counselors",
    },
    "description": {
        "es": "Programa del Grupo de Migración Laboral de la Conferencia Regional sobre Migración (CRM), con apoyo "
              "de la OIM: dos cursos en línea y tres sesiones virtuales de dos horas sobre migración laboral, "
              "consejerías de empleo y determinación de la vulnerabilidad de personas migrantes.",
        "en": "A program of the Labour Migration Group of the Regional Conference on Migration (RCM), supported by "
              "IOM: two online courses and three two-hour virtual sessions on labour migration, employment "
              "counseling and determining the vulnerability of migrants.",
    },
    "general_objective": {
        "es": "Fortalecer las capacidades de las personas consejeras de empleo en los Países Miembros de la CRM en "
              "materia de identificación de perfiles ocupacionales de la población migrante, desde una perspectiva "
              "de derechos humanos, género e inclusión.",
        "en": "Strengthen the capacities of employment counselors in RCM Member Countries to identify the "
              "occupational profiles of migrants, from a human-rights, gender and inclusion perspective.",
    },
    "specific_objectives": {
        "es": "Profundizar el conocimiento sobre migración laboral y la importancia de abordarla bajo un enfoque de "
              "derechos humanos, género e inclusión.\n"
              "Promover el intercambio de buenas prácticas en materia de atención, tomando en cuenta situaciones de "
              "vulnerabilidad.\n"
              "Analizar los beneficios de mejorar las prácticas de inclusión laboral de la población trabajadora "
              "migrante, con énfasis en el trabajo digno, el reclutamiento ético y la responsabilidad corporativa.",
        "en": "Deepen knowledge of labour migration and of approaching it from a human-rights, gender and inclusion "
              "perspective.\n"
              "Promote the exchange of good practices in services, taking situations of vulnerability into account.\n"
              "Analyse the benefits of better labour-inclusion practices for migrant workers, with emphasis on decent "
              "work, ethical recruitment and corporate responsibility.",
    },
    "timezone": "America/Mexico_City",
    "languages": ["es", "en"],
}

def demo_dates(today):
    """(start, end) of the demo: the concept note's shape (sessions Tuesday to Friday, courses due a week later),
    placed four weeks back so the demo has a finished program whose personal links still work."""
    start = today - timedelta(days=28)
    start -= timedelta(days=(start.weekday() - 1) % 7)  # back to a Tuesday, as on 26 October 2021
    return start, start + timedelta(days=10)


# The Regional Conference on Migration's member countries, as listed in the concept note.
MEMBER_COUNTRIES = ("BZ", "CA", "CR", "SV", "US", "GT", "HN", "MX", "NI", "PA", "DO")
ENGLISH_SPEAKING = {"BZ", "CA", "US"}

OBSERVERS = (
    ("Red Regional de Organizaciones Civiles para las Migraciones (RROCM)", 4),
    ("Alto Comisionado de las Naciones Unidas para los Refugiados (ACNUR)", 2),
)

INSTITUTIONS = {
    "BZ": ("Labour Department, Ministry of Rural Transformation", "Belize Training and Employment Centre"),
    "CA": ("Employment and Social Development Canada", "Immigration, Refugees and Citizenship Canada"),
    "CR": ("Ministerio de Trabajo y Seguridad Social", "Instituto Nacional de Aprendizaje"),
    "SV": ("Ministerio de Trabajo y Previsión Social", "Instituto Salvadoreño de Formación Profesional"),
    "US": ("U.S. Department of Labor", "State Workforce Agency"),
    "GT": ("Ministerio de Trabajo y Previsión Social", "Instituto Técnico de Capacitación y Productividad"),
    "HN": ("Secretaría de Trabajo y Seguridad Social", "Instituto Nacional de Formación Profesional"),
    "MX": ("Servicio Nacional de Empleo, Secretaría del Trabajo y Previsión Social", "Instituto Nacional de Migración"),
    "NI": ("Ministerio del Trabajo", "Instituto Nacional Tecnológico"),
    "PA": ("Ministerio de Trabajo y Desarrollo Laboral", "Instituto Nacional de Formación Profesional"),
    "DO": ("Ministerio de Trabajo, Dirección General de Empleo", "Instituto Nacional de Formación Técnico Profesional"),
}

SPANISH_NAMES = {
    "female": ("María José", "Ana Lucía", "Sofía", "Valeria", "Ximena", "Guadalupe", "Rocío", "Marisol", "Inés",
               "Fátima", "Lucía", "Begoña", "Araceli", "Nayeli", "Yolanda"),
    "male": ("José Ángel", "Luis Fernando", "Andrés", "Jesús", "Íñigo", "Óscar", "Raúl", "Joaquín", "Martín",
             "Héctor", "Julián", "Ramón", "Adrián", "Ernesto", "Germán"),
}
SPANISH_SURNAMES = ("Hernández", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez", "Ramírez",
                    "Cruz", "Gómez", "Díaz", "Jiménez", "Núñez", "Álvarez", "Muñoz", "Ortiz", "Peña", "Castañeda",
                    "Ibáñez", "Echeverría", "Solís", "Quiñónez", "Zúñiga", "Velásquez", "Durán")
ENGLISH_NAMES = {
    "female": ("Emily", "Chloé", "Grace", "Hannah", "Olivia", "Renée", "Abigail", "Zoë", "Megan", "Noémie"),
    "male": ("James", "Michael", "Daniel", "Noah", "Étienne", "Liam", "Jerome", "Kevin", "Samuel", "François"),
}
ENGLISH_SURNAMES = ("Smith", "Johnson", "Williams", "Brown", "Tremblay", "Gagnon", "Young", "Flowers", "Usher",
                    "Castillo", "O'Brien", "Bouchard", "Nguyen", "Thompson", "Côté")

POSITIONS = {
    "employment_counselor": ("Consejera de empleo", "Consejero de empleo", "Employment Counselor"),
    "labor_inspector": ("Inspectora de trabajo", "Inspector de trabajo", "Labour Inspector"),
    "employer_liaison": ("Enlace con empleadores", "Enlace con empleadores", "Employer Liaison Officer"),
    "tvet_representative": ("Coordinadora de formación técnica", "Coordinador de formación técnica",
                            "Vocational Training Coordinator"),
    "recognition_official": ("Analista de homologación", "Analista de homologación", "Credential Assessment Officer"),
}
PROFILE_WEIGHTS = (("employment_counselor", 5), ("labor_inspector", 2), ("employer_liaison", 2),
                   ("tvet_representative", 1), ("recognition_official", 1))


@dataclass(frozen=True)
class DemoPerson:
    given_names: str
    family_names: str
    email: str
    gender: str
    profile: str
    position: str
    institution: str
    language: str


def ascii_slug(text):
    """'José Ángel' → 'jose.angel', for invented e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ".".join("".join(ch for ch in part if ch.isalnum()) for part in plain.lower().split())


def delegation_people(country_code, count=10, seed=2021):
    """`count` invented participants for a member country, the same on every call."""
    rng = random.Random(f"{seed}-{country_code}")
    english = country_code in ENGLISH_SPEAKING
    names, surnames = (ENGLISH_NAMES, ENGLISH_SURNAMES) if english else (SPANISH_NAMES, SPANISH_SURNAMES)
    profiles = [p for p, weight in PROFILE_WEIGHTS for _ in range(weight)]
    people, used = [], set()
    while len(people) < count:
        gender = rng.choice(("female", "male"))
        given = rng.choice(names[gender])
        family = rng.choice(surnames) if english else f"{rng.choice(surnames)} {rng.choice(surnames)}"
        email = f"{ascii_slug(given)}.{ascii_slug(family.split()[0])}.{country_code.lower()}@example.org"
        if email in used:
            continue
        used.add(email)
        profile = rng.choice(profiles)
        feminine, masculine, english_title = POSITIONS[profile]
        position = english_title if english else (feminine if gender == "female" else masculine)
        people.append(DemoPerson(given, family, email, gender, profile, position,
                                 rng.choice(INSTITUTIONS[country_code]), "en" if english else "es"))
    return people


def observer_people(organization, count, seed=2021):
    """Invented members of an observer organization's delegation."""
    rng = random.Random(f"{seed}-{organization}")
    people = []
    for index in range(count):
        gender = ("female", "male")[index % 2]
        given = rng.choice(SPANISH_NAMES[gender])
        family = f"{rng.choice(SPANISH_SURNAMES)} {rng.choice(SPANISH_SURNAMES)}"
        email = f"{ascii_slug(given)}.{ascii_slug(family.split()[0])}.obs{index + 1}@example.org"
        people.append(DemoPerson(given, family, email, gender, "other", "Oficial de programas", organization, "es"))
    return people


# Delegations whose focal point has not sent contact details yet, so the dashboard shows that gap.
NO_CONTACT_YET = {"SV", "DO"}


def focal_point_contact(country_code):
    """Invented focal-point contact details of a member country's delegation (empty where still missing)."""
    if country_code in NO_CONTACT_YET:
        return {}
    label = "Focal point" if country_code in ENGLISH_SPEAKING else "Punto focal"
    return {
        "focal_point_name": f"{label} CRM ({country_code})",
        "focal_point_email": f"punto.focal.crm.{country_code.lower()}@example.org",
        "focal_point_phone": "",
    }


STAFF = (
    ("admin@capacita.example", "Secretaría Ejecutiva de la CRM", "admin", None),
    ("organizadora@capacita.example", "Coordinación del Grupo de Migración Laboral", "organizer", None),
    ("facilitadora@capacita.example", "Facilitación OIM", "facilitator", None),
    ("punto.focal.mx@capacita.example", "Punto focal de México", "focal_point", "MX"),
    ("punto.focal.gt@capacita.example", "Punto focal de Guatemala", "focal_point", "GT"),
    ("focal.point.ca@capacita.example", "Canada focal point", "focal_point", "CA"),
)
DEMO_PASSWORD = "capacita-demo"


SECRETARIAT, IOM, ILO, GROUP = ("Secretaría Ejecutiva de la CRM", "OIM", "OIT",
                                "Coordinación del Grupo de Migración Laboral")

# (code, day after the start, title es, title en, [(start, end, kind, title es, title en, facilitation, speakers)])
SESSIONS = (
    ("S1", 0, "Sesión virtual 1: Migración laboral y consejerías de empleo",
     "Virtual session 1: Labour migration and employment counseling", [
         ("14:00", "14:10", "welcome", "Indicaciones generales y palabras de bienvenida",
          "General instructions and welcome remarks", SECRETARIAT,
          "Dirección Regional de la OIM; Servicio Nacional de Empleo (México)"),
         ("14:10", "14:20", "pre_test", "Evaluación previa del nivel de conocimiento (pre-test)",
          "Prior assessment of knowledge (pre-test)", IOM, ""),
         ("14:20", "14:45", "presentation", "Presentación: Tendencias migratorias en la región",
          "Presentation: Migration trends in the region", SECRETARIAT, "Unidad Regional de Datos (OIM)"),
         ("14:45", "14:55", "qa", "Preguntas y respuestas con participantes", "Questions and answers", SECRETARIAT,
          ""),
         ("14:55", "15:20", "presentation", "Presentación: Estimaciones de personas trabajadoras migrantes (OIT)",
          "Presentation: Estimates of migrant workers (ILO)", ILO, ""),
         ("15:20", "15:30", "qa", "Preguntas y respuestas con participantes", "Questions and answers", SECRETARIAT,
          ""),
         ("15:30", "16:00", "panel", "Panel: Buenas prácticas de las personas consejeras de empleo",
          "Panel: Good practices of employment counselors", GROUP,
          "Servicio Nacional de Empleo (México); Dirección Nacional de Empleo (República Dominicana); RROCM"),
         ("16:00", "16:05", "closing", "Cierre de sesión", "Closing", SECRETARIAT, ""),
     ]),
    ("S2", 2, "Sesión virtual 2: Capacidades y áreas de oportunidad de las consejerías de empleo",
     "Virtual session 2: Capacities and opportunities to improve employment counseling", [
         ("14:00", "14:25", "presentation", "Presentación: La experiencia de los servicios nacionales de empleo "
          "en Sudamérica", "Presentation: The experience of national employment services in South America",
          SECRETARIAT, "Especialista regional en movilidad laboral, OIM"),
         ("14:25", "14:35", "qa", "Preguntas y respuestas con participantes", "Questions and answers", SECRETARIAT,
          ""),
         ("14:35", "14:40", "group_work_explanation", "Explicación del trabajo en grupos",
          "Explanation of the group work", IOM, ""),
         ("14:40", "15:10", "group_work", "Trabajo en grupos por países: capacidades existentes y áreas de "
          "oportunidad", "Group work by country clusters: existing capacities and areas of opportunity", ILO, ""),
         ("15:10", "15:20", "plenary", "Plenaria: resultados del trabajo en grupos", "Plenary: group results", ILO,
          ""),
         ("15:20", "15:50", "panel", "Panel: Cómo incorporar la dimensión migratoria en las consejerías de empleo",
          "Panel: Bringing migration into employment counseling", GROUP,
          "Personas consejeras de empleo de Panamá, México y El Salvador"),
         ("15:50", "16:00", "qa", "Preguntas y respuestas con participantes", "Questions and answers", SECRETARIAT,
          ""),
         ("16:00", "16:05", "closing", "Cierre de sesión", "Closing", SECRETARIAT, ""),
     ]),
    ("S3", 3, "Sesión virtual 3: Modelo para la determinación de la vulnerabilidad de personas migrantes",
     "Virtual session 3: A model to determine the vulnerability of migrants", [
         ("14:00", "14:30", "presentation", "Presentación: Modelo para la determinación de la vulnerabilidad",
          "Presentation: The vulnerability determination model", SECRETARIAT, "OIM"),
         ("14:30", "14:40", "qa", "Preguntas y respuestas con participantes", "Questions and answers", SECRETARIAT,
          ""),
         ("14:40", "15:10", "group_work", "Trabajo en grupos: estudio de un caso por perspectivas",
          "Group work: a case study from four perspectives", IOM, ""),
         ("15:10", "15:30", "plenary", "Presentación de los análisis desde las diferentes perspectivas",
          "Presenting the analyses from each perspective", IOM, ""),
         ("15:30", "15:40", "qa", "Preguntas y respuestas", "Questions and answers", SECRETARIAT, ""),
         ("15:40", "15:50", "post_test", "Evaluación posterior (post-test)", "Final assessment (post-test)", IOM, ""),
         ("15:50", "16:00", "plenary", "Balance final del Programa", "Closing review of the program", GROUP, ""),
         ("16:00", "16:05", "closing", "Cierre de sesión y recordatorio de los cursos en línea",
          "Closing and reminder of the online courses", SECRETARIAT, ""),
     ]),
)

# (code, title es, title en, required, link)
COURSES = (
    ("C1", "Curso: Responsabilidad corporativa y migración laboral",
     "Course: Corporate responsibility and labour migration", True, "https://www.ecampus.iom.int/course/view.php?id=261"),
    ("C2", "Curso: Tendencias migratorias en América Latina y el Caribe",
     "Course: Migration trends in Latin America and the Caribbean", True,
     "https://www.ecampus.iom.int/enrol/index.php?id=197"),
    ("C3", "Curso: Protección y asistencia para migrantes vulnerables a la violencia, la explotación y el abuso",
     "Course: Protection and assistance for migrants vulnerable to violence, exploitation and abuse", False,
     "https://www.ecampus.iom.int/enrol/index.php?id=525"),
)


def attendance_plan(people_count, activity_codes, seed=2021):
    """Realistic marks for the demo: most present, a few late or absent, one excused, one who skipped a course.
    Returns {person index: {activity code: status}} for every person and activity."""
    rng = random.Random(seed)
    plan = {}
    for index in range(people_count):
        marks = {}
        for code in activity_codes:
            if code.startswith("C"):
                marks[code] = "completed" if rng.random() < 0.98 else "partial"
            else:
                roll = rng.random()
                marks[code] = "present" if roll < 0.92 else "late" if roll < 0.985 else "absent"
        plan[index] = marks
    plan[0] = {code: ("excused" if code == "S2" else "completed" if code.startswith("C") else "present")
               for code in activity_codes}
    plan[1] = {code: ("absent" if code == "C2" else "completed" if code.startswith("C") else "present")
               for code in activity_codes}
    return plan

# Group work as the concept note plans it: session 2 by country clusters, session 3 by four perspectives.
GROUP_WORK = {
    "S2": {
        "strategy": "clusters",
        "groups": [("Grupo 1", ["BZ", "CR", "MX", "PA", "DO"], None), ("Grupo 2", ["GT", "SV", "HN", "NI"], None)],
        "questions": {
            "es": "¿Cuáles son las capacidades existentes en las consejerías de empleo para atender a la población "
                  "migrante?\n¿Cuáles son las áreas de oportunidad?",
            "en": "What capacities do employment counseling services already have to serve migrants?\n"
                  "Where are the opportunities to improve?",
        },
        "conclusions": [
            "Existen protocolos de atención, pero pocos consideran la situación migratoria.\n"
            "Área de oportunidad: capacitación continua y vinculación con empleadores.",
            "Las oficinas cuentan con personal comprometido, con poca formación en migración laboral.\n"
            "Área de oportunidad: homologación de competencias y registro de perfiles.",
        ],
    },
    "S3": {
        "strategy": "balanced",
        "seed": 2021,
        "groups": [("Grupo 1", None, {"es": "Protección / derechos laborales",
                                      "en": "Protection / labour rights"}),
                   ("Grupo 2", None, {"es": "Inclusión laboral", "en": "Labour inclusion"}),
                   ("Grupo 3", None, {"es": "Gobernanza", "en": "Governance"}),
                   ("Grupo 4", None, {"es": "Empleabilidad", "en": "Employability"})],
        "questions": {
            "es": "¿Qué factores de vulnerabilidad identifican en el caso?\n"
                  "¿Qué servicios de la consejería de empleo pueden responder a ellos?\n"
                  "¿Con qué instituciones habría que coordinarse?",
            "en": "Which vulnerability factors do you identify in the case?\n"
                  "Which employment counseling services can respond to them?\n"
                  "Which institutions should be involved?",
        },
        "conclusions": [],
    },
}


# --- the second program: the same network a cohort later, for the portfolio -----------------------------------

SECOND_PROGRAM = {
    "code": "CRM-CE-2022",
    "title": {
        "es": "Segundo ciclo de formación de personas consejeras de empleo: integración laboral de personas migrantes",
        "en": "Second cycle of employment counselor training: labour integration of migrants",
    },
    "description": {
        "es": "La segunda edición del programa del Grupo de Migración Laboral de la CRM, con apoyo de la OIM, para "
              "una nueva cohorte y algunas personas que ya participaron en la primera.",
        "en": "The second edition of the RCM Labour Migration Group's program, supported by IOM, for a new cohort "
              "and some who took part in the first.",
    },
    "general_objective": {}, "specific_objectives": {},
    "timezone": "America/Mexico_City",
    "languages": ["es", "en"],
}
SECOND_COUNTRIES = ("BZ", "CR", "SV", "GT", "HN", "MX", "PA", "DO")
SECOND_COHORT, RETURNING = 8, 2  # people per delegation, of whom this many took part in the first program


def second_dates(today):
    """(start, end) of the second program: two weeks after the first began, so both are over and comparable."""
    start, _end = demo_dates(today)
    start += timedelta(days=14)
    return start, start + timedelta(days=10)


def second_people(country_code, count=SECOND_COHORT, returning=RETURNING):
    """A member country's second cohort: `returning` people of its first delegation (same e-mail) and new ones."""
    first = delegation_people(country_code)
    earlier = first[:returning]
    known = {person.email for person in first}  # the others of the first program do not come back
    new = [person for person in delegation_people(country_code, count + returning, seed=2022)
           if person.email not in known]
    return earlier + new[:count - returning]
