"""Sending work to Celery without letting a broker fault hang or half-do a request."""

from celery import current_app


class BrokerUnavailable(Exception):
    """The task queue (Redis) did not answer in time: nothing was queued."""


def send(task, *args):
    """Queue ``task(*args)`` at once, or raise BrokerUnavailable (no retries: the caller answers 503).

    The broker's connect and send timeouts are short (settings ``CELERY_BROKER_*``), so a Redis that
    is down or does not answer costs a request a few seconds, not gunicorn's whole timeout.
    """
    if current_app.conf.task_always_eager:
        return task.apply_async(args)  # in-process: the task's own errors are not the broker's
    from kombu.exceptions import OperationalError

    try:
        return task.apply_async(args, retry=False)
    except (OperationalError, OSError) as error:
        raise BrokerUnavailable(str(error)) from error
