"""The impact report's files (the PDF summary, chart images, the donor pack) the worker makes: what each depends on,
where it is kept, and whether one already made still fits the data.

A file is named after two hashes: its key (the program, the viewer's country scope, the language, the filters and
which file: what the request chose) and the fingerprint of the data it was computed from (the program's submitted
attempts and their answers, its participants, questions and delegations). A file whose two hashes match what a
request asks for now is offered at once; a new submission changes the fingerprint, so the next request makes a new
file, and the older file of the same key is removed when the new one is written. Files are kept under
REPORT_FOLDER/<program id>/<scope>/, a folder per country scope, so a download route reading only the viewer's own
folder can never hand out another scope's file."""
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from extensions import db
from private_files import private_folder, write_private
from training.models import Delegation, Participant

from ..models import Answer, Attempt, Question, Questionnaire, Section
from ..services_taking import SUBMITTED
from .provenance import provenance

FORMAT = 2  # raise when the files' contents change for the same data: every file is made again
CHART_NAME = r"(?:funnel|slopes|distributions|forest|items|use|likert-\d{1,3}(?:-\d{1,2})?)"  # texts.likert_chart_names
TOKEN = re.compile(rf"^(?P<what>summary|slide|charts|pack|chart-{CHART_NAME})\.(?P<ext>pdf|zip|png|svg)$")
STORED = re.compile(rf"^(?P<what>summary|slide|charts|pack|chart-{CHART_NAME})-[0-9a-f]{{16}}-[0-9a-f]{{16}}"
                    r"\.(?P<ext>pdf|zip|png|svg)$")
EXTENSIONS = {"summary": ("pdf",), "slide": ("png",), "charts": ("zip",), "pack": ("zip",), "chart": ("png", "svg")}
MIMETYPES = {"pdf": "application/pdf", "zip": "application/zip", "png": "image/png", "svg": "image/svg+xml"}
ALL_COUNTRIES = "all"  # the folder of those who see every delegation


@dataclass(frozen=True)
class FileSpec:
    """One file as a viewer asks for it: `token` is "summary.pdf", "charts.zip", "pack.zip" (the donor pack) or
    "chart-<name>.<png|svg>"."""

    token: str
    scope: str | None
    language: str
    filters: dict

    @property
    def what(self):
        return self.token.rsplit(".", 1)[0]

    @property
    def ext(self):
        return self.token.rsplit(".", 1)[1]

    @property
    def chart(self):
        """The chart's name for a single chart's image, else None."""
        return self.what.removeprefix("chart-") if self.what.startswith("chart-") else None

    def as_dict(self):
        return {"token": self.token, "scope": self.scope, "language": self.language, "filters": self.filters}

    @classmethod
    def from_dict(cls, values):
        return cls(values["token"], values["scope"], values["language"], dict(values["filters"]))


def valid_token(token):
    """Whether `token` names a file the report can have (a chart of another name is refused before any work)."""
    match = TOKEN.match(token or "")
    return bool(match) and match["ext"] in EXTENSIONS[match["what"].split("-", 1)[0]]


def folder_for(program_id, scope):
    return Path(current_app.config["REPORT_FOLDER"]) / str(int(program_id)) / (scope or ALL_COUNTRIES)


def key_of(program, spec):
    """The hash of what the file depends on besides the data."""
    described = {"format": FORMAT, "program": program.id, "code": program.code, "title": program.title,
                 "languages": program.languages, "versions": provenance(), **spec.as_dict(),
                 "filters": {name: value for name, value in sorted(spec.filters.items()) if value}}
    return _digest(described)


