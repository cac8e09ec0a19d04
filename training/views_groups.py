"""Group work of an agenda item: generate groups, move people, rapporteurs and conclusions, a printable page."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from extensions import db
from transactions import writes

from . import bp
from .access import active_participants, activity_or_404, actor_id, permission_required, program_country_scope
from .forms import SheetForm
from .forms_groups import GroupForm, GroupSetupForm
from .grouping import join_languages
from .models import AgendaItem
from .models_groups import Group
from .services import ServiceError
from .services_groups import generate, group_work_of, move, save_group
from .textkeys import as_id
from .web import call_or_show_error


@bp.route("/agenda-items/<int:item_id>/groups")
@permission_required("groups.view")
def groups(item_id):
    item, activity = _item_or_404(item_id)
    work = group_work_of(item)
    return render_template("training/groups.html", item=item, activity=activity, program=activity.program,
                           work=work, unassigned=_unassigned(work, activity) if work else [],
                           visible=_visible_members)


@bp.route("/agenda-items/<int:item_id>/groups/setup", methods=["GET", "POST"])
@permission_required("groups.plan")
@writes
def groups_setup(item_id):
    item, activity = _item_or_404(item_id)
    work = group_work_of(item)
    form = GroupSetupForm.for_languages(activity.program.languages)()
    if work is not None and not form.is_submitted():
        _fill_setup(form, work)
    if form.validate_on_submit():
        questions = form.localized("questions", kept=work.questions if work else None)
        specs = form.specs(_group_names(form.languages), kept=list(work.groups) if work else ())
        saved, _work = call_or_show_error(form, lambda: generate(
            item, actor_id(), strategy=form.strategy.data, specs=specs,
            seed=form.seed.data, only_present=form.only_present.data, questions=questions), _("Groups created."))
        if saved:
            return redirect(url_for("training.groups", item_id=item.id))
    return render_template("training/groups_setup.html", item=item, activity=activity, program=activity.program,
                           work=work, form=form)


@bp.route("/agenda-items/<int:item_id>/groups/moves", methods=["GET", "POST"])
@permission_required("groups.move")
@writes
def groups_moves(item_id):
    item, activity = _item_or_404(item_id)
    work = group_work_of(item) or abort(404)
    people = active_participants(activity.program)
    placed = {m.participant_id: m.group_id for group in work.groups for m in group.members}
    form = SheetForm()
    if form.validate_on_submit():
        moves = _moves_from(request.form, {p.id for p in people}, {g.id for g in work.groups})
        try:
            changed = move(work, {pid: gid for pid, gid in moves.items() if placed.get(pid) != gid}, actor_id())
        except ServiceError:
            abort(400)
        flash(ngettext("%(num)s person moved.", "%(num)s people moved.", changed), "success")
        return redirect(url_for("training.groups", item_id=item.id))
    return render_template("training/groups_moves.html", item=item, activity=activity, program=activity.program,
                           work=work, people=people, placed=placed, form=form)


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@permission_required("groups.facilitate")
@writes
def group_edit(group_id):
    group = db.session.get(Group, group_id) or abort(404)
    item, activity = _item_or_404(group.group_work.agenda_item_id)
    form = GroupForm.for_languages(activity.program.languages)(obj=group)
    members = sorted(group.members, key=lambda m: m.participant.search_key)
    form.rapporteur_id.choices = [("", _("— none yet —"))] + [(m.participant_id, m.participant.full_name)
                                                             for m in members]
    if not form.is_submitted():
        form.fill("name", group.names)
        form.fill("perspective", group.perspective)
        form.rapporteur_id.data = next((m.participant_id for m in members if m.is_rapporteur), None)
    if form.validate_on_submit():
        saved, _result = call_or_show_error(form, lambda: save_group(
            group, actor_id(), names=form.localized("name", kept=group.names),
            conclusions=form.conclusions.data or "", perspective=form.localized("perspective", kept=group.perspective),
            rapporteur_id=form.rapporteur_id.data), _("Group saved."))
        if saved:
            return redirect(url_for("training.groups", item_id=item.id) + f"#group-{group.id}")
    return render_template("training/group_form.html", group=group, item=item, activity=activity,
                           program=activity.program, form=form)


@bp.route("/agenda-items/<int:item_id>/groups/print")
@permission_required("groups.view")
def groups_print(item_id):
    item, activity = _item_or_404(item_id)
    work = group_work_of(item) or abort(404)
    return render_template("training/groups_print.html", item=item, activity=activity, program=activity.program,
                           work=work, visible=_visible_members)


def _item_or_404(item_id):
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.kind != "group_work":
        abort(404)
    return item, activity_or_404(item.activity_id)


def _visible_members(group):
    """A group's members in name order; a focal point sees only their own country's people."""
    scope = program_country_scope(group.group_work.agenda_item.activity.program)
    members = [m for m in group.members if scope is None or m.participant.delegation.country_code == scope]
    return sorted(members, key=lambda m: m.participant.search_key)


def _unassigned(work, activity):
    placed = {m.participant_id for group in work.groups for m in group.members}
    return [person for person in active_participants(activity.program) if person.id not in placed]


def _moves_from(data, allowed_ids, group_ids):
    """participant id → group id (None: no group). Someone the user may not see is a 404, not a skip."""
    moves = {}
    for key, value in data.items():
        if not key.startswith("group-"):
            continue
        participant_id = as_id(key[6:])
        if participant_id not in allowed_ids:
            abort(404)
        if value and as_id(value) not in group_ids:
            abort(400)
        moves[participant_id] = as_id(value)
    return moves


def _group_names(languages):
    """n → "Group n" in each of the languages ({"es": "Grupo 1", "fr": "Groupe 1", …}), for unnamed groups."""
    def names(n):
        texts = {}
        for code in languages:
            with force_locale(code):
                texts[code] = _("Group %(n)s", n=n)
        return texts
    return names


def _fill_setup(form, work):
    form.strategy.data, form.seed.data, form.only_present.data = work.strategy, work.seed, work.only_present
    form.fill("questions", work.questions)
    if work.strategy == "clusters":
        form.clusters.data = "\n".join(f"{join_languages(g.names, form.languages)}: {', '.join(g.countries)}"
                                        for g in work.groups)
    elif any(g.perspective for g in work.groups):
        form.perspectives.data = "\n".join(join_languages(g.perspective, form.languages) for g in work.groups)
    else:
        form.group_count.data = len(work.groups)
