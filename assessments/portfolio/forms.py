"""The portfolio's forms: who it covers (a GET form, shareable) and a new feed token."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from training.forms import MultiCheckboxField, strip

from .indicators import FILTERS

ALL_LABELS = {"year": _l("All years"), "country": _l("All countries"), "program": _l("All programs"),
              "gender": _l("All genders"), "profile": _l("All profiles")}


class PortfolioFilterForm(FlaskForm):
    """Filters whose choices are the values present in what the viewer sees; the view checks them (indicators)."""

    class Meta:
        csrf = False

    year = SelectField(_l("Year"), validate_choice=False)
    country = SelectField(_l("Country"), validate_choice=False)
    program = SelectField(_l("Program"), validate_choice=False)
    gender = SelectField(_l("Gender"), validate_choice=False)
    profile = SelectField(_l("Profile"), validate_choice=False)

    def offer(self, labelled):
        """`labelled`: filter name → [(value, label)] present in the data."""
        for name in FILTERS:
            self[name].choices = [("", ALL_LABELS[name]), *labelled.get(name, ())]


class FeedTokenForm(FlaskForm):
    label = StringField(_l("What it is for"), filters=[strip], validators=[DataRequired(), Length(max=120)],
                        description=_l("For example: “Power BI, monitoring unit”."))
    programs = MultiCheckboxField(_l("Programs it reads"), coerce=int, validate_choice=True,
                                  description=_l("None chosen: every program you see, now and later."))
