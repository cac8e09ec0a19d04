"""Forms whose texts are entered once per language of the program: one input per language, built per request."""
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional

from .labels import language_name
from .localized import SUPPORTED_LANGUAGES, compact, offered

EVERY_LANGUAGE = "every"


class LocalizedText:
    """A text a form holds in each language: declare it on a LocalizedForm, e.g.
    `title = LocalizedText(_l("Title"), required=True, max_length=300)`; the form gets title_es, title_fr…"""

    def __init__(self, label, field=StringField, required=False, max_length=None, description="", **options):
        """`required`: True for the default language's input only (the others fall back to it); EVERY_LANGUAGE for
        each input (a text each reader gets in their own language, such as a message)."""
        self.label, self.field, self.required = label, field, required
        self.max_length, self.description, self.options = max_length, description, options

    def unbound(self, language, required):
        checks = [DataRequired()] if required else [Optional()]
        if self.max_length:
            checks.append(Length(max=self.max_length))
        label = LazyString(lambda: _("%(field)s (%(language)s)", field=self.label, language=language_name(language)))
        return self.field(label, validators=checks, description=self.description, **self.options)


class LocalizedForm(FlaskForm):
    """A form with LocalizedText attributes. Build it with `for_languages(languages)`: the first language is the
    program's default, the one a required text must have; the others may stay empty (shown with the fallback)."""

    languages = SUPPORTED_LANGUAGES

    @classmethod
    def for_languages(cls, languages):
        languages = tuple(offered(languages))
        fields = {"languages": languages}
        for name, spec in cls.localized_texts().items():
            for index, code in enumerate(languages):
                fields[f"{name}_{code}"] = spec.unbound(code, spec.required == EVERY_LANGUAGE or
                                                        (spec.required and index == 0))
        return type(cls.__name__, (cls,), fields)

    @classmethod
    def localized_texts(cls):
        return {name: value for klass in reversed(cls.__mro__) for name, value in vars(klass).items()
                if isinstance(value, LocalizedText)}

    def localized(self, name, kept=None):
        """{language: text} as typed, for each of the form's languages (empty strings dropped). `kept`, the texts
        stored before, keeps those in languages the form does not show: a language the program stops offering
        loses no text, and offering it again brings the text back."""
        hidden = {code: text for code, text in (kept or {}).items() if code not in self.languages}
        return compact({**hidden, **{code: self[f"{name}_{code}"].data or "" for code in self.languages}})

    def fill(self, name, texts):
        """Put stored {language: text} into the inputs (on GET)."""
        for code in self.languages:
            self[f"{name}_{code}"].data = (texts or {}).get(code, "")

    def localized_fields(self, name):
        """The bound inputs of one text, in the form's language order (for templates)."""
        return [self[f"{name}_{code}"] for code in self.languages]
