from datetime import date
from typing import NamedTuple

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from budgets.views import request_size
from indicators.models import Measurement
from portfolio.accounts import usage_record
from portfolio.forms import mark_invalid, model_values
from portfolio.history import entries
from portfolio.models import Node, UsageEvent
from portfolio.permissions import led_node_ids
from portfolio.services import StaleEdit, tracked_save

from .archive import deliveries_by_member, export_request
from .evaluations import (
    evaluated_goals,
    evaluation_approve,
    evaluation_revise,
    evaluation_round_create,
    evaluation_rows,
    evaluation_save,
    evaluation_sheet_rows,
    innokyla_texts,
    latest_rounds,
)
from .exporters.xlsx import evaluation_workbook, rrf_pack_workbook
from .filters import ExportFilter
from .forms import (
    PARTS,
    EvaluationRoundForm,
    ExportRequestForm,
    GoalEvaluationForm,
    PeriodForm,
    ReturnForm,
    RrfDeclarationForm,
    RrfEvidenceForm,
    RrfProgressForm,
    RrfTargetForm,
    StatusUpdateForm,
    changed_rows,
    new_forms,
    open_periods,
    row_forms,
)
from .models import (
    DEFAULT_SCALE,
    EvaluationRound,
    Export,
    MeasureReport,
    MilestoneReport,
    ReportingPeriod,
    RiskReport,
    RrfDeclaration,
    RrfEvidence,
    RrfTarget,
    StatusUpdate,
    rrf_retain_until,
)
from .rrf import (
    EVIDENCE_MAX_BYTES,
    declaration_warnings,
    half_year_end,
    is_rrf,
    progress_series,
    rrf_declaration_make,
    rrf_evidence_add,
    rrf_evidence_review,
    rrf_pack_rows,
    rrf_progress_record,
    rrf_target_rows,
)
from .selectors import (
    indicator_rows,
    late_milestones,
    period_units,
    previous_approved,
    proposals,
    review_sections,
    top_risks,
)
from .workflow import (
    period_close,
    period_open,
    status_update_add,
    status_update_approve,
    status_update_return,
    status_update_revise,
    status_update_save,
    status_update_start,
    status_update_submit,
    status_update_sync,
    submission_errors,
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
    usage_record(kind=UsageEvent.Kind.REPORT, request=request, target=_("avattu: {export}").format(export=export))
    return render(request, "reports/export_detail.html", context)


def export_download(request, pk):
    export = get_object_or_404(Export.objects.visible_to(request.user).issued(), pk=pk)
    if not export.file:
        raise Http404
    usage_record(kind=UsageEvent.Kind.REPORT, request=request, target=_("ladattu: {export}").format(export=export))
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
    context = {
        "programme": programme,
        "form": form,
        "exports": exports,
        "may_request": may_request,
        "is_rrf": is_rrf(programme),
    }
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
        "is_rrf": is_rrf(programme),
    }
    # A missing or stale RRF declaration is shown before the half year's reporting date.
    context["rrf_warnings"] = declaration_warnings([programme]) if context["is_rrf"] else []
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
    """A sub-project's update for a period, straight in: its lead lands in the form (the draft is started
    from last month's approved update on the first visit), the project office in the review, others on
    the update. The reminder e-mail, the dashboard and the node page link here."""
    period = _period(period_pk)
    node = get_object_or_404(Node.objects.active(), pk=node_pk, programme=period.programme_id)
    user = request.user
    update = StatusUpdate.objects.filter(period=period, node=node).order_by("-revision").first()
    may_report = period.is_open and user.has_perm("reports.report", node)
    if request.method == "POST" and not may_report:
        raise PermissionDenied
    if update is None and may_report:
        # Starting is idempotent (it returns the update that exists), so a link may do it.
        try:
            update = status_update_start(period=period, node=node, user=user)
        except ValidationError as error:
            _error_message(request, error)
    if update is None:
        return render(request, "reports/unit_update.html", {"period": period, "node": node})
    if update.is_editable and may_report:
        return redirect("reports:update_edit", update.pk)
    return redirect(update)


