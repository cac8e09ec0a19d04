"""The fixed lists a lesson links to: the 17 Sustainable Development Goals and the Global Compact for Migration's 10
guiding principles and 23 objectives, in the official English wording (the catalogs hold the UN's es/fr wording)."""
from flask_babel import lazy_gettext as _l

SDGS = {
    1: _l("No poverty"),
    2: _l("Zero hunger"),
    3: _l("Good health and well-being"),
    4: _l("Quality education"),
    5: _l("Gender equality"),
    6: _l("Clean water and sanitation"),
    7: _l("Affordable and clean energy"),
    8: _l("Decent work and economic growth"),
    9: _l("Industry, innovation and infrastructure"),
    10: _l("Reduced inequalities"),
    11: _l("Sustainable cities and communities"),
    12: _l("Responsible consumption and production"),
    13: _l("Climate action"),
    14: _l("Life below water"),
    15: _l("Life on land"),
    16: _l("Peace, justice and strong institutions"),
    17: _l("Partnerships for the goals"),
}

# The Global Compact for Safe, Orderly and Regular Migration (A/RES/73/195), paragraph 15.
GCM_PRINCIPLES = {
    "a": _l("People-centred"),
    "b": _l("International cooperation"),
    "c": _l("National sovereignty"),
    "d": _l("Rule of law and due process"),
    "e": _l("Sustainable development"),
    "f": _l("Human rights"),
    "g": _l("Gender-responsive"),
    "h": _l("Child-sensitive"),
    "i": _l("Whole-of-government approach"),
    "j": _l("Whole-of-society approach"),
}

# The Compact's objectives, paragraph 16.
GCM_OBJECTIVES = {
    1: _l("Collect and utilize accurate and disaggregated data as a basis for evidence-based policies"),
    2: _l("Minimize the adverse drivers and structural factors that compel people to leave their country of origin"),
    3: _l("Provide accurate and timely information at all stages of migration"),
    4: _l("Ensure that all migrants have proof of legal identity and adequate documentation"),
    5: _l("Enhance availability and flexibility of pathways for regular migration"),
    6: _l("Facilitate fair and ethical recruitment and safeguard conditions that ensure decent work"),
    7: _l("Address and reduce vulnerabilities in migration"),
    8: _l("Save lives and establish coordinated international efforts on missing migrants"),
    9: _l("Strengthen the transnational response to smuggling of migrants"),
    10: _l("Prevent, combat and eradicate trafficking in persons in the context of international migration"),
    11: _l("Manage borders in an integrated, secure and coordinated manner"),
    12: _l("Strengthen certainty and predictability in migration procedures for appropriate screening, assessment "
           "and referral"),
    13: _l("Use migration detention only as a measure of last resort and work towards alternatives"),
    14: _l("Enhance consular protection, assistance and cooperation throughout the migration cycle"),
    15: _l("Provide access to basic services for migrants"),
    16: _l("Empower migrants and societies to realize full inclusion and social cohesion"),
    17: _l("Eliminate all forms of discrimination and promote evidence-based public discourse to shape perceptions "
           "of migration"),
    18: _l("Invest in skills development and facilitate mutual recognition of skills, qualifications and "
           "competences"),
    19: _l("Create conditions for migrants and diasporas to fully contribute to sustainable development in all "
           "countries"),
    20: _l("Promote faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants"),
    21: _l("Cooperate in facilitating safe and dignified return and readmission, as well as sustainable "
           "reintegration"),
    22: _l("Establish mechanisms for the portability of social security entitlements and earned benefits"),
    23: _l("Strengthen international cooperation and global partnerships for safe, orderly and regular migration"),
}


def sdg_label(number):
    """'4. Quality education' in the current language."""
    return f"{number}. {SDGS[number]}"


def principle_label(letter):
    """'a) People-centred' in the current language."""
    return f"{letter}) {GCM_PRINCIPLES[letter]}"


def objective_label(number):
    """'7. Address and reduce vulnerabilities in migration' in the current language."""
    return f"{number}. {GCM_OBJECTIVES[number]}"


def sdg_choices():
    return [(number, sdg_label(number)) for number in SDGS]


def principle_choices():
    return [(letter, principle_label(letter)) for letter in GCM_PRINCIPLES]


def objective_choices():
    return [(number, objective_label(number)) for number in GCM_OBJECTIVES]
