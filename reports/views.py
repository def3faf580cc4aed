from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.models import Measurement
from portfolio.forms import model_values
from portfolio.history import entries
from portfolio.models import Node
from portfolio.permissions import led_node_ids
from portfolio.services import StaleEdit

from .archive import deliveries_by_member, export_request
from .filters import ExportFilter
from .forms import PARTS, ExportRequestForm, PeriodForm, ReturnForm, StatusUpdateForm, changed_rows, part_formsets
from .models import Export, MeasureReport, MilestoneReport, ReportingPeriod, RiskReport, StatusUpdate
from .selectors import indicator_rows, late_milestones, period_units, proposals, top_risks
from .workflow import (
    period_close,
    period_open,
    status_update_approve,
    status_update_return,
    status_update_revise,
    status_update_save,
    status_update_start,
    status_update_submit,
)


@require_POST
def export_create(request, programme_pk):
    programme = get_object_or_404(Node.objects.programmes().active(), pk=programme_pk)
    export = export_request(programme=programme, kind=Export.Kind.MEASURES_XLSX, user=request.user)
    # The export's page says itself that the file is on its way, and stops saying it once it is ready.
    return redirect(export)


def export_detail(request, pk):
    export = get_object_or_404(
        Export.objects.visible_to(request.user).select_related("programme", "period", "node", "requested_by__person"),
        pk=pk,
    )
    if request.htmx:
        return render(request, "reports/_export_status.html", {"export": export})
    context = {"export": export, "deliveries": deliveries_by_member(export)}
    return render(request, "reports/export_detail.html", context)


def export_download(request, pk):
    export = get_object_or_404(Export.objects.visible_to(request.user).issued(), pk=pk)
    if not export.file:
        raise Http404
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1])


def programme_reports(request, programme_pk):
    """A programme's reports and exports: ask for one, and see what has been issued."""
    programme = get_object_or_404(Node.objects.programmes().active(), pk=programme_pk)
    may_request = request.user.has_perm("reports.request_reports")
    # A link from the dashboard or the archive preselects the report and the period shown there.
    initial = {key: request.GET[key] for key in ("kind", "period") if key in request.GET}
    form = ExportRequestForm(request.POST or None, programme=programme, initial=initial)
    if request.method == "POST":
        if not may_request:
            raise PermissionDenied
        if form.is_valid():
            export = export_request(
                programme=programme,
                kind=form.cleaned_data["kind"],
                period=form.cleaned_data["period"],
                node=form.cleaned_data["node"],
                user=request.user,
                attention_first=form.cleaned_data["attention_first"],
            )
            return redirect(export)
    exports = (
        Export.objects.visible_to(request.user)
        .filter(programme=programme)
        .select_related("period", "node", "requested_by__person")[:50]
    )
    context = {"programme": programme, "form": form, "exports": exports, "may_request": may_request}
    return render(request, "reports/programme_reports.html", context, status=400 if form.errors else 200)


def archive(request):
    """Every generated report and export, filtered by programme, kind, period and state."""
    exports = Export.objects.visible_to(request.user).select_related(
        "programme", "period", "node", "requested_by__person"
    )
    filterset = ExportFilter(request.GET, queryset=exports)
    rows = filterset.qs[:500] if filterset.is_valid() else exports.none()
    context = {"filter": filterset, "exports": rows, "report_period": None}
    if filterset.is_valid() and request.user.has_perm("reports.request_reports"):
        programme, month = filterset.form.cleaned_data.get("programme"), filterset.form.cleaned_data.get("month")
        if programme is not None and month is not None:
            context["report_period"] = ReportingPeriod.objects.filter(
                programme=programme, month=month.replace(day=1)
            ).first()
    return render(request, "reports/archive.html", context, status=200 if filterset.is_valid() else 400)


# Monthly reporting -----------------------------------------------------------------------------


