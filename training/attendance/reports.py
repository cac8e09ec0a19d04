"""Read attendance reports as Zoom and Moodle-based course platforms export them into plain rows (pure)."""
import re
from dataclasses import dataclass, field
from datetime import datetime

from ..importing import header_key
from ..textkeys import fold, squash_spaces

# Column titles in the reports' English and Spanish versions (compared like participant-list headers).
ZOOM_HEADERS = {
    "name": ("name (original name)", "name", "nombre (nombre original)", "nombre", "user name", "nombre de usuario",
             "display name", "nombre para mostrar", "participant", "participante", "full name", "nombre completo"),
    "email": ("user email", "email", "e-mail", "email address", "correo electronico del usuario",
              "correo electronico", "correo", "correo del usuario"),
    "joined": ("join time", "hora de entrada", "hora de union", "hora de ingreso", "entrada", "joined"),
    "left": ("leave time", "hora de salida", "salida", "left"),
    "minutes": ("duration (minutes)", "duracion (minutos)", "duration", "duracion", "minutes", "minutos",
                "total duration (minutes)", "duracion total (minutos)", "time in session (minutes)"),
}
COURSE_HEADERS = {
    "email": ("email address", "email", "e-mail", "correo", "correo electronico", "direccion email",
              "direccion de correo", "direccion de correo electronico", "user email"),
    "given_names": ("first name", "nombre", "nombres"),
    "family_names": ("surname", "last name", "apellido(s)", "apellidos", "apellido"),
    "name": ("full name", "name", "nombre completo", "user", "usuario", "participante", "participant"),
    "status": ("course complete", "course completion", "completion status", "status", "estado",
               "estado de finalizacion", "estado de finalizacion del curso", "curso completado", "completado",
               "completion", "finalizacion", "completed"),
    "date": ("completion date", "time completed", "date completed", "completed on", "fecha de finalizacion",
             "fecha de finalizacion del curso", "fecha de terminacion", "fecha de completado", "completado el",
             "finalizado el", "fecha"),
}
# The block about the meeting that Zoom writes above the participants (old and new layouts, English and Spanish).
MEETING_HEADERS = {
    "meeting_id": ("meeting id", "id", "id de reunion", "id de la reunion", "webinar id", "id del seminario web"),
    "topic": ("topic", "tema", "meeting topic", "tema de la reunion"),
    "start": ("start time", "hora de inicio", "start", "inicio"),
    "host_email": ("user email", "host email", "correo electronico del usuario", "correo electronico del anfitrion",
                   "correo del anfitrion", "email del anfitrion"),
    "host_name": ("host name", "host", "user name", "nombre del anfitrion", "anfitrion", "nombre de usuario"),
}
_INDEX = {kind: {header_key(alias): name for name, aliases in table.items() for alias in aliases}
          for kind, table in (("zoom", ZOOM_HEADERS), ("course", COURSE_HEADERS), ("meeting", MEETING_HEADERS))}

COMPLETE_WORDS = {"completed", "complete", "completado", "completada", "completo", "completa", "finalizado",
                  "finalizada", "terminado", "terminada", "aprobado", "aprobada", "passed", "done", "yes", "si",
                  "1", "x", "true", "verdadero"}
PARTIAL_TEXTS = {"in progress", "en progreso", "en curso", "iniciado", "started", "partial", "parcial",
                 "incompleto", "incomplete", "incompleta"}
ABSENT_TEXTS = {"not started", "not yet started", "no iniciado", "sin iniciar", "not completed", "no completado",
                "no completada", "no", "0", "false", "falso", "pendiente", "pending", "-", "never", "nunca"}
NO_DATE = {"", "-", "never", "nunca", "n/a", "na"}
TIME_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
                "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %I:%M:%S %p",
                "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y %I:%M %p", "%d.%m.%Y %H:%M:%S")
MAX_MINUTES = 24 * 60
SPANISH_TIME_HEADERS = {header_key(alias) for alias in ("hora de entrada", "hora de union", "hora de ingreso",
                                                         "entrada", "hora de inicio", "inicio")}


@dataclass
class ReportRow:
    number: int
    name: str
    email: str
    minutes: float | None = None  # Zoom: time connected in this row
    joined: datetime | None = None
    left: datetime | None = None
    status: str | None = None  # course reports: completed, partial or absent
    errors: list = field(default_factory=list)  # (code, details) pairs


