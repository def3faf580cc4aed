from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from popsote.money import format_euros
from portfolio.filters import NodeFilter
from portfolio.forms import EuroField
from portfolio.models import Node
from portfolio.permissions import can_edit_budgets
from portfolio.tree import preorder
from reports.exporters.xlsx import budget_workbook

from .charts import cumulative_spend
from .models import ActualCost, BudgetLine, CostCategory, LedgerImport, NodeBudget, PlanVersion
from .services import (
    LedgerRejected,
    StaleLines,
    budget_lines_save,
    budget_lines_stamp,
    funding_split,
    ledger_import,
    plan_version_create,
)
from .tables import ZERO, budget_table


def _plan(programme, key):
    plans = list(PlanVersion.objects.filter(programme=programme).order_by("date", "pk"))
    chosen = next((p for p in plans if p.key == key), None) if key else next((p for p in plans if p.is_current), None)
    if key and chosen is None:
        raise Http404
    return plans, chosen


def _budget(plan, ids):
    """The STM template table of the nodes ``ids`` (a node and everything under it), in ``plan``."""
    amounts = {}
    for row in (
        BudgetLine.objects.filter(plan=plan, node__in=ids).values("category", "year").annotate(total=Sum("amount"))
    ):
        amounts[(row["category"], row["year"])] = row["total"]
    years = sorted({year for _category, year in amounts})
    rows = budget_table(list(CostCategory.objects.all()), amounts, years)
    return years, rows


def _subtree_ids(node):
    nodes = Node.objects.active().filter(programme=node.programme_id).only("pk", "parent_id", "programme_id")
    return [item.pk for item, _depth in preorder(nodes, root_ids=[node.pk])]


def _plan_vs_actual(plan, ids):
    """Per cost category: plan (all years), actual, remaining, utilisation; and spend by month."""
    planned = {
        row["category"]: row["total"]
        for row in BudgetLine.objects.filter(plan=plan, node__in=ids).values("category").annotate(total=Sum("amount"))
    }
    actual = {
        row["category"]: row["total"]
        for row in ActualCost.objects.filter(node__in=ids).values("category").annotate(total=Sum("amount"))
    }
    monthly = [
        (row["month"], row["total"])
        for row in ActualCost.objects.filter(node__in=ids)
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by("month")
    ]
    rows = []
    for category in CostCategory.objects.filter(kind=CostCategory.Kind.COST, children__isnull=True):
        plan_amount, actual_amount = planned.get(category.pk, ZERO), actual.get(category.pk, ZERO)
        if plan_amount or actual_amount:
            rows.append(_usage(category.name, plan_amount, actual_amount))
    total = _usage(_("Kulut yhteensä"), sum((r["plan"] for r in rows), ZERO), sum((r["actual"] for r in rows), ZERO))
    return rows, total, monthly


def _by_year(rows, monthly, years):
    """Plan vs actual vs remaining for each year of the plan or of the actual costs."""
    planned = next((row.amounts for row in rows if row.kind == "total"), {})
    actual = {}
    for month, amount in monthly:
        actual[month.year] = actual.get(month.year, ZERO) + amount
    return [
        _usage(str(year), planned.get(year, ZERO), actual.get(year, ZERO)) for year in sorted(set(years) | set(actual))
    ]


def _usage(label, plan_amount, actual_amount):
    return {
        "label": label,
        "plan": plan_amount,
        "actual": actual_amount,
        "remaining": plan_amount - actual_amount,
        "utilisation": (actual_amount / plan_amount * 100).quantize(Decimal("0.1")) if plan_amount else None,
        "over": actual_amount > plan_amount,
    }


