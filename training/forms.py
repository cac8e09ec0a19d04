"""WTForms for logging in, programs, delegations, participants and staff accounts."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from .countries import country_choices
from .forms_localized import EVERY_LANGUAGE, LocalizedForm, LocalizedText
from .labels import (
    ACTIVITY_KIND_LABELS,
    AGENDA_KIND_LABELS,
    DELEGATION_KIND_LABELS,
    DELEGATION_STATUS_LABELS,
    GENDER_LABELS,
    LANGUAGE_LABELS,
    PARTICIPANT_STATUS_LABELS,
    PROFILE_LABELS,
    ROLE_LABELS,
    choices,
    current_language,
)
from .localized import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from .messages import KIND_PLACEHOLDERS, unknown_placeholders
from .models import DEFAULT_QUOTA, MAX_NOTICE_HOURS, NEW_PROGRAM_LANGUAGES, SESSION_KINDS
from .tabular import clean_cell
from .textkeys import database_id
from .timezones import timezone_names

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
ONE_PER_LINE = _l("One objective per line.")
EMAIL_REQUIRED = [DataRequired(), Email(check_deliverability=False), Length(max=254)]


def web_address(_form, field):
    """Only http and https addresses: what participants open from an e-mail (no javascript:, file: or ftp:)."""
    if field.data and not re.match(r"^https?://", field.data, re.IGNORECASE):
        raise ValidationError(_l("Use an address that starts with https:// or http://."))


def strip(value):
    """Trim what people paste: surrounding spaces and control characters are never meant."""
    return clean_cell(value) if isinstance(value, str) else value


def optional_int(value):
    """Coerce a select's value to an id, with the empty placeholder as None."""
    return database_id(value) if value not in (None, "") else None


def _timezone_choices():
    return [(name, name.replace("_", " ")) for name in timezone_names()]


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), filters=[strip], validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), filters=[strip], validators=EMAIL_REQUIRED)


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=200)],
                             description=_l("At least 10 characters."))
    confirm = PasswordField(_l("The new password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=choices(LANGUAGE_LABELS))
    next = HiddenField()


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ProgramForm(LocalizedForm):
    """A program's identification, dates, languages and texts. The texts have one input in each of the four
    languages, the default one first: build it with `for_program(program, chosen_default)`."""

    code = StringField(_l("Code"), filters=[strip], validators=[DataRequired(), Length(max=40)],
                       description=_l("Short and unique, e.g. CRM-CE-2021."))
    title = LocalizedText(_l("Title"), filters=[strip], max_length=300)
    description = LocalizedText(_l("Description"), field=TextAreaField, max_length=5000)
    general_objective = LocalizedText(_l("General objective"), field=TextAreaField, max_length=2000)
    specific_objectives = LocalizedText(_l("Specific objectives"), field=TextAreaField, max_length=5000,
                                        description=ONE_PER_LINE)
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])
    timezone = SelectField(_l("Reference time zone"), default="America/Mexico_City")
    default_language = SelectField(_l("Default language"), choices=choices(LANGUAGE_LABELS), default=DEFAULT_LANGUAGE,
                                   description=_l("Texts missing in a reader's language are shown in this one."))
    # Posted as "languages"; the attribute `languages` is the form's own language list (LocalizedForm).
    offered_languages = MultiCheckboxField(_l("Languages"), choices=choices(LANGUAGE_LABELS), name="languages",
                                           default=list(NEW_PROGRAM_LANGUAGES),
                                           validators=[DataRequired(_l("Choose at least one language."))])

    @classmethod
    def for_program(cls, program=None, chosen_default=None):
        """Inputs in the four languages: the default one (as chosen in the form, else the program's) first,
        then the program's other languages, then the rest."""
        current = list(program.languages) if program is not None and program.languages else [DEFAULT_LANGUAGE]
        default = chosen_default if chosen_default in SUPPORTED_LANGUAGES else current[0]
        return cls.for_languages(list(dict.fromkeys([default, *current, *SUPPORTED_LANGUAGES])))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        if obj is not None and not self.is_submitted():
            self.offered_languages.data = list(obj.languages or [])
        self.timezone.choices = _timezone_choices()
        # Required in the default language only (checked in validate, where the chosen default is known).
        self[f"title_{self.languages[0]}"].flags.required = True

    def validate_code(self, field):
        if not re.match(CODE_PATTERN, field.data.strip()):
            raise ValidationError(_l("Use letters, digits, hyphens and underscores only."))

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date cannot be before the start date."))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        default = self.default_language.data
        if default not in (self.offered_languages.data or []) and not self.offered_languages.errors:
            self.offered_languages.errors.append(_l("Offer the default language too."))
            valid = False
        title = self._fields.get(f"title_{default}")
        if title is not None and not title.data and not title.errors:
            title.errors.append(_l("Write the title in the default language."))
            valid = False
        return valid

    def chosen_languages(self):
        """The program's languages as stored: the default first, then the others in the usual order."""
        default, offered = self.default_language.data, self.offered_languages.data or []
        return [default] + [code for code in SUPPORTED_LANGUAGES if code in offered and code != default]


