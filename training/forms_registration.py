"""WTForms for online registration: a person's details (typed by staff or by the person) and a rejection's reason."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .forms import EMAIL_REQUIRED, strip
from .labels import GENDER_LABELS, LANGUAGE_LABELS, PROFILE_LABELS, choices
from .localized import SUPPORTED_LANGUAGES
from .localized import offered as supported

ANSWERS_ONLY = ("not_recorded",)  # a person registering themselves answers; staff may not know


class RegistrationForm(FlaskForm):
    given_names = StringField(_l("Given names"), filters=[strip], validators=[DataRequired(), Length(max=120)])
    family_names = StringField(_l("Family names"), filters=[strip], validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), filters=[strip], validators=EMAIL_REQUIRED)
    position = StringField(_l("Position"), filters=[strip], validators=[Optional(), Length(max=200)])
    institution = StringField(_l("Institution"), filters=[strip], validators=[Optional(), Length(max=200)])
    gender = SelectField(_l("Gender"))
    profile = SelectField(_l("Profile"))
    language = SelectField(_l("Preferred language"))

    def __init__(self, *args, languages=SUPPORTED_LANGUAGES, by_staff=True, **kwargs):
        """`languages`: the program's, its default first (the preselected one). `by_staff`: typed by a focal point
        or the secretariat, who may leave gender and profile "not recorded"; the person themselves chooses an
        answer."""
        super().__init__(*args, **kwargs)
        for name, labels in (("gender", GENDER_LABELS), ("profile", PROFILE_LABELS)):
            if by_staff:
                self[name].choices = choices(labels)
            else:  # nothing chosen for them: an answer they skipped must not be stored as one they gave
                self[name].choices = [("", _l("Choose…"))] + [
                    (code, label) for code, label in choices(labels) if code not in ANSWERS_ONLY]
                self[name].validators = [DataRequired(_l("Choose an answer (one of them is “Prefers not to say”)."))
                                         if name == "gender" else DataRequired(_l("Choose the closest one."))]
                self[name].flags.required = True
            if self[name].data in (None, "None"):
                self[name].data = "not_recorded" if by_staff else ""
        offered = supported(languages)
        self.language.choices = [(code, LANGUAGE_LABELS[code]) for code in offered]
        if not self.language.data or self.language.data == "None":
            self.language.data = offered[0]

    def values(self):
        return {name: self[name].data or "" for name in ("given_names", "family_names", "email", "position",
                                                         "institution", "gender", "profile", "language")}


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), filters=[strip], validators=[DataRequired(), Length(max=1000)],
                           description=_l("Kept with the request; the focal point sees it."))