class ActualCostForm(forms.ModelForm):
    amount = EuroField(label=gettext_lazy("Summa (€)"), min_value=None)
    month = forms.DateField(
        label=gettext_lazy("Kuukausi"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": gettext_lazy("Anna kuukausi muodossa vvvv-kk.")},
    )

    class Meta:
        model = ActualCost
        fields = ["node", "category", "month", "amount", "description"]

    def __init__(self, *args, nodes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = Node.objects.filter(pk__in=[n.pk for n in nodes])
        self.fields["category"].queryset = CostCategory.objects.filter(
            kind=CostCategory.Kind.COST, children__isnull=True
        )
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )


def actual_cost_create(request, pk):
    """Finance or the project office types an actual cost in for a node or anything under it."""
    node = get_object_or_404(Node.objects.active().select_related("programme"), pk=pk)
    if not can_edit_budgets(request.user):
        raise PermissionDenied
    ids = _subtree_ids(node)
    form = ActualCostForm(request.POST or None, nodes=Node.objects.filter(pk__in=ids), initial={"node": node})
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Toteuma tallennettu."))
        return redirect("budgets:node", pk=node.pk)
    return render(
        request, "budgets/actual_cost_form.html", {"node": node, "form": form}, status=400 if form.errors else 200
    )


def _eligibility(decision, ids):
    """Actual costs outside the decision's period of use, and the grant the eligible actuals allow."""
    if decision is None:
        return None
    costs = ActualCost.objects.filter(node__in=ids)
    outside = costs.none()
    if decision.eligible_start:
        outside = outside | costs.filter(month__lt=decision.eligible_start.replace(day=1))
    if decision.eligible_end:
        outside = outside | costs.filter(month__gt=decision.eligible_end)
    eligible = costs.filter(category__eligible=True).exclude(pk__in=outside.values("pk"))
    eligible_total = eligible.aggregate(total=Sum("amount"))["total"] or ZERO
    outside_rows = list(outside.select_related("node", "category").order_by("month")[:50])
    grant_max = funding_split(eligible_total, decision.grant_rate)[0] if decision.grant_rate is not None else None
    return {"eligible_total": eligible_total, "grant_max": grant_max, "outside": outside_rows}


def node_budget(request, pk):
    node = get_object_or_404(Node.objects.select_related("programme"), pk=pk)
    plans, plan = _plan(node.programme, request.GET.get("versio"))
    ids = _subtree_ids(node)
    years, rows = _budget(plan, ids) if plan else ([], [])
    usage, usage_total, monthly = _plan_vs_actual(plan, ids) if plan else ([], None, [])
    by_year = _by_year(rows, monthly, years)
    decision = node.programme.funding_decisions.filter(archived_at__isnull=True, grant_rate__isnull=False).first()
    written = NodeBudget.objects.filter(node=node, plan=plan).first() if plan else None
    total = rows[-1].total if rows else None
    costs = next((row.total for row in rows if row.kind == "total"), None)
    context = {
        "node": node,
        "plans": plans,
        "plan": plan,
        "years": years,
        "rows": rows,
        "written": written,
        "lines_total": costs if years else None,
        "difference": (written.total - costs) if written and years and written.total != costs else None,
        "requested": total,
        "usage": usage,
        "by_year": by_year,
        "usage_total": usage_total,
        "chart": cumulative_spend(monthly, usage_total["plan"] if usage_total else None),
        "decision": decision,
        "split": funding_split(costs, decision.grant_rate) if decision and years else None,
        "can_import": can_edit_budgets(request.user),
        "eligibility": _eligibility(decision, ids) if plan else None,
    }
    return render(request, "budgets/node_budget.html", context)


def node_budget_xlsx(request, pk):
    node = get_object_or_404(Node.objects.select_related("programme"), pk=pk)
    _plans, plan = _plan(node.programme, request.GET.get("versio"))
    if plan is None:
        raise Http404
    years, rows = _budget(plan, _subtree_ids(node))
    decision = node.programme.funding_decisions.filter(archived_at__isnull=True).first()
    header = {
        "project": node.programme.name,
        "node": node.name if not node.is_programme else "",
        "decision": f"{decision.number} ({date_format(decision.date, 'SHORT_DATE_FORMAT')})"
        if decision and decision.date
        else "",
        "plan": plan.name,
        "date": timezone.localdate(),
    }
    content = budget_workbook(header, years, rows)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="kustannusarvio-{node.programme.code}-{node.code}.xlsx"'
    return response


def plan_compare(request, pk):
    """Two plan versions of a programme side by side, node by node."""
    programme = get_object_or_404(Node.objects.programmes(), pk=pk)
    plans = list(PlanVersion.objects.filter(programme=programme).order_by("date", "pk"))
    by_key = {plan.key: plan for plan in plans}
    current = next((p for p in plans if p.is_current), plans[-1] if plans else None)
    first = by_key.get(request.GET.get("a")) or (plans[0] if plans else None)
    second = by_key.get(request.GET.get("b")) or current
    totals = {}
    for budget in NodeBudget.objects.filter(plan__in=[first, second]).values("node", "plan", "total"):
        totals[(budget["node"], budget["plan"])] = budget["total"]
    rows = []
    for node, depth in preorder(Node.objects.active().filter(programme=programme)):
        a, b = totals.get((node.pk, first.pk)) if first else None, totals.get((node.pk, second.pk)) if second else None
        if a is None and b is None:
            continue
        difference = (b or 0) - (a or 0) if a != b else None
        rows.append({"node": node, "depth": depth, "a": a, "b": b, "difference": difference})
    lines = {}
    if first and second:
        for node_id, category, year, plan_id, amount in BudgetLine.objects.filter(plan__in=[first, second]).values_list(
            "node", "category__name", "year", "plan", "amount"
        ):
            lines.setdefault((node_id, category, year), {})[plan_id] = amount
    names = {row["node"].pk: row["node"] for row in rows}
    line_rows = [
        {"node": names.get(node_id), "category": category, "year": year, "a": v.get(first.pk), "b": v.get(second.pk)}
        for (node_id, category, year), v in sorted(lines.items(), key=lambda item: (item[0][0], item[0][2], item[0][1]))
        if v.get(first.pk) != v.get(second.pk)
    ]
    context = {
        "programme": programme,
        "plans": plans,
        "first": first,
        "second": second,
        "rows": rows,
        "line_rows": line_rows,
        "can_edit": can_edit_budgets(request.user),
    }
    return render(request, "budgets/plan_compare.html", context)


class LedgerForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Kirjanpidon ote (xlsx tai csv)"),
        help_text=gettext_lazy("Sarakkeet: Kausi, Kustannuspaikka, Tili, Kohde, Summa, Selite."),
    )


