"""Sending work to Celery without letting a broker fault hang or half-do a request."""

import threading
from contextlib import contextmanager

from celery import current_app, signature
from django.conf import settings
from django.db import connections


class BrokerUnavailable(Exception):
    """The task queue (Redis) did not answer in time: nothing was queued."""


def send(task, *args):
    """Queue the task named ``task`` with ``args`` at once, or raise BrokerUnavailable (no retries: the
    caller answers 503). By name, so that services need not import the tasks that call them.

    The broker's connect and send timeouts are short (settings ``CELERY_BROKER_*``), so a Redis that
    is down or does not answer costs a request a few seconds, not gunicorn's whole timeout.
    """
    message = signature(task, args=args)
    if current_app.conf.task_always_eager:
        return message.apply_async()  # in-process: the task's own errors are not the broker's
    from kombu.exceptions import OperationalError

    try:
        return message.apply_async(retry=False)
    except (OperationalError, OSError) as error:
        raise BrokerUnavailable(str(error)) from error


@contextmanager
def heartbeat(beat):
    """Call ``beat()`` every JOB_HEARTBEAT seconds from a thread while the block runs.

    A job's row shows that its worker is alive; when the heartbeat stops (the whole worker was
    killed), beat sends the job again after JOB_LOST_AFTER seconds instead of after the time limit.
    """
    stop = threading.Event()

    def run():
        try:
            while not stop.wait(settings.JOB_HEARTBEAT):
                beat()
        finally:
            connections.close_all()  # the thread's own connection

    thread = threading.Thread(target=run, name="heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
