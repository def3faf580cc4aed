import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from popsote.text import CleanText
from portfolio.accounts import usage_record
from portfolio.filters import NodeFilter, filter_fields
from portfolio.forms import EuroField
from portfolio.models import Node, UsageEvent
from portfolio.tree import preorder
from portfolio.views import OVERVIEW_PROGRAMMES

from .charts import cumulative_spend
from .forms import ActualCostForm
from .ledger_views import ConfirmForm
from .models import BudgetLine, CostCategory, LedgerImport, LedgerUpload, PlanVersion
from .selectors import (
    Budgets,
    budget_years,
    compare_plans,
    form_header,
    governing_decision,
    node_figures,
    plans_for,
)
from .services import (
    LEDGER_FORM_OVERHEAD,
    LEDGER_MAX_BYTES,
    LedgerRejected,
    LedgerTooLarge,
    StaleLines,
    budget_lines_save,
    budget_lines_stamp,
    ledger_size_check,
    ledger_upload_queue,
    plan_version_create,
)
from .workbooks import budget_workbook


def _plan(programme, key):
    plans = plans_for(programme)
    chosen = next((p for p in plans if p.key == key), None) if key else next((p for p in plans if p.is_current), None)
    if key and chosen is None:
        raise Http404
    return plans, chosen


def actual_cost_create(request, pk):
    """Finance or the project office types an actual cost in for a node or anything under it."""
    node = get_object_or_404(Node.objects.active().select_related("programme"), pk=pk)
    if not request.user.has_perm("budgets.edit_budgets"):
        raise PermissionDenied
    form = ActualCostForm(request.POST or None, nodes=Node.objects.active().subtree(node), initial={"node": node})
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Toteuma tallennettu."))
        return redirect("budgets:node", pk=node.pk)
    return render(
        request, "budgets/actual_cost_form.html", {"node": node, "form": form}, status=400 if form.errors else 200
    )


def node_budget(request, pk):
    """The cost estimate of a node and everything under it: the STM template, plan against actual, funding."""
    node = get_object_or_404(Node.objects.select_related("programme"), pk=pk)
    plans, plan = _plan(node.programme, request.GET.get("versio"))
    figures = node_figures(node, plan) if plan else None
    decision = governing_decision(node.programme)
    context = {"node": node, "plans": plans, "plan": plan, "figures": figures, "decision": decision}
    if figures is not None:
        years, rows = figures.stm_table()
        usage, usage_total = figures.usage()
        context.update(
            years=years,
            rows=rows,
            usage=usage,
            usage_total=usage_total,
            by_year=figures.by_year(),
            chart=cumulative_spend(figures.monthly(), figures.plan),
            split=figures.split(decision),
            eligibility=figures.eligibility(decision),
        )
    context["can_import"] = request.user.has_perm("budgets.edit_budgets")
    return render(request, "budgets/node_budget.html", context)


def node_budget_xlsx(request, pk):
    node = get_object_or_404(Node.objects.select_related("programme"), pk=pk)
    _plans, plan = _plan(node.programme, request.GET.get("versio"))
    if plan is None:
        raise Http404
    years, rows = node_figures(node, plan).stm_table()
    header = form_header(node, "Kustannusarvio", plan.name)
    content = budget_workbook(header, years, rows)
    target = _("ladattu: kustannusarvio {node}, {plan}").format(node=node.code or node.name, plan=plan.name)
    usage_record(kind=UsageEvent.Kind.REPORT, request=request, target=target)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    # RFC 6266 (quotes escaped, non-ASCII as filename*): a code is text someone typed.
    response["Content-Disposition"] = content_disposition_header(
        True, f"kustannusarvio-{node.programme.code}-{node.code}.xlsx"
    )
    return response


def plan_compare(request, pk):
    """Two plan versions of a programme side by side, node by node."""
    programme = get_object_or_404(Node.objects.programmes(), pk=pk)
    plans = plans_for(programme)
    by_key = {plan.key: plan for plan in plans}
    current = next((p for p in plans if p.is_current), plans[-1] if plans else None)
    first = by_key.get(request.GET.get("a")) or (plans[0] if plans else None)
    second = by_key.get(request.GET.get("b")) or current
    nodes = list(Node.objects.active().filter(programme=programme))
    rows, line_rows = compare_plans(nodes, first, second)
    context = {
        "programme": programme,
        "plans": plans,
        "first": first,
        "second": second,
        "rows": rows,
        "line_rows": line_rows,
        "can_edit": request.user.has_perm("budgets.edit_budgets"),
    }
    return render(request, "budgets/plan_compare.html", context)


class LedgerForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Kirjanpidon ote (xlsx tai csv)"),
        help_text=gettext_lazy("Sarakkeet: Kausi, Kustannuspaikka, Tili, Kohde, Summa, Selite."),
    )


