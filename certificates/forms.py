"""Forms of the certificates pages: rules and wording, signatories and logos, filters, issuing and revoking."""
import math

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, FloatField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from training.forms import MultiCheckboxField, strip
from training.forms_localized import LocalizedForm, LocalizedText
from training.textkeys import database_id

from .models import MAX_LOGOS, MAX_SIGNATORIES
from .texts import LANGUAGE_MODE_LABELS, STATUS_LABELS


def finite(_form, field):
    """'nan' and 'inf' are floats to Python, and slip past NumberRange."""
    if field.data is not None and not math.isfinite(field.data):
        raise ValidationError(_l("Enter a number."))


class SettingsForm(LocalizedForm):
    """Build it with `SettingsForm.for_languages(program.languages)`: the texts printed on the certificate get one
    input per language of the program, none of them required."""

    required_activities = MultiCheckboxField(
        _l("Activities a participant must complete"), coerce=database_id,
        description=_l("By default, every activity marked required."))
    excused_counts = BooleanField(_l("An excused absence counts as attended"))
    pre_test_required = BooleanField(_l("The pre-test must be submitted"), default=True,
                                     description=_l("Only when the program has a pre-test."))
    post_test_required = BooleanField(_l("The post-test must be submitted"), default=True,
                                      description=_l("Only when the program has a post-test; so does the minimum "
                                                     "score."))
    min_post_score = FloatField(_l("Minimum post-test score (%)"),
                                validators=[Optional(), finite, NumberRange(min=0, max=100)],
                                  description=_l("Leave empty for no minimum."))
    min_share = IntegerField(_l("Minimum share of each session attended (%)"),
                             validators=[Optional(), NumberRange(min=1, max=100)],
                             description=_l("With a share set, the minutes from the Zoom report decide; "
                                            "leave empty to go by the attendance marks."))
    hours = FloatField(_l("Total hours certified"),
                       validators=[Optional(), finite, NumberRange(min=0.5, max=10000)],
                         description=_l("Leave empty to count the planned length of the required sessions."))
    place = LocalizedText(_l("Place"), filters=[strip], max_length=120,
                          description=_l("Leave empty to print “Virtual” when every session is virtual."))
    issuer = LocalizedText(_l("Issuing organization"), filters=[strip], max_length=200)
    language_mode = SelectField(_l("Language of the certificate"),
                                choices=[(key, label) for key, label in LANGUAGE_MODE_LABELS.items()])


IMAGE_HINT = _l("PNG or JPEG, up to 2 MB.")

for _n in range(1, MAX_SIGNATORIES + 1):
    setattr(SettingsForm, f"signatory_{_n}_name", StringField(
        _l("Signatory %(n)s: name", n=_n), filters=[strip], validators=[Optional(), Length(max=120)]))
    setattr(SettingsForm, f"signatory_{_n}_title", LocalizedText(
        _l("Signatory %(n)s: position", n=_n), filters=[strip], max_length=200))
    setattr(SettingsForm, f"signatory_{_n}_image", FileField(
        _l("Signatory %(n)s: signature image", n=_n), description=IMAGE_HINT))
    setattr(SettingsForm, f"signatory_{_n}_remove_image", BooleanField(_l("Remove the signature image")))
for _n in range(1, MAX_LOGOS + 1):
    setattr(SettingsForm, f"logo_{_n}", FileField(_l("Logo %(n)s", n=_n), description=IMAGE_HINT))
    setattr(SettingsForm, f"logo_{_n}_remove", BooleanField(_l("Remove this logo")))


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    delegation = SelectField(_l("Delegation"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[("", _l("All"))] + list(STATUS_LABELS.items()) +
                         [("conflict", _l("Issued, rules no longer met"))], validators=[Optional()])

    def __init__(self, *args, delegations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.delegation.choices = [("", _l("All delegations"))] + [(str(v), label) for v, label in delegations]


class IssueForm(FlaskForm):
    """Issue to the ticked participants, or (`everyone`) to every eligible participant the user sees; before the
    program's last counted activity has ended, only with the override and its reason."""
    participant_ids = MultiCheckboxField(_l("Participants"), coerce=database_id, validate_choice=False)
    everyone = BooleanField(_l("Every eligible participant"))
    override = BooleanField(_l("Issue before the end"))
    override_reason = StringField(_l("Why"), filters=[strip], validators=[Optional(), Length(max=500)],
                                  description=_l("Kept in the audit log with the certificates."))

    def reason(self):
        """The override's reason, when the override is ticked."""
        return (self.override_reason.data or "") if self.override.data else ""


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), filters=[strip], validators=[DataRequired(), Length(max=500)])


class EmailForm(FlaskForm):
    participant_ids = MultiCheckboxField(_l("Participants"), coerce=database_id, validate_choice=False)


class DrawForm(FlaskForm):
    """Only the CSRF token: draw the next batch of waiting PDFs."""
