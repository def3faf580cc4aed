from datetime import UTC, datetime, time

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, Count, F, Prefetch, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from popsote.people import person_name
from popsote.text import CleanText

from . import extensions
from .accounts import usage_record
from .api.base import parse_id
from .filters import NodeFilter, SearchField, filter_fields
from .forms import FeedbackForm
from .history import entries, tracked_models
from .models import Node, Organisation, Person, Responsibility, ServiceContract, UsageEvent
from .permissions import Role, roles
from .provenance import mark_sources, source_label
from .services import feedback_send
from .tree import Counted, ancestors, children_by_parent, tree_rows

# The overview shows a page of programmes with their first level; a deeper subtree opens on demand (htmx, or a
# plain link that reloads the page with it open), so the page stays small whatever the portfolio's size.
OVERVIEW_PROGRAMMES = 10
OVERVIEW_DEPTH = 1
SUBTREE_DEPTH_MAX = 20
# What a row of the tree shows and its figures need: a row's texts and history stay in the database.
ROW_FIELDS = ("parent", "programme", "path", "kind", "code", "name", "start", "end", "position")


def overview(request):
    """The portfolio tree with every node's budget, or the nodes a search finds."""
    filterset = NodeFilter(request.GET or None, queryset=Node.objects.active())
    context = {"filter": filterset, "filter_fields": filter_fields(filterset.form)}
    if filterset.is_search:
        matches = extensions.add_figures(filterset.qs)
        by_id = {
            node.pk: node
            for node in Node.objects.filter(programme__in=filterset.qs.order_by().values("programme_id")).only(
                "pk", "parent", "code", "name", "short_name"
            )
        }
        context["matches"] = [(node, ancestors(node, by_id)) for node in matches]
    else:
        programmes = filterset.qs.filter(parent__isnull=True).order_by("name", "pk").values_list("pk", flat=True)
        page = Paginator(programmes, OVERVIEW_PROGRAMMES).get_page(request.GET.get("sivu"))
        open_pk = parse_id(request.GET.get("auki"))
        listed = filterset.qs.filter(programme__in=page.object_list)
        shown = list(listed.filter(shallow(OVERVIEW_DEPTH, open_pk)).only(*ROW_FIELDS))
        # The level below gives the last shown level its counts and sums: its ids are enough.
        ids = {node.pk for node in shown}
        below = [
            Counted(*row)
            for row in listed.filter(at_depths(OVERVIEW_DEPTH + 1, OVERVIEW_DEPTH + 1))
            .order_by()
            .values_list("pk", "parent", "programme")
            if row[0] not in ids
        ]
        context["query"] = query = request.GET.copy()
        query.pop("auki", None)
        context["rows"] = overview_rows(extensions.add_figures(shown + below), open_pk=open_pk, query=query)
        context["page"] = page
    status = 400 if filterset.is_bound and not filterset.is_valid() else 200
    return render(request, "portfolio/overview.html", context, status=status)


def at_depths(first, last):
    """The nodes ``first`` to ``last`` levels under their programme. The path holds the ancestors' ids
    ("12/40/"), so the depth is its number of slashes."""
    return Q(path__regex=rf"^([0-9]+/){{{first},{last}}}$")


def shallow(depth, open_pk=None):
    """The nodes down to ``depth`` levels under their programme, and the open node with its ancestors and its
    subtree: a page of programmes reads what it shows, not their whole trees. What is under node 40 has "40/"
    at the start of its path or "/40/" in it."""
    within = at_depths(0, depth)
    if open_pk is None:
        return within
    opened = Node.objects.filter(pk=open_pk)
    under = Q(path__startswith=f"{open_pk}/") | Q(path__contains=f"/{open_pk}/")
    # Its ancestors: the nodes of its programme whose own prefix ("12/40/") starts the open node's path.
    above = (
        Node.objects.filter(programme=Subquery(opened.values("programme")))
        .alias(opened=Subquery(opened.values("path")), prefix=Concat("path", Cast("pk", CharField()), Value("/")))
        .filter(opened__startswith=F("prefix"))
    )
    return within | Q(pk=open_pk) | under | Q(pk__in=above.values("pk"))


