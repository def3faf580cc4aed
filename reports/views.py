from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portfolio.models import Node

from .models import Export
from .services import export_request


@require_POST
def export_create(request, programme_pk):
    programme = get_object_or_404(Node.objects.programmes().active(), pk=programme_pk)
    export = export_request(programme=programme, kind=Export.Kind.MEASURES_XLSX, user=request.user)
    messages.info(request, _("Vienti on pyydetty. Tiedosto on ladattavissa, kun se on valmis."))
    return redirect(export)


def export_detail(request, pk):
    export = get_object_or_404(Export.objects.select_related("programme", "requested_by"), pk=pk)
    template = "reports/_export_status.html" if request.htmx else "reports/export_detail.html"
    return render(request, template, {"export": export})


def export_download(request, pk):
    export = get_object_or_404(Export, pk=pk, status=Export.Status.DONE)
    if not export.file:
        raise Http404
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.file.name.rsplit("/", 1)[-1])