class ProgramCopyForm(LocalizedForm):
    """A new program made from another: its code, start date (the rest moves alike), title in each of the source's
    languages (build with `for_languages(source.languages)`) and the parts it carries over (`parts.choices` set by
    the view: services_copy.copy_parts)."""

    code = ProgramForm.code
    start_date = DateField(_l("Start date"), validators=[DataRequired()],
                           description=_l("Every date and time of the copy moves by as many days as this one does."))
    title = LocalizedText(_l("Title"), filters=[strip], required=True, max_length=300)
    parts = MultiCheckboxField(_l("What it carries over"), validators=[Optional()])
    validate_code = ProgramForm.validate_code

    def validate_start_date(self, field):
        # Every time of the copy moves with it: a year such as 9999 would move them past what dates can hold.
        if field.data and not 2000 <= field.data.year < 2200:
            raise ValidationError(_l("Choose a start date between the years 2000 and 2199."))


class DelegationForm(FlaskForm):
    kind = SelectField(_l("Type"), choices=choices(DELEGATION_KIND_LABELS), default="member")
    country_code = SelectField(_l("Country"))
    organization = StringField(_l("Observer organization"), filters=[strip], validators=[Length(max=200)])
    quota = IntegerField(_l("Quota"), default=DEFAULT_QUOTA,
                         validators=[InputRequired(), NumberRange(min=0, max=10000)])
    status = SelectField(_l("Status"), choices=choices(DELEGATION_STATUS_LABELS), default="invited")
    focal_point_name = StringField(_l("Focal point's name"), filters=[strip], validators=[Optional(), Length(max=200)])
    focal_point_email = EmailField(_l("Focal point's e-mail"),
                                   validators=[Optional(), Email(check_deliverability=False), Length(max=254)])
    focal_point_phone = StringField(_l("Focal point's phone"), filters=[strip], validators=[Optional(), Length(max=50)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_code.choices = [("", _l("Choose a country"))] + country_choices(current_language())

    def validate_country_code(self, field):
        if self.kind.data == "member" and not field.data:
            raise ValidationError(_l("Choose the member country."))

    def validate_organization(self, field):
        if self.kind.data == "observer" and not (field.data or "").strip():
            raise ValidationError(_l("Name the observer organization."))


class DelegationEditForm(FlaskForm):
    quota = DelegationForm.quota
    status = DelegationForm.status
    focal_point_name = DelegationForm.focal_point_name
    focal_point_email = DelegationForm.focal_point_email
    focal_point_phone = DelegationForm.focal_point_phone


class ParticipantForm(FlaskForm):
    given_names = StringField(_l("Given names"), filters=[strip], validators=[DataRequired(), Length(max=120)])
    family_names = StringField(_l("Family names"), filters=[strip], validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), filters=[strip], validators=EMAIL_REQUIRED)
    position = StringField(_l("Position"), filters=[strip], validators=[Optional(), Length(max=200)])
    institution = StringField(_l("Institution"), filters=[strip], validators=[Optional(), Length(max=200)])
    delegation_id = SelectField(_l("Delegation"), coerce=optional_int,
                                validators=[DataRequired(_l("Choose the person's delegation."))])
    gender = SelectField(_l("Gender"), choices=choices(GENDER_LABELS), default="not_recorded")
    profile = SelectField(_l("Profile"), choices=choices(PROFILE_LABELS), default="not_recorded")
    language = SelectField(_l("Preferred language"), choices=choices(LANGUAGE_LABELS))  # the view orders them
    timezone = SelectField(_l("Time zone"), validators=[Optional()],
                           description=_l("Leave empty to use the country's time zone."))

    def __init__(self, *args, delegations=(), **kwargs):
        super().__init__(*args, **kwargs)
        delegations = list(delegations)
        placeholder = [] if len(delegations) == 1 else [("", _l("Choose a delegation"))]
        self.delegation_id.choices = placeholder + delegations
        self.timezone.choices = [("", _l("The country's time zone"))] + _timezone_choices()


class ParticipantFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search"), filters=[strip], validators=[Optional(), Length(max=200)])
    delegation = SelectField(_l("Delegation"), validators=[Optional()])
    gender = SelectField(_l("Gender"), choices=[("", _l("All genders"))] + choices(GENDER_LABELS),
                         validators=[Optional()])
    profile = SelectField(_l("Profile"), choices=[("", _l("All profiles"))] + choices(PROFILE_LABELS),
                          validators=[Optional()])
    status = SelectField(_l("Status"), choices=[("", _l("Active"))] + choices(PARTICIPANT_STATUS_LABELS)
                         + [("all", _l("All"))], validators=[Optional()])

    def __init__(self, *args, delegations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.delegation.choices = [("", _l("All delegations"))] + [(str(v), label) for v, label in delegations]


class UserForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), filters=[strip], validators=EMAIL_REQUIRED)
    language = SelectField(_l("Language"), choices=choices(LANGUAGE_LABELS), default=DEFAULT_LANGUAGE)
    secretariat = BooleanField(_l("Executive secretariat"), description=_l("Every action in every program."))
    active = BooleanField(_l("Active"), default=True)
    password = PasswordField(_l("Password"), validators=[Optional(), Length(min=10, max=200)],
                             description=_l("At least 10 characters. Leave empty to keep the current one."))


