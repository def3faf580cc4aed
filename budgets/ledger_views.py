"""Finance's own pages for actual costs: the chart of accounts, the import's preview and confirmation, undo."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from popsote.money import format_euros
from popsote.text import CleanText
from portfolio.models import Node

from .models import CostCategory, LedgerAccount, LedgerImport, LedgerUpload
from .services import (
    DUPLICATE_CHOICES,
    LedgerRejected,
    NotPending,
    ReportsUsedCosts,
    ledger_accounts_confirm,
    ledger_accounts_replace,
    ledger_import_reverse,
    ledger_upload_confirm,
)
from .workbooks import accounts_workbook, ledger_template, ledger_template_csv

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may_edit(request):
    if not request.user.has_perm("budgets.edit_budgets"):
        raise PermissionDenied


def _download(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


class LedgerAccountForm(CleanText, forms.ModelForm):
    stamp = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = LedgerAccount
        fields = ["account", "account_end", "name", "category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = CostCategory.objects.filter(
            kind=CostCategory.Kind.COST, children__isnull=True
        )
        self.fields["stamp"].initial = self.instance.version if self.instance.pk else None
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("account", ""), cleaned.get("account_end", "")
        if start and end and start.isdigit() and end.isdigit() and int(end) < int(start):
            self.add_error("account_end", _("Tilialueen loppu on ennen sen alkua."))
        if self.instance.pk and cleaned.get("stamp") != self.instance.version:
            raise forms.ValidationError(
                _("Joku muu muutti tätä tiliä sen jälkeen, kun avasit lomakkeen. Avaa se uudelleen."), code="stale"
            )
        return cleaned


class AccountsFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tilikartta (xlsx)"))


def _accounts_page(request, *, form=None, file_form=None, errors=(), status=200, editing=None):
    can_edit = request.user.has_perm("budgets.edit_budgets")
    context = {
        "accounts": LedgerAccount.objects.select_related("category"),
        "form": form or (LedgerAccountForm() if can_edit else None),
        "editing": editing,
        "file_form": file_form or (AccountsFileForm() if can_edit else None),
        "errors": errors,
        "can_edit": can_edit,
        "example": LedgerAccount.objects.filter(example=True).exists(),
        "history": LedgerAccount.history.select_related("history_user__person", "category").order_by(
            "-history_date", "-history_id"
        )[:30],
    }
    return render(request, "budgets/accounts.html", context, status=status)


def accounts(request, pk=None):
    """The chart of accounts: every role reads it; finance and the project office add, edit and import."""
    if request.method == "POST" or pk:
        _may_edit(request)
    with transaction.atomic():
        # Locked while it is saved: of two saves based on the same version, the second is refused.
        queryset = LedgerAccount.objects.select_for_update() if request.method == "POST" else LedgerAccount.objects
        account = get_object_or_404(queryset, pk=pk) if pk else None
        form = LedgerAccountForm(request.POST or None, instance=account)
        if request.method == "POST" and form.is_valid():
            saved = form.save(commit=False)
            saved._history_user = request.user
            saved.example = False
            if account is not None:
                saved.version += 1
            saved.save()
            messages.success(request, _("Tili {account} tallennettu.").format(account=saved))
            return redirect("budgets:accounts")
    status = 200
    if form.errors:
        status = 409 if form.has_error("__all__", "stale") else 400
    return _accounts_page(
        request, form=form if request.user.has_perm("budgets.edit_budgets") else None, status=status, editing=account
    )


@require_POST
def account_delete(request, pk):
    _may_edit(request)
    account = get_object_or_404(LedgerAccount, pk=pk)
    account._history_user = request.user
    account.delete()
    messages.success(request, _("Tili {account} poistettu tilikartasta.").format(account=account))
    return redirect("budgets:accounts")


@require_POST
def accounts_confirm(request):
    _may_edit(request)
    count = ledger_accounts_confirm(user=request.user)
    messages.success(
        request,
        ngettext(
            "Esimerkkitilikartan {count} rivi vahvistettu omaksi.",
            "Esimerkkitilikartan {count} riviä vahvistettu omiksi.",
            count,
        ).format(count=count),
    )
    return redirect("budgets:accounts")


def accounts_xlsx(request):
    rows = [
        (a.account, a.account_end, a.name, a.category.name) for a in LedgerAccount.objects.select_related("category")
    ]
    return _download(accounts_workbook(rows), XLSX, "tilikartta.xlsx")


@require_POST
def accounts_import(request):
    """Replace the chart of accounts with a workbook (the export, edited): all rows or none."""
    _may_edit(request)
    form = AccountsFileForm(request.POST, request.FILES)
    errors = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > 2 * 2**20:
                raise LedgerRejected([("", "", _("Tilikartta on enintään 2 Mt."))])
            count = ledger_accounts_replace(name=upload.name, content=upload.read(), user=request.user)
        except LedgerRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(request, _("Tilikartta korvattu: {count} tiliä.").format(count=count))
            return redirect("budgets:accounts")
    else:
        errors = [("", "", _("Valitse tuotava tiedosto."))]
    return _accounts_page(request, file_form=form, errors=errors, status=400)


def _template_rows(programme):
    """Two example rows with the programme's own measure codes and accounts of the chart."""
    codes = list(
        Node.objects.active()
        .filter(programme=programme, kind=Node.Kind.MEASURE)
        .order_by("position", "pk")
        .values_list("code", flat=True)[:2]
    ) or [programme.code, programme.code]
    accounts = list(LedgerAccount.objects.values_list("account", flat=True)[:2]) or ["4000", "4300"]
    start = programme.start or dt.date.today()
    return [
        (f"{start:%-m/%Y}", "7100", accounts[0], codes[0], Decimal("12500.50"), _("Esimerkki: tammikuun palkat")),
        (
            start.strftime("%-d.%-m.%Y"),
            "7100",
            accounts[-1],
            codes[-1],
            Decimal("2400.00"),
            _("Esimerkki: konsultointi"),
        ),
    ]


