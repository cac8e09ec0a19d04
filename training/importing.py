"""Check a participant list (headers in Spanish, English, French or Portuguese; Excel's habits) row by row, before
anything is written."""
import re
from collections import Counter
from dataclasses import dataclass, field

from babel import Locale
from email_validator import EmailNotValidError, validate_email

from .countries import code_from_name, main_language
from .localized import SUPPORTED_LANGUAGES
from .textkeys import email_key, fold, squash_spaces

FIELDS = ("given_names", "family_names", "full_name", "email", "position", "institution", "country", "gender",
          "profile", "language", "family_name_1", "family_name_2")

# Header spellings people really type, compared with accents, case, spaces and punctuation removed.
HEADER_ALIASES = {
    "given_names": ("nombre", "nombres", "nombre s", "primer nombre", "nombre de pila", "first name", "firstname",
                    "given name", "given names", "forename", "first names",
                    "prenom", "prenoms", "prenom s",  # fr
                    "nome", "nomes", "primeiro nome", "prenome", "prenomes"),  # pt
    "family_names": ("apellido", "apellidos", "apellido s", "last name", "lastname", "surname", "surnames",
                     "family name", "family names",
                     "nom", "noms", "nom de famille", "noms de famille",  # fr
                     "sobrenome", "sobrenomes", "apelido", "apelidos"),  # pt
    "family_name_1": ("primer apellido", "apellido paterno", "first surname"),
    "family_name_2": ("segundo apellido", "apellido materno", "second surname"),
    "full_name": ("nombre completo", "nombre y apellido", "nombre y apellidos", "nombres y apellidos",
                  "full name", "name", "participant", "participante",
                  "nom complet", "prenom et nom", "participante", "nome completo"),
    "position": ("cargo", "puesto", "cargo puesto", "puesto cargo", "position", "job title", "title", "ocupacion",
                 "funcion", "poste", "fonction", "titre", "funcao", "posicao"),
    "institution": ("institucion", "afiliacion institucional", "afiliacion", "institution", "organization",
                    "organisation", "organizacion", "dependencia", "entidad", "affiliation", "ministerio",
                    "institutional affiliation", "organisme", "ministere", "instituicao", "organizacao", "orgao"),
    "email": ("correo", "correo electronico", "e mail", "email", "mail", "correo institucional", "email address",
              "e mail address", "direccion de correo", "direccion de correo electronico",
              "courriel", "adresse courriel", "adresse electronique", "adresse e mail", "endereco de e mail",
              "endereco de email", "correio eletronico"),
    "country": ("pais", "country", "pais de origem", "pais de origen", "delegacion", "delegation", "pays",
                "delegacao"),
    "gender": ("sexo", "genero", "gender", "sex", "genre", "sexe"),
    "profile": ("perfil", "profile", "perfil profesional", "categoria", "category", "profil", "categorie",
                "perfil profissional"),
    "language": ("idioma", "language", "idioma preferido", "preferred language", "lengua", "langue",
                 "langue preferee", "lingua"),
}
_HEADER_INDEX = {re.sub(r"[^a-z0-9]", "", alias): name for name, aliases in HEADER_ALIASES.items()
                 for alias in aliases}

GENDERS = {
    "female": ("f", "fem", "femenino", "femenina", "mujer", "female", "woman", "w", "femme", "feminin", "feminine",
               "mulher", "feminino"),
    "male": ("m", "masc", "masculino", "hombre", "male", "man", "h", "homme", "masculin", "homem"),
    "other": ("otro", "otra", "other", "x", "no binario", "no binaria", "non binary", "nonbinary", "autre",
              "non binaire", "outro", "outra", "nao binario", "nao binaria"),
    "undisclosed": ("prefiero no decir", "prefiere no decirlo", "prefiere no decir", "prefer not to say",
                    "prefers not to say", "no responde", "prefere ne pas repondre", "prefere ne pas le dire",
                    "ne souhaite pas repondre", "prefere nao dizer", "prefere nao responder", "prefiro nao dizer"),
    # An empty cell or a "no data" mark says nothing about the person: it is not an answer.
    "not_recorded": ("", "n a", "na", "nd", "sin dato", "sin datos", "no data", "not recorded", "no registrado",
                     "non renseigne", "non enregistre", "sem dados", "nao registrado", "nao informado"),
}
_GENDER_INDEX = {re.sub(r"[^a-z0-9]", "", alias): code for code, aliases in GENDERS.items() for alias in aliases}

