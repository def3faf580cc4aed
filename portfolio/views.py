from datetime import datetime, time

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budgets.models import NodeBudget, PlanVersion
from indicators.models import Indicator
from milestones.models import Milestone, Phase
from reports.models import ReportingPeriod

from .filters import NodeFilter
from .history import entries, tracked_models
from .models import (
    Background,
    Body,
    Evaluation,
    FundingDecision,
    Goal,
    Node,
    Organisation,
    Output,
    Partner,
    Person,
    Responsibility,
    Risk,
    ServiceContract,
    SourceDocument,
    Task,
)
from .permissions import can_edit_directory, can_edit_node
from .provenance import mark_sources, source_label
from .tree import ancestors, budget_difference, children_by_parent, tree_rows


def overview(request):
    """The portfolio tree with every node's budget, or the nodes a search finds."""
    nodes = Node.objects.active().with_budget().select_related("programme")
    filterset = NodeFilter(request.GET or None, queryset=nodes)
    context = {"filter": filterset}
    if filterset.is_search:
        matches = list(filterset.qs)
        programme_ids = {node.programme_id for node in matches}
        by_id = {
            node.pk: node
            for node in Node.objects.filter(programme__in=programme_ids).only(
                "pk", "parent", "code", "name", "short_name"
            )
        }
        context["matches"] = [(node, ancestors(node, by_id)) for node in matches]
    else:
        context["rows"] = tree_rows(filterset.qs)
    return render(request, "portfolio/overview.html", context)


def node_detail(request, pk):
    """Everything about one programme, sub-project or measure, with its subtree and history."""
    node = get_object_or_404(Node.objects.select_related("programme", "owner", "source_document"), pk=pk)
    all_nodes = list(Node.objects.filter(programme=node.programme_id).with_budget())
    everything = {item.pk: item for item in all_nodes}
    programme_nodes = [item for item in all_nodes if item.archived_at is None or item.pk == node.pk]
    by_id = {item.pk: item for item in programme_nodes}
    node.budget = everything[node.pk].budget
    rows = tree_rows(programme_nodes, root_ids=[node.pk])
    can_edit = can_edit_node(request.user, node, everything)
    own_row = rows[0]
    budgets = list(node.budgets.select_related("plan", "source_document").order_by("plan__date", "plan__pk"))
    children_sums = _children_sums_by_plan(node, children_by_parent(programme_nodes).get(node.pk, []))
    for budget in budgets:
        budget.children_sum = children_sums.get(budget.plan_id)
        budget.difference = budget_difference(budget.total, budget.children_sum)
    own_source = source_label(node)
    plan = _plan_facts(node, own_source)
    context = {
        "node": node,
        "own_source": own_source,
        "ancestors": ancestors(node, by_id),
        "rows": rows[1:],
        "own_row": own_row,
        "budgets": mark_sources(budgets, own_source),
        "goals": mark_sources(node.goals.select_related("source_document"), own_source),
        "outputs": mark_sources(node.outputs.select_related("source_document"), own_source),
        "tasks": list(node.tasks.filter(archived_at__isnull=True)),
        "responsibilities": mark_sources(
            node.responsibilities.select_related("person__organisation", "organisation", "source_document"), own_source
        ),
        "partners": mark_sources(node.partners.select_related("organisation", "source_document"), own_source),
        "phases": mark_sources(
            node.phases.filter(archived_at__isnull=True).select_related("source_document"), own_source
        ),
        "milestones": mark_sources(
            node.milestones.filter(archived_at__isnull=True).select_related("source_document"), own_source
        ),
        "indicators": mark_sources(
            node.indicators.filter(archived_at__isnull=True)
            .select_related("source_document")
            .prefetch_related("targets"),
            own_source,
        ),
        "risks": mark_sources(node.risks.select_related("owner", "source_document"), own_source),
        **plan,
        "updates": list(
            node.status_updates.select_related("period", "area").order_by("-period__month", "-revision")[:12]
        ),
        "open_periods": list(
            ReportingPeriod.objects.filter(programme=node.programme_id, status=ReportingPeriod.Status.OPEN)
            .exclude(updates__node=node)
            .order_by("-month")
        )
        if can_edit and node.reports_monthly and node.archived_at is None
        else [],
        "funding_decisions": mark_sources(
            node.funding_decisions.filter(archived_at__isnull=True).select_related("funder", "source_document"),
            own_source,
        )
        if node.is_programme
        else [],
        "archived_children": [item for item in all_nodes if item.parent_id == node.pk and item.archived_at],
        "can_edit": can_edit,
        "can_edit_directory": can_edit_directory(request.user),
        "history": _node_history(node),
    }
    return render(request, "portfolio/node_detail.html", context)


def _plan_facts(node, own_source):
    """The plan's organisation, evaluation and background of the node; for a programme its plan versions
    and the documents its facts come from."""
    facts = {
        "bodies": mark_sources(
            node.bodies.filter(archived_at__isnull=True).select_related("reports_to", "chair", "source_document"),
            own_source,
        ),
        "evaluations": mark_sources(
            node.evaluations.filter(archived_at__isnull=True).select_related("source_document"), own_source
        ),
        "background": mark_sources(
            node.background.filter(archived_at__isnull=True).select_related("source_document"), own_source
        ),
        "plan_versions": [],
        "documents": [],
    }
    if node.is_programme:
        facts["plan_versions"] = mark_sources(node.plan_versions.select_related("source_document"), own_source)
        parts = Node.objects.filter(programme=node)
        used = Q(pk__in=parts.values("source_document")) | Q(pk__in=node.plan_versions.values("source_document"))
        for relation in (
            "goals",
            "responsibilities",
            "bodies",
            "background",
            "milestones",
            "budgets",
            "status_updates",
        ):
            used |= Q(pk__in=parts.values(f"{relation}__source_document"))
        facts["documents"] = list(SourceDocument.objects.filter(used))
    return facts


