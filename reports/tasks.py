from celery import shared_task

from . import services
from .services import export_generate


@shared_task(acks_late=True, max_retries=3)
def generate_export(export_id):
    return export_generate(export_id)


@shared_task
def reporting_cycle():
    return services.reporting_cycle()
