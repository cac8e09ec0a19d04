"""WTForms for online registration: a person's details (typed by staff or by the person) and a rejection's reason."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .forms import EMAIL_REQUIRED, strip
from .labels import GENDER_LABELS, LANGUAGE_LABELS, PROFILE_LABELS, choices

REQUEST_GENDERS = ("female", "male", "other", "undisclosed")  # what a person answers about themselves


class RegistrationForm(FlaskForm):
    given_names = StringField(_l("Given names"), filters=[strip], validators=[DataRequired(), Length(max=120)])
    family_names = StringField(_l("Family names"), filters=[strip], validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), filters=[strip], validators=EMAIL_REQUIRED)
    position = StringField(_l("Position"), filters=[strip], validators=[Optional(), Length(max=200)])
    institution = StringField(_l("Institution"), filters=[strip], validators=[Optional(), Length(max=200)])
    gender = SelectField(_l("Gender"), choices=[(code, GENDER_LABELS[code]) for code in REQUEST_GENDERS],
                         default="undisclosed")
    profile = SelectField(_l("Profile"), choices=choices(PROFILE_LABELS), default="employment_counselor")
    language = SelectField(_l("Preferred language"))

    def __init__(self, *args, languages=("es", "en"), **kwargs):
        super().__init__(*args, **kwargs)
        offered = [code for code in languages if code in LANGUAGE_LABELS] or ["es"]
        self.language.choices = [(code, LANGUAGE_LABELS[code]) for code in offered]
        if not self.language.data or self.language.data == "None":
            self.language.data = offered[0]

    def values(self):
        return {name: self[name].data or "" for name in ("given_names", "family_names", "email", "position",
                                                         "institution", "gender", "profile", "language")}


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), filters=[strip], validators=[DataRequired(), Length(max=1000)],
                           description=_l("Kept with the request; the focal point sees it."))