def _node_history(node):
    """The node's own changes and those of what hangs on it (tasks, persons, phases, budgets…)."""
    records = {
        Node: Node.history.filter(id=node.pk),
        Task: Task.history.filter(node_id=node.pk),
        Responsibility: Responsibility.history.filter(node_id=node.pk),
        Goal: Goal.history.filter(node_id=node.pk),
        Output: Output.history.filter(node_id=node.pk),
        Partner: Partner.history.filter(node_id=node.pk),
        Phase: Phase.history.filter(node_id=node.pk),
        NodeBudget: NodeBudget.history.filter(node_id=node.pk),
        Milestone: Milestone.history.filter(node_id=node.pk),
        Indicator: Indicator.history.filter(node_id=node.pk),
        Risk: Risk.history.filter(node_id=node.pk),
        Body: Body.history.filter(node_id=node.pk),
        Evaluation: Evaluation.history.filter(node_id=node.pk),
        Background: Background.history.filter(node_id=node.pk),
    }
    if node.is_programme:
        records[FundingDecision] = FundingDecision.history.filter(programme_id=node.pk)
        records[PlanVersion] = PlanVersion.history.filter(programme_id=node.pk)
    return entries({model: list(rows.select_related("history_user")) for model, rows in records.items()})


def _children_sums_by_plan(node, children):
    """Per plan version: the sum of the node's children's budgets written in that version."""
    sums = {}
    for budget in NodeBudget.objects.filter(node__in=children).values("plan_id", "total"):
        sums[budget["plan_id"]] = sums.get(budget["plan_id"], 0) + budget["total"]
    return sums


def person_list(request):
    query = request.GET.get("q", "").strip()
    persons = Person.objects.filter(archived_at__isnull=True).select_related("organisation")
    if query:
        persons = persons.filter(
            Q(name__icontains=query) | Q(title__icontains=query) | Q(organisation__name__icontains=query)
        )
    persons = persons.annotate(responsibility_count=Count("responsibilities")).prefetch_related(
        Prefetch(
            "responsibilities",
            Responsibility.objects.filter(organisation__isnull=False).select_related("organisation"),
            to_attr="organised_roles",
        )
    )
    persons = list(persons)
    for person in persons:
        # Each plan gives the organisation of a role; a person's row lists them all, first as written.
        names = [person.organisation.name] if person.organisation else []
        for role in person.organised_roles:
            if role.organisation.name not in names:
                names.append(role.organisation.name)
        person.organisation_names = names
    context = {"persons": persons, "query": query, "can_edit_directory": can_edit_directory(request.user)}
    return render(request, "portfolio/person_list.html", context)


def person_detail(request, pk):
    """What a person is responsible for, across the portfolio."""
    person = get_object_or_404(Person.objects.select_related("organisation"), pk=pk)
    responsibilities = (
        Responsibility.objects.filter(person=person, node__archived_at__isnull=True)
        .select_related("node__programme", "organisation", "source_document")
        .prefetch_related(
            Prefetch("node__budgets", NodeBudget.objects.filter(plan__is_current=True), to_attr="current_budgets")
        )
        .order_by("node__programme__name", "node__pk")
    )
    context = {
        "person": person,
        "responsibilities": mark_sources(responsibilities),
        "presented": list(
            person.presented_updates.select_related("period", "node", "area", "source_document").order_by(
                "period__month"
            )
        ),
        "chaired": list(person.chaired_bodies.select_related("node", "source_document")),
        "can_edit_directory": can_edit_directory(request.user),
        "history": entries({Person: list(person.history.select_related("history_user"))}),
    }
    return render(request, "portfolio/person_detail.html", context)


def organisation_list(request):
    organisations = Organisation.objects.select_related("parent", "source_document")
    contracts = ServiceContract.objects.filter(archived_at__isnull=True).select_related(
        "municipality", "provider", "source_document"
    )
    context = {
        "organisations": organisations,
        "contracts": mark_sources(contracts),
        "can_edit_directory": can_edit_directory(request.user),
    }
    return render(request, "portfolio/organisation_list.html", context)


class ChangeLogFilter(forms.Form):
    user = forms.ModelChoiceField(
        get_user_model().objects.all(), required=False, label=_("Henkilö"), empty_label=_("Kaikki")
    )
    start = forms.DateField(required=False, label=_("Alkaen"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label=_("Päättyen"), widget=forms.DateInput(attrs={"type": "date"}))


LOG_LIMIT = 200


def change_log(request):
    """Every change to the portfolio, newest first, filtered by person and date (project office)."""
    if not can_edit_directory(request.user):
        raise PermissionDenied
    form = ChangeLogFilter(request.GET or None)
    query = Q()
    if form.is_valid():
        data = form.cleaned_data
        if data["user"]:
            query &= Q(history_user=data["user"])
        if data["start"]:
            query &= Q(history_date__gte=timezone.make_aware(datetime.combine(data["start"], time.min)))
        if data["end"]:
            query &= Q(history_date__lte=timezone.make_aware(datetime.combine(data["end"], time.max)))
    records, shown = {}, set()
    for model in tracked_models():
        page = list(model.history.filter(query).order_by("-history_date").values_list("history_id", "id")[:LOG_LIMIT])
        shown |= {(model, history_id) for history_id, _pk in page}
        ids = {pk for _history_id, pk in page}
        records[model] = list(model.history.filter(id__in=ids).select_related("history_user")) if ids else []
    log = entries(records, show=lambda record: (record.instance_type, record.history_id) in shown)[:LOG_LIMIT]
    return render(request, "portfolio/change_log.html", {"form": form, "log": log})
