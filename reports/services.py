import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .exporters.xlsx import measures_workbook
from .models import Export
from .selectors import measure_rows


@transaction.atomic
def export_request(*, programme, kind, user):
    """Queue an export; the task is sent only once the row is committed."""
    from .tasks import generate_export

    export = Export.objects.create(programme=programme, kind=kind, requested_by=user)
    transaction.on_commit(lambda: generate_export.delay(export.pk))
    return export


def export_generate(export_id):
    """Make the export's file. Safe to run twice: only the run that claims the row does the work."""
    # A row left "running" longer than the task time limit belongs to a worker that died.
    stale = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimed = Export.objects.filter(
        Q(status=Export.Status.QUEUED) | Q(status=Export.Status.RUNNING, started_at__lt=stale), pk=export_id
    ).update(status=Export.Status.RUNNING, started_at=timezone.now(), progress=10)
    if not claimed:
        return False
    export = Export.objects.select_related("programme").get(pk=export_id)
    try:
        rows = measure_rows(export.programme)
        Export.objects.filter(pk=export_id).update(progress=50)
        title = f"Toimenpideluettelo – {export.programme.short_name or export.programme.name}"
        content = measures_workbook(title, rows)
    except Exception as error:
        Export.objects.filter(pk=export_id).update(
            status=Export.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
        raise
    filename = f"toimenpiteet-{export.programme.code}-{timezone.localdate():%Y-%m-%d}-{export.pk}.xlsx"
    export.file.save(filename, ContentFile(content), save=False)
    export.sha256 = hashlib.sha256(content).hexdigest()
    export.status = Export.Status.DONE
    export.progress = 100
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "sha256", "status", "progress", "finished_at"])
    return True