def dashboard(request):
    """The portfolio's monthly picture: every sub-project's lights, what is missing, late, off track, risky."""
    programmes = list(Node.objects.programmes().active())
    programme_id = request.GET.get("programme")
    if not (programme_id and programme_id.isdigit()):
        latest = ReportingPeriod.objects.order_by("-month", "-pk").first()
        programme_id = latest.programme_id if latest else (programmes[0].pk if programmes else None)
    programme = next((item for item in programmes if str(item.pk) == str(programme_id)), None)
    if programme is None:
        raise Http404
    periods = list(programme.reporting_periods.all())
    period_id = request.GET.get("period")
    period = next((item for item in periods if str(item.pk) == period_id), periods[0] if periods else None)
    if period is not None:
        period.programme = programme
    as_of = period.last_day if period else timezone.localdate()
    rows = period_units(period) if period else []
    context = {
        "programmes": programmes,
        "programme": programme,
        "periods": periods,
        "period": period,
        "rows": rows,
        "missing": [row for row in rows if row.newest is None or row.newest.is_editable],
        "waiting": [row for row in rows if row.newest and row.newest.status == StatusUpdate.Status.SUBMITTED],
        "late_milestones": late_milestones(programme, as_of),
        "as_of": as_of,
        "indicators": sorted(indicator_rows(programme, period.month if period else None), key=_off_track_first),
        "risks": top_risks(programme),
        "can_review": request.user.has_perm("reports.review"),
        "led": led_node_ids(request.user),
        "period_form": PeriodForm(programme=programme),
        "may_request": request.user.has_perm("reports.request_reports"),
    }
    return render(request, "reports/dashboard.html", context)


def _off_track_first(row):
    progress = row[1]
    return {False: 0, None: 2}.get(progress.on_track, 1)


def _period(pk):
    return get_object_or_404(ReportingPeriod.objects.select_related("programme"), pk=pk)


def _error_message(request, error):
    for message in error.messages:
        messages.error(request, message)


@require_POST
def period_create(request, programme_pk):
    programme = get_object_or_404(Node.objects.programmes().active(), pk=programme_pk)
    if not request.user.has_perm("reports.review"):
        raise PermissionDenied
    form = PeriodForm(request.POST, programme=programme)
    if form.is_valid():
        period = period_open(programme=programme, month=form.cleaned_data["month"])
        messages.success(request, _("Raportointikausi {period} avattu.").format(period=period))
        return redirect(period)
    for error in form.errors.get("month", []):
        messages.error(request, error)
    return redirect(reverse("reports:dashboard") + f"?programme={programme.pk}")


@require_POST
def period_status(request, pk, closed):
    period = _period(pk)
    if not request.user.has_perm("reports.review"):
        raise PermissionDenied
    period_close(period=period, closed=closed)
    messages.success(request, _("Kausi suljettu.") if closed else _("Kausi avattu uudelleen."))
    return redirect(period)


def unit_update(request, period_pk, node_pk):
    """A sub-project's update for a period: shows the newest one, or lets its lead start it."""
    period = _period(period_pk)
    node = get_object_or_404(Node.objects.active(), pk=node_pk, programme=period.programme_id)
    update = StatusUpdate.objects.filter(period=period, node=node).order_by("-revision").first()
    if update is not None:
        return redirect(update)
    may_start = period.is_open and request.user.has_perm("reports.report", node)
    if request.method == "POST":
        if not may_start:
            raise PermissionDenied
        try:
            update = status_update_start(period=period, node=node, user=request.user)
        except ValidationError as error:
            _error_message(request, error)
            return redirect(request.path)
        return redirect("reports:update_edit", update.pk)
    previous = StatusUpdate.objects.approved().filter(node=node, period__month__lt=period.month).exists()
    context = {"period": period, "node": node, "may_start": may_start, "has_previous": previous}
    return render(request, "reports/unit_update.html", context)


def _update(pk):
    return get_object_or_404(
        StatusUpdate.objects.select_related(
            "period__programme", "node", "created_by__person", "submitted_by", "decided_by__person", "revision_of"
        ),
        pk=pk,
    )


def _may_edit(user, update):
    """A draft or returned update of an open period, by those who report for its sub-project."""
    return update.is_editable and update.period.is_open and user.has_perm("reports.report", update)


