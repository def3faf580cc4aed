from celery import shared_task
from django.conf import settings

from . import workflow
from .archive import export_fail, export_generate, exports_requeue, monthly_reports_issue, report_deliver
from .plan_import import plan_upload_run, plan_uploads_requeue


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
    """Beat: the monthly report of every closed period that has none."""
    return {"requested": [export.pk for export in monthly_reports_issue()]}


@shared_task
def requeue_lost_jobs():
    """Beat, every minute: another try for exports and background imports whose task was lost or whose worker died."""
    from budgets.services import ledger_uploads_requeue

    return {
        "exports": exports_requeue(),
        "ledger_uploads": ledger_uploads_requeue(),
        "plan_uploads": plan_uploads_requeue(),
    }


@shared_task
def reporting_cycle():
    return workflow.reporting_cycle()


@shared_task
def deliver_report(export_id):
    return report_deliver(export_id)


@shared_task(bind=True, acks_late=True)
def run_plan_upload(self, upload_id):
    return plan_upload_run(upload_id, claim=self.request.id or "")