@dataclass(frozen=True)
class Meeting:
    """What Zoom's block above the participants says about the meeting (each part may be missing)."""
    meeting_id: str = ""  # digits only
    topic: str = ""
    start: datetime | None = None  # as written: wall-clock time in the zone of the account that exported it
    host_email: str = ""
    host_name: str = ""


@dataclass
class Report:
    kind: str  # "zoom" or "course"
    rows: list
    missing_columns: list
    times_understood: bool = True
    meeting: Meeting | None = None  # Zoom reports exported "with meeting data"

    @property
    def error_rows(self):
        return [row for row in self.rows if row.errors]


def read_report(table, kind):
    """The participant rows of a `tabular.Table` holding a Zoom (`kind="zoom"`) or course-completion report.
    The header row is searched for, because Zoom puts a block about the meeting above the participants."""
    records = [(_header_number(table), table.headers)] + list(table.rows)
    for position, (_number, cells) in enumerate(records):
        columns = _map(cells, kind)
        if not _missing(columns, kind):
            width = max(columns.values()) + 1  # rows under a lower header may be shorter than the file's first
            body = [(n, c + [""] * (width - len(c))) for n, c in records[position + 1:]
                    if any(c) and _map(c, kind) != columns]
            report, time_format = _read_rows(body, columns, kind, day_first=_spanish_times(cells, columns))
            if kind == "zoom":
                report.meeting = read_meeting([c for _n, c in records[:position]], time_format)
            return report
    best = max((_map(cells, kind) for _n, cells in records[:50]), key=len)
    return Report(kind, [], _missing(best, kind))


def name_variants(text):
    """Zoom shows a renamed person as 'New name (Original name)': both are tried, as is the whole text."""
    text = squash_spaces(text)
    variants = [text]
    match = re.fullmatch(r"(.*?)\s*\((.+)\)", text)
    if match:
        variants += [part for part in match.groups() if part.strip()]
    return variants


def read_meeting(records, time_format=None):
    """The meeting block among the records above the participants' header: its header row, then the first row
    with values. `time_format`: the one the participants' times were read with (the block is in the same locale)."""
    for position, cells in enumerate(records):
        columns = _map(cells, "meeting")
        if len(columns) < 2:
            continue
        values = next((c for c in records[position + 1:] if any(cell.strip() for cell in c)), None)
        if values is None:
            return None
        return _meeting(columns, values, time_format, day_first=_spanish_start(cells, columns))
    return None


def _meeting(columns, values, time_format, day_first):
    def cell(name):
        return squash_spaces(values[columns[name]]) if name in columns and columns[name] < len(values) else ""

    host_email, host_name = cell("host_email"), cell("host_name")
    if "@" in host_name and not host_email:  # the newer layout's one "Host" column may hold the address
        host_email, host_name = host_name, ""
    return Meeting(meeting_id=re.sub(r"\D", "", cell("meeting_id")), topic=cell("topic"),
                   start=_meeting_start(cell("start"), time_format, day_first),
                   host_email=host_email if "@" in host_email else "", host_name=host_name)


def _meeting_start(text, time_format, day_first):
    text = _time_text(text)
    formats = sorted(TIME_FORMATS, key=lambda f: not f.startswith("%d")) if day_first else TIME_FORMATS
    for candidate in ((time_format,) if time_format else ()) + tuple(formats):
        moment = _strptime(text, candidate)
        if moment is not None:
            return moment
    return None


def _spanish_start(headers, columns):
    return "start" in columns and header_key(headers[columns["start"]]) in SPANISH_TIME_HEADERS


def _header_number(table):
    return table.rows[0][0] - 1 if table.rows else 1


def _map(cells, kind):
    columns = {}
    for index, header in enumerate(cells):
        name = _INDEX[kind].get(header_key(header))
        if name and name not in columns:
            columns[name] = index
    return columns


def _missing(columns, kind):
    if kind == "zoom":
        missing = [] if "name" in columns else ["name"]  # the meeting block above has an e-mail, never a name
        if "minutes" not in columns and not {"joined", "left"} <= columns.keys():
            missing.append("minutes")
        return missing
    has_name = "name" in columns or "email" in columns or {"given_names", "family_names"} <= columns.keys()
    missing = [] if has_name else ["name"]
    if "status" not in columns and "date" not in columns:
        missing.append("status")
    return missing


def _spanish_times(headers, columns):
    """Zoom in Spanish writes dates day-first, in English month-first: the header says which."""
    return "joined" in columns and header_key(headers[columns["joined"]]) in SPANISH_TIME_HEADERS


