"""Read answers collected elsewhere (Google Forms, KoboToolbox, Moodle exports) into answers per participant (pure)."""
import re
from dataclasses import dataclass, field

from training.importing import header_key
from training.localized import SUPPORTED_LANGUAGES
from training.textkeys import email_key, fold

from .question_types import AnswerError, QuestionSpec, clean_answer, question_type

EMAIL, IGNORE = "email", "ignore"
# E-mail column titles of the exports in es, en, fr and pt (compared without accents, case, spaces and punctuation).
EMAIL_HEADERS = {header_key(alias) for alias in (
    "email address", "email", "e-mail", "correo", "correo electronico", "direccion de correo electronico",
    "direccion de correo", "direccion email", "direccion de email", "user email", "mail", "e-mail address",
    "correo electronico del usuario", "your email", "su correo electronico", "tu correo electronico",
    "adresse e-mail", "adresse email", "adresse courriel", "courriel", "adresse electronique", "votre courriel",
    "endereco de e-mail", "endereco de email", "endereco eletronico", "seu e-mail", "seu email")}
TRUE_WORDS = {"true", "verdadero", "v", "t", "si", "yes", "y", "s", "cierto", "1", "vrai", "oui", "verdadeiro", "sim"}
FALSE_WORDS = {"false", "falso", "f", "no", "n", "0", "faux", "non", "nao"}
# Moodle writes "-" for a question left unanswered.
BLANK_CELLS = {"", "-"}
SEPARATORS = ";, "
_MOODLE_RESPONSE = re.compile(r"(?:response|respuesta|reponse|resposta)\s*(\d{1,4})")
_NUMBERING = re.compile(r"^\s*(?:[a-z]{0,2}\s*\d{1,3}\s*[.):-]|\d{1,3}\s)\s*", re.IGNORECASE)
# "4", "4.0", "4 - De acuerdo", "4) De acuerdo": the number first, then maybe its label.
_SCALE_CELL = re.compile(r"(\d{1,2})(?:[.,]0+)?(?:\s*[-–—:)]\s*\D.*|\.\s+\D.*|\s+\D.*)?")
_EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
SHOWN_VALUE_MAX = 80


@dataclass(frozen=True)
class QuestionInfo:
    """What reading a column needs to know of a question (plain values copied from the database)."""
    id: int
    type: str
    text: dict  # {"es": …, "fr": …}: the languages it is written in
    options: tuple = ()  # ({"key": "a", "es": …, "fr": …}, …)
    scale_labels: dict = field(default_factory=dict)  # {"es": [low, high], …}
    item_key: str | None = None
    required: bool = False

    def spec(self):
        return QuestionSpec(self.type, tuple(o["key"] for o in self.options), (), 0.0, self.required)


@dataclass(frozen=True)
class Problem:
    row: int | None  # the spreadsheet's row number; None for a problem of the mapping (the whole file)
    column: str  # the column's title as the file has it ("" when none applies)
    code: str
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Person:
    """A participant as matching needs them: their attempt's status in this questionnaire, if any."""
    id: int
    withdrawn: bool = False
    attempt: str | None = None  # None, "in_progress" or "submitted"


@dataclass
class ResponseRow:
    number: int
    email: str
    key: str
    answers: dict  # question id → the raw value `question_types.clean_answer` accepts
    problems: list
    outcome: str = ""  # set by match_rows: import, resume, answered, unmatched, withdrawn, empty, error
    participant_id: int | None = None


@dataclass
class ResponsePlan:
    headers: list
    mapping: dict  # column index → EMAIL, a question id or IGNORE
    rows: list
    file_problems: list
    unmapped_questions: list = field(default_factory=list)  # ids of the questions no column is read as

    @property
    def problems(self):
        return self.file_problems + [problem for row in self.rows for problem in row.problems]

    @property
    def clean(self):
        return not self.problems

    def with_outcome(self, *outcomes):
        return [row for row in self.rows if row.outcome in outcomes]

    def summary(self):
        counts = {outcome: len(self.with_outcome(outcome)) for outcome in OUTCOMES}
        return {"rows": len(self.rows), "to_import": counts["import"] + counts["resume"], **counts,
                "errors": len([row for row in self.rows if row.problems]),
                "unmatched_rows": [[row.number, row.email] for row in self.with_outcome("unmatched")]}