def overview_rows(nodes, open_pk=None, root_ids=None, depth=OVERVIEW_DEPTH, query=None):
    """The rows of the trees under ``root_ids`` down to ``depth`` (None: every row) and the whole subtree of
    ``open_pk``. A row whose children are not shown has ``closed`` (their number) and a link that opens them
    without JavaScript, keeping the page's ``query``; labels, dates and links are made here, the parts shared
    by every row once."""
    rows = tree_rows(nodes, root_ids=root_ids)
    opens = f"?{query.urlencode()}&auki=" if query else "?auki="
    children = children_by_parent(nodes)
    kinds = {value: str(label) for value, label in Node.Kind.choices}
    link = reverse("portfolio:node", args=[0]).removesuffix("0/")
    subtree = reverse("portfolio:subtree", args=[0]).removesuffix("0/alatasot/")
    shown, open_depth = [], None
    for row in rows:
        if open_depth is not None and row.depth <= open_depth:
            open_depth = None
        if row.node.pk == open_pk:
            open_depth = row.depth
        if depth is not None and row.depth > depth and open_depth is None:
            continue
        row.kind = kinds.get(row.node.kind, row.node.kind)
        row.url = f"{link}{row.node.pk}/"
        start, end = row.node.start, row.node.end
        row.dates = f"{_short_date(start)}–{_short_date(end)}" if start or end else ""
        deeper = depth is not None and open_depth is None and row.depth >= depth
        row.closed = len(children.get(row.node.pk, ())) if deeper else 0
        if row.closed:
            row.subtree_url = f"{subtree}{row.node.pk}/alatasot/"
            row.open_url = f"{opens}{row.node.pk}#kohde-{row.node.pk}"
            # Translated here, once per closed row: rendering two blocktranslate tags per row cost more.
            values = {"name": row.node.name, "counter": row.closed}
            row.toggle = ngettext("+ %(counter)s alataso", "+ %(counter)s alatasoa", row.closed) % values
            row.toggle_label = (
                ngettext(
                    "Näytä kohteen %(name)s alataso (%(counter)s)",
                    "Näytä kohteen %(name)s alatasot (%(counter)s)",
                    row.closed,
                )
                % values
            )
        shown.append(row)
    return shown


def _short_date(value):
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


def overview_subtree(request, pk):
    """The rows of one node and its whole subtree, for the "open" toggle of the overview and the node page."""
    node = get_object_or_404(Node.objects.active(), pk=pk)
    if not request.htmx:  # without JavaScript: the overview with this subtree open
        return redirect(f"{reverse('portfolio:overview')}?auki={node.pk}#kohde-{node.pk}")
    nodes = extensions.add_figures(Node.objects.active().subtree(node).only(*ROW_FIELDS))
    rows = overview_rows(nodes, root_ids=[node.pk], depth=None)
    # The rows sit in the table the toggle was in: at the toggled row's depth there (the node page's table
    # starts from its own node), else at the node's depth in the whole tree, which its path tells.
    depth = parse_id(request.GET.get("syvyys"))
    depth = depth if depth is not None and depth <= SUBTREE_DEPTH_MAX else node.path.count("/")
    for row in rows:
        row.depth += depth
    return render(request, "portfolio/_tree_rows.html", {"rows": rows})


def node_detail(request, pk):
    """Everything about one programme, sub-project or measure, with its subtree and history.

    The page is portfolio's header and tree around the sections every app registers
    (``portfolio.extensions.node_section``), in their order.
    """
    node = get_object_or_404(Node.objects.select_related("programme", "owner", "source_document"), pk=pk)
    # The node's ancestors (the breadcrumb, the programme's dates) and its subtree: a measure's page does not
    # read its whole programme.
    all_nodes = [node if item.pk == node.pk else item for item in Node.objects.around(node)]
    programme_nodes = extensions.add_figures(
        item for item in all_nodes if item.archived_at is None or item.pk == node.pk
    )
    by_id = {item.pk: item for item in programme_nodes}
    # The first level under the node; a deeper subtree opens on demand, as on the overview.
    rows = overview_rows(programme_nodes, open_pk=parse_id(request.GET.get("auki")), root_ids=[node.pk])
    user = request.user
    can_edit = user.has_perm("portfolio.edit_node", node)
    sections = extensions.sections()
    page = extensions.NodePage(
        node=node,
        user=user,
        can_edit=can_edit,
        nodes=programme_nodes,
        children=children_by_parent(programme_nodes).get(node.pk, []),
    )
    context = {
        "node": node,
        "own_source": source_label(node),
        "ancestors": ancestors(node, by_id),
        "rows": rows[1:],
        "own_row": rows[0],
        "archived_children": [item for item in all_nodes if item.parent_id == node.pk and item.archived_at],
        "can_edit": can_edit,
        "can_edit_directory": user.has_perm("portfolio.edit_directory"),
        "can_archive": user.has_perm("portfolio.archive_node", node),
        "add_buttons": extensions.add_buttons(),
        "sections": sections,
    }
    for section in sections:
        if section.context is not None:
            context.update(section.context(page))
    return render(request, "portfolio/node_detail.html", context)


