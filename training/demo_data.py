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
        "fr": "Programme de formation pour la sensibilisation et la professionnalisation des conseillères et "
              "conseillers d'emploi",
        "pt": "Programa de capacitação para a sensibilização e profissionalização de conselheiras e conselheiros "
              "de emprego",
    },
    "description": {
        "es": "Programa del Grupo de Migración Laboral de la Conferencia Regional sobre Migración (CRM), con apoyo "
              "de la OIM: dos cursos en línea y tres sesiones virtuales de dos horas sobre migración laboral, "
              "consejerías de empleo y determinación de la vulnerabilidad de personas migrantes.",
        "en": "A program of the Labour Migration Group of the Regional Conference on Migration (RCM), supported by "
              "IOM: two online courses and three two-hour virtual sessions on labour migration, employment "
              "counseling and determining the vulnerability of migrants.",
        "fr": "Un programme du Groupe sur la migration de main-d'œuvre de la Conférence régionale sur la migration "
              "(CRM), avec l'appui de l'OIM : deux cours en ligne et trois séances virtuelles de deux heures sur la "
              "migration de main-d'œuvre, le conseil en emploi et la détermination de la vulnérabilité des "
              "personnes migrantes.",
        "pt": "Um programa do Grupo de Migração Laboral da Conferência Regional sobre Migração (CRM), com apoio da "
              "OIM: dois cursos on-line e três sessões virtuais de duas horas sobre migração laboral, "
              "aconselhamento de emprego e determinação da vulnerabilidade de pessoas migrantes.",
    },
    "general_objective": {
        "es": "Fortalecer las capacidades de las personas consejeras de empleo en los Países Miembros de la CRM en "
              "materia de identificación de perfiles ocupacionales de la población migrante, desde una perspectiva "
              "de derechos humanos, género e inclusión.",
        "en": "Strengthen the capacities of employment counselors in RCM Member Countries to identify the "
              "occupational profiles of migrants, from a human-rights, gender and inclusion perspective.",
        "fr": "Renforcer les capacités des conseillères et conseillers d'emploi des Pays membres de la CRM à "
              "identifier les profils professionnels des personnes migrantes, dans une perspective de droits "
              "humains, de genre et d'inclusion.",
        "pt": "Fortalecer as capacidades das conselheiras e dos conselheiros de emprego dos Países Membros da CRM "
              "para identificar os perfis ocupacionais da população migrante, a partir de uma perspectiva de "
              "direitos humanos, gênero e inclusão.",
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
        "fr": "Approfondir la connaissance de la migration de main-d'œuvre et l'importance de l'aborder selon une "
              "approche fondée sur les droits humains, le genre et l'inclusion.\n"
              "Favoriser l'échange de bonnes pratiques d'accueil et d'accompagnement, en tenant compte des situations "
              "de vulnérabilité.\n"
              "Analyser les avantages de meilleures pratiques d'insertion professionnelle des travailleuses et "
              "travailleurs migrants, en mettant l'accent sur le travail décent, le recrutement éthique et la "
              "responsabilité des entreprises.",
        "pt": "Aprofundar o conhecimento sobre migração laboral e a importância de abordá-la a partir de um enfoque "
              "de direitos humanos, gênero e inclusão.\n"
              "Promover o intercâmbio de boas práticas de atendimento, levando em conta situações de "
              "vulnerabilidade.\n"
              "Analisar os benefícios de melhorar as práticas de inclusão laboral da população trabalhadora migrante, "
              "com ênfase no trabalho digno, no recrutamento ético e na responsabilidade corporativa.",
    },
    "timezone": "America/Mexico_City",
    "languages": ["es", "en", "fr", "pt"],
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
# Canadians of the demo who work in French (their names are drawn like the others'; only their language differs, so
# the people, their answers and every figure of the demo stay the same).
FRENCH_SPEAKING = {"etienne.bouchard.ca@example.org", "renee.tremblay.ca@example.org",
                   "noemie.castillo.ca@example.org"}

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
FRENCH_POSITIONS = {
    "employment_counselor": ("Conseillère en emploi", "Conseiller en emploi"),
    "labor_inspector": ("Inspectrice du travail", "Inspecteur du travail"),
    "employer_liaison": ("Agente de liaison avec les employeurs", "Agent de liaison avec les employeurs"),
    "tvet_representative": ("Coordonnatrice de la formation professionnelle",
                            "Coordonnateur de la formation professionnelle"),
    "recognition_official": ("Agente d'évaluation des diplômes", "Agent d'évaluation des diplômes"),
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
        language = "en" if english else "es"
        if email in FRENCH_SPEAKING:
            language, position = "fr", FRENCH_POSITIONS[profile][0 if gender == "female" else 1]
        people.append(DemoPerson(given, family, email, gender, profile, position,
                                 rng.choice(INSTITUTIONS[country_code]), language))
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


# (e-mail, name, role, country of a focal point, the account's language)
STAFF = (
    ("admin@capacita.example", "Secretaría Ejecutiva de la CRM", "admin", None, "es"),
    ("organizadora@capacita.example", "Coordinación del Grupo de Migración Laboral", "organizer", None, "es"),
    ("organizacao.pt@capacita.example", "Coordenação do Grupo de Migração Laboral", "organizer", None, "pt"),
    ("facilitadora@capacita.example", "Facilitación OIM", "facilitator", None, "es"),
    ("punto.focal.mx@capacita.example", "Punto focal de México", "focal_point", "MX", "es"),
    ("punto.focal.gt@capacita.example", "Punto focal de Guatemala", "focal_point", "GT", "es"),
    ("focal.point.ca@capacita.example", "Canada focal point", "focal_point", "CA", "en"),
)
DEMO_PASSWORD = "capacita-demo"


SECRETARIAT, IOM, ILO, GROUP = ("Secretaría Ejecutiva de la CRM", "OIM", "OIT",
                                "Coordinación del Grupo de Migración Laboral")


def texts(es, en, fr, pt):
    """One text in the demo's four languages, Spanish (the default) first."""
    return {"es": es, "en": en, "fr": fr, "pt": pt}


# The demo's groups are named in its four languages (a reader sees "Group 2", "Groupe 2", not "Grupo 2").
GROUP_NAMES = [texts(f"Grupo {n}", f"Group {n}", f"Groupe {n}", f"Grupo {n}") for n in range(1, 5)]

QA = texts("Preguntas y respuestas con participantes", "Questions and answers",
           "Questions et réponses avec les personnes participantes", "Perguntas e respostas com participantes")
CLOSING = texts("Cierre de sesión", "Closing", "Clôture de la séance", "Encerramento da sessão")

# (code, day after the start, title, [(start, end, kind, title, facilitation, speakers)]); titles are
# {language: text} in the program's four languages (facilitation and speakers are names, in one language).
SESSIONS = (
    ("S1", 0, texts("Sesión virtual 1: Migración laboral y consejerías de empleo",
                    "Virtual session 1: Labour migration and employment counseling",
                    "Séance virtuelle 1 : Migration de main-d'œuvre et conseil en emploi",
                    "Sessão virtual 1: Migração laboral e aconselhamento de emprego"), [
        ("14:00", "14:10", "welcome", texts("Indicaciones generales y palabras de bienvenida",
                                            "General instructions and welcome remarks",
                                            "Consignes générales et mot de bienvenue",
                                            "Orientações gerais e palavras de boas-vindas"), SECRETARIAT,
         "Dirección Regional de la OIM; Servicio Nacional de Empleo (México)"),
        ("14:10", "14:20", "pre_test", texts("Evaluación previa del nivel de conocimiento (pre-test)",
                                             "Prior assessment of knowledge (pre-test)",
                                             "Évaluation préalable des connaissances (pré-test)",
                                             "Avaliação prévia do nível de conhecimento (pré-teste)"), IOM, ""),
        ("14:20", "14:45", "presentation", texts("Presentación: Tendencias migratorias en la región",
                                                 "Presentation: Migration trends in the region",
                                                 "Présentation : Tendances migratoires dans la région",
                                                 "Apresentação: Tendências migratórias na região"), SECRETARIAT,
         "Unidad Regional de Datos (OIM)"),
        ("14:45", "14:55", "qa", QA, SECRETARIAT, ""),
        ("14:55", "15:20", "presentation", texts(
            "Presentación: Estimaciones de personas trabajadoras migrantes (OIT)",
            "Presentation: Estimates of migrant workers (ILO)",
            "Présentation : Estimations des travailleuses et travailleurs migrants (OIT)",
            "Apresentação: Estimativas de pessoas trabalhadoras migrantes (OIT)"), ILO, ""),
        ("15:20", "15:30", "qa", QA, SECRETARIAT, ""),
        ("15:30", "16:00", "panel", texts("Panel: Buenas prácticas de las personas consejeras de empleo",
                                          "Panel: Good practices of employment counselors",
                                          "Panel : Bonnes pratiques des conseillères et conseillers d'emploi",
                                          "Painel: Boas práticas de conselheiras e conselheiros de emprego"),
         GROUP, "Servicio Nacional de Empleo (México); Dirección Nacional de Empleo (República Dominicana); RROCM"),
        ("16:00", "16:05", "closing", CLOSING, SECRETARIAT, ""),
    ]),
    ("S2", 2, texts("Sesión virtual 2: Capacidades y áreas de oportunidad de las consejerías de empleo",
                    "Virtual session 2: Capacities and opportunities to improve employment counseling",
                    "Séance virtuelle 2 : Capacités et pistes d'amélioration du conseil en emploi",
                    "Sessão virtual 2: Capacidades e oportunidades de melhoria do aconselhamento de emprego"), [
        ("14:00", "14:25", "presentation", texts(
            "Presentación: La experiencia de los servicios nacionales de empleo en Sudamérica",
            "Presentation: The experience of national employment services in South America",
            "Présentation : L'expérience des services nationaux de l'emploi en Amérique du Sud",
            "Apresentação: A experiência dos serviços nacionais de emprego na América do Sul"),
         SECRETARIAT, "Especialista regional en movilidad laboral, OIM"),
        ("14:25", "14:35", "qa", QA, SECRETARIAT, ""),
        ("14:35", "14:40", "group_work_explanation", texts("Explicación del trabajo en grupos",
                                                           "Explanation of the group work",
                                                           "Explication du travail en groupe",
                                                           "Explicação do trabalho em grupo"), IOM, ""),
        ("14:40", "15:10", "group_work", texts(
            "Trabajo en grupos por países: capacidades existentes y áreas de oportunidad",
            "Group work by country clusters: existing capacities and areas of opportunity",
            "Travail en groupe par pays : capacités existantes et pistes d'amélioration",
            "Trabalho em grupo por países: capacidades existentes e oportunidades de melhoria"), ILO, ""),
        ("15:10", "15:20", "plenary", texts("Plenaria: resultados del trabajo en grupos", "Plenary: group results",
                                            "Plénière : résultats du travail en groupe",
                                            "Plenária: resultados do trabalho em grupo"), ILO, ""),
        ("15:20", "15:50", "panel", texts(
            "Panel: Cómo incorporar la dimensión migratoria en las consejerías de empleo",
            "Panel: Bringing migration into employment counseling",
            "Panel : Intégrer la dimension migratoire dans le conseil en emploi",
            "Painel: Como incorporar a dimensão migratória no aconselhamento de emprego"), GROUP,
         "Personas consejeras de empleo de Panamá, México y El Salvador"),
        ("15:50", "16:00", "qa", QA, SECRETARIAT, ""),
        ("16:00", "16:05", "closing", CLOSING, SECRETARIAT, ""),
    ]),
    ("S3", 3, texts("Sesión virtual 3: Modelo para la determinación de la vulnerabilidad de personas migrantes",
                    "Virtual session 3: A model to determine the vulnerability of migrants",
                    "Séance virtuelle 3 : Un modèle pour déterminer la vulnérabilité des personnes migrantes",
                    "Sessão virtual 3: Modelo para a determinação da vulnerabilidade de pessoas migrantes"), [
        ("14:00", "14:30", "presentation", texts(
            "Presentación: Modelo para la determinación de la vulnerabilidad",
            "Presentation: The vulnerability determination model",
            "Présentation : Le modèle de détermination de la vulnérabilité",
            "Apresentação: Modelo para a determinação da vulnerabilidade"), SECRETARIAT, "OIM"),
        ("14:30", "14:40", "qa", QA, SECRETARIAT, ""),
        ("14:40", "15:10", "group_work", texts("Trabajo en grupos: estudio de un caso por perspectivas",
                                               "Group work: a case study from four perspectives",
                                               "Travail en groupe : étude d'un cas selon quatre perspectives",
                                               "Trabalho em grupo: estudo de um caso a partir de quatro "
                                               "perspectivas"), IOM, ""),
        ("15:10", "15:30", "plenary", texts("Presentación de los análisis desde las diferentes perspectivas",
                                            "Presenting the analyses from each perspective",
                                            "Présentation des analyses selon chaque perspective",
                                            "Apresentação das análises a partir de cada perspectiva"), IOM, ""),
        ("15:30", "15:40", "qa", texts("Preguntas y respuestas", "Questions and answers", "Questions et réponses",
                                       "Perguntas e respostas"), SECRETARIAT, ""),
        ("15:40", "15:50", "post_test", texts("Evaluación posterior (post-test)", "Final assessment (post-test)",
                                              "Évaluation finale (post-test)", "Avaliação final (pós-teste)"),
         IOM, ""),
        ("15:50", "16:00", "plenary", texts("Balance final del Programa", "Closing review of the program",
                                            "Bilan final du programme", "Balanço final do programa"), GROUP, ""),
        ("16:00", "16:05", "closing", texts("Cierre de sesión y recordatorio de los cursos en línea",
                                            "Closing and reminder of the online courses",
                                            "Clôture de la séance et rappel des cours en ligne",
                                            "Encerramento da sessão e lembrete dos cursos on-line"),
         SECRETARIAT, ""),
    ]),
)

# (code, title, required, link)
COURSES = (
    ("C1", texts("Curso: Responsabilidad corporativa y migración laboral",
                 "Course: Corporate responsibility and labour migration",
                 "Cours : Responsabilité des entreprises et migration de main-d'œuvre",
                 "Curso: Responsabilidade corporativa e migração laboral"), True,
     "https://www.ecampus.iom.int/course/view.php?id=261"),
    ("C2", texts("Curso: Tendencias migratorias en América Latina y el Caribe",
                 "Course: Migration trends in Latin America and the Caribbean",
                 "Cours : Tendances migratoires en Amérique latine et dans les Caraïbes",
                 "Curso: Tendências migratórias na América Latina e no Caribe"), True,
     "https://www.ecampus.iom.int/enrol/index.php?id=197"),
    ("C3", texts("Curso: Protección y asistencia para migrantes vulnerables a la violencia, la explotación y el abuso",
                 "Course: Protection and assistance for migrants vulnerable to violence, exploitation and abuse",
                 "Cours : Protection et assistance des personnes migrantes vulnérables à la violence, à "
                 "l'exploitation et aux abus",
                 "Curso: Proteção e assistência a pessoas migrantes vulneráveis à violência, à exploração e ao "
                 "abuso"), False,
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
        "groups": [(GROUP_NAMES[0], ["BZ", "CR", "MX", "PA", "DO"], None),
                   (GROUP_NAMES[1], ["GT", "SV", "HN", "NI"], None)],
        "questions": texts(
            "¿Cuáles son las capacidades existentes en las consejerías de empleo para atender a la población "
            "migrante?\n¿Cuáles son las áreas de oportunidad?",
            "What capacities do employment counseling services already have to serve migrants?\n"
            "Where are the opportunities to improve?",
            "De quelles capacités les services de conseil en emploi disposent-ils déjà pour accompagner les "
            "personnes migrantes ?\nQuelles sont les pistes d'amélioration ?",
            "Quais capacidades os serviços de aconselhamento de emprego já têm para atender a população migrante?\n"
            "Quais são as oportunidades de melhoria?"),
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
        "groups": [(GROUP_NAMES[0], None, texts("Protección / derechos laborales", "Protection / labour rights",
                                           "Protection / droits du travail", "Proteção / direitos trabalhistas")),
                   (GROUP_NAMES[1], None, texts("Inclusión laboral", "Labour inclusion", "Insertion professionnelle",
                                           "Inclusão laboral")),
                   (GROUP_NAMES[2], None, texts("Gobernanza", "Governance", "Gouvernance", "Governança")),
                   (GROUP_NAMES[3], None, texts("Empleabilidad", "Employability", "Employabilité", "Empregabilidade"))],
        "questions": texts(
            "¿Qué factores de vulnerabilidad identifican en el caso?\n"
            "¿Qué servicios de la consejería de empleo pueden responder a ellos?\n"
            "¿Con qué instituciones habría que coordinarse?",
            "Which vulnerability factors do you identify in the case?\n"
            "Which employment counseling services can respond to them?\n"
            "Which institutions should be involved?",
            "Quels facteurs de vulnérabilité repérez-vous dans le cas ?\n"
            "Quels services du conseil en emploi peuvent y répondre ?\n"
            "Avec quelles institutions faudrait-il se coordonner ?",
            "Quais fatores de vulnerabilidade vocês identificam no caso?\n"
            "Quais serviços do aconselhamento de emprego podem responder a eles?\n"
            "Com quais instituições seria preciso se coordenar?"),
        "conclusions": [],
    },
}


# --- the second program: the same network a cohort later, for the portfolio -----------------------------------

SECOND_PROGRAM = {
    "code": "CRM-CE-2022",
    "title": texts(
        "Segundo ciclo de formación de personas consejeras de empleo: integración laboral de personas migrantes",
        "Second cycle of employment counselor training: labour integration of migrants",
        "Deuxième cycle de formation des conseillères et conseillers d'emploi : intégration professionnelle des "
        "personnes migrantes",
        "Segundo ciclo de formação de conselheiras e conselheiros de emprego: integração laboral de pessoas "
        "migrantes"),
    "description": texts(
        "La segunda edición del programa del Grupo de Migración Laboral de la CRM, con apoyo de la OIM, para "
        "una nueva cohorte y algunas personas que ya participaron en la primera.",
        "The second edition of the RCM Labour Migration Group's program, supported by IOM, for a new cohort "
        "and some who took part in the first.",
        "La deuxième édition du programme du Groupe sur la migration de main-d'œuvre de la CRM, avec l'appui de "
        "l'OIM, pour une nouvelle cohorte et quelques personnes qui ont participé à la première.",
        "A segunda edição do programa do Grupo de Migração Laboral da CRM, com apoio da OIM, para uma nova turma e "
        "algumas pessoas que já participaram da primeira."),
    "general_objective": {}, "specific_objectives": {},
    "timezone": "America/Mexico_City",
    "languages": ["es", "en", "fr", "pt"],
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
