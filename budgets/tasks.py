from celery import shared_task

from .services import ledger_upload_run


@shared_task(bind=True, acks_late=True)
def import_ledger_upload(self, upload_id):
    return ledger_upload_run(upload_id, claim=self.request.id or "")