def request_size(request):
    """The body's declared size: a file too large for any import is refused before it is received."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def ledger_upload(request, pk):
    """Finance or the project office imports a ledger extract into a programme, all rows or none.

    A small file is imported at once; a larger one by a worker, and the user follows its progress.
    """
    programme = get_object_or_404(Node.objects.programmes().active(), pk=pk)
    if not request.user.has_perm("budgets.edit_budgets"):
        raise PermissionDenied
    errors, status = [], 200
    if request.method == "POST" and request_size(request) > LEDGER_MAX_BYTES + LEDGER_FORM_OVERHEAD:
        form = LedgerForm()
        try:
            ledger_size_check(request_size(request) - LEDGER_FORM_OVERHEAD)
        except LedgerRejected as rejected:
            errors, status = rejected.errors, 413
    else:
        form = LedgerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not errors and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            ledger_size_check(upload.size)
            # Kept for its preview: nothing is imported before the user confirms what it would add.
            return redirect(ledger_upload_queue(programme=programme, file=upload, user=request.user))
        except LedgerRejected as rejected:
            errors, status = rejected.errors, 413 if isinstance(rejected, LedgerTooLarge) else 400
    imports = LedgerImport.objects.filter(programme=programme).select_related(
        "imported_by__person", "reverses", "reversal"
    )[:20]
    context = {"programme": programme, "form": form, "errors": errors, "imports": imports}
    return render(request, "budgets/ledger_upload.html", context, status=status)


PREVIEW_SHOWN = 200  # rows of a preview's tables on the page; the rest are counted


def ledger_upload_status(request, pk):
    """An uploaded extract: its preview to confirm (it survives a reload), the progress of a background
    check or import, then the import or the rows to fix."""
    if not request.user.has_perm("budgets.edit_budgets"):
        raise PermissionDenied
    upload = get_object_or_404(LedgerUpload.objects.select_related("programme", "result"), pk=pk)
    template = "budgets/_ledger_upload_status.html" if request.htmx else "budgets/ledger_upload_status.html"
    preview = upload.preview if upload.status == LedgerUpload.Status.PREVIEW else {}
    context = {
        "upload": upload,
        "programme": upload.programme,
        "preview": preview,
        "totals": [
            {**row, "amount": Decimal(row["amount"]), "month": dt.date.fromisoformat(row["month"] + "-01")}
            for row in preview.get("totals", [])[:PREVIEW_SHOWN]
        ],
        "totals_more": max(0, len(preview.get("totals", [])) - PREVIEW_SHOWN),
        "duplicates": [
            {**row, "amount": Decimal(row["amount"]), "month": dt.date.fromisoformat(row["month"] + "-01")}
            for row in preview.get("duplicates", [])[:PREVIEW_SHOWN]
        ],
        "duplicates_more": max(0, len(preview.get("duplicates", [])) - PREVIEW_SHOWN),
        "total": Decimal(preview["total"]) if preview else None,
        "confirm_form": ConfirmForm(needs_choice=bool(preview.get("duplicates"))) if preview else None,
    }
    return render(request, template, context)


class PlanVersionForm(CleanText, forms.Form):
    name = forms.CharField(label=gettext_lazy("Uuden suunnitelmaversion nimi"), max_length=200)


@require_POST
def plan_version_new(request, pk):
    programme = get_object_or_404(Node.objects.programmes().active(), pk=pk)
    if not request.user.has_perm("budgets.edit_budgets"):
        raise PermissionDenied
    form = PlanVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Anna uudelle suunnitelmaversiolle nimi."))
        return redirect("budgets:compare", pk=programme.pk)
    plan = plan_version_create(programme=programme, name=form.cleaned_data["name"], user=request.user)
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


class BudgetLinesForm(CleanText, forms.Form):
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
    if not request.user.has_perm("budgets.edit_budgets"):
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


def _year(value):
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


def budget_overview(request):
    """Programmes and their first level: written budget, plan by cost category, actual, utilisation.

    Filters: programme and funding source (the portfolio's FilterSet), and year. A page of programmes at a
    time, as on the overview, so the page reads and shows the same whatever the portfolio's size.
    """
    filterset = NodeFilter(request.GET or None, queryset=Node.objects.active())
    year = _year(request.GET.get("vuosi"))
    if request.GET.get("vuosi") and year is None:
        raise BadRequest(_("Vuosi ei kelpaa: anna vuosi väliltä 2000–2100, esim. 2024."))
    programmes = filterset.qs.filter(parent__isnull=True).order_by("name", "pk").values_list("pk", flat=True)
    page = Paginator(programmes, OVERVIEW_PROGRAMMES).get_page(request.GET.get("sivu"))
    # The page's programme ids as a subquery: they do not travel in the SQL.
    budgets = Budgets(page.object_list)
    rows = []
    for node, depth in preorder(sorted(budgets.nodes.values(), key=_programme_order)):
        if depth > 1:
            continue
        figures = budgets.figures(node)
        total = figures.total(year=year)
        rows.append({"node": node, "depth": depth, "figures": figures, "written": figures.written, "usage": total})
    query = request.GET.copy()
    context = {
        "filter": filterset,
        "filter_fields": filter_fields(filterset.form, names=("programme", "source")),
        "rows": rows,
        "year": year,
        "years": budget_years(),
        "page": page,
        "query": query,
    }
    return render(request, "budgets/overview.html", context)


def _programme_order(node):
    """Programmes by name (as they are paged), each one's nodes in the tree's order after it."""
    return (node.parent_id is not None, node.name if node.parent_id is None else "", node.position, node.pk)
