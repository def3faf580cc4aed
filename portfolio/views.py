from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from budgets.models import NodeBudget

from .filters import NodeFilter
from .models import Node, Person, Responsibility
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
    """Everything about one programme, sub-project or measure, with its subtree."""
    node = get_object_or_404(Node.objects.active().select_related("programme", "owner"), pk=pk)
    programme_nodes = list(Node.objects.active().filter(programme=node.programme_id).with_budget())
    by_id = {item.pk: item for item in programme_nodes}
    node.budget = by_id[node.pk].budget
    rows = tree_rows(programme_nodes, root_ids=[node.pk])
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
        "phases": list(node.phases.all()),
        "funding_decisions": list(node.funding_decisions.select_related("funder")) if node.is_programme else [],
    }
    return render(request, "portfolio/node_detail.html", context)


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
    return render(request, "portfolio/person_list.html", {"persons": persons, "query": query})


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
    return render(request, "portfolio/person_detail.html", {"person": person, "responsibilities": responsibilities})
