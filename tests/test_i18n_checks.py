"""Checks that keep the four languages true as the code grows: no form, view, service or template hard-codes a
language (fields named title_es, ("es", "en") tuples, "es" as a fallback), and no text in a template reaches users
without going through Babel."""
import ast
import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODES = {"es", "en", "fr", "pt"}
NOT_SCANNED = {".venv", "tests", "migrations", "benchmarks", "node_modules", "translations", "build"}
# Where languages are named on purpose: the list of languages itself and the demo's content in each language.
LANGUAGE_HOMES = {"training/localized.py", "training/demo_data.py", "assessments/demo_tests.py", "assessments/demo.py",
                  "certificates/demo.py", "certificates/demo_art.py"}
# Facts about a language rather than choices of one, each with why (file, text on the line).
LANGUAGE_FACTS = {
    ("settings.py", '"BABEL_DEFAULT_LOCALE": "es"'):
        "the interface's default locale (settings.py cannot import training.localized: a cycle through the mailer)",
    ("training/exporting.py", "SEMICOLON_LANGUAGES ="):
        "the locales whose Excel splits CSV by ';' (decimal comma): a fact about those locales, not an offer",
    ("training/cli.py", "title_es"):
        "create-program keeps its --title-es/--title-en options (besides --title LANG=TEXT) so existing scripts run",
    ("training/cli.py", "title_en"):
        "create-program keeps its --title-es/--title-en options (besides --title LANG=TEXT) so existing scripts run",
    ("training/cli.py", "LEGACY_LANGUAGES = "):
        "the languages --title-es/--title-en alone have always created",
    ("training/models.py", "NEW_PROGRAM_LANGUAGES = "):
        "what a new program offers until its organizers choose: a default, shown checked on the program form",
    ("certificates/cli.py", "when(refusal.ends_at, program.timezone, \"en\")"):
        "the command line writes its refusals in English, as the rest of its output",
    ("training/services_privacy.py", "country_name(delegation.country_code, \"en\")"):
        "the personal-data JSON names countries in English as a stable data value, whatever the page's language",
}
FIELD = re.compile(r"[a-z]\w*_(es|en)")


def _python_files():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if NOT_SCANNED & set(relative.parts) or relative.as_posix() in LANGUAGE_HOMES:
            continue
        yield relative


def _is_language_list(node):
    return (isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) >= 2
            and all(isinstance(e, ast.Constant) and e.value in CODES for e in node.elts))


