from datetime import datetime, time

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budgets.models import NodeBudget
from indicators.models import Indicator
from milestones.models import Milestone, Phase
from popsote.display import display_name
from reports.models import ReportingPeriod

from .filters import NodeFilter
from .forms import FeedbackForm
from .history import entries, tracked_models
from .models import FundingDecision, Goal, Node, Organisation, Output, Partner, Person, Responsibility, Risk, Task
from .permissions import can_edit_directory, can_edit_node
from .services import feedback_send
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
    node = get_object_or_404(Node.objects.select_related("programme", "owner"), pk=pk)
    all_nodes = list(Node.objects.filter(programme=node.programme_id).with_budget())
    everything = {item.pk: item for item in all_nodes}
    programme_nodes = [item for item in all_nodes if item.archived_at is None or item.pk == node.pk]
    by_id = {item.pk: item for item in programme_nodes}
    node.budget = everything[node.pk].budget
    rows = tree_rows(programme_nodes, root_ids=[node.pk])
    can_edit = can_edit_node(request.user, node, everything)
    own_row = rows[0]
    budgets = list(node.budgets.select_related("plan").order_by("plan__date", "plan__pk"))
    children_sums = _children_sums_by_plan(node, children_by_parent(programme_nodes).get(node.pk, []))
    for budget in budgets:
        budget.children_sum = children_sums.get(budget.plan_id)
        budget.difference = budget_difference(budget.total, budget.children_sum)
    context = {
        "node": node,
        "ancestors": ancestors(node, by_id),
        "rows": rows[1:],
        "own_row": own_row,
        "budgets": budgets,
        "goals": list(node.goals.all()),
        "outputs": list(node.outputs.all()),
        "tasks": list(node.tasks.filter(archived_at__isnull=True)),
        "responsibilities": list(node.responsibilities.select_related("person__organisation")),
        "partners": list(node.partners.select_related("organisation")),
        "phases": list(node.phases.filter(archived_at__isnull=True)),
        "milestones": list(node.milestones.filter(archived_at__isnull=True)),
        "indicators": list(node.indicators.filter(archived_at__isnull=True).prefetch_related("targets")),
        "risks": list(node.risks.select_related("owner")),
        "updates": list(node.status_updates.select_related("period").order_by("-period__month", "-revision")[:12]),
        "open_periods": list(
            ReportingPeriod.objects.filter(programme=node.programme_id, status=ReportingPeriod.Status.OPEN)
            .exclude(updates__node=node)
            .order_by("-month")
        )
        if can_edit and Node.objects.reporting_units().filter(pk=node.pk).exists()
        else [],
        "funding_decisions": list(node.funding_decisions.filter(archived_at__isnull=True).select_related("funder"))
        if node.is_programme
        else [],
        "archived_children": [item for item in all_nodes if item.parent_id == node.pk and item.archived_at],
        "can_edit": can_edit,
        "can_edit_directory": can_edit_directory(request.user),
        "history": _node_history(node),
    }
    return render(request, "portfolio/node_detail.html", context)


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
    }
    if node.is_programme:
        records[FundingDecision] = FundingDecision.history.filter(programme_id=node.pk)
    return entries({model: list(rows.select_related("history_user__person")) for model, rows in records.items()})


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
    persons = persons.annotate(responsibility_count=Count("responsibilities"))
    context = {"persons": persons, "query": query, "can_edit_directory": can_edit_directory(request.user)}
    return render(request, "portfolio/person_list.html", context)


def person_detail(request, pk):
    """What a person is responsible for, across the portfolio."""
    person = get_object_or_404(Person.objects.select_related("organisation"), pk=pk)
    responsibilities = (
        Responsibility.objects.filter(person=person, node__archived_at__isnull=True)
        .select_related("node__programme")
        .prefetch_related(
            Prefetch("node__budgets", NodeBudget.objects.filter(plan__is_current=True), to_attr="current_budgets")
        )
        .order_by("node__programme__name", "node__pk")
    )
    context = {
        "person": person,
        "responsibilities": responsibilities,
        "can_edit_directory": can_edit_directory(request.user),
        "history": entries({Person: list(person.history.select_related("history_user__person"))}),
    }
    return render(request, "portfolio/person_detail.html", context)


def organisation_list(request):
    organisations = Organisation.objects.select_related("parent")
    context = {"organisations": organisations, "can_edit_directory": can_edit_directory(request.user)}
    return render(request, "portfolio/organisation_list.html", context)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


class ChangeLogFilter(forms.Form):
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
        records[model] = list(model.history.filter(id__in=ids).select_related("history_user__person")) if ids else []
    log = entries(records, show=lambda record: (record.instance_type, record.history_id) in shown)[:LOG_LIMIT]
    return render(request, "portfolio/change_log.html", {"form": form, "log": log})


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
