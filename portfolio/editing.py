"""Editing views: one set of generic views over the editable kinds, each with its form and its rule."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import extensions, forms
from .extensions import Editable
from .history import entries
from .models import Node, Organisation, Person
from .services import StaleEdit, node_create, node_update, object_archive, position_move, tracked_create, tracked_save

MOVE = Editable(Node, forms.MoveForm, gettext_lazy("siirto"))


def _editable(kind):
    try:
        return extensions.editable_kind(kind)
    except KeyError:
        raise Http404 from None


def _check(user, editable, node):
    """A node's kinds: whoever may edit the node; the others (and a new programme): the project office."""
    if editable.node_of and node is not None:
        allowed = user.has_perm("portfolio.edit_node", node)
    else:
        allowed = user.has_perm("portfolio.edit_directory")
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
    return {"user": request.user} if kind == "kohde" else {}


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
        values, version = forms.model_values(form), form.cleaned_data.get("version")
        try:
            if kind == "kohde":
                node_update(node=obj, values=values, version=version, extra=form.extra_values(), user=request.user)
            else:
                tracked_save(obj=obj, values=values, version=version, user=request.user)
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
    kwargs = {editable.parent_kwarg: parent} if editable.parent_kwarg else {}
    kwargs.update(_form_kwargs(request, kind))
    form = editable.form(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        values = forms.model_values(form)
        if kind == "kohde":
            obj = node_create(values=values, parent=parent, extra=form.extra_values(), user=request.user)
        else:
            siblings = None
            if kind == "rahoituspaatos":
                values["programme"] = parent
            elif parent is not None:
                values["node"] = parent
                siblings = editable.siblings(parent.pk) if editable.siblings else None
            obj = tracked_create(model=editable.model, values=values, last_among=siblings, user=request.user)
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
    if kind == "kohde" and not request.user.has_perm("portfolio.archive_node", obj):
        raise PermissionDenied
    object_archive(obj=obj, archived=archived, user=request.user)
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
    position_move(obj=obj, siblings=editable.siblings(obj.node_id), step=-1 if step == "ylos" else 1)
    if request.htmx and kind == "tehtava":
        return _task_list(request, obj.node)
    return redirect(_back(obj))


def node_move(request, pk):
    node = get_object_or_404(Node.objects.active(), pk=pk)
    if node.is_programme or not request.user.has_perm("portfolio.edit_node", node):
        raise PermissionDenied
    form = forms.MoveForm(request.POST or None, instance=node, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            tracked_save(
                obj=node, values=forms.model_values(form), version=form.cleaned_data.get("version"), user=request.user
            )
        except StaleEdit as stale:
            return _conflict(request, MOVE, form, stale)
        messages.success(request, _("Siirretty."))
        return redirect(node)
    return _render_form(request, MOVE, form, obj=node, status=400 if form.errors else 200)