def update_detail(request, pk):
    update = _update(pk)
    user = request.user
    editable = _may_edit(user, update)
    reviewable = user.has_perm("reports.review") and update.period.is_open
    revisions = list(StatusUpdate.objects.filter(period=update.period_id, node=update.node_id).order_by("revision"))
    context = {
        "update": update,
        "measures": list(update.measures.select_related("measure")),
        "milestones": list(update.milestones.select_related("milestone")),
        "risks": list(update.risks.select_related("risk__owner")),
        "indicator_values": list(update.indicator_values.select_related("indicator")),
        "revisions": revisions,
        "can_edit": editable,
        "can_submit": editable,
        "can_review": reviewable and update.status == StatusUpdate.Status.SUBMITTED,
        "can_revise": update.period.is_open
        and update.status == StatusUpdate.Status.APPROVED
        and revisions[-1].pk == update.pk
        and user.has_perm("reports.report", update),
        "return_form": ReturnForm(),
        "history": _update_history(update),
    }
    return render(request, "reports/update_detail.html", context)


def _update_history(update):
    records = {
        StatusUpdate: StatusUpdate.history.filter(id=update.pk),
        MeasureReport: MeasureReport.history.filter(update_id=update.pk),
        MilestoneReport: MilestoneReport.history.filter(update_id=update.pk),
        RiskReport: RiskReport.history.filter(update_id=update.pk),
        Measurement: Measurement.history.filter(update_id=update.pk),
    }
    return entries({model: list(rows.select_related("history_user__person")) for model, rows in records.items()})


def update_edit(request, pk):
    update = _update(pk)
    if not _may_edit(request.user, update):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = StatusUpdateForm(data, instance=update)
    formsets = part_formsets(update, data)
    status = 200
    if data is not None:
        if form.is_valid() and all(formset.is_valid() for formset in formsets):
            submit = "submit" in request.POST
            try:
                status_update_save(
                    update=update,
                    values=model_values(form),
                    rows=changed_rows(formsets),
                    version=form.cleaned_data.get("version"),
                    user=request.user,
                    submit=submit,
                )
                if submit:
                    messages.success(request, _("Tilannekatsaus lähetetty hanketoimistolle."))
                else:
                    messages.success(request, _("Luonnos tallennettu."))
                return redirect(update)
            except StaleEdit:
                form.add_error(
                    None,
                    _(
                        "Joku muu tallensi tämän katsauksen sen jälkeen, kun avasit lomakkeen. Muutoksiasi ei tallennettu. Avaa katsaus uudelleen."
                    ),
                )
                status = 409
            except ValidationError as error:
                _add_errors(form, error)
                status = 400
        else:
            status = 400
    context = {
        "update": update,
        "form": form,
        "formsets": dict(zip(PARTS, formsets, strict=True)),
        "proposals": proposals(update.node, update.period),
    }
    return render(request, "reports/update_form.html", context, status=status)


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_POST
def update_action(request, pk, action):
    update = _update(pk)
    user = request.user
    try:
        if action == "laheta":
            if not _may_edit(user, update):
                raise PermissionDenied
            status_update_submit(update=update, user=user)
            messages.success(request, _("Tilannekatsaus lähetetty hanketoimistolle."))
        elif action == "hyvaksy":
            if not user.has_perm("reports.review"):
                raise PermissionDenied
            status_update_approve(update=update, user=user)
            messages.success(request, _("Tilannekatsaus hyväksytty ja lukittu."))
        elif action == "palauta":
            if not user.has_perm("reports.review"):
                raise PermissionDenied
            form = ReturnForm(request.POST)
            status_update_return(update=update, user=user, comment=form.data.get("return_comment", ""))
            messages.success(request, _("Tilannekatsaus palautettu vetäjälle."))
        elif action == "korjaa":
            if not user.has_perm("reports.report", update):
                raise PermissionDenied
            revision = status_update_revise(update=update, user=user)
            messages.success(request, _("Korjausversio {revision} luotu.").format(revision=revision.revision))
            return redirect("reports:update_edit", revision.pk)
        else:
            raise Http404
    except ValidationError as error:
        _error_message(request, error)
    return redirect(update)
