"""Forms of the group-work screens: generating groups, moving people, one group's details."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from .countries import code_from_name
from .forms import optional_int, strip
from .grouping import MAX_GROUPS, parse_clusters, parse_perspectives

CLUSTER_PROBLEMS = {
    "unknown_country": _l("Line %(line)s: “%(value)s” is not a country we know."),
    "country_twice": _l("Line %(line)s: %(value)s is already in another group."),
    "no_country": _l("Line %(line)s names no country."),
    "name_too_long": _l("Line %(line)s: the group's name (“%(value)s…”) is longer than 120 characters."),
}
MAX_NAME = 120


class GroupSetupForm(FlaskForm):
    strategy = RadioField(_l("How to form the groups"), default="balanced", validators=[InputRequired()],
                          choices=[("clusters", _l("Fixed country clusters (each group is a set of countries)")),
                                   ("balanced", _l("Balanced mixes (countries and genders spread evenly)"))])
    clusters = TextAreaField(_l("Country clusters"), filters=[lambda v: (v or "").strip()],
                             validators=[Length(max=5000)],
                             description=_l("One group per line: its name, a colon, then its countries (names or "
                                            "ISO codes). People from countries in no group join the smallest."))
    perspectives = TextAreaField(_l("Perspectives of the balanced groups"), validators=[Length(max=5000)],
                                 filters=[lambda v: (v or "").strip()],
                                 description=_l("One group per line, in Spanish | English. Leave it empty to give "
                                                "only a number of groups."))
    group_count = IntegerField(_l("Number of groups (without perspectives)"),
                               validators=[Optional(), NumberRange(min=1, max=MAX_GROUPS)])
    seed = IntegerField(_l("Seed"), default=1, validators=[InputRequired(), NumberRange(min=0, max=2**31 - 1)],
                        description=_l("The same people and the same seed always give the same groups."))
    only_present = BooleanField(_l("Only people marked present or late in this session"))
    questions_es = TextAreaField(_l("Guiding questions in Spanish (one per line)"), validators=[Length(max=5000)])
    questions_en = TextAreaField(_l("Guiding questions in English (one per line)"), validators=[Length(max=5000)])

    def validate_clusters(self, field):
        if self.strategy.data != "clusters":
            return
        if not field.data:
            raise ValidationError(_l("Write at least one group of countries."))
        clusters, problems = parse_clusters(field.data, code_from_name)
        problems += [(line, "name_too_long", name[:40]) for line, (name, _codes) in enumerate(clusters, start=1)
                     if name and len(name) > MAX_NAME]
        if problems:
            raise ValidationError(" ".join(str(CLUSTER_PROBLEMS[code] % {"line": line, "value": value})
                                           for line, code, value in problems))

    def validate_group_count(self, field):
        if self.strategy.data == "balanced" and not self.perspectives.data and not field.data:
            raise ValidationError(_l("Give the number of groups, or their perspectives."))

    def validate_perspectives(self, field):
        if len(parse_perspectives(field.data or "")) > MAX_GROUPS:
            raise ValidationError(_l("At most %(max)s groups.", max=MAX_GROUPS))

    def specs(self, group_name):
        """One dict per group for services_groups.generate; `group_name(n)` names unnamed groups."""
        if self.strategy.data == "clusters":
            clusters, _problems = parse_clusters(self.clusters.data, code_from_name)
            return [{"name": name or group_name(n), "countries": codes}
                    for n, (name, codes) in enumerate(clusters, start=1)]
        perspectives = parse_perspectives(self.perspectives.data or "")
        if perspectives:
            return [{"name": group_name(n), "perspective": p} for n, p in enumerate(perspectives, start=1)]
        return [{"name": group_name(n)} for n in range(1, self.group_count.data + 1)]


class GroupForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(), Length(max=MAX_NAME)])
    perspective_es = StringField(_l("Perspective in Spanish"), filters=[strip], validators=[Length(max=300)])
    perspective_en = StringField(_l("Perspective in English"), filters=[strip], validators=[Length(max=300)])
    rapporteur_id = SelectField(_l("Rapporteur"), coerce=optional_int, validate_choice=False)  # the service says why
    conclusions = TextAreaField(_l("Conclusions for the plenary"), validators=[Length(max=20000)])