class GrantForm(FlaskForm):
    """One role of a staff account in one program (or in every program: not for focal points)."""

    program_id = SelectField(_l("Program"), coerce=optional_int)
    role = SelectField(_l("Role"), choices=[(key, label) for key, label in choices(ROLE_LABELS) if key != "admin"],
                       default="focal_point")
    country_code = SelectField(_l("Country (focal points)"), default="")

    def __init__(self, *args, programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.program_id.choices = [("", _l("Every program"))] + [(program.id, program.code) for program in programs]
        self.country_code.choices = [("", "—")] + country_choices(current_language())

    def validate_country_code(self, field):
        if self.role.data == "focal_point" and not field.data:
            raise ValidationError(_l("A focal point must be bound to a country."))


class ImportForm(FlaskForm):
    file = FileField(_l("Participant list (CSV or XLSX)"), validators=[FileRequired(_l("Choose a file."))])
    delegation_id = SelectField(_l("Delegation"), coerce=optional_int,
                                description=_l("Rows without a country go to this delegation."))

    def __init__(self, *args, delegations=(), locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        delegations = list(delegations)
        placeholder = [] if locked else [("", _l("Use each row's country column"))]
        self.delegation_id.choices = placeholder + delegations


class ContinueForm(FlaskForm):
    """The personal link's one button: only this POST starts the participant's session."""


class TemplateForm(LocalizedForm):
    """The texts of one kind of message in each of the program's languages (`for_languages`): every one is needed,
    since each person gets the message in their language; `kind` says which placeholders they may use."""

    subject = LocalizedText(_l("Subject"), filters=[strip], required=EVERY_LANGUAGE, max_length=200)
    body = LocalizedText(_l("Message"), field=TextAreaField, required=EVERY_LANGUAGE, max_length=10000)

    def __init__(self, *args, kind="invitation", **kwargs):
        super().__init__(*args, **kwargs)
        self.known_placeholders = KIND_PLACEHOLDERS[kind]

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self.localized_fields("subject") + self.localized_fields("body"):
            unknown = unknown_placeholders(field.data or "", self.known_placeholders)
            if unknown:
                field.errors.append(_l("Unknown placeholder: %(names)s.", names=", ".join(
                    "{" + word + "}" for word in unknown)))
                valid = False
        return valid


class InvitationForm(FlaskForm):
    audience = SelectField(_l("Send to"), choices=[
        ("not_invited", _l("Everyone not invited yet")),
        ("all", _l("Everyone registered")),
        ("delegation", _l("One delegation")),
        ("selected", _l("The people selected in the list")),
    ], default="not_invited")
    delegation_id = SelectField(_l("Delegation"), coerce=optional_int)
    participant_ids = SelectMultipleField(coerce=database_id, validate_choice=False)

    def __init__(self, *args, delegations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.delegation_id.choices = [("", "—")] + list(delegations)

    def validate_delegation_id(self, field):
        if self.audience.data == "delegation" and not field.data:
            raise ValidationError(_l("Choose the delegation."))


class ActivityForm(LocalizedForm):
    """An activity; its title and description in each of the program's languages (`for_languages`)."""

    code = StringField(_l("Code"), filters=[strip], validators=[DataRequired(), Length(max=20)],
                       description=_l("Short and unique in the program, e.g. S1 or C2."))
    kind = SelectField(_l("Type"), choices=choices(ACTIVITY_KIND_LABELS), default="virtual_session")
    required = BooleanField(_l("Required for the certificate"), default=True)
    title = LocalizedText(_l("Title"), filters=[strip], required=True, max_length=300)
    description = LocalizedText(_l("Description"), field=TextAreaField, max_length=5000)
    day = DateField(_l("Date"), validators=[Optional()])
    start = TimeField(_l("Start"), validators=[Optional()])
    end = TimeField(_l("End"), validators=[Optional()])
    due_day = DateField(_l("Complete by"), validators=[Optional()], description=_l("For online courses."))
    link = URLField(_l("Meeting or course link"), filters=[strip], validators=[Optional(), URL(), Length(max=500)])
    location = StringField(_l("Place"), filters=[strip], validators=[Optional(), Length(max=200)],
                           description=_l("For in-person sessions."))
    recording_link = URLField(_l("Recording link"), filters=[strip],
                              validators=[Optional(), URL(), web_address, Length(max=500)])
    absent_notice_hours = IntegerField(
        _l("Send the recording to those absent, hours after the end"),
        validators=[Optional(), NumberRange(0, MAX_NOTICE_HOURS)],
        description=_l("Each participant marked absent receives it once, in their language. Empty: never."))

    def validate_code(self, field):
        if not re.match(CODE_PATTERN, field.data):
            raise ValidationError(_l("Use letters, digits, hyphens and underscores only."))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        is_session = self.kind.data in ("virtual_session", "in_person_session")
        if is_session and not (self.day.data and self.start.data and self.end.data) and not self.start.errors:
            self.start.errors.append(_l("A session needs its date, start and end."))
            return False
        if self.absent_notice_hours.data is not None and not self.absent_notice_hours.errors:
            if self.kind.data not in SESSION_KINDS:
                self.absent_notice_hours.errors.append(_l("Only sessions have people marked absent."))
                return False
            if not self.recording_link.data:
                self.recording_link.errors.append(_l("The notice to those absent sends this link: add it."))
                return False
        return valid


class AgendaItemForm(LocalizedForm):
    """An agenda item; its title in each of the program's languages (`for_languages`)."""

    start = TimeField(_l("Start"), validators=[DataRequired()])
    end = TimeField(_l("End"), validators=[DataRequired()])
    kind = SelectField(_l("Type"), choices=choices(AGENDA_KIND_LABELS), default="presentation")
    title = LocalizedText(_l("Title"), filters=[strip], required=True, max_length=300)
    facilitators = StringField(_l("Facilitation"), filters=[strip], validators=[Optional(), Length(max=500)])
    speakers = TextAreaField(_l("Speakers"), validators=[Optional(), Length(max=1000)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    parallel = BooleanField(_l("Runs in parallel with other items"))


class SheetForm(FlaskForm):
    """The override of an activity that has not started; the sheet's radio buttons are read per participant in the
    view."""
    override = BooleanField(_l("Record attendance anyway, before the activity starts"))
    override_reason = StringField(_l("Why"), filters=[strip], validators=[Optional(), Length(max=500)],
                                  description=_l("Kept in the audit log with the marks."))


class AttendanceReportForm(FlaskForm):
    file = FileField(_l("Report (CSV or XLSX)"), validators=[FileRequired(_l("Choose a file."))])
    min_share = IntegerField(_l("Minimum share of the session to count as present (%)"),
                             validators=[InputRequired(), NumberRange(min=1, max=100)],
                             description=_l("Connected less than this, a person is marked as partial."))
