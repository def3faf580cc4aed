from celery import shared_task

from .services import export_generate


@shared_task(acks_late=True, max_retries=3)
def generate_export(export_id):
    return export_generate(export_id)