def _read_rows(body, columns, kind, day_first=False):
    """(the report, the format its times were read with or None)."""
    rows = [_row(number, cells, columns) for number, cells in body]
    if kind == "course":
        for row, (_number, cells) in zip(rows, body, strict=True):
            row.status = _course_status(row, cells, columns)
        return Report(kind, rows, []), None
    understood, time_format = _parse_times(rows, body, columns, day_first)
    for row in rows:
        _zoom_minutes(row)
    return Report(kind, rows, [], times_understood=understood), time_format


def _row(number, cells, columns):
    def cell(name):
        return cells[columns[name]] if name in columns and columns[name] < len(cells) else ""

    name = cell("name") or squash_spaces(f"{cell('given_names')} {cell('family_names')}")
    row = ReportRow(number, squash_spaces(name), cell("email").strip())
    if not row.name and not row.email:
        row.errors.append(("no_person", {}))
    if "minutes" in columns:
        row.minutes = _number(cell("minutes"), row)
    return row


def _number(text, row):
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        row.errors.append(("bad_minutes", {"value": text}))
        return None
    if not 0 <= value <= MAX_MINUTES:
        row.errors.append(("bad_minutes", {"value": text}))
        return None
    return value


def _parse_times(rows, body, columns, day_first):
    """Join/leave times in the one format that reads every such cell of the file (Zoom writes one locale's).
    '01/11/2021' reads both day-first and month-first; the reading with the shortest connections wins, since
    the wrong one turns 23:50 → 00:20 into a month. Returns (whether the times were read, the format chosen)."""
    if not {"joined", "left"} <= columns.keys():
        return True, None
    cells = [(row, _time_text(c[columns["joined"]]), _time_text(c[columns["left"]]))
             for row, (_n, c) in zip(rows, body, strict=True)]
    texts = [t for _row, a, b in cells for t in (a, b) if t]
    formats = sorted(TIME_FORMATS, key=lambda f: not f.startswith("%d")) if day_first else TIME_FORMATS
    readable = [f for f in formats if all(_strptime(t, f) for t in texts)]
    if not readable:
        return not texts, None
    chosen = min(readable, key=lambda f: _total_span(cells, f))
    for row, joined, left in cells:
        row.joined, row.left = _strptime(joined, chosen), _strptime(left, chosen)
        if row.joined and row.left and row.left < row.joined:
            row.errors.append(("left_before_joined", {}))
    return True, chosen


def _total_span(cells, time_format):
    spans = [abs((_strptime(b, time_format) - _strptime(a, time_format)).total_seconds())
             for _row, a, b in cells if a and b]
    return sum(spans)


def _time_text(text):
    """'02/11/2021 01:50:03 p. m.' (Spanish Windows) → '02/11/2021 01:50:03 PM'; ISO fractions dropped."""
    text = squash_spaces(text)
    text = re.sub(r"\s*a\.?\s*m\.?$", " AM", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*p\.?\s*m\.?$", " PM", text, flags=re.IGNORECASE)
    return re.sub(r"(T\d\d:\d\d:\d\d)\.\d+$", r"\1", text)


def _strptime(text, time_format):
    if not text:
        return None
    try:
        return datetime.strptime(text, time_format)
    except ValueError:
        return None


def _zoom_minutes(row):
    if row.minutes is None and row.joined and row.left and not row.errors:
        row.minutes = (row.left - row.joined).total_seconds() / 60
        if row.minutes > MAX_MINUTES:  # a day-long connection is a misread date, not a participant
            row.errors.append(("bad_minutes", {"value": f"{row.joined:%Y-%m-%d %H:%M} – {row.left:%Y-%m-%d %H:%M}"}))
            row.minutes = None
            return
    if row.minutes is None and not row.errors:
        row.errors.append(("no_minutes", {}))


def _course_status(row, cells, columns):
    status_text = fold(cells[columns["status"]]) if "status" in columns else ""
    date_text = fold(cells[columns["date"]]) if "date" in columns else ""
    words = re.sub(r"[^\w\s-]", " ", status_text).split()
    if words and words[0] in COMPLETE_WORDS:
        return "completed"
    plain = " ".join(words) if words else status_text.strip()
    if plain in PARTIAL_TEXTS:
        return "partial"
    if plain in ABSENT_TEXTS or not plain:
        return "completed" if date_text not in NO_DATE and not plain else "absent"
    row.errors.append(("bad_status", {"value": cells[columns["status"]]}))
    return None
