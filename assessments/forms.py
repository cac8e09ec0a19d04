"""Forms of the questionnaire builder (staff) and of response imports."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateTimeLocalField, FloatField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from training.forms import optional_int, strip
from training.forms_localized import LocalizedForm, LocalizedText
from training.labels import GENDER_LABELS, PROFILE_LABELS, choices, language_name

from .option_lines import format_option_lines, parse_option_lines
from .question_types import DIMENSIONS, QUESTIONNAIRE_KINDS, REGISTRY, type_names
from .texts import DIMENSION_LABELS, KIND_LABELS, type_label
from .windows import FOLLOW_UP_WEEKS_AFTER, FOLLOW_UP_WEEKS_OPEN, MAX_WEEKS_AFTER, MAX_WEEKS_OPEN

OPTION_PROBLEMS = {
    "duplicate_language": _l("a language is named twice"),
    "bad_key": _l("a key has letters, digits, - or _ only (up to 20)"),
    "no_text": _l("the option has no text"),
    "too_long": _l("the text is too long"),
    "duplicate_key": _l("the key is used twice"),
    "too_many_options": _l("at most 20 options"),
}


class NewQuestionnaireForm(FlaskForm):
    kind = SelectField(_l("Questionnaire"), choices=[(k, KIND_LABELS[k]) for k in QUESTIONNAIRE_KINDS])


class QuestionnaireFileForm(FlaskForm):
    file = FileField(_l("Questionnaire file (.json)"), validators=[FileRequired(_l("Choose a file."))])
    kind = SelectField(_l("Use it as"), choices=[(k, KIND_LABELS[k]) for k in QUESTIONNAIRE_KINDS])


class SettingsForm(LocalizedForm):
    """Build it with `SettingsForm.for_languages(program.languages)`: one title and intro per language."""

    title = LocalizedText(_l("Title"), required=True, max_length=300, filters=[strip])
    intro = LocalizedText(_l("Introduction"), field=TextAreaField, max_length=5000)
    opens_at = DateTimeLocalField(_l("Opens"), format="%Y-%m-%dT%H:%M", validators=[Optional()],
                                  description=_l("In the program's time zone. Empty: closed until you open it."))
    closes_at = DateTimeLocalField(_l("Closes"), format="%Y-%m-%dT%H:%M", validators=[Optional()],
                                   description=_l("Empty: open until you close it."))
    time_limit_minutes = IntegerField(_l("Time limit (minutes)"), validators=[Optional(), NumberRange(1, 1440)],
                                      description=_l("Per attempt, from the moment a participant starts. "
                                                     "Empty: no limit."))
    show_score = BooleanField(_l("Show participants their score after they submit"))
    agenda_item_id = SelectField(_l("Open during the agenda slot"), coerce=optional_int, choices=[],
                                 description=_l("Opens and closes with the slot, and follows it when it moves "
                                                "(the times above are then ignored). Empty: the times above."))

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda_item_id.choices = [("", "—")] + list(slots)

    def validate_opens_at(self, field):
        _plausible_year(field)

    def validate_closes_at(self, field):
        _plausible_year(field)
        if self.agenda_item_id.data:  # the slot's times are used
            return
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The closing must come after the opening."))


class ReopenForm(FlaskForm):
    """"Open now": the closing time, needed when the questionnaire has closed (read in the program's zone)."""
    closes_at = DateTimeLocalField(_l("New closing time"), format="%Y-%m-%dT%H:%M", validators=[Optional()],
                                   description=_l("In the program's time zone, in the future. Needed to open again "
                                                  "a questionnaire that has closed."))

    def validate_closes_at(self, field):
        _plausible_year(field)


class ReminderForm(FlaskForm):
    audience = SelectField(_l("Send a reminder to"), default="unfinished", choices=[
        ("unfinished", _l("Everyone who has not submitted")), ("not_started", _l("Those who have not started")),
        ("in_progress", _l("Those who started but have not submitted"))])


class ReminderScheduleForm(FlaskForm):
    """Automatic reminders: hours before closing, as people write them ("24, 2"); empty stops them."""

    hours = StringField(_l("Hours before it closes"), filters=[strip], validators=[Length(max=60)],
                        description=_l("For example “24, 2”: a reminder a day before and another two hours before. "
                                       "Leave it empty for none."))
    audience = SelectField(_l("To"), default="unfinished", choices=[
        ("unfinished", _l("Everyone who has not submitted")), ("not_started", _l("Those who have not started"))])

    def validate_hours(self, field):
        parts = [part.strip() for part in (field.data or "").replace(";", ",").split(",") if part.strip()]
        if not all(part.isdigit() for part in parts):
            raise ValidationError(_l("Write whole numbers of hours separated by commas, e.g. “24, 2”."))
        field.hours = [int(part) for part in parts]


class FollowUpScheduleForm(FlaskForm):
    """The follow-up survey's schedule: weeks after the program ends, and weeks open."""

    weeks_after = IntegerField(
        _l("Send it this many weeks after the program ends"), default=FOLLOW_UP_WEEKS_AFTER,
        validators=[InputRequired(_l("Say how many weeks after the program ends it is sent.")),
                    NumberRange(0, MAX_WEEKS_AFTER, _l("Between 0 and %(max)s weeks after the end.",
                                                       max=MAX_WEEKS_AFTER))],
        description=_l("Use at work shows after a few months back at work: 12 weeks is usual."))
    weeks_open = IntegerField(
        _l("Open for (weeks)"), default=FOLLOW_UP_WEEKS_OPEN,
        validators=[InputRequired(_l("Say how many weeks it stays open.")),
                    NumberRange(1, MAX_WEEKS_OPEN, _l("Between 1 and %(max)s weeks open.", max=MAX_WEEKS_OPEN))])

    @classmethod
    def for_weeks(cls, weeks):
        """The form showing the schedule's `weeks` (after, open), or the defaults when no schedule made the window."""
        form = cls(formdata=None)
        if weeks is not None:
            form.weeks_after.data, form.weeks_open.data = weeks
        return form


class SectionForm(LocalizedForm):
    title = LocalizedText(_l("Section title"), max_length=300, filters=[strip])


class QuestionForm(LocalizedForm):
    """Build it with `QuestionForm.for_languages(program.languages)`: the wording, options and scale labels are
    written in each of the program's languages (the default one required)."""

    # Read when the form is made: a type registered later is offered too.
    type = SelectField(_l("Type"), choices=lambda: [(name, type_label(name)) for name in type_names()])
    dimension = SelectField(_l("Dimension"), choices=[(name, DIMENSION_LABELS[name]) for name in DIMENSIONS])
    text = LocalizedText(_l("Question"), field=TextAreaField, required=True, max_length=2000, filters=[strip])
    options = TextAreaField(_l("Options"), validators=[Optional(), Length(max=12000)])
    correct = StringField(_l("Correct answer"), filters=[strip], validators=[Optional(), Length(max=200)],
                          description=_l("Knowledge items: the key of the right option (several separated by "
                                         "commas for multiple choice; true or false for true/false)."))
    points = FloatField(_l("Points"), default=1.0, validators=[Optional(), NumberRange(0, 1000)])
    item_key = StringField(_l("Item key"), filters=[strip], validators=[Optional(), Length(max=40)],
                           description=_l("The same key in the pre- and the post-test pairs the two answers, "
                                          "e.g. K01."))
    required = BooleanField(_l("Required"))
    low = LocalizedText(_l("Lowest point label"), max_length=80, filters=[strip])
    high = LocalizedText(_l("Highest point label"), max_length=80, filters=[strip])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options.description = _l(
            "One per line: the key, then the text in %(languages)s, separated by “|”, e.g. “%(example)s”. A text "
            "may name its language instead, as in “%(tagged)s”. For single and multiple choice.",
            languages=", ".join(language_name(code) for code in self.languages),
            example=example_option_line(self.languages), tagged=f"{self.languages[-1]}: {YES[self.languages[-1]]}")

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        kind = REGISTRY[self.type.data] if self.type.data in REGISTRY else None
        if kind is None:
            return False
        options, problems = parse_option_lines(self.options.data if kind.needs_options else "", self.languages)
        for number, code in problems:
            self.options.errors.append(_l("Line %(number)s: %(problem)s", number=number,
                                          problem=option_problem(code, self.languages)))
        if kind.needs_options and not problems and len(options) < 2:
            self.options.errors.append(_l("Write at least two options."))
        allowed = set(kind.fixed_options) or {option["key"] for option in options}
        correct = self.correct_keys()
        if correct and not kind.scorable:
            self.correct.errors.append(_l("This type of question has no right answer."))
        elif correct and not set(correct) <= allowed:
            self.correct.errors.append(_l("Use the keys of the options: %(keys)s.", keys=", ".join(sorted(allowed))))
        elif len(correct) > 1 and kind.answer_kind != "many":
            self.correct.errors.append(_l("Only one option can be right for this type."))
        self.parsed_options = options
        return valid and not self.options.errors and not self.correct.errors

    def correct_keys(self):
        return [key.strip() for key in (self.correct.data or "").replace(";", ",").split(",") if key.strip()]

    def values(self, question=None):
        """The question's fields as services_builder takes them; an edited `question` keeps its texts in languages
        the program no longer offers."""
        stored = question.scale_labels if question is not None else {}
        labels = {code: pair for code, pair in (stored or {}).items() if code not in self.languages}
        low, high = self.localized("low"), self.localized("high")
        labels |= {code: [low[code], high[code]] for code in self.languages if code in low and code in high}
        return {"type": self.type.data, "dimension": self.dimension.data, "item_key": self.item_key.data or None,
                "text": self.localized("text", question.text if question is not None else None),
                "options": self.parsed_options,
                "correct": self.correct_keys(), "points": self.points.data or 0, "required": self.required.data,
                "scale_labels": labels}

    def fill_question(self, question):
        """Put a stored question's texts into the inputs (on GET)."""
        self.fill("text", question.text)
        labels = question.scale_labels or {}
        self.fill("low", {code: pair[0] for code, pair in labels.items() if pair})
        self.fill("high", {code: pair[1] for code, pair in labels.items() if pair})
        self.options.data = format_option_lines(question.options, self.languages)


def _plausible_year(field):
    if field.data and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("Choose a date between the years 2000 and 2100."))


