from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portfolio.models import Node
from portfolio.permissions import can_request_reports

from .filters import ExportFilter
from .forms import ExportRequestForm
from .models import Export
from .services import export_request


@require_POST
def export_create(request, programme_pk):
    programme = get_object_or_404(Node.objects.programmes().active(), pk=programme_pk)
    export = export_request(programme=programme, kind=Export.Kind.MEASURES_XLSX, user=request.user)
    messages.info(request, _("Vienti on pyydetty. Tiedosto on ladattavissa, kun se on valmis."))
    return redirect(export)


def export_detail(request, pk):
    export = get_object_or_404(
        Export.objects.visible_to(request.user).select_related("programme", "period", "node", "requested_by"), pk=pk
    )
    template = "reports/_export_status.html" if request.htmx else "reports/export_detail.html"
    return render(request, template, {"export": export})


def export_download(request, pk):
    export = get_object_or_404(Export.objects.visible_to(request.user).issued(), pk=pk)
    if not export.file:
        raise Http404
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1])


def programme_reports(request, programme_pk):
    """A programme's reports and exports: ask for one, and see what has been issued."""
    programme = get_object_or_404(Node.objects.programmes().active(), pk=programme_pk)
    may_request = can_request_reports(request.user)
    form = ExportRequestForm(request.POST or None, programme=programme)
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
            )
            messages.info(request, _("Raportti on pyydetty. Tiedosto on ladattavissa, kun se on valmis."))
            return redirect(export)
    exports = (
        Export.objects.visible_to(request.user)
        .filter(programme=programme)
        .select_related("period", "node", "requested_by")[:50]
    )
    context = {"programme": programme, "form": form, "exports": exports, "may_request": may_request}
    return render(request, "reports/programme_reports.html", context, status=400 if form.errors else 200)


def archive(request):
    """Every generated report and export, filtered by programme, kind, period and state."""
    exports = Export.objects.visible_to(request.user).select_related("programme", "period", "node", "requested_by")
    filterset = ExportFilter(request.GET, queryset=exports)
    rows = filterset.qs[:500] if filterset.is_valid() else exports.none()
    return render(request, "reports/archive.html", {"filter": filterset, "exports": rows})
