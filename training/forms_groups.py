"""Forms of the group-work screens: generating groups, moving people, one group's details."""
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from .countries import code_from_name, country_name
from .forms import optional_int, strip
from .forms_localized import LocalizedForm, LocalizedText
from .grouping import MAX_GROUPS, parse_clusters, parse_perspectives, split_languages
from .labels import current_language, language_name
from .models_groups import MAX_NAME

CLUSTER_PROBLEMS = {
    "unknown_country": _l("Line %(line)s: “%(value)s” is not a country we know."),
    "country_twice": _l("Line %(line)s: %(value)s is already in another group."),
    "no_country": _l("Line %(line)s names no country."),
    "name_too_long": _l("Line %(line)s: the group's name (“%(value)s…”) is longer than 120 characters."),
    "too_many_parts": _l("Line %(line)s has more parts than the program has languages (%(value)s): write one per "
                         "language."),
}


class GroupSetupForm(LocalizedForm):
    """How to form an agenda item's groups; group names, perspectives and guiding questions in each of the
    program's languages (build with `for_languages(program.languages)`)."""

    strategy = RadioField(_l("How to form the groups"), default="balanced", validators=[InputRequired()],
                          choices=[("clusters", _l("Fixed country clusters (each group is a set of countries)")),
                                   ("balanced", _l("Balanced mixes (countries and genders spread evenly)"))])
    clusters = TextAreaField(_l("Country clusters"), filters=[lambda v: (v or "").strip()],
                             validators=[Length(max=5000)],
                             description=_l("One group per line: its name, a colon, then its countries (names or "
                                            "ISO codes). People from countries in no group join the smallest."))
    perspectives = TextAreaField(_l("Perspectives of the balanced groups"), validators=[Length(max=5000)],
                                 filters=[lambda v: (v or "").strip()])
    group_count = IntegerField(_l("Number of groups (without perspectives)"),
                               validators=[Optional(), NumberRange(min=1, max=MAX_GROUPS)])
    seed = IntegerField(_l("Seed"), default=1, validators=[InputRequired(), NumberRange(min=0, max=2**31 - 1)],
                        description=_l("The same people and the same seed always give the same groups."))
    only_present = BooleanField(_l("Only people marked present or late in this session"))
    questions = LocalizedText(_l("Guiding questions (one per line)"), field=TextAreaField, max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The parts of a line follow the program's languages, its default first ("Gobernanza | Governance").
        order = " | ".join(language_name(code) for code in self.languages)
        if len(self.languages) > 1:
            self.clusters.description = _(
                "One group per line: its name (in %(languages)s), a colon, then its countries (names or ISO codes). "
                "People from countries in no group join the smallest.", languages=order)
            self.perspectives.description = _(
                "One group per line, in %(languages)s. Leave it empty to give only a number of groups.",
                languages=order)
        else:
            self.perspectives.description = _("One group per line. Leave it empty to give only a number of groups.")

    def examples(self):
        """Lines to show as examples, with the parts in the program's languages: (clusters, perspectives)."""
        in_each = {}
        for code in self.languages:
            with force_locale(code):
                in_each[code] = (_("Group %(n)s", n=1), _("Governance"))
        countries = ", ".join(country_name(code, current_language()) for code in ("BZ", "CR", "MX", "PA", "DO"))
        names = " | ".join(name for name, _word in in_each.values())
        return f"{names}: {countries}", " | ".join(word for _name, word in in_each.values())

    def validate_clusters(self, field):
        if self.strategy.data != "clusters":
            return
        if not field.data:
            raise ValidationError(_l("Write at least one group of countries."))
        clusters, problems = parse_clusters(field.data, code_from_name)
        problems += [(line, "name_too_long", part[:40]) for line, (name, _codes) in enumerate(clusters, start=1)
                     for part in split_languages(name or "", self.languages).values() if len(part) > MAX_NAME]
        problems += [(line, "too_many_parts", self._order()) for line, (name, _codes) in enumerate(clusters, start=1)
                     if self._too_many_parts(name or "")]
        if problems:
            raise ValidationError(" ".join(str(CLUSTER_PROBLEMS[code] % {"line": line, "value": value})
                                           for line, code, value in problems))

    def validate_group_count(self, field):
        if self.strategy.data == "balanced" and not self.perspectives.data and not field.data:
            raise ValidationError(_l("Give the number of groups, or their perspectives."))

    def validate_perspectives(self, field):
        if len(parse_perspectives(field.data or "", self.languages)) > MAX_GROUPS:
            raise ValidationError(_l("At most %(max)s groups.", max=MAX_GROUPS))
        lines = [line for line in (field.data or "").splitlines() if line.strip()]
        wrong = [number for number, line in enumerate(lines, start=1) if self._too_many_parts(line)]
        if wrong:  # the parts beyond the languages would be dropped without a word
            raise ValidationError(" ".join(str(CLUSTER_PROBLEMS["too_many_parts"] % {"line": number,
                                                                                      "value": self._order()})
                                           for number in wrong))

    def _too_many_parts(self, line):
        parts = [part.strip() for part in line.split("|")]
        while parts and not parts[-1]:
            parts.pop()
        return len(parts) > len(self.languages)

    def _order(self):
        return " | ".join(language_name(code) for code in self.languages)

    def specs(self, group_names, kept=()):
        """One dict per group for services_groups.generate; `group_names(n)` names unnamed groups in each
        language ({"es": "Grupo 1", "en": "Group 1", …}). `kept`, the groups formed before: a group whose name or
        perspective reads the same in the form's languages keeps its texts in languages the form does not show."""
        if self.strategy.data == "clusters":
            clusters, _problems = parse_clusters(self.clusters.data, code_from_name)
            specs = [{"names": split_languages(name or "", self.languages) or group_names(n), "countries": codes}
                     for n, (name, codes) in enumerate(clusters, start=1)]
        elif perspectives := parse_perspectives(self.perspectives.data or "", self.languages):
            specs = [{"names": group_names(n), "perspective": p} for n, p in enumerate(perspectives, start=1)]
        else:
            specs = [{"names": group_names(n)} for n in range(1, self.group_count.data + 1)]
        for spec, old in zip(specs, kept, strict=False):
            spec["names"] = self._with_hidden(spec["names"], old.names)
            if "perspective" in spec:
                spec["perspective"] = self._with_hidden(spec["perspective"], old.perspective)
        return specs

    def _with_hidden(self, texts, stored):
        """`texts` and, when they read as `stored` in the form's languages, `stored`'s texts in the others."""
        stored = stored or {}
        shown = {code: text for code, text in stored.items() if code in self.languages and text}
        if shown != {code: text for code, text in texts.items() if text}:
            return texts
        return {**{code: text for code, text in stored.items() if code not in self.languages}, **texts}


class GroupForm(LocalizedForm):
    """One group: its name and perspective in each of the program's languages (`for_languages`), rapporteur and
    conclusions."""

    name = LocalizedText(_l("Name"), filters=[strip], required=True, max_length=MAX_NAME)
    perspective = LocalizedText(_l("Perspective"), filters=[strip], max_length=300)
    rapporteur_id = SelectField(_l("Rapporteur"), coerce=optional_int, validate_choice=False)  # the service says why
    conclusions = TextAreaField(_l("Conclusions for the plenary"), validators=[Length(max=20000)])