# Words that give a profile away in the free text focal points write ("Consejera de empleo", "Labour inspector").
PROFILE_KEYWORDS = (
    ("recognition_official", ("homolog", "reconocimiento", "recognition", "credential", "convalid",
                              "reconnaissance", "reconhecimento", "revalid")),
    ("tvet_representative", ("formacion tecnica", "vocacional", "vocational", "tvet", "capacitacion tecnica",
                             "formation technique", "formation professionnelle", "formacao tecnica",
                             "formacao profissional", "ensino tecnico")),
    ("labor_inspector", ("inspector", "inspeccion", "inspection", "inspecteur", "inspetor", "inspecao")),
    ("employer_liaison", ("enlace", "vinculacion", "intermedia", "liaison", "employer", "empleador", "employeur",
                          "empregador", "intermediario")),
    ("employment_counselor", ("consejer", "orientador", "counsel", "asesor", "advisor", "adviser", "employment",
                              "conseill", "conselheir", "emploi", "emprego")),
    ("other", ("otro", "other", "autre", "outro")),
)
# A language by its code, by its name in any of the supported languages (CLDR: "francés", "French", "français",
# "francês") or by a spelling people type without accents.
_LANGUAGE_SPELLINGS = {"es": ("castellano",), "en": (), "fr": ("frances", "francais"), "pt": ("portugues",)}
LANGUAGES = {
    code: tuple(dict.fromkeys([code, *(fold(Locale.parse(reader).languages[code]) for reader in SUPPORTED_LANGUAGES),
                               *extra]))
    for code, extra in _LANGUAGE_SPELLINGS.items()
}
_LANGUAGE_INDEX = {alias: code for code, aliases in LANGUAGES.items() for alias in aliases}
MAX_LENGTHS = {"given_names": 120, "family_names": 120, "email": 254, "position": 200, "institution": 200}


@dataclass(frozen=True)
class DelegationSlot:
    id: int
    label: str
    country_code: str | None
    organization: str | None
    places_left: int


@dataclass(frozen=True)
class Existing:
    id: int
    delegation_id: int
    values: dict


@dataclass
class ImportContext:
    delegations: list  # DelegationSlot for every delegation the importer may write into
    existing: dict  # email key → Existing, for the whole program
    target_delegation_id: int | None = None  # rows without a country go here (and only here, when `locked`)
    locked: bool = False  # a focal point's import: every row must belong to target_delegation_id
    languages: tuple = SUPPORTED_LANGUAGES  # the program's, its default first
    # Exact spellings the interface itself writes (a template's headers and drop-down values, in each language):
    # {"header": {header_key: field}, "gender": {header_key: code}, "profile": {fold: code}}.
    labels: dict = field(default_factory=dict)
    timezones: dict = field(default_factory=dict)  # delegation id → the zone new participants get


@dataclass
class RowResult:
    number: int
    status: str  # new, update, duplicate, error
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # (code, params) pairs
    warnings: list = field(default_factory=list)
    existing_id: int | None = None
    existing_values: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)
    provided: set = field(default_factory=set)  # fields the file filled in (defaults do not count as changes)


