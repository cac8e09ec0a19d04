"""WTForms for the audit log's filters and for exporting and erasing a participant's personal data."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .forms import strip
from .services_audit import SYSTEM, action_label
from .timezones import timezone_names


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    program = SelectField(_l("Program"), validators=[Optional()])
    user = SelectField(_l("Who"), validators=[Optional()])
    action = SelectField(_l("Action"), validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])
    tz = SelectField(_l("Times in"), validators=[Optional()])

    def __init__(self, *args, programs=(), users=(), actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.program.choices = [("", _l("All programs"))] + [(str(p.id), p.code) for p in programs]
        self.user.choices = ([("", _l("Everyone")), (SYSTEM, _l("The system (or a deleted account)"))]
                             + [(str(u.id), f"{u.name} · {u.email}") for u in users])
        self.action.choices = [("", _l("All actions"))] + [(a, action_label(a)) for a in actions]
        self.tz.choices = [("", _l("The program's zone, or UTC"))] + [
            (name, name.replace("_", " ")) for name in timezone_names()]


ALL_PROGRAMS = _l("Also their registrations in the other programs listed above")


class ExportForm(FlaskForm):
    """A POST because the download is written to the audit log."""

    all_programs = BooleanField(ALL_PROGRAMS)


class EraseForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"), filters=[strip], validators=[DataRequired(), Length(max=500)],
        description=_l("For example “asked by e-mail on 3 May”. It is kept in the audit log: do not write the "
                       "person's name or contact details."))
    confirm = BooleanField(_l("I understand that this person's names, contact details and link are erased for good "
                              "and cannot be restored."), validators=[DataRequired()])
    all_programs = BooleanField(ALL_PROGRAMS)