OUTCOMES = ("import", "resume", "answered", "unmatched", "withdrawn", "empty", "error")


# --- guessing the mapping -----------------------------------------------------------------------------------

def guess_mapping(headers, rows, questions):
    """column index → EMAIL, a question id or IGNORE: the e-mail column by its title (else by its content),
    question columns by their title (the question's text in any language, or its item key as KoboToolbox
    names it; exact titles first, then without their numbering) and Moodle's "Response N" by order. Everything
    else (timestamps, names, grades) is ignored."""
    mapping = {index: IGNORE for index in range(len(headers))}
    email_column = next((i for i, header in enumerate(headers) if header_key(header) in EMAIL_HEADERS), None)
    if email_column is not None:
        mapping[email_column] = EMAIL
    taken = set()
    for loose in (False, True):
        for index, header in enumerate(headers):
            if mapping[index] == IGNORE:
                question = _question_for(header, questions, taken, loose)
                if question is not None:
                    mapping[index] = question.id
                    taken.add(question.id)
    if email_column is None:
        email_column = _email_column(headers, rows, mapping)
        if email_column is not None:
            mapping[email_column] = EMAIL
    return mapping


def _question_for(header, questions, taken, loose):
    moodle = _MOODLE_RESPONSE.fullmatch(fold(header))
    if moodle:
        position = int(moodle.group(1))
        question = questions[position - 1] if 1 <= position <= len(questions) else None
        return question if question is not None and question.id not in taken else None
    keys = _header_keys(header, loose)
    return next((q for q in questions if q.id not in taken and keys & _question_keys(q, loose)), None)


def _header_keys(header, loose):
    forms = {header}
    if loose:
        forms.add(_NUMBERING.sub("", header))
        if "/" in header:  # KoboToolbox names a question inside a group "group_name/question_name"
            forms.add(header.rsplit("/", 1)[1])
    return {header_key(form) for form in forms} - {""}


def _question_keys(question, loose):
    texts = [text for text in question.text.values() if isinstance(text, str)]
    forms = texts + [question.item_key or ""] + ([_NUMBERING.sub("", text) for text in texts] if loose else [])
    return {header_key(form) for form in forms} - {""}


def _email_column(headers, rows, mapping):
    """An e-mail column whose title says so only in passing, or whose cells are mostly e-mail addresses."""
    free = [index for index in range(len(headers)) if mapping[index] == IGNORE]
    for index in free:
        if any(word in header_key(headers[index]) for word in ("email", "correo", "courriel")):
            return index
    for index in free:  # a KoboToolbox name nobody would guess ("q0_contacto"): the cells say it
        cells = [cells[index] for _number, cells in rows[:50] if index < len(cells) and cells[index]]
        if cells and sum(1 for cell in cells if _EMAIL_SHAPE.fullmatch(cell)) * 2 > len(cells):
            return index
    return None


# --- reading the rows ---------------------------------------------------------------------------------------

def plan_responses(table, questions, mapping):
    """Every row of `table` (a `tabular.Table`) read with `mapping`: its e-mail, its answers, its problems."""
    by_id = {question.id: question for question in questions}
    mapping = {index: value for index, value in mapping.items() if index < len(table.headers)}
    file_problems = _mapping_problems(table.headers, mapping, by_id)
    email_columns = [index for index, value in mapping.items() if value == EMAIL]
    firsts = {}  # a question read from two columns (a problem of the mapping) is read from the first only
    for index, value in sorted(mapping.items()):
        if value in by_id:
            firsts.setdefault(value, index)
    columns = [(index, by_id[value]) for value, index in sorted(firsts.items(), key=lambda pair: pair[1])]
    read = _CellReader()
    rows = [_read_row(number, cells, table.headers, email_columns[:1], columns, read) for number, cells in table.rows]
    _flag_duplicates(rows, table.headers[email_columns[0]] if email_columns else "")
    used = {question.id for _index, question in columns}
    return ResponsePlan(list(table.headers), mapping, rows, file_problems,
                        [question.id for question in questions if question.id not in used])


