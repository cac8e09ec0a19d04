"""Choice options as authors type them, one per line "key | Spanish | English" (pure)."""
import re
import string

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
MAX_OPTIONS = 20
MAX_LABEL = 500


def parse_option_lines(text):
    """(options, problems): options [{"key", "es", "en"}]; a line without a key ("Sí | Yes") gets the next
    free letter. Problems are (line number, code)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    parsed, problems = [], []
    for number, line in enumerate(lines, start=1):
        parts = [part.strip() for part in line.split("|")]
        if len(parts) == 3:
            key, spanish, english = parts
        elif len(parts) <= 2:
            key, spanish, english = None, parts[0], parts[1] if len(parts) == 2 else ""
        else:
            problems.append((number, "too_many_parts"))
            continue
        if key is not None and not KEY_PATTERN.match(key):
            problems.append((number, "bad_key"))
        elif not spanish and not english:
            problems.append((number, "no_text"))
        elif len(spanish) > MAX_LABEL or len(english) > MAX_LABEL:
            problems.append((number, "too_long"))
        else:
            parsed.append((key, spanish, english))
    if len(parsed) > MAX_OPTIONS:
        problems.append((0, "too_many_options"))
    return _with_keys(parsed, problems), problems


def format_option_lines(options):
    return "\n".join(" | ".join([option["key"], option.get("es", ""), option.get("en", "")]) for option in options)


def _with_keys(parsed, problems):
    taken = {key for key, _es, _en in parsed if key}
    free = (letter for letter in string.ascii_lowercase + string.digits if letter not in taken)
    options, seen = [], set()
    for number, (key, spanish, english) in enumerate(parsed, start=1):
        key = key or next(free, None)
        if key is None or key in seen:
            problems.append((number, "duplicate_key"))
            continue
        seen.add(key)
        options.append({"key": key, **({"es": spanish} if spanish else {}), **({"en": english} if english else {})})
    return options