HISTORY_PAGE = 50


def node_history(request, pk):
    """The node's change history, newest first, a page at a time: its own page, or the node page's section
    (loaded with htmx when it comes into view, so the node page does not read the history)."""
    node = get_object_or_404(Node.objects.select_related("programme"), pk=pk)
    page = Paginator(_node_history(node), HISTORY_PAGE).get_page(request.GET.get("sivu"))
    template = "portfolio/_history.html" if request.htmx else "portfolio/node_history.html"
    return render(request, template, {"node": node, "history": page, "history_page": page})


def _node_history(node):
    """The node's own changes and those of what hangs on it (tasks, persons, phases, budgets…)."""
    records = extensions.history_of(node)
    return entries({model: list(rows.select_related("history_user__person")) for model, rows in records.items()})


class PersonSearch(CleanText, forms.Form):
    q = SearchField(required=False, max_length=100)


def person_list(request):
    search = PersonSearch(request.GET)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    persons = Person.objects.filter(archived_at__isnull=True).select_related("organisation")
    for word in query.split():
        persons = persons.filter(
            Q(name__icontains=word) | Q(title__icontains=word) | Q(organisation__name__icontains=word)
        )
    persons = list(
        persons.annotate(responsibility_count=Count("responsibilities")).prefetch_related(
            Prefetch(
                "responsibilities",
                Responsibility.objects.filter(organisation__isnull=False).select_related("organisation"),
                to_attr="organised_roles",
            )
        )
    )
    for person in persons:
        # Each plan gives the organisation of a role; a person's row lists them all, first as written.
        names = [person.organisation.name] if person.organisation else []
        for role in person.organised_roles:
            if role.organisation.name not in names:
                names.append(role.organisation.name)
        person.organisation_names = names
    context = {
        "persons": persons,
        "query": request.GET.get("q", "") if search.errors else query,
        "search_errors": search.errors.get("q", []),
        "can_edit_directory": request.user.has_perm("portfolio.edit_directory"),
    }
    return render(request, "portfolio/person_list.html", context, status=400 if search.errors else 200)


def profile(request):
    """The signed-in user's own page: who they are here and their roles (an account without one sees only this)."""
    user = request.user
    names = [Role(name).label for name in sorted(roles(user))]
    return render(request, "portfolio/profile.html", {"role_names": names})


def person_detail(request, pk):
    """What a person is responsible for, across the portfolio (contact details for those who may read them)."""
    person = get_object_or_404(Person.objects.select_related("organisation"), pk=pk)
    responsibilities = list(
        Responsibility.objects.filter(person=person, node__archived_at__isnull=True)
        .select_related("node__programme", "organisation", "source_document")
        .order_by("node__programme__name", "node__pk")
    )
    extensions.add_figures(item.node for item in responsibilities)
    context = {
        "person": person,
        "responsibilities": mark_sources(responsibilities),
        "presented": list(
            person.presented_updates.select_related("period", "node", "area", "source_document").order_by(
                "period__month"
            )
        ),
        "chaired": list(person.chaired_bodies.select_related("node", "source_document")),
        "can_edit_directory": request.user.has_perm("portfolio.edit_directory"),
        "show_contacts": request.user.has_perm("portfolio.read_contacts"),
    }
    if context["show_contacts"]:
        usage_record(kind=UsageEvent.Kind.CONTACTS, request=request, target=person.name)
    hidden = () if context["show_contacts"] else Person.CONTACT_FIELDS
    context["history"] = entries({Person: list(person.history.select_related("history_user__person"))}, hidden=hidden)
    return render(request, "portfolio/person_detail.html", context)