def hard_coded_in_python(source):
    """(line, what) for each place `source` names a language in code: a tuple or list of language codes, the code
    "es" or "en" as a value (a default, a fallback, a comparison, a lookup), a name or field ending in _es/_en.
    Docstrings and a dict's keys (a text per language, as the default messages hold) are not choices."""
    tree = ast.parse(source)
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if _is_language_list(node):
            found.append((node.lineno, f"languages listed: {ast.unparse(node)}"))
        elif isinstance(node, ast.Constant) and node.value in ("es", "en") and id(node) not in docstrings:
            parent = parents.get(id(node))
            if _is_language_list(parent) or (isinstance(parent, ast.Dict) and any(k is node for k in parent.keys)):
                continue
            if isinstance(parent, (ast.Tuple, ast.List, ast.Set)) and any(
                    isinstance(e, ast.Constant) and isinstance(e.value, str) and e.value not in CODES
                    for e in parent.elts):
                continue  # the names a code is known by ("en", "english", "inglés"): matching input, not a choice
            found.append((node.lineno, f'"{node.value}" in {ast.unparse(parent)[:70]}'))
        elif isinstance(node, ast.Name) and FIELD.fullmatch(node.id):
            found.append((node.lineno, f"name {node.id}"))
        elif isinstance(node, ast.Attribute) and FIELD.fullmatch(node.attr):
            found.append((node.lineno, f"attribute {node.attr}"))
        elif isinstance(node, ast.arg) and FIELD.fullmatch(node.arg):
            found.append((node.lineno, f"argument {node.arg}"))
        elif isinstance(node, ast.keyword) and node.arg and FIELD.fullmatch(node.arg):
            found.append((node.lineno, f"keyword {node.arg}"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and FIELD.fullmatch(node.value):
            found.append((node.lineno, f"field name {node.value}"))
    return sorted(set(found))


JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def hard_coded_in_template(text):
    """(line, code) for each Jinja expression or statement naming "es"/"en" or a field ending in _es/_en."""
    return [(text.count("\n", 0, match.start()) + 1, " ".join(match.group(0).split())[:90])
            for match in JINJA.finditer(text)
            if re.search(r"""['"](es|en)['"]""", match.group(0)) or re.search(r"\b" + FIELD.pattern + r"\b",
                                                                               match.group(0))]


def _allowed(relative, line_text):
    return any(relative == path and text in line_text for path, text in LANGUAGE_FACTS)


def test_the_hard_coded_language_check_finds_what_it_should():
    source = '''"""Doc "es"."""
LANGUAGES = ("es", "en")
TEXTS = {"es": "Hola", "en": "Hello"}


def f(language="es"):
    return form.title_es.data or texts.get("en")
'''
    found = [what for _line, what in hard_coded_in_python(source)]
    assert "languages listed: ('es', 'en')" in found and "attribute title_es" in found
    assert any(what.startswith('"es" in') for what in found) and any(what.startswith('"en" in') for what in found)
    assert not any("Hola" in what for what in found)  # a text per language is content
    assert hard_coded_in_template('{{ field(form.title_es) }} {% if lang == "en" %}{{ _("Hi") }}{% endif %}') == [
        (1, "{{ field(form.title_es) }}"), (1, '{% if lang == "en" %}')]


def test_no_form_view_or_template_hard_codes_a_language():
    """A program offers any of es, en, fr, pt: forms, files and pages are built from its languages
    (training.localized, LocalizedForm), never from a fixed pair."""
    found = {}
    for relative in _python_files():
        lines = (ROOT / relative).read_text(encoding="utf-8").splitlines()
        for line, what in hard_coded_in_python((ROOT / relative).read_text(encoding="utf-8")):
            if not _allowed(relative.as_posix(), lines[line - 1]):
                found.setdefault(relative.as_posix(), []).append(f"{line}: {what}")
    for path in sorted((ROOT / "templates").rglob("*.html")):
        relative = path.relative_to(ROOT).as_posix()
        for line, code in hard_coded_in_template(path.read_text(encoding="utf-8")):
            found.setdefault(relative, []).append(f"{line}: {code}")
    summary = {path: f"{len(items)}: " + "; ".join(items[:3]) for path, items in found.items()}
    assert summary == {}


# --- text in templates that does not go through Babel -------------------------------------------------------

# Text a reader sees in any language as it is: symbols, units and names (no word to translate).
NOT_WORDS = {"Capacita", "CSV", "XLSX", "PDF", "JSON", "QR", "Zoom", "UTC", "KR-20", "SHA-256", "d_z"}
# Text written as another program writes it (the column headers of the files people upload), with why.
OTHER_PROGRAMS_TEXT = {
    ("templates/training/attendance_import_form.html", "First name · Surname · Email address"):
        "the course platform's export, whose headers are in English whatever our page's language",
    ("templates/training/attendance_import_form.html", "Name (Original Name) · User Email"):
        "Zoom's participant report, as Zoom writes it",
    ("templates/assessments/responses_import_form.html", "Marca temporal · Dirección de correo electrónico"):
        "a Spanish Google Forms export's first columns, as Google writes them",
    ("templates/training/import_form.html", "Nombre(s) · Apellido(s) · Cargo/Puesto"):
        "a Spanish header row focal points send, which the sentence before it introduces as an example",
}
ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.found.append((self.getpos()[0], f"{name}={value.strip()!r}", value))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.found.append((self.getpos()[0], data.strip(), data))


def _without_jinja(text):
    """The template with its translated blocks, comments, expressions and statements blanked (newlines kept, so
    line numbers stay): what is left is the text the template writes as it is."""
    blank = lambda match: re.sub(r"[^\n]", " ", match.group(0))  # noqa: E731
    text = re.sub(r"\{#.*?#\}", blank, text, flags=re.S)
    text = re.sub(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", blank, text, flags=re.S)
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}", blank, text, flags=re.S)


def untranslated_text(template_text):
    """(line, text) for each text node or title/alt/placeholder/aria-label attribute with a word in it that is
    written as it is rather than through _() or {% trans %}."""
    parser = _Text()
    parser.feed(_without_jinja(template_text))
    found = []
    for line, shown, raw in parser.found:
        words = [word for word in re.findall(r"[^\W\d_][\w'’.-]*", raw) if word not in NOT_WORDS]
        if any(len(word) > 1 for word in words):  # a letter alone is a symbol (n =, W =)
            found.append((line, shown[:60]))
    return found


def test_the_template_text_check_finds_what_it_should():
    template = '''<h1>{{ _("Agenda") }}</h1>
<p title="Open">{% trans %}Welcome{% endtrans %} · 12 · CSV</p>
<p>{{ x }} Missing words</p>
<img alt="{{ _('Logo') }}"><script>var a = "text";</script>
{# a comment #}'''
    assert untranslated_text(template) == [(2, "title='Open'"), (3, "Missing words")]
    assert untranslated_text("<p>W = {{ w }}, n = {{ n }} (d_z, SHA-256)</p>") == []


def test_every_text_in_the_templates_goes_through_babel():
    found = {}
    for path in sorted((ROOT / "templates").rglob("*.html")):
        relative = path.relative_to(ROOT).as_posix()
        for line, text in untranslated_text(path.read_text(encoding="utf-8")):
            if not any(relative == where and text.startswith(start) for where, start in OTHER_PROGRAMS_TEXT):
                found.setdefault(relative, []).append(f"{line}: {text}")
    assert found == {}


# --- text in Python that reaches users without going through Babel ------------------------------------------


def _words(node):
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str)
                                               and re.search(r"[^\W\d_]{2}", node.value) is not None)


def untranslated_in_python(source):
    """(line, call) where a flash, a ValidationError, a form field's label or description, or a validator's message
    is written as a plain string (or an f-string) instead of _()/_l()."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        shown = [node.args[0]] if node.args and (name in ("flash", "ValidationError") or name.endswith("Field")) \
            else []
        shown += [keyword.value for keyword in node.keywords if keyword.arg in ("label", "description", "message")]
        if any(_words(value) for value in shown):
            found.append((node.lineno, ast.unparse(node)[:80]))
    return sorted(found)


def test_the_python_text_check_finds_what_it_should():
    source = '''flash(_("Saved."))
flash("Saved.")
name = StringField(_l("Name"), validators=[Length(max=5, message="Too long")])
title = StringField("Title", description=f"{x} words")
raise ValidationError(str(error))
'''
    assert [line for line, _call in untranslated_in_python(source)] == [2, 3, 4]


def test_every_text_python_shows_goes_through_babel():
    found = {}
    for relative in _python_files():
        for line, call in untranslated_in_python((ROOT / relative).read_text(encoding="utf-8")):
            found.setdefault(relative.as_posix(), []).append(f"{line}: {call}")
    assert found == {}
