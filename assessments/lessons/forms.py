"""The lesson-learned record's form: each narrative field once per language of the program, its links as lists."""
import re

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from training.forms import MultiCheckboxField, strip
from training.forms_localized import LocalizedForm, LocalizedText

from .frameworks import objective_choices, principle_choices, sdg_choices

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
KIND_LABELS = {"positive": _l("Positive lesson"), "negative": _l("Negative lesson")}
SHORT, LONG = 300, 5000


def _long(label, **options):
    return LocalizedText(label, field=TextAreaField, filters=[strip], max_length=LONG, render_kw={"rows": 4},
                         **options)


class LessonForm(LocalizedForm):
    """Build it with `for_languages(program.languages)`, then `offer_countries(...)`; the finding is required in
    the program's default language."""

    area = LocalizedText(_l("Area"), filters=[strip], max_length=SHORT,
                         description=_l("The area the lesson belongs to, e.g. economic and social inclusion."))
    code = StringField(_l("Code"), filters=[strip], validators=[DataRequired(), Length(max=40)],
                       description=_l("Unique in the program, e.g. LA2_ISE: letters, digits, _ and -."))
    finding = _long(_l("Finding"), required=True)
    description = _long(_l("Description of the lesson"))
    context = _long(_l("Context and related preconditions"))
    goals = _long(_l("Project goals"))
    beneficiaries = _long(_l("Beneficiaries"))
    sdgs = MultiCheckboxField(_l("Related Sustainable Development Goals"), coerce=int, choices=sdg_choices)
    gcm_principles = MultiCheckboxField(_l("Guiding principles"), choices=principle_choices)
    gcm_objectives = MultiCheckboxField(_l("Objectives"), coerce=int, choices=objective_choices)
    kind = RadioField(_l("Type of lesson"), choices=list(KIND_LABELS.items()), default="positive",
                      validators=[DataRequired(_l("Choose whether the lesson is positive or negative."))])
    successes = _long(_l("Successes, positive aspects"))
    challenges = _long(_l("Challenges, difficulties, problems"))
    learned = _long(_l("Lesson learned"))
    not_learned = _long(_l("Lesson not learned"))
    territory = _long(_l("Territory"))
    countries = MultiCheckboxField(_l("Countries"), coerce=str)
    actors = _long(_l("Actors involved (NGO, government, business)"))
    added_value = _long(_l("Differentiating factors (added value)"))
    effectiveness = _long(_l("Effectiveness"))
    important = _long(_l("Important"))
    useful = _long(_l("Useful"))
    equitable = _long(_l("Equitable"))
    economic = _long(_l("Economic"))
    keywords = LocalizedText(_l("Keywords"), filters=[strip], max_length=SHORT,
                             description=_l("Separated by commas."))

    def offer_countries(self, choices):
        """The program's delegations' countries as [(code, name)]."""
        self.countries.choices = choices

    def validate_code(self, field):
        if field.data and not CODE_PATTERN.match(field.data):
            raise ValidationError(_l("Use letters, digits, hyphens and underscores only, without spaces."))

    def data_for(self, lesson):
        """What `save_lesson` takes: the narrative texts (keeping those in languages the form does not show), the
        code, the kind and the links."""
        data = {name: self.localized(name, kept=getattr(lesson, name, None)) for name in self.localized_texts()}
        data.update(code=self.code.data, kind=self.kind.data, sdgs=self.sdgs.data or [],
                    gcm_principles=self.gcm_principles.data or [], gcm_objectives=self.gcm_objectives.data or [],
                    countries=self.countries.data or [])
        return data

    def fill_from(self, lesson):
        """Put a stored lesson (or a prefilled one) into the inputs (on GET)."""
        for name in self.localized_texts():
            self.fill(name, getattr(lesson, name, None))
        self.code.data, self.kind.data = lesson.code, lesson.kind or "positive"
        self.sdgs.data, self.gcm_principles.data = list(lesson.sdgs or []), list(lesson.gcm_principles or [])
        self.gcm_objectives.data, self.countries.data = list(lesson.gcm_objectives or []), list(lesson.countries or [])


FIELD_LABELS = {name: spec.label for name, spec in LessonForm.localized_texts().items()}