def ledger_upload(request, pk):
    """Finance or the project office imports a ledger extract into a programme, all rows or none."""
    programme = get_object_or_404(Node.objects.programmes().active(), pk=pk)
    if not can_edit_budgets(request.user):
        raise PermissionDenied
    form = LedgerForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = ledger_import(programme=programme, name=upload.name, content=upload.read(), user=request.user)
        except LedgerRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(
                request,
                ngettext(
                    "Tuotiin {count} kulu, yhteensä {total}.",
                    "Tuotiin {count} kulua, yhteensä {total}.",
                    batch.row_count,
                ).format(count=batch.row_count, total=format_euros(batch.total)),
            )
            return redirect("budgets:node", pk=programme.pk)
    imports = LedgerImport.objects.filter(programme=programme).select_related("imported_by__person")[:20]
    context = {"programme": programme, "form": form, "errors": errors, "imports": imports}
    return render(request, "budgets/ledger_upload.html", context, status=400 if errors else 200)


class PlanVersionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Uuden suunnitelmaversion nimi"), max_length=200)


@require_POST
def plan_version_new(request, pk):
    programme = get_object_or_404(Node.objects.programmes().active(), pk=pk)
    if not can_edit_budgets(request.user):
        raise PermissionDenied
    form = PlanVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Anna uudelle suunnitelmaversiolle nimi."))
        return redirect("budgets:compare", pk=programme.pk)
    plan = plan_version_create(programme=programme, name=form.cleaned_data["name"])
    messages.success(
        request,
        _("Suunnitelmaversio {name} luotu voimassa olevan pohjalta; se on nyt voimassa.").format(name=plan.name),
    )
    return redirect(f"{reverse('budgets:compare', args=[programme.pk])}?b={plan.key}")


