"""The project office's pages for the portfolio workbook: the blank template, a programme's workbook, and an
import sent, checked by a worker, previewed and confirmed."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from popsote.broker import BrokerUnavailable
from portfolio.models import Node

from . import plan_workbook as wb
from .models import PlanUpload
from .plan_import import NotPending, blank_workbook, plan_upload_queue, programme_workbook
from .plan_import import plan_upload_confirm as confirm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM_OVERHEAD = 64 * 2**10  # a multipart body's other fields and boundaries around the file
SHOWN = 300  # entries of a preview listed on the page; the rest are counted


def _may_import(request):
    if not request.user.has_perm("reports.import_plans"):
        raise PermissionDenied


def _download(content, name):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


class PlanFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Suunnitelmatyökirja (xlsx)"))


def request_size(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def plan_upload_create(request):
    """Send a workbook: its size is checked before it is read, then a worker checks every cell."""
    _may_import(request)
    errors, status = [], 200
    form = PlanFileForm()
    if request.method == "POST":
        try:
            wb.size_check(request_size(request) - FORM_OVERHEAD)
            form = PlanFileForm(request.POST, request.FILES)
            if form.is_valid():
                return redirect(plan_upload_queue(file=form.cleaned_data["file"], user=request.user))
            status = 400
        except wb.WorkbookRejected as rejected:
            errors, status = rejected.errors, 413
        except BrokerUnavailable:
            errors, status = (
                [("", "", "", _("Taustatöiden jono ei vastaa juuri nyt. Yritä hetken päästä uudelleen."))],
                503,
            )
    context = {
        "form": form,
        "errors": errors,
        "programmes": Node.objects.programmes().active().order_by("code"),
        "uploads": PlanUpload.objects.filter(uploaded_by=request.user).select_related("programme")[:10],
    }
    return render(request, "reports/plan_upload_create.html", context, status=status)


def plan_template(request):
    _may_import(request)
    return _download(blank_workbook(), "salkku-suunnitelmapohja.xlsx")


def plan_export(request, programme_pk):
    _may_import(request)
    programme = get_object_or_404(Node.objects.programmes(), pk=programme_pk)
    return _download(programme_workbook(programme), f"suunnitelma-{programme.code}.xlsx")


def plan_upload(request, pk):
    """An upload: the progress of its check or import, then its preview to confirm, the rows to fix, or done."""
    _may_import(request)
    upload = get_object_or_404(PlanUpload.objects.select_related("programme"), pk=pk)
    preview = upload.preview if upload.status == PlanUpload.Status.PREVIEW else {}
    entries = preview.get("entries", [])
    context = {
        "upload": upload,
        "preview": preview,
        "entries": entries[:SHOWN],
        "entries_more": max(0, len(entries) - SHOWN),
    }
    template = "reports/_plan_upload_status.html" if request.htmx else "reports/plan_upload.html"
    return render(request, template, context)


@require_POST
def plan_upload_confirm(request, pk):
    _may_import(request)
    upload = get_object_or_404(PlanUpload, pk=pk)
    names = {item["name"] for item in upload.preview.get("similar_persons", [])}
    merges = [name for name in request.POST.getlist("merge") if name in names]
    try:
        confirm(upload=upload, merges=merges)
    except NotPending:
        pass
    except BrokerUnavailable:
        return HttpResponse(_("Taustatöiden jono ei vastaa juuri nyt. Yritä hetken päästä uudelleen."), status=503)
    return redirect(upload)