def _mapping_problems(headers, mapping, by_id):
    problems, seen = [], {}
    emails = [index for index, value in sorted(mapping.items()) if value == EMAIL]
    if not emails:
        problems.append(Problem(None, "", "no_email_column"))
    problems += [Problem(None, headers[index], "two_email_columns") for index in emails[1:]]
    for index, value in sorted(mapping.items()):
        if value not in by_id:
            continue
        if value in seen:
            problems.append(Problem(None, headers[index], "question_twice", {"other": headers[seen[value]]}))
        seen.setdefault(value, index)
    if not seen:
        problems.append(Problem(None, "", "no_question_columns"))
    return problems


def _read_row(number, cells, headers, email_columns, columns, read):
    def cell(index):
        return cells[index] if index < len(cells) else ""

    email = cell(email_columns[0]).strip() if email_columns else ""
    row = ResponseRow(number, email, email_key(email), {}, [])
    if email_columns and not email:
        row.problems.append(Problem(number, headers[email_columns[0]], "missing_email"))
    elif email_columns and not _EMAIL_SHAPE.fullmatch(email):
        row.problems.append(Problem(number, headers[email_columns[0]], "invalid_email", {"value": shown(email)}))
    for index, question in columns:
        text = cell(index).strip()
        if text in BLANK_CELLS:
            continue
        raw, error = read(question, text)
        if error is not None:
            row.problems.append(Problem(number, headers[index], error.code, {"value": shown(text), **error.details}))
        else:
            row.answers[question.id] = raw
    return row


class _CellReader:
    """Converts and checks cells, once per distinct (question, text): the same few answers fill whole columns."""

    def __init__(self):
        self.seen = {}

    def __call__(self, question, text):
        key = (question.id, text)
        if key not in self.seen:
            try:
                raw = convert_cell(question, text)
                clean_answer(question.spec(), raw)
                self.seen[key] = (raw, None)
            except AnswerError as error:
                self.seen[key] = (None, error)
        raw, error = self.seen[key]
        return (list(raw) if isinstance(raw, list) else raw), error


def _flag_duplicates(rows, email_header):
    first = {}
    for row in rows:
        if not row.key:
            continue
        if row.key in first:
            row.problems.append(Problem(row.number, email_header, "duplicate_email",
                                        {"value": shown(row.email), "first": first[row.key]}))
        first.setdefault(row.key, row.number)


def shown(text):
    """A cell's text as a message quotes it: long answers cut, so one bad essay does not flood the page."""
    return text if len(text) <= SHOWN_VALUE_MAX else text[:SHOWN_VALUE_MAX - 1] + "…"


# --- converting cells ---------------------------------------------------------------------------------------

def convert_cell(question, text):
    """The raw value `clean_answer` takes for a non-blank cell, or AnswerError (code, details): the question's
    type reads it, with the ways of reading that `Cell` offers."""
    return question_type(question.type).from_cell(Cell(question, text))


class Cell:
    """A non-blank cell of a question's column and the ways exports write answers; a type picks the one that
    fits it (`QuestionType.from_cell`), or reads `text` (as written) or `loose` (accents, case, spaces and
    punctuation ignored) itself."""

    def __init__(self, question, text):
        self.question, self.text = question, text

    @property
    def loose(self):
        return _loose(self.text)

    def option(self):
        """The key of the one option the cell names by its key or its label in any language (or the key of a
        type's fixed option)."""
        index = {_loose(key): key for key in question_type(self.question.type).fixed_options}
        index.update(_option_index(self.question))
        key = index.get(self.loose)
        if key is None:
            raise AnswerError("unknown_option")
        return key

    def options(self):
        """The keys of the options the cell lists, in the question's order."""
        return _choices(self.question, self.text)

    def truth(self):
        """'true' or 'false' from the words exports use for them (sí, no, V, F, 1, 0…)."""
        return _true_false(self.text)

    def point(self, low, high):
        """A whole point from `low` to `high`: the number (maybe followed by its label) or an end's label."""
        return _scale_point(self.question, self.text, low, high)