def organisation_list(request):
    organisations = Organisation.objects.select_related("parent", "source_document")
    contracts = ServiceContract.objects.filter(archived_at__isnull=True).select_related(
        "municipality", "provider", "source_document"
    )
    context = {
        "organisations": organisations,
        "contracts": mark_sources(contracts),
        "can_edit_directory": request.user.has_perm("portfolio.edit_directory"),
    }
    return render(request, "portfolio/organisation_list.html", context)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class ChangeLogFilter(CleanText, forms.Form):
    user = UserChoiceField(
        get_user_model().objects.select_related("person"),
        required=False,
        label=_("Henkilö"),
        empty_label=_("Kaikki"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    start = forms.DateField(
        required=False,
        label=_("Alkaen"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    end = forms.DateField(
        required=False,
        label=_("Päättyen"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )


LOG_LIMIT = 100  # changes on a page, as in the log of use
CURSOR = "ennen"


def _cursor_text(when, model, history_id):
    """The ``ennen`` of a link to the changes after this one (``_cursor`` reads it back)."""
    return f"{when.isoformat()}~{model._meta.label_lower}~{history_id}"


def _cursor(value, models):
    """(time, model's index, history id) of the last change on the page before, from a link's ``ennen``:
    ``2026-12-02T04:12:00.123456+00:00~portfolio.node~4123``. None when there is none; ValueError when bad."""
    if not value:
        return None
    when, label, history_id = value.split("~")
    when = datetime.fromisoformat(when)
    labels = [model._meta.label_lower for model in models]
    if when.tzinfo is None or not history_id.isdigit() or len(history_id) > 18 or label not in labels:
        raise ValueError(value)
    try:
        when = when.astimezone(UTC)  # the database takes no offset of a day or a year past 9999
    except OverflowError as error:
        raise ValueError(value) from error
    return when, labels.index(label), int(history_id)


def _older_than(cursor, index):
    """The rows of the model at ``index`` that come after ``cursor`` in the log."""
    when, cursor_index, history_id = cursor
    if index < cursor_index:
        return Q(history_date__lt=when)
    if index > cursor_index:
        return Q(history_date__lte=when)
    return Q(history_date__lt=when) | Q(history_date=when, history_id__lt=history_id)


def change_log(request):
    """Every change to the portfolio, newest first, filtered by person and date (project office), a page at a
    time: a page's "Vanhemmat" link carries the place of its last change (a time alone would not do, a bulk
    import saves thousands of rows at one moment), so the log is read to its end, every change once."""
    if not request.user.has_perm("portfolio.read_change_log"):
        raise PermissionDenied
    params = request.GET.copy()
    params.pop(CURSOR, None)
    form = ChangeLogFilter(params or None)
    query = Q()
    if form.is_valid():
        data = form.cleaned_data
        if data["user"]:
            query &= Q(history_user=data["user"])
        if data["start"]:
            query &= Q(history_date__gte=timezone.make_aware(datetime.combine(data["start"], time.min)))
        if data["end"]:
            query &= Q(history_date__lte=timezone.make_aware(datetime.combine(data["end"], time.max)))
    models = tracked_models()
    try:
        cursor = _cursor(request.GET.get(CURSOR), models)
    except ValueError:
        cursor = None
        messages.error(request, _("Sivun osoite on virheellinen; alla ovat uusimmat muutokset."))
    rows = []
    for index, model in enumerate(models):
        history = model.history.filter(query & _older_than(cursor, index) if cursor else query)
        found = history.order_by("-history_date", "-history_id").values_list("history_date", "history_id", "id")
        rows += [(*row, index) for row in found[: LOG_LIMIT + 1]]
    rows.sort(key=lambda row: (row[0], -row[3], row[1]), reverse=True)  # as ``_older_than`` orders them
    page, older = rows[:LOG_LIMIT], None
    newest = params.urlencode() if cursor else None
    if len(rows) > LOG_LIMIT:
        when, history_id, _pk, index = page[-1]
        params[CURSOR] = _cursor_text(when, models[index], history_id)
        older = params.urlencode()
    records = {}
    for index, model in enumerate(models):
        ids = {pk for _when, _history_id, pk, row_index in page if row_index == index}
        records[model] = list(model.history.filter(id__in=ids).select_related("history_user__person")) if ids else []
    shown = {(models[index], history_id) for _when, history_id, _pk, index in page}
    log = entries(records, show=lambda record: (record.instance_type, record.history_id) in shown)
    context = {"form": form, "log": log, "older": older, "newest": newest}
    return render(request, "portfolio/change_log.html", context)


@login_not_required
def accessibility(request):
    """The accessibility statement (laki digitaalisten palvelujen tarjoamisesta 306/2019) and its feedback form."""
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        feedback_send(
            message=form.cleaned_data["message"],
            email=form.cleaned_data["email"],
            page=request.POST.get("page") or request.headers.get("referer", ""),
            user=request.user,
        )
        messages.success(
            request, _("Kiitos palautteesta. Hanketoimisto vastaa 14 päivän kuluessa, jos annoit osoitteen.")
        )
        return redirect("accessibility")
    context = {"form": form, "page": request.GET.get("sivu") or request.headers.get("referer", "")}
    return render(request, "accessibility.html", context)
