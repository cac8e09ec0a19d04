"""The impact report's computed figures and charts kept between requests, while the data they came from is unchanged.

What a page computes (the report for a country scope and filters, its charts' JSON for a language) is kept as a JSON
file named after two hashes, as the worker's files are (services_files): its key (what was computed, for whom, by
which code) and the data's fingerprint. A request whose fingerprint matches reads the file instead of computing; any
change the report depends on (an answer, an attempt, a participant, a question, a delegation) changes the
fingerprint, so the next request computes again and replaces the file. The files sit in the scope's folder next to
the worker's files (REPORT_FOLDER/<program>/<scope>/, the owner's only: they hold per-person scores), where every
web process and the worker read them; the download route never serves them (their names are not downloads')."""
import hashlib
import json
import logging
import re
from functools import cache
from pathlib import Path

from private_files import private_folder, write_private

from .provenance import provenance
from .services_files import STORED, data_fingerprint, folder_for

FORMAT = 1  # raise when what is kept changes shape for the same code (the code's own hash covers the rest)
KEPT = re.compile(r"^(?P<what>[a-z]+)-(?P<key>[0-9a-f]{16})-(?P<data>[0-9a-f]{16})\.json$")
ROOT = Path(__file__).resolve().parents[2]
# What computes the figures and words: the blueprints' code and the translations. A new release changes them and so
# every key; the cache is never read by code that did not write it.
CODE = ("assessments/**/*.py", "training/**/*.py", "translations/*/LC_MESSAGES/*.mo")
log = logging.getLogger("capacita.impact")


def kept(program, scope, what, described, make, fingerprint=None):
    """make()'s value (JSON data) for `program`'s `scope` (a country code, or None for every delegation): read from
    the file kept for the same `what`, `described` (filters, language…) and data, else made now and kept."""
    fingerprint = fingerprint or data_fingerprint(program)
    folder = folder_for(program.id, scope)
    name = f"{what}-{_key(program, scope, what, described)}-{fingerprint}.json"
    try:
        return json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not made yet (or unreadable): compute, as without a cache
        pass
    value = make()
    _keep(folder, name, json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")))
    return value


def _key(program, scope, what, described):
    return _digest({"format": FORMAT, "code": code_version(), "versions": provenance(), "program": program.id,
                    "scope": scope, "what": what, **described})


def _keep(folder, name, text):
    """Write the file (atomically, owner only) and remove those of older data in every scope's folder of the program
    (they can never be read again); a failure to write costs the next request a computation, never this one its
    page."""
    try:
        for level in (folder.parent.parent, folder.parent, folder):  # each new level open to its owner only
            private_folder(level)
        write_private(folder / name, text)
        _remove(folder.parent, keep=KEPT.match(name)["data"])
    except OSError as error:
        log.warning("impact report cache not written in %s: %s", folder, error)


def forget(program_id):
    """Remove every kept value of the program, and every file the worker made for it (the workbook, the HTML and the
    donor pack quote open answers): a participant's erasure must not leave their answers in them. The next request
    computes again, and a file is made again when asked for."""
    program_folder = folder_for(program_id, None).parent
    _remove(program_folder)
    for path in program_folder.glob("*/*"):
        if STORED.match(path.name):
            path.unlink(missing_ok=True)


def _remove(program_folder, keep=None):
    for path in program_folder.glob("*/*.json"):
        match = KEPT.match(path.name)
        if match and match["data"] != keep:
            path.unlink(missing_ok=True)


@cache
def code_version():
    """A hash of the code and translations that compute the kept values (read once per process)."""
    digest = hashlib.sha256()
    for path in sorted(path for pattern in CODE for path in ROOT.glob(pattern)):
        digest.update(str(path.relative_to(ROOT)).encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _digest(value):
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