@dataclass
class ImportPlan:
    columns: dict  # field → column index
    unknown_columns: list
    missing_columns: list
    rows: list

    @property
    def error_rows(self):
        return [row for row in self.rows if row.errors]

    @property
    def clean(self):
        return not self.missing_columns and not self.error_rows and bool(self.rows)

    def count(self, status):
        return sum(1 for row in self.rows if row.status == status)


def header_key(text):
    return re.sub(r"[^a-z0-9]", "", fold(text))


def map_headers(headers, known=None):
    """Column index per known field, and the headers nobody recognizes (reported, never silently dropped).
    `known` adds {header_key: field} spellings (the template's own headers in each language)."""
    columns, unknown = {}, []
    for index, header in enumerate(headers):
        name = (known or {}).get(header_key(header)) or _HEADER_INDEX.get(header_key(header))
        if name and name not in columns:
            columns[name] = index
        elif header.strip():
            unknown.append(header)
    return columns, unknown


def missing_columns(columns):
    missing = []
    if "email" not in columns:
        missing.append("email")
    has_names = "given_names" in columns and ({"family_names", "family_name_1"} & columns.keys())
    if not has_names and "full_name" not in columns:
        missing.append("names")
    return missing


def split_full_name(text):
    """'Pérez Zúñiga, Ana Lucía' or 'Ana Lucía Pérez Zúñiga' → ('Ana Lucía', 'Pérez Zúñiga')."""
    text = squash_spaces(text)
    if "," in text:
        family, given = (squash_spaces(part) for part in text.split(",", 1))
        return given, family
    words = text.split(" ")
    if len(words) == 1:
        return words[0], ""
    # Hispanic names usually carry two surnames; with four or more words take the last two as surnames.
    given_count = len(words) - 2 if len(words) >= 4 else len(words) - 1 if len(words) == 2 else 1
    return " ".join(words[:given_count]), " ".join(words[given_count:])


def plan_import(table, context):
    """Check every row of `table` against the program; nothing is written here."""
    columns, unknown = map_headers(table.headers, context.labels.get("header"))
    missing = missing_columns(columns)
    if missing:
        return ImportPlan(columns, unknown, missing, [])
    rows = [_check_row(number, cells, columns, context) for number, cells in table.rows if any(cells)]
    _flag_duplicates_in_file(rows)
    _flag_over_quota(rows, context)
    for row in rows:
        if row.errors:
            row.status = "error"
    return ImportPlan(columns, unknown, [], rows)


def _cell(cells, columns, name):
    index = columns.get(name)
    return squash_spaces(cells[index]) if index is not None and index < len(cells) else ""


def _check_row(number, cells, columns, context):
    row = RowResult(number=number, status="new")
    given, family = _names(cells, columns)
    values = {"given_names": given, "family_names": family,
              "position": _cell(cells, columns, "position"), "institution": _cell(cells, columns, "institution")}
    for name in ("given_names", "family_names"):
        if not values[name]:
            row.errors.append(("missing_field", {"field": name}))
    values["email"] = _email(_cell(cells, columns, "email"), row)
    delegation = _delegation(_cell(cells, columns, "country"), context, row)
    values["delegation_id"] = delegation.id if delegation else None
    values["timezone"] = context.timezones.get(values["delegation_id"], "UTC")
    values["gender"] = _gender(_cell(cells, columns, "gender"), row, context.labels.get("gender"))
    values["profile"] = _profile(_cell(cells, columns, "profile"), row, context.labels.get("profile"))
    values["language"] = _language(_cell(cells, columns, "language"), delegation, context, row)
    for name, limit in MAX_LENGTHS.items():
        if len(values.get(name) or "") > limit:
            row.errors.append(("too_long", {"field": name, "limit": limit}))
    row.values = values
    raw = {name: _cell(cells, columns, name) for name in ("gender", "profile", "language")}
    row.provided = {name for name, value in values.items() if value and raw.get(name, value)}
    _compare_with_existing(row, context)
    return row


