"""Logging: request ids, one access line per request, and JSON lines (production) or readable text records."""
import json
import logging
import os
import re
import sys
import time
from datetime import datetime, timezone

from flask import g, has_request_context, request
from flask.logging import default_handler

ACCESS_LOGGER = "capacita.access"
FORMATS = ("json", "text")
REQUEST_ID_HEADER = "X-Request-ID"
ENVIRON_REQUEST_ID = "HTTP_X_REQUEST_ID"  # the header as WSGI hands it on
# Ids a proxy or load balancer hands on (UUIDs, hex, AWS "Root=1-…"); anything else could forge a log line.
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=-]{0,127}")
# A decoded path may hold newlines or escape sequences: written as \xNN they cannot start a fake line.
CONTROL_CHARACTERS = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)]}
NO_REQUEST = "-"
ACCESS = logging.getLogger(ACCESS_LOGGER)  # a name's logger is the same object for the life of the process


class StandardStreamHandler(logging.StreamHandler):
    """Writes to sys.stdout (or sys.stderr) as it is when a record comes: test runners swap them."""

    def __init__(self, name):
        self.name_of_stream = name
        super().__init__()

    @property
    def stream(self):
        return getattr(sys, self.name_of_stream)

    @stream.setter
    def stream(self, _value):
        pass  # StreamHandler.__init__ assigns one; the property always answers the current stream


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request it was logged in (NO_REQUEST outside requests)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id", NO_REQUEST) if has_request_context() else NO_REQUEST
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what log collectors (Loki, CloudWatch, journald) parse without rules."""

    def format(self, record):
        line = {"time": utc_iso(record.created), "level": record.levelname, "logger": record.name,
                "message": record.getMessage()}
        if getattr(record, "request_id", NO_REQUEST) != NO_REQUEST:
            line["request_id"] = record.request_id
        if record.name == ACCESS_LOGGER and isinstance(record.args, dict):
            line.update(record.args)  # method, path, status, duration_ms, already redacted
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Readable lines for a terminal: time, level, logger, request id, message."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")


def utc_iso(timestamp):
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def configure_logging(app, redaction):
    """Send every record through one handler (JSON or text, with `redaction` applied) and log each request."""
    log_format = _log_format(app)
    app.config["LOG_FORMAT"] = log_format
    handler = StandardStreamHandler(_stream_name())
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(redaction)
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for previous in [h for h in root.handlers if isinstance(h, StandardStreamHandler)]:
        root.removeHandler(previous)  # create_app runs more than once in a process (tests)
    root.addHandler(handler)
    app.logger.removeHandler(default_handler)  # Flask's own stderr handler would print each record twice
    for name in (app.logger.name, ACCESS_LOGGER):
        logger = logging.getLogger(name)
        logger.disabled = False  # alembic's fileConfig (db upgrade) disables loggers that existed before it
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)
    logging.getLogger("werkzeug").addFilter(not_a_server_request_line)
    app.before_request(_start_request)
    app.after_request(_log_request)


def _log_format(app):
    default = "json" if app.config["CAPACITA_ENV"] == "production" else "text"
    chosen = (app.config.get("LOG_FORMAT") or os.environ.get("LOG_FORMAT") or default).lower()
    if chosen not in FORMATS:
        raise RuntimeError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {chosen!r}.")
    return chosen


def _stream_name():
    # Under the `flask` command stdout is the command's output (an export, a JSON report): records go to stderr.
    # A WSGI server (gunicorn) has no output of its own, so records go to stdout, where containers collect them.
    return "stderr" if os.environ.get("FLASK_RUN_FROM_CLI") == "true" else "stdout"


def not_a_server_request_line(record):
    """Drops the development server's own line per request: the app's access line (with its id) replaces it."""
    return not (isinstance(record.msg, str) and record.msg.endswith('"%s" %s %s'))


def request_id(header_value):
    """The proxy's id when it is well formed, else a new random one."""
    if header_value and WELL_FORMED_ID.fullmatch(header_value):
        return header_value
    return new_request_id()


def new_request_id():
    """uuid.uuid4().hex, without building a UUID object (~1 µs of every request): 16 random bytes with the version
    (4) and variant (RFC 4122) bits set as uuid4 sets them."""
    data = bytearray(os.urandom(16))
    data[6] = data[6] & 0x0F | 0x40
    data[8] = data[8] & 0x3F | 0x80
    return data.hex()


def _start_request():
    # The environ's header read directly: request.headers builds a header view first; the request is bound once.
    here = g._get_current_object()
    here.request_id = request_id(request.environ.get(ENVIRON_REQUEST_ID))
    here.request_started = time.perf_counter()


def _printable(path):
    # Every control character is unprintable: a path without any (nearly all) needs no translation.
    return path if path.isprintable() else path.translate(CONTROL_CHARACTERS)


def _log_request(response):
    here = g._get_current_object()
    started = here.get("request_started", time.perf_counter())
    request_id_here = here.get("request_id")
    if request_id_here is None:  # a request refused before _start_request ran; not a second uuid4 for every request
        request_id_here = here.request_id = request_id(None)
    response.headers[REQUEST_ID_HEADER] = request_id_here
    # Asked first, as logger.info asks: when the line would not be written (a level above INFO, a disabled
    # logger), its fields are not worked out either.
    if ACCESS.isEnabledFor(logging.INFO):
        current = request._get_current_object()
        # The fields travel as the record's mapping arguments, so the redaction filter cleans them like a message.
        ACCESS.info("%(method)s %(path)s %(status)s %(duration_ms).1f ms", {
            "method": current.method,
            "path": _printable(current.path),
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        })
    return response