# "Yes" in each language, for the options' example line (a key, then one text per language of the program).
YES = {"es": "Sí", "en": "Yes", "fr": "Oui", "pt": "Sim"}


def example_option_line(languages):
    return " | ".join(["a", *(YES.get(code, "") for code in languages)])


def option_problem(code, languages):
    """The words for a problem of an options' line (the line format named in the program's languages)."""
    if code == "too_many_parts":
        return _l("write the key, then one text per language: “%(example)s”", example=example_option_line(languages))
    return OPTION_PROBLEMS[code]


class ImpactFilterForm(FlaskForm):
    """Who the impact report covers (a GET form: the filters are part of the address, shareable)."""

    class Meta:
        csrf = False

    country = SelectField(_l("Country"), validators=[Optional()])
    gender = SelectField(_l("Gender"), choices=[("", _l("All genders"))] + choices(GENDER_LABELS),
                         validators=[Optional()])
    profile = SelectField(_l("Profile"), choices=[("", _l("All profiles"))] + choices(PROFILE_LABELS),
                          validators=[Optional()])

    def __init__(self, *args, countries=(), everyone=True, **kwargs):
        """`everyone`: whether the viewer may see every country (else `countries` is their own, already chosen)."""
        super().__init__(*args, **kwargs)
        self.country.choices = ([("", _l("All countries"))] if everyone else []) + list(countries)
        if not everyone and countries and not self.country.data:
            self.country.data = countries[0][0]

    def filters(self):
        """The valid filters chosen (a bad value drops only its own filter; its error shows next to it)."""
        self.validate()
        return {name: self[name].data for name in ("country", "gender", "profile")
                if self[name].data and not self[name].errors}