def _update(pk):
    return get_object_or_404(
        StatusUpdate.objects.select_related(
            "period__programme",
            "node",
            "created_by__person",
            "submitted_by__person",
            "decided_by__person",
            "revision_of",
            "area",
            "presenter",
            "source_document",
        ),
        pk=pk,
    )


def _may_edit(user, update):
    """A draft or returned update of an open period, by those who report for its sub-project."""
    return update.is_editable and update.period.is_open and user.has_perm("reports.report", update)


def update_detail(request, pk):
    """An update beside last month's approved one, every change marked; for the project office the review:
    approve (with a confirmation step) or return with comments per section."""
    update = _update(pk)
    user = request.user
    editable = _may_edit(user, update)
    reviewable = user.has_perm("reports.review") and update.period.is_open
    revisions = list(StatusUpdate.objects.filter(period=update.period_id, node=update.node_id).order_by("revision"))
    previous = update.revision_of or previous_approved(update.node, update.period)
    can_review = reviewable and update.status == StatusUpdate.Status.SUBMITTED
    context = {
        "update": update,
        "previous": previous,
        "sections": review_sections(update, previous),
        "section_labels": StatusUpdate.SECTIONS,
        "revisions": revisions,
        "can_edit": editable,
        "can_review": can_review,
        "confirm_approval": can_review and request.GET.get("vahvista") == "hyvaksy",
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


def _changes_since(update, version):
    """What others saved to the update and its rows since the user's ``version``, newest first, with names."""
    since = StatusUpdate.history.filter(id=update.pk, version=version).order_by("history_date").first()
    if since is None:
        return []
    entries_ = _update_history(update)
    return [entry for entry in entries_ if entry.date > since.history_date]


def update_edit(request, pk):
    """The whole month on one screen. Every save keeps the draft as it is and the rules wait for submission;
    autosave posts here with htmx; the "add" buttons add a milestone, a measurement, an indicator or a risk."""
    update = _update(pk)
    user = request.user
    if not _may_edit(user, update):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    notes = {}
    if data is None:
        notes = dict(zip(("added", "removed"), status_update_sync(update=update, user=user), strict=True))
    form = StatusUpdateForm(data, instance=update)
    rows = row_forms(update, data)
    adding = data.get("add") if data is not None else None
    autosave = request.htmx and request.htmx.trigger_name != "add"
    if autosave:
        # htmx sends the last clicked submit button with the form's own requests: an autosave that fires while
        # an "add" button's request is on its way would add the same row again, and one sent as the lead clicks
        # "Lähetä hanketoimistolle" would hand the update in before the click's own request does.
        adding = None
    new = new_forms(update, user, data, adding)
    status, conflict, saved_at, refused = 200, None, None, False
    if data is not None:
        submit = "submit" in data and not autosave
        form.is_valid()
        values = {name: value for name, value in model_values(form).items() if name in form.changed_data}
        changes = changed_rows(rows)
        if request.htmx and not (values or any(changes.values()) or submit or adding):
            return HttpResponse(status=204)  # an autosave with nothing new
        try:
            update = _save(update, values, changes, form.cleaned_data.get("version"), user)
            saved_at = timezone.localtime()
            if adding in new and new[adding].is_valid():
                status_update_add(update=update, part=adding, values=_new_values(new[adding]), user=user)
                new[adding] = new_forms(update, user)[adding]
                rows = row_forms(update, data)
            invalid = form.errors or any(row.errors for part in rows.values() for row in part)
            if submit:
                refusal = submission_errors(update)
                if refusal is None and not invalid:
                    status_update_submit(update=update, user=user)
                    messages.success(request, _("Tilannekatsaus lähetetty hanketoimistolle."))
                    return redirect(update)
                if refusal is not None:
                    _add_errors(form, rows, refusal)
                refused, status = True, 400
            elif invalid or (adding in new and new[adding].errors):
                status = 400
        except StaleEdit as stale:
            update, status = stale.current, 409
            conflict = _changes_since(update, stale.since)
        except ValidationError as error:
            _add_errors(form, rows, error)
            status = 400
        if request.htmx and not submit and not adding:
            context = {"saved_at": saved_at, "version": update.version, "conflict": conflict, "invalid": status == 400}
            return render(request, "reports/_autosave.html", context)
        if request.htmx:
            status = 200  # htmx swaps only a success; the section it swaps in says what is wrong
        elif status == 200:
            messages.success(request, _("Luonnos tallennettu klo {time}.").format(time=date_format(saved_at, "G.i")))
            anchor = f"#section-{'indicator_values' if adding == 'indicators' else adding}" if adding else ""
            return redirect(reverse("reports:update_edit", args=[update.pk]) + anchor)
        # The draft is saved (or, after a conflict, the user has now seen what changed): the next save
        # starts from the version saved now.
        form.data = form.data.copy()
        form.data["version"] = update.version
    context = {
        "update": update,
        "form": form,
        "rows": rows,
        "new": new,
        "notes": notes,
        "errors": _error_summary(form, rows, new),
        "lights": form.light_rows(proposals(update.node, update.period)),
        "saved_at": saved_at,
        "conflict": conflict,
        "refused": refused,
        "section_labels": StatusUpdate.SECTIONS,
    }
    return render(request, "reports/update_form.html", context, status=status)


def _save(update, values, changes, version, user):
    """Save the draft; a save that is stale only because of the user's own autosave (the page posts
    everything typed, so nothing of theirs is lost) goes ahead on the newer version."""
    try:
        return status_update_save(update=update, values=values, rows=changes, version=version, user=user)
    except StaleEdit as stale:
        others = [entry for entry in _changes_since(stale.current, stale.since) if entry.user != user]
        if others or version is None:
            raise
        return status_update_save(update=update, values=values, rows=changes, version=stale.current.version, user=user)


def _new_values(form):
    return model_values(form) if isinstance(form, forms.ModelForm) else dict(form.cleaned_data)


def _add_errors(form, rows, error):
    """Put a refusal's errors on the fields they concern: the update's own, or a row's (``milestones-12-actual_date``)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    by_prefix = {row.prefix: row for part in rows.values() for row in part}
    for key, messages_ in error.message_dict.items():
        if key in form.fields:
            form.add_error(key, messages_)
            mark_invalid(form[key])
            continue
        prefix, _sep, name = key.rpartition("-")
        row = by_prefix.get(prefix)
        if row is not None and name in row.fields:
            if not row.is_bound:
                row.cleaned_data = {}  # add_error needs it; an unbound row has none
            row.add_error(name, messages_)
            mark_invalid(row[name])
        else:
            form.add_error(None, messages_)


class SummaryError(NamedTuple):
    """A line of the error summary at the top of the form: the message, and the field it links to."""

    label: str
    message: str
    anchor: str


def _error_summary(form, rows, new):
    """Every error on the page, in the page's order, each linking to its field (the GOV.UK / suomi.fi pattern)."""
    summary = [SummaryError("", message, "") for message in form.non_field_errors()]
    for name in StatusUpdate.LEAD_FIELDS:
        for message in form.errors.get(name, []):
            field = form[name]
            anchor = f"{field.auto_id}_0" if name in StatusUpdate.LIGHTS else field.auto_id
            summary.append(SummaryError(str(field.label), message, anchor))
    subjects = {part: subject for part, (_form, subject) in PARTS.items()}
    for part, part_rows in rows.items():
        for row in part_rows:
            for name, messages_ in row.errors.items():
                if name not in row.fields:
                    continue
                label = f"{getattr(row.instance, subjects[part])}: {row.fields[name].label}"
                summary.extend(SummaryError(label, message, row[name].auto_id) for message in messages_)
    for form_ in new.values():
        for name, messages_ in form_.errors.items():
            if name in form_.fields:
                summary.extend(SummaryError(str(form_.fields[name].label), m, form_[name].auto_id) for m in messages_)
    return summary


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
            messages.success(request, _("Tilannekatsaus {update} hyväksytty ja lukittu.").format(update=update))
            # With htmx the review turns into the approved update in place; without, back to the dashboard.
            return redirect(update if request.htmx else update.period)
        elif action == "palauta":
            if not user.has_perm("reports.review"):
                raise PermissionDenied
            form = ReturnForm(request.POST)
            form.is_valid()
            status_update_return(
                update=update,
                user=user,
                comment=form.cleaned_data.get("return_comment", ""),
                sections=form.comments(),
            )
            messages.success(request, _("Tilannekatsaus palautettu vetäjälle."))
            return redirect(update.period)
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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content, name):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _half_year(today):
    start = date(today.year, 1, 1) if today.month <= 6 else date(today.year, 7, 1)
    return start, half_year_end(today)


