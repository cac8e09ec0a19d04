"""Choice options as authors type them, one per line "key | text | text…" in the program's languages (pure).

The texts follow the program's language order ("a | Sí | Yes" in a Spanish-then-English program); a text may name
its language instead ("a | Sí | fr: Oui"), and the plain texts then fill, in order, the languages no tag names. A
line with a tag starts with its key; a line without tags starts with its key when it has one part more than the
program has languages. Without a key the option gets the next free letter ("Sí | Yes")."""
import re
import string

from training.localized import SUPPORTED_LANGUAGES

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,20}$")
TAG_PATTERN = re.compile(rf"^({'|'.join(SUPPORTED_LANGUAGES)})\s*:\s*(.*)$", re.IGNORECASE | re.DOTALL)
MAX_OPTIONS = 20
MAX_LABEL = 500


def parse_option_lines(text, languages):
    """(options, problems): options [{"key", language: text…}] for `languages` (the program's, default first) and
    any language a tag names. Problems are (line number, code)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    parsed, problems = [], []
    for number, line in enumerate(lines, start=1):
        key, texts, problem = _read_line(line, languages)
        if problem is None and key is not None and not KEY_PATTERN.match(key):
            problem = "bad_key"
        if problem is None and not any(texts.values()):
            problem = "no_text"
        if problem is None and any(len(value) > MAX_LABEL for value in texts.values()):
            problem = "too_long"
        if problem is None:
            parsed.append((key, {code: value for code, value in texts.items() if value}))
        else:
            problems.append((number, problem))
    if len(parsed) > MAX_OPTIONS:
        problems.append((0, "too_many_options"))
    return _with_keys(parsed, problems), problems


def _read_line(line, languages):
    """(key or None, {language: text}, problem code or None) of one line."""
    parts = [part.strip() for part in line.split("|")]
    plain, tagged = [], {}
    for part in parts:
        match = TAG_PATTERN.match(part)
        if match is None:
            plain.append(part)
            continue
        code = match.group(1).lower()
        if code in tagged:
            return None, {}, "duplicate_language"
        tagged[code] = match.group(2).strip()
    free = [code for code in languages if code not in tagged]
    # Tagged: "a | fr: Oui" is a key and a French text, whatever the program's languages are.
    starts_with_key = TAG_PATTERN.match(parts[0]) is None if tagged else len(plain) == len(free) + 1
    key = plain.pop(0) if starts_with_key else None
    if len(plain) > len(free):
        return None, {}, "too_many_parts"
    return key, {**dict(zip(free, plain, strict=False)), **tagged}, None


def format_option_lines(options, languages):
    """The lines `parse_option_lines(…, languages)` reads back as `options`: the key, the texts in the program's
    languages, then tagged texts in any other language an option holds (so editing never drops them)."""
    lines = []
    for option in options:
        others = [f"{code}: {option[code]}" for code in SUPPORTED_LANGUAGES
                  if code not in languages and option.get(code)]
        lines.append(" | ".join([option["key"], *(option.get(code, "") for code in languages), *others]))
    return "\n".join(lines)


def _with_keys(parsed, problems):
    taken = {key for key, _texts in parsed if key}
    free = (letter for letter in string.ascii_lowercase + string.digits if letter not in taken)
    options, seen = [], set()
    for number, (key, texts) in enumerate(parsed, start=1):
        key = key or next(free, None)
        if key is None or key in seen:
            problems.append((number, "duplicate_key"))
            continue
        seen.add(key)
        options.append({"key": key, **texts})
    return options
