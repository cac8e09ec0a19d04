"""The lessons' library forms: what to look for (a GET form, shareable) and a lesson's place on the public page."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SearchField, SelectField
from wtforms.validators import AnyOf, Length

from training.countries import country_name
from training.forms import strip

from .documents import LABELS
from .frameworks import GCM_OBJECTIVES, SDGS, objective_label, sdg_label
from .library import FILTERS

ALL_LABELS = {"area": _l("All areas"), "sdg": _l("All goals"), "objective": _l("All objectives"),
              "kind": _l("Both types"), "country": _l("All countries"), "program": _l("All programs")}


class LessonFilterForm(FlaskForm):
    """Words and filters whose choices are the values present in what the reader sees (services_library checks
    them)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Words"), filters=[strip], validators=[Length(max=200)],
                    description=_l("Every word must appear; accents and capitals do not matter."))
    area = SelectField(_l("Area"), validate_choice=False)
    sdg = SelectField(_l("Sustainable Development Goal"), validate_choice=False)
    objective = SelectField(_l("Global Compact objective"), validate_choice=False)
    kind = SelectField(_l("Type of lesson"), validate_choice=False)
    country = SelectField(_l("Country"), validate_choice=False)
    program = SelectField(_l("Program"), validate_choice=False)

    def offer(self, labelled):
        """`labelled`: filter name → [(value, label)] present in the lessons."""
        for name in FILTERS:
            self[name].choices = [("", ALL_LABELS[name]), *labelled.get(name, ())]


def filter_form(reading, language, arguments):
    """The search form, offering the values present, the refused ones marked (shared with the public page)."""
    form = LessonFilterForm(arguments)
    form.offer({name: [(value, _value_label(name, value, reading, language)) for value in values]
                for name, values in reading.available.items()})
    for name in reading.refused:
        form[name].errors = [_("Not one of the values shown: left out.")]
    return form


def _value_label(name, value, reading, language):
    if name == "area":
        return reading.area_labels.get(value, value)
    if name == "sdg" and value.isdigit() and int(value) in SDGS:
        return sdg_label(int(value))
    if name == "objective" and value.isdigit() and int(value) in GCM_OBJECTIVES:
        return objective_label(int(value))
    if name == "kind" and value in LABELS:
        return str(LABELS[value])
    if name == "country":
        return country_name(value, language)
    return value


class ShareForm(FlaskForm):
    """Put a lesson on the network's public page ("1") or take it off ("0")."""
    shared = HiddenField(validators=[AnyOf(("0", "1"))])
    next = HiddenField()
