from celery import shared_task
from django.conf import settings

from . import workflow
from .archive import export_fail, export_generate, exports_requeue, monthly_reports_issue


@shared_task(bind=True, acks_late=True, max_retries=3)
def generate_export(self, export_id):
    try:
        return export_generate(export_id, claim=self.request.id or "")
    except Exception as error:
        if self.request.retries >= self.max_retries:
            export_fail(export_id, error)
            raise
        raise self.retry(exc=error, countdown=settings.EXPORT_RETRY_DELAY * (self.request.retries + 1)) from error


@shared_task
def issue_monthly_reports():
    """Beat: the monthly report of every closed period, and another try for exports whose task was lost."""
    made = monthly_reports_issue()
    return {"requested": [export.pk for export in made], "requeued": exports_requeue()}


@shared_task
def reporting_cycle():
    return workflow.reporting_cycle()