def data_fingerprint(program):
    """The hash of the data the report is computed from: a few aggregate queries, cheap enough for every page.
    Counts, sums and largest ids tell rows added, removed or swapped; the largest timestamps tell rows edited (an
    answer's and a participant's change on every update); the questions, sections and delegations are read whole."""
    questionnaires = select(Questionnaire.id).where(Questionnaire.program_id == program.id)
    submitted = (Attempt.questionnaire_id.in_(questionnaires), Attempt.status == SUBMITTED)
    attempts = db.session.execute(select(func.count(Attempt.id), func.max(Attempt.id), func.sum(Attempt.id),
                                         func.max(Attempt.submitted_at), func.sum(Attempt.score))
                                  .where(*submitted)).one()
    answers = db.session.execute(select(func.count(Answer.id), func.max(Answer.id), func.sum(Answer.id),
                                        func.max(Answer.saved_at))
                                 .join(Attempt, Answer.attempt_id == Attempt.id).where(*submitted)).one()
    people = db.session.execute(select(func.count(Participant.id), func.max(Participant.id), func.sum(Participant.id),
                                       func.max(Participant.updated_at))
                                .where(Participant.program_id == program.id)).one()
    tests = db.session.execute(select(Questionnaire.id, Questionnaire.kind, Section.id, Section.position)
                               .join(Section, Section.questionnaire_id == Questionnaire.id, isouter=True)
                               .where(Questionnaire.program_id == program.id)
                               .order_by(Questionnaire.id, Section.id)).all()
    questions = db.session.execute(select(Question.id, Question.section_id, Question.position, Question.type,
                                          Question.dimension, Question.item_key, Question.text, Question.options,
                                          Question.correct, Question.points, Question.required,
                                          Question.scale_labels)
                                   .where(Question.questionnaire_id.in_(questionnaires)).order_by(Question.id)).all()
    countries = db.session.execute(select(Delegation.id, Delegation.country_code)
                                   .where(Delegation.program_id == program.id).order_by(Delegation.id)).all()
    return _digest([list(attempts), list(answers), list(people), [list(t) for t in tests],
                    [list(q) for q in questions], [list(c) for c in countries]])


def _digest(value):
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def file_name(program, spec, fingerprint):
    return f"{spec.what}-{key_of(program, spec)}-{fingerprint}.{spec.ext}"


def ready_file(program, spec, fingerprint):
    """The stored file's name when one made from the same data is there, else None."""
    name = file_name(program, spec, fingerprint)
    return name if (folder_for(program.id, spec.scope) / name).is_file() else None


def store_file(program, spec, name, content):
    """Keep `content` as `name` (readable by the app's owner only) and remove the older files of the same key."""
    folder = folder_for(program.id, spec.scope)
    for level in (folder.parent.parent, folder.parent, folder):  # each new level open to its owner only
        private_folder(level)
    write_private(folder / name, content)
    prefix = name.rsplit("-", 1)[0] + "-"
    for old in folder.glob(f"{prefix}*.{spec.ext}"):
        if old.name != name and STORED.match(old.name):
            old.unlink(missing_ok=True)


def stored_path(program_id, scope, name):
    """The path of a stored file in `scope`'s folder, or None when the name is not one of ours or nothing is there."""
    if not STORED.match(name or ""):
        return None
    path = folder_for(program_id, scope) / name
    return path if path.is_file() else None


def download_name(program, name, made=None):
    """What the browser saves a stored file as: CODE-impact.pdf, CODE-charts.zip, CODE-slopes.png, and the donor
    pack CODE-impact-YYYY-MM-DD.zip after the day it was `made` (a date), as the files inside it are named."""
    match = STORED.match(name)
    what, ext = match["what"], match["ext"]
    if what == "pack":
        return f"{pack_stem(program, made)}.{ext}"
    label = {"summary": "impact", "slide": "summary", "charts": "charts"}.get(what, what.removeprefix("chart-"))
    return f"{program.code}-{label}.{ext}"


def pack_stem(program, made):
    """The donor pack's name without extension, which every file inside it starts with: CODE-impact-YYYY-MM-DD."""
    return f"{program.code}-impact-{made.isoformat()}"


def made_on(path):
    """The day a stored file was written (the server's calendar, as the pack's own names)."""
    return date.fromtimestamp(path.stat().st_mtime)
