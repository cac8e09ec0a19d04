"""LocalizedForm: one input per language of the program, the default one required."""
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import TextAreaField

from training.forms_localized import LocalizedForm, LocalizedText


class ThingForm(LocalizedForm):
    title = LocalizedText(_l("Code"), required=True, max_length=10)
    body = LocalizedText(_l("Description"), field=TextAreaField)


def test_one_input_per_language_of_the_program_the_default_one_required(app, monkeypatch):
    # The app lives for the whole session: the setting goes back afterwards, or later tests lose their CSRF checks.
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        form = ThingForm.for_languages(["fr", "pt"])(MultiDict({"title_pt": "Título", "body_fr": "Texte "}))
        assert [f.name for f in form.localized_fields("title")] == ["title_fr", "title_pt"]
        assert not hasattr(form, "title_es")
        assert str(form.title_fr.label.text) == "Code (French)"
        assert not form.validate() and form.title_fr.errors and not form.title_pt.errors
        assert form.localized("body") == {"fr": "Texte"}


def test_unknown_languages_are_dropped_and_filled_texts_shown(app):
    with app.test_request_context("/"):
        form = ThingForm.for_languages(["xx", "es", "en"])()
        form.fill("title", {"es": "Hola", "en": "Hi", "fr": "Salut"})
        assert form.languages == ("es", "en") and form.title_en.data == "Hi"
        assert form.localized("title") == {"es": "Hola", "en": "Hi"}
        assert str(form.title_es.label.text) == "Código (español)"