def ledger_template_xlsx(request, pk):
    programme = get_object_or_404(Node.objects.programmes(), pk=pk)
    return _download(ledger_template(_template_rows(programme)), XLSX, f"tuontipohja-{programme.code}.xlsx")


def ledger_template_download_csv(request, pk):
    programme = get_object_or_404(Node.objects.programmes(), pk=pk)
    return _download(
        ledger_template_csv(_template_rows(programme)), "text/csv; charset=utf-8", f"tuontipohja-{programme.code}.csv"
    )


class ConfirmForm(forms.Form):
    duplicates = forms.ChoiceField(
        label=gettext_lazy("Jo tuodun näköiset rivit"),
        choices=[
            ("skip", gettext_lazy("Ohita ne: tuo vain muut rivit")),
            ("import", gettext_lazy("Tuo nekin: ne ovat eri kuluja")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        required=False,
    )

    def __init__(self, *args, needs_choice=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicates"].required = needs_choice


@require_POST
def ledger_confirm(request, pk):
    """Confirm a previewed import: the costs are written now (a large extract by a worker)."""
    _may_edit(request)
    upload = get_object_or_404(LedgerUpload.objects.select_related("programme"), pk=pk)
    form = ConfirmForm(request.POST, needs_choice=bool(upload.preview.get("duplicates")))
    if not form.is_valid():
        messages.error(request, _("Valitse, ohitetaanko jo tuodun näköiset rivit vai tuodaanko nekin."))
        return redirect(upload)
    choice = form.cleaned_data["duplicates"] if form.cleaned_data["duplicates"] in DUPLICATE_CHOICES else ""
    try:
        batch = ledger_upload_confirm(upload=upload, user=request.user, duplicates=choice)
    except NotPending:
        messages.error(request, _("Tämä tuonti on jo vahvistettu tai hylätty."))
        return redirect(upload)
    except LedgerRejected as rejected:
        messages.error(request, "; ".join(str(reason) for _row, _column, reason in rejected.errors[:3]))
        return redirect(upload)
    if batch is None:
        return redirect(upload)
    messages.success(
        request,
        ngettext(
            "Tuotiin {count} kulu, yhteensä {total}.", "Tuotiin {count} kulua, yhteensä {total}.", batch.row_count
        ).format(count=batch.row_count, total=format_euros(batch.total)),
    )
    return redirect("budgets:node", pk=upload.programme_id)


class ReverseForm(CleanText, forms.Form):
    reason = forms.CharField(label=gettext_lazy("Miksi tuonti perutaan?"), max_length=1000, widget=forms.Textarea)
    confirm_reports = forms.BooleanField(
        label=gettext_lazy("Hanketoimisto hyväksyy, että jo tehtyjen raporttien luvut muuttuvat"), required=False
    )


def ledger_reverse(request, pk):
    """Undo an import: its reversal is written with who and why; both stay in the history."""
    _may_edit(request)
    batch = get_object_or_404(
        LedgerImport.objects.select_related("programme", "imported_by__person", "reversal"), pk=pk
    )
    form = ReverseForm(request.POST or None)
    reports, status = [], 200
    if request.method == "POST" and form.is_valid():
        confirm = form.cleaned_data["confirm_reports"]
        if confirm and not request.user.has_perm("budgets.confirm_report_change"):
            raise PermissionDenied
        try:
            reversal = ledger_import_reverse(
                batch=batch, user=request.user, reason=form.cleaned_data["reason"], confirm_reports=confirm
            )
        except ReportsUsedCosts as used:
            reports, status = used.reports, 409
        except LedgerRejected as rejected:
            form.add_error(None, rejected.errors[0][2])
            status = 409
        else:
            messages.success(
                request,
                _("Tuonti {file} peruttu: {count} kulua, yhteensä {total}, kirjattiin vastakirjauksina.").format(
                    file=batch.file_name, count=reversal.row_count, total=format_euros(batch.total)
                ),
            )
            return redirect("budgets:ledger_upload", pk=batch.programme_id)
    elif request.method == "POST":
        status = 400
    context = {
        "batch": batch,
        "programme": batch.programme,
        "form": form,
        "reports": reports,
        "can_confirm_reports": request.user.has_perm("budgets.confirm_report_change"),
    }
    return render(request, "budgets/ledger_reverse.html", context, status=status)