def evaluations(request, programme_pk):
    """A programme's benefit-goal evaluation rounds; the project office starts a new one (the half year by default)."""
    programme = get_object_or_404(Node.objects.programmes().active(), pk=programme_pk)
    may_create = request.user.has_perm("reports.review")
    start, end = _half_year(timezone.localdate())
    form = EvaluationRoundForm(request.POST or None, initial={"start": start, "end": end, "scale": DEFAULT_SCALE})
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                evaluation = evaluation_round_create(programme=programme, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Arviointikierros {round} aloitettu.").format(round=evaluation))
                return redirect(evaluation)
    rounds = latest_rounds(programme)
    return render(
        request,
        "reports/evaluations.html",
        {
            "programme": programme,
            "rounds": rounds,
            "form": form,
            "may_create": may_create,
            "goals": evaluated_goals(programme).count(),
        },
    )


def _round(pk):
    return get_object_or_404(EvaluationRound.objects.select_related("programme"), pk=pk)


def evaluation(request, pk):
    """A round: every goal with its indicators' values in the period and targets, the self-evaluation and THL's."""
    evaluation = _round(pk)
    user = request.user
    may_thl = user.has_perm("reports.review") and not evaluation.is_locked
    rows = evaluation_rows(evaluation)
    forms_ = [
        GoalEvaluationForm(
            request.POST or None,
            row=row,
            scale=evaluation.scale_values(),
            may_self=not evaluation.is_locked and user.has_perm("reports.evaluate", row),
            may_thl=may_thl,
        )
        for row in rows
    ]
    editable = any(not all(field.disabled for field in form.fields.values()) for form in forms_)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if all(form.is_valid() for form in forms_):
            changes = {form.row.pk: form.changes() for form in forms_ if form.changes()}
            try:
                evaluation_save(evaluation=evaluation, rows=changes, version=_version(request), user=user)
            except StaleEdit:
                messages.error(request, _("Joku muu tallensi arvioinnin sillä välin. Tarkista ja tallenna uudelleen."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Arviointi tallennettu."))
                return redirect(evaluation)
        else:
            messages.error(request, _("Tiedoissa on virheitä."))
    revisions = EvaluationRound.objects.filter(
        programme=evaluation.programme_id, start=evaluation.start, end=evaluation.end
    ).order_by("revision")
    units = {}
    for row, form in zip(rows, forms_, strict=True):
        units.setdefault(row.goal.node, []).append((row, form))
    return render(
        request,
        "reports/evaluation.html",
        {
            "round": evaluation,
            "units": units,
            "editable": editable,
            "may_review": user.has_perm("reports.review"),
            "revisions": revisions,
            "rated": sum(1 for row in rows if row.rating),
            "total": len(rows),
        },
    )


def _version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


EVALUATION_ACTIONS = {"hyvaksy": evaluation_approve, "korjaa": evaluation_revise}


@require_POST
def evaluation_action(request, pk, action):
    evaluation = _round(pk)
    if action not in EVALUATION_ACTIONS:
        raise Http404
    if not request.user.has_perm("reports.review"):
        raise PermissionDenied
    kwargs = {"version": _version(request)} if action == "hyvaksy" else {}
    try:
        result = EVALUATION_ACTIONS[action](evaluation=evaluation, user=request.user, **kwargs)
    except StaleEdit:
        messages.error(request, _("Joku muu tallensi arvioinnin sillä välin. Tarkista ja yritä uudelleen."))
        return redirect(evaluation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(evaluation)
    messages.success(
        request, _("Arviointi hyväksytty ja lukittu.") if action == "hyvaksy" else _("Korjausversio aloitettu.")
    )
    return redirect(result)


def evaluation_xlsx(request, pk):
    evaluation = _round(pk)
    rows = evaluation_rows(evaluation)
    programme = evaluation.programme
    title = f"Hyötytavoitteiden arviointi – {programme.short_name or programme.name} {evaluation}"
    name = f"arviointi-{programme.code}-{evaluation.start:%Y-%m}-v{evaluation.revision}.xlsx"
    return _xlsx(evaluation_workbook(title, evaluation_sheet_rows(evaluation, rows)), name)


def evaluation_innokyla(request, pk):
    """Innokylä-ready text of every operating model in the round, to copy or download (Innokylä has no write API)."""
    evaluation = _round(pk)
    texts = innokyla_texts(evaluation, evaluation_rows(evaluation))
    if request.GET.get("muoto") == "txt":
        body = "\n\n".join(text for _node, text in texts)
        response = HttpResponse(body, content_type="text/plain; charset=utf-8")
        name = f"innokyla-{evaluation.programme.code}-{evaluation.start:%Y-%m}-v{evaluation.revision}.txt"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "reports/evaluation_innokyla.html", {"round": evaluation, "texts": texts})


def _rrf_programme(programme_pk):
    programme = get_object_or_404(Node.objects.programmes().active(), pk=programme_pk)
    if not is_rrf(programme):
        raise Http404
    return programme


def rrf(request, programme_pk):
    """An RRF programme's milestones and targets with their evidence, and its declarations."""
    programme = _rrf_programme(programme_pk)
    may_manage = request.user.has_perm("reports.manage_rrf")
    declarations = RrfDeclaration.objects.filter(programme=programme).select_related("made_by__person")
    targets = rrf_target_rows(programme)
    periods = open_periods(programme) if may_manage else []
    for target in targets:
        target.evidence_form = RrfEvidenceForm(auto_id=f"id_%s_{target.pk}")
        target.series = progress_series(target.progress_entries.all())
        target.corrected = len(target.progress_entries.all()) - len(target.series)
        if periods:
            target.progress_form = RrfProgressForm(
                periods=periods, auto_id=f"id_progress_%s_{target.pk}", initial={"status": target.status}
            )
    return render(
        request,
        "reports/rrf.html",
        {
            "programme": programme,
            "targets": targets,
            "declarations": declarations,
            "may_manage": may_manage,
            "may_request": request.user.has_perm("reports.request_reports"),
            "declaration_form": RrfDeclarationForm(initial={"date": timezone.localdate()}),
            "warnings": declaration_warnings([programme]),
            "retain_until": rrf_retain_until(),
        },
    )


def rrf_target(request, pk):
    """The office edits a milestone or target: its national plan number, values, status and progress."""
    target = get_object_or_404(RrfTarget.objects.select_related("programme"), pk=pk)
    if not request.user.has_perm("reports.manage_rrf"):
        raise PermissionDenied
    form = RrfTargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        try:
            tracked_save(obj=target, values=model_values(form), version=form.cleaned_data["version"], user=request.user)
        except StaleEdit:
            messages.error(request, _("Joku muu tallensi tavoitteen sillä välin. Tarkista ja tallenna uudelleen."))
        else:
            messages.success(request, _("Tavoite tallennettu."))
            return redirect("reports:rrf", programme_pk=target.programme_id)
    return render(request, "reports/rrf_target.html", {"target": target, "form": form})


@require_POST
def rrf_progress_create(request, pk):
    """The office records a target's progress in an open period of its programme."""
    target = get_object_or_404(RrfTarget.objects.select_related("programme"), pk=pk)
    if not request.user.has_perm("reports.manage_rrf"):
        raise PermissionDenied
    form = RrfProgressForm(request.POST, periods=open_periods(target.programme))
    if form.is_valid():
        try:
            entry = rrf_progress_record(target=target, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Eteneminen kaudelta {period} kirjattu.").format(period=entry.period))
    else:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return redirect(reverse("reports:rrf", args=[target.programme_id]) + f"#tavoite-{target.pk}")


@require_POST
def rrf_evidence_create(request, pk):
    target = get_object_or_404(RrfTarget, pk=pk)
    if not request.user.has_perm("reports.manage_rrf"):
        raise PermissionDenied
    if request_size(request) > EVIDENCE_MAX_BYTES + 64 * 1024:
        # Refused from its Content-Length, before Django reads the body.
        messages.error(request, _("Tiedosto on yli 20 Mt."))
        return redirect(reverse("reports:rrf", args=[target.programme_id]) + f"#tavoite-{target.pk}")
    form = RrfEvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        rrf_evidence_add(
            target=target, description=data["description"], user=request.user, upload=data["file"], link=data["link"]
        )
        messages.success(request, _("Näyttö lisätty."))
    else:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return redirect(reverse("reports:rrf", args=[target.programme_id]) + f"#tavoite-{target.pk}")


def rrf_evidence_file(request, pk):
    evidence = get_object_or_404(RrfEvidence.objects.visible_to(request.user), pk=pk)
    if not evidence.file:
        raise Http404
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.file_name)


@require_POST
def rrf_evidence_decide(request, pk):
    evidence = get_object_or_404(RrfEvidence.objects.select_related("target"), pk=pk)
    if not request.user.has_perm("reports.manage_rrf"):
        raise PermissionDenied
    status = request.POST.get("status")
    if status not in (RrfEvidence.Status.APPROVED, RrfEvidence.Status.REJECTED):
        messages.error(request, _("Valitse hyväksy tai hylkää."))
    else:
        try:
            rrf_evidence_review(evidence=evidence, status=status, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Näyttö tarkastettu."))
    return redirect(reverse("reports:rrf", args=[evidence.target.programme_id]) + f"#tavoite-{evidence.target_id}")


@require_POST
def rrf_declaration_create(request, programme_pk):
    programme = _rrf_programme(programme_pk)
    if not request.user.has_perm("reports.manage_rrf"):
        raise PermissionDenied
    form = RrfDeclarationForm(request.POST)
    if form.is_valid():
        declaration = rrf_declaration_make(programme=programme, user=request.user, **form.cleaned_data)
        messages.success(request, _("Ilmoitus {declaration} kirjattu.").format(declaration=declaration))
    else:
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    return redirect(reverse("reports:rrf", args=[programme.pk]) + "#ilmoitukset")


def rrf_pack(request, programme_pk):
    """The RRF evidence pack: every milestone and target with its status and evidence list, as a workbook."""
    programme = _rrf_programme(programme_pk)
    title = f"RRF-todistepaketti – {programme.short_name or programme.name}"
    name = f"rrf-todisteet-{programme.code}-{timezone.localdate():%Y-%m-%d}.xlsx"
    # The workbook alone; the zipped pack with the files is an export in the archive.
    return _xlsx(rrf_pack_workbook(title, *rrf_pack_rows(programme)), name)
