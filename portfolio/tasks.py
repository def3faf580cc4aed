from celery import shared_task

from .accounts import usage_log_expire as expire


@shared_task
def usage_log_expire():
    """Daily: the log of use keeps USAGE_LOG_DAYS days."""
    return expire()