def _line_years(node, plan):
    programme = node.programme
    years = set(BudgetLine.objects.filter(plan=plan).values_list("year", flat=True).distinct())
    if programme.start and programme.end:
        years |= set(range(programme.start.year, programme.end.year + 1))
    return sorted(years)


class BudgetLinesForm(forms.Form):
    stamp = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, categories, years, initial_amounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = []
        for category in categories:
            cells = []
            for year in years:
                name = f"c{category.pk}_{year}"
                self.fields[name] = EuroField(
                    label=f"{category.name} {year}", required=False, initial=initial_amounts.get((category.pk, year))
                )
                self.fields[name].widget.attrs.update({"class": "form-control form-control-sm money", "size": 12})
                cells.append((year, name))
            self.grid.append((category, cells))

    def amounts(self):
        return {(category.pk, year): self.cleaned_data[name] for category, cells in self.grid for year, name in cells}


def budget_lines_edit(request, pk):
    """Finance or the project office edits a node's lines in the current plan version."""
    node = get_object_or_404(Node.objects.active().select_related("programme"), pk=pk)
    if not can_edit_budgets(request.user):
        raise PermissionDenied
    plan = get_object_or_404(PlanVersion, programme=node.programme_id, is_current=True)
    categories = list(CostCategory.objects.filter(children__isnull=True))
    years = _line_years(node, plan)
    current = {(line.category_id, line.year): line.amount for line in BudgetLine.objects.filter(plan=plan, node=node)}
    stamp = budget_lines_stamp(plan=plan, node=node)
    form = BudgetLinesForm(
        request.POST or None, categories=categories, years=years, initial_amounts=current, initial={"stamp": stamp}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                budget_lines_save(plan=plan, node=node, amounts=form.amounts(), stamp=form.cleaned_data["stamp"])
            except StaleLines:
                form.add_error(
                    None,
                    _(
                        "Joku muu muutti tämän kohteen talousarviota sen jälkeen, kun avasit lomakkeen. Muutoksiasi ei tallennettu: avaa lomake uudelleen."
                    ),
                )
                status = 409
            else:
                messages.success(request, _("Talousarvio tallennettu."))
                return redirect("budgets:node", pk=node.pk)
        else:
            status = 400
    context = {"node": node, "plan": plan, "years": years, "form": form}
    return render(request, "budgets/budget_lines_form.html", context, status=status)


def budget_overview(request):
    """Programmes and their first level: written budget, plan by cost category, actual, utilisation.

    Filters: programme and funding source (the portfolio's FilterSet), and year.
    """
    filterset = NodeFilter(request.GET or None, queryset=Node.objects.active())
    nodes = list(filterset.qs.only("pk", "parent_id", "programme_id", "code", "name", "kind").with_budget())
    try:
        year = int(request.GET.get("vuosi", ""))
    except ValueError:
        year = None
    lines = BudgetLine.objects.filter(plan__is_current=True, node__in=[n.pk for n in nodes])
    costs = ActualCost.objects.filter(node__in=[n.pk for n in nodes])
    if year:
        lines, costs = lines.filter(year=year), costs.filter(month__year=year)
    planned = dict(
        lines.filter(category__kind=CostCategory.Kind.COST).values_list("node").annotate(total=Sum("amount"))
    )
    actual = dict(costs.values_list("node").annotate(total=Sum("amount")))
    ordered = list(preorder(nodes))
    # Children come after their parent in pre-order, so walking backwards adds each subtree up once.
    for values in (planned, actual):
        for node, _depth in reversed(ordered):
            if node.parent_id is not None and node.pk in values:
                values[node.parent_id] = values.get(node.parent_id, ZERO) + values[node.pk]
    rows = []
    for node, depth in ordered:
        if depth > 1:
            continue
        usage = _usage(node.name, planned.get(node.pk, ZERO), actual.get(node.pk, ZERO))
        rows.append({"node": node, "depth": depth, "written": node.budget, **usage})
    years = sorted(set(BudgetLine.objects.values_list("year", flat=True).distinct()))
    context = {"filter": filterset, "rows": rows, "year": year, "years": years}
    return render(request, "budgets/overview.html", context)
