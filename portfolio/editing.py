"""Editing views: one set of generic views over the editable kinds, each with its form and its rule."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from indicators.models import Indicator
from milestones.models import Milestone, Phase

from . import forms
from .history import entries
from .models import FundingDecision, Node, Organisation, Person, Responsibility, Risk, Task
from .permissions import can_edit_budgets, can_edit_directory, can_edit_node
from .services import StaleEdit, node_budget_set, node_create, object_archive, position_move, tracked_save


@dataclass(frozen=True)
class Editable:
    model: type
    form: type
    label: str
    node_of: object = None  # obj -> the node whose editors may change it; None: the project office's
    siblings: object = None  # obj -> queryset of the ordered items it moves among
    parent_kwarg: str = None  # the form's keyword for the node a new object hangs on


EDITABLE = {
    "kohde": Editable(Node, forms.NodeForm, gettext_lazy("hankkeen osa"), node_of=lambda o: o, parent_kwarg="parent"),
    "rahoituspaatos": Editable(FundingDecision, forms.FundingDecisionForm, gettext_lazy("rahoituspäätös")),
    "vaihe": Editable(
        Phase,
        forms.PhaseForm,
        gettext_lazy("vaihe"),
        node_of=lambda o: o.node,
        siblings=lambda o: Phase.objects.filter(node=o.node_id, archived_at__isnull=True),
        parent_kwarg="node",
    ),
    "tehtava": Editable(
        Task,
        forms.TaskForm,
        gettext_lazy("tehtävä"),
        node_of=lambda o: o.node,
        siblings=lambda o: Task.objects.filter(node=o.node_id, archived_at__isnull=True),
    ),
    "vastuu": Editable(
        Responsibility,
        forms.ResponsibilityForm,
        gettext_lazy("vastuu"),
        node_of=lambda o: o.node,
        siblings=lambda o: Responsibility.objects.filter(node=o.node_id),
        parent_kwarg="node",
    ),
    "valitavoite": Editable(
        Milestone,
        forms.MilestoneForm,
        gettext_lazy("välitavoite"),
        node_of=lambda o: o.node,
        parent_kwarg="node",
    ),
    "riski": Editable(
        Risk,
        forms.RiskForm,
        gettext_lazy("riski"),
        node_of=lambda o: o.node,
        siblings=lambda o: Risk.objects.filter(node=o.node_id),
        parent_kwarg="node",
    ),
    "indikaattori": Editable(
        Indicator,
        forms.IndicatorForm,
        gettext_lazy("indikaattori"),
        node_of=lambda o: o.node,
        siblings=lambda o: Indicator.objects.filter(node=o.node_id, archived_at__isnull=True),
        parent_kwarg="node",
    ),
    "henkilo": Editable(Person, forms.PersonForm, gettext_lazy("henkilö")),
    "organisaatio": Editable(Organisation, forms.OrganisationForm, gettext_lazy("organisaatio")),
}


MOVE = Editable(Node, forms.MoveForm, gettext_lazy("siirto"))


def _editable(kind):
    try:
        return EDITABLE[kind]
    except KeyError:
        raise Http404 from None


def _check(user, editable, node):
    allowed = can_edit_node(user, node) if editable.node_of and node is not None else can_edit_directory(user)
    if not allowed:
        raise PermissionDenied


def _back(obj, node=None):
    if isinstance(obj, Person):
        return obj.get_absolute_url()
    if isinstance(obj, Organisation):
        return reverse("portfolio:organisations")
    node = node or (obj if isinstance(obj, Node) else getattr(obj, "node", None) or getattr(obj, "programme", None))
    return node.get_absolute_url()


def _form_kwargs(request, kind):
    return {"can_edit_budget": can_edit_budgets(request.user)} if kind == "kohde" else {}


def _render_form(request, editable, form, obj=None, parent=None, conflict=None, status=200):
    context = {"form": form, "editable": editable, "object": obj, "parent": parent, "conflict": conflict}
    return render(request, "portfolio/object_form.html", context, status=status)


def object_edit(request, kind, pk):
    editable = _editable(kind)
    obj = get_object_or_404(editable.model, pk=pk)
    node = editable.node_of(obj) if editable.node_of else None
    _check(request.user, editable, node)
    form = editable.form(request.POST or None, instance=obj, **_form_kwargs(request, kind))
    if request.method == "POST" and form.is_valid():
        after = (
            (lambda saved: node_budget_set(node=saved, total=form.cleaned_data.get("budget")))
            if kind == "kohde"
            else None
        )
        try:
            tracked_save(form=form, after_save=after)
        except StaleEdit as stale:
            return _conflict(request, editable, form, stale)
        messages.success(request, _("Muutokset tallennettu."))
        if request.htmx and kind == "tehtava":
            return _task_list(request, obj.node)
        return redirect(_back(obj))
    if request.htmx and kind == "tehtava":
        return render(request, "portfolio/_task_form.html", {"form": form, "task": obj})
    return _render_form(request, editable, form, obj=obj, status=400 if form.errors else 200)


def _conflict(request, editable, form, stale):
    current = stale.current
    history = list(current.history.select_related("history_user__person"))
    changes = entries({type(current): history}, show=lambda record: record.version > (stale.since or 0))
    # The user now sees what changed; saving again overwrites knowingly.
    data = form.data.copy()
    data["version"] = current.version
    form.data, form._errors = data, None
    form.is_valid()
    form.add_error(
        None,
        _(
            "Joku muu tallensi tämän tiedon sen jälkeen, kun avasit lomakkeen. Muutoksiasi ei tallennettu. Tarkista alla näkyvät muutokset ja tallenna uudelleen, jos haluat korvata ne."
        ),
    )
    return _render_form(request, editable, form, obj=current, conflict=changes, status=409)


def object_create(request, kind, parent_pk=None):
    editable = _editable(kind)
    parent = get_object_or_404(Node.objects.active(), pk=parent_pk) if parent_pk else None
    if kind == "rahoituspaatos":
        if parent is None or not parent.is_programme:
            raise Http404
    elif editable.node_of and parent is None and kind != "kohde":
        raise Http404
    _check(request.user, editable, parent if editable.node_of else None)
    if kind == "kohde" and parent is None and not can_edit_directory(request.user):
        raise PermissionDenied
    kwargs = {editable.parent_kwarg: parent} if editable.parent_kwarg else {}
    kwargs.update(_form_kwargs(request, kind))
    form = editable.form(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        if kind == "kohde":
            obj = node_create(form=form, parent=parent)
        else:
            obj = form.save(commit=False)
            if kind == "rahoituspaatos":
                obj.programme = parent
            elif parent is not None:
                obj.node = parent
                obj.position = editable.siblings(obj).count() if editable.siblings else 0
            obj.save()
        messages.success(request, _("Tallennettu."))
        if request.htmx and kind == "tehtava":
            return _task_list(request, parent)
        return redirect(_back(obj, node=parent))
    return _render_form(request, editable, form, parent=parent, status=400 if form.errors else 200)


def _task_list(request, node):
    tasks = node.tasks.filter(archived_at__isnull=True)
    return render(request, "portfolio/_task_list.html", {"node": node, "tasks": tasks, "can_edit": True})


@require_POST
def object_archive_view(request, kind, pk, archived=True):
    editable = _editable(kind)
    obj = get_object_or_404(editable.model, pk=pk)
    _check(request.user, editable, editable.node_of(obj) if editable.node_of else None)
    if kind == "vastuu":
        obj.delete()
        messages.success(request, _("Vastuu poistettu."))
        return redirect(_back(obj, node=obj.node))
    if kind == "kohde" and obj.is_programme and not can_edit_directory(request.user):
        raise PermissionDenied
    object_archive(obj=obj, archived=archived)
    messages.success(request, _("Arkistoitu.") if archived else _("Palautettu."))
    if request.htmx and kind == "tehtava":
        return _task_list(request, obj.node)
    return redirect(_back(obj))


@require_POST
def object_move(request, kind, pk, step):
    editable = _editable(kind)
    if editable.siblings is None:
        raise Http404
    obj = get_object_or_404(editable.model, pk=pk)
    _check(request.user, editable, editable.node_of(obj))
    position_move(obj=obj, siblings=editable.siblings(obj), step=-1 if step == "ylos" else 1)
    if request.htmx and kind == "tehtava":
        return _task_list(request, obj.node)
    return redirect(_back(obj))


def node_move(request, pk):
    node = get_object_or_404(Node.objects.active(), pk=pk)
    if node.is_programme or not can_edit_node(request.user, node):
        raise PermissionDenied
    nodes = list(Node.objects.active().filter(programme=node.programme_id).exclude(kind=Node.Kind.MEASURE))
    by_id = {item.pk: item for item in nodes}
    allowed = [item for item in nodes if item.pk != node.pk and can_edit_node(request.user, item, by_id)]
    form = forms.MoveForm(request.POST or None, instance=node, allowed_parents=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            tracked_save(form=form)
        except StaleEdit as stale:
            return _conflict(request, MOVE, form, stale)
        messages.success(request, _("Siirretty."))
        return redirect(node)
    return _render_form(request, MOVE, form, obj=node, status=400 if form.errors else 200)