def _names(cells, columns):
    given = _cell(cells, columns, "given_names")
    family = _cell(cells, columns, "family_names") or squash_spaces(
        f"{_cell(cells, columns, 'family_name_1')} {_cell(cells, columns, 'family_name_2')}")
    if not given and not family and "full_name" in columns:
        given, family = split_full_name(_cell(cells, columns, "full_name"))
    return given, family


def _email(text, row):
    if not text:
        row.errors.append(("missing_field", {"field": "email"}))
        return ""
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        row.errors.append(("invalid_email", {"value": text}))
    return text


def _delegation(text, context, row):
    by_id = {slot.id: slot for slot in context.delegations}
    target = by_id.get(context.target_delegation_id)
    if not text:
        if target is None:
            row.errors.append(("missing_field", {"field": "country"}))
        return target
    code = code_from_name(text)
    folded = fold(text)
    found = next((slot for slot in context.delegations
                  if (code and slot.country_code == code) or (slot.organization and fold(slot.organization) == folded)),
                 None)
    if found is None:
        row.errors.append(("unknown_country" if code is None else "country_not_in_program", {"value": text}))
        return None
    if context.locked and target is not None and found.id != target.id:
        row.errors.append(("other_delegation", {"value": text}))
        return None
    return found


def _gender(text, row, known=None):
    code = (known or {}).get(header_key(text)) or _GENDER_INDEX.get(header_key(text))
    if code is None:
        row.errors.append(("unknown_gender", {"value": text}))
        return "not_recorded"
    return code


def _profile(text, row, known=None):
    if not text:
        return "not_recorded"
    folded = fold(text)
    if (known or {}).get(folded):
        return known[folded]
    for code, keywords in PROFILE_KEYWORDS:
        if any(keyword in folded for keyword in keywords):
            return code
    row.warnings.append(("profile_as_other", {"value": text}))
    return "other"


def _language(text, delegation, context, row):
    if text:
        code = _LANGUAGE_INDEX.get(fold(text))
        if code is None:
            row.errors.append(("unknown_language", {"value": text}))
            return context.languages[0]
        return code
    country = delegation.country_code if delegation else None
    return main_language(country, context.languages) or context.languages[0]


def _compare_with_existing(row, context):
    key = email_key(row.values["email"])
    existing = context.existing.get(key)
    if existing is None or not row.values["email"]:
        return
    row.existing_id, row.existing_values = existing.id, existing.values
    if row.values["delegation_id"] is not None and existing.delegation_id != row.values["delegation_id"]:
        row.errors.append(("registered_elsewhere", {"value": row.values["email"]}))
        return
    # Empty cells never wipe what is registered; a different capitalization of the e-mail is no change.
    row.changes = [name for name, value in row.values.items()
                   if name in existing.values and name != "email" and name in row.provided
                   and existing.values.get(name) != value]
    row.status = "update" if row.changes else "duplicate"


def _flag_duplicates_in_file(rows):
    keys = Counter(email_key(row.values["email"]) for row in rows if row.values.get("email"))
    first_seen = {}
    for row in rows:
        key = email_key(row.values.get("email", ""))
        if key and keys[key] > 1:
            if key in first_seen:
                row.errors.append(("duplicate_in_file", {"value": row.values["email"], "first": first_seen[key]}))
            else:
                first_seen[key] = row.number


def _flag_over_quota(rows, context):
    places = {slot.id: slot.places_left for slot in context.delegations}
    # The country's code travels with the label, so the sentence names the country in the reader's language.
    labels = {slot.id: {"delegation": slot.label, "country_code": slot.country_code or ""}
              for slot in context.delegations}
    for row in rows:
        if row.status != "new" or row.errors:
            continue
        delegation_id = row.values["delegation_id"]
        places[delegation_id] = places.get(delegation_id, 0) - 1
        if places[delegation_id] < 0:
            row.errors.append(("over_quota", labels.get(delegation_id, {"delegation": "", "country_code": ""})))