def _loose(text):
    """Accents, case, spaces and punctuation ignored: 'Sí.' and 'si' are the same answer."""
    return header_key(text)


def _option_forms(option):
    return [option["key"]] + [option.get(language) for language in SUPPORTED_LANGUAGES if option.get(language)]


def _option_index(question):
    """Each option's key and its labels in any language → its key; a label wins over another option's key."""
    index = {_loose(option["key"]): option["key"] for option in question.options}
    for option in question.options:
        for form in _option_forms(option)[1:]:
            index[_loose(form)] = option["key"]
    index.pop("", None)
    return index


def _choices(question, text):
    """Google Forms joins the ticked labels with ', ', Moodle with '; ', KoboToolbox its option names with
    spaces; labels may hold commas themselves, so the cell is read as a sequence of whole labels."""
    whole = _option_index(question).get(_loose(text))
    if whole is not None:
        return [whole]
    forms = sorted({(fold(form), option["key"]) for option in question.options for form in _option_forms(option)},
                   key=lambda pair: -len(pair[0]))
    keys = _label_sequence(fold(text), [pair for pair in forms if pair[0]])
    if keys is None:
        raise AnswerError("unknown_option")
    chosen = set(keys)
    return [option["key"] for option in question.options if option["key"] in chosen]  # each once, in order


def _label_sequence(text, forms):
    """The option keys whose labels, between separators, make up `text` exactly; None when they do not."""
    memo = {}

    def parse(position):
        while position < len(text) and text[position] in SEPARATORS:
            position += 1
        if position == len(text):
            return []
        if position not in memo:
            memo[position] = None
            for form, key in forms:
                end = position + len(form)
                if text.startswith(form, position) and (end == len(text) or text[end] in SEPARATORS):
                    rest = parse(end)
                    if rest is not None:
                        memo[position] = [key, *rest]
                        break
        return memo[position]

    return parse(0)


def _true_false(text):
    word = _loose(text)
    if word in TRUE_WORDS:
        return "true"
    if word in FALSE_WORDS:
        return "false"
    raise AnswerError("unknown_option")


def _scale_point(question, text, low, high):
    """'1'–'5' (Likert) or '0'–'10' (scale), a number followed by its label, or an end label of the question."""
    match = _SCALE_CELL.fullmatch(text)
    if match:
        value = int(match.group(1))
        if low <= value <= high:
            return str(value)
        raise AnswerError("out_of_range", low=low, high=high)
    ends = {}
    for labels in question.scale_labels.values():
        if isinstance(labels, list | tuple) and len(labels) == 2:
            ends.setdefault(_loose(str(labels[0] or "")), low)
            ends.setdefault(_loose(str(labels[1] or "")), high)
    ends.pop("", None)
    if _loose(text) in ends:
        return str(ends[_loose(text)])
    raise AnswerError("out_of_range", low=low, high=high)


# --- matching rows to participants --------------------------------------------------------------------------

def match_rows(plan, people):
    """Set each row's outcome against `people` (e-mail key → Person). Rows with a problem are 'error'; e-mails
    of nobody 'unmatched'; withdrawn participants and submitted attempts are never imported; a row without
    answers is skipped ('empty', e.g. a Moodle attempt never submitted); an attempt in progress is completed
    with the file's answers ('resume')."""
    for row in plan.rows:
        person = people.get(row.key) if row.key else None
        row.participant_id = person.id if person else None
        row.outcome = _outcome(row, person)
    return plan


def _outcome(row, person):
    if row.problems:
        return "error"
    if person is None:
        return "unmatched"
    if person.withdrawn:
        return "withdrawn"
    if person.attempt == "submitted":
        return "answered"
    if not row.answers:
        return "empty"
    return "resume" if person.attempt == "in_progress" else "import"
