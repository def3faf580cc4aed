"""The report archive: reports and exports asked for, made by a Celery task, issued once and kept."""

import hashlib
import tempfile
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile, File
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from budgets.selectors import WRITTEN, form_header, governing_decision
from popsote.broker import BrokerUnavailable, heartbeat, send
from popsote.county import county
from portfolio.models import Node
from portfolio.permissions import Role

from . import report_data
from .exporters.pdf import monthly_report_pdf
from .exporters.xlsx import costs_workbook, hankesalkku_workbook, indicators_workbook, measures_workbook
from .models import (
    Delivery,
    Export,
    ExportNote,
    ReportingPeriod,
    rrf_retain_until,
)
from .rrf import is_rrf, rrf_pack_zip
from .selectors import latest_approved_updates, measure_rows

FILE_NAMES = {
    Export.Kind.MONTHLY_PDF: ("kuukausiraportti", "pdf"),
    Export.Kind.HANKESALKKU_XLSX: ("hankesalkku", "xlsx"),
    Export.Kind.COSTS_XLSX: ("kustannusarvio", "xlsx"),
    Export.Kind.MEASURES_XLSX: ("toimenpiteet", "xlsx"),
    Export.Kind.INDICATORS_XLSX: ("indikaattorit", "xlsx"),
    Export.Kind.RRF_PACK_ZIP: ("rrf-todistepaketti", "zip"),
}


class ExportRefused(ValueError):
    """A report that cannot be made as asked (a monthly report without a period, a node of another programme)."""


@transaction.atomic
def export_request(*, programme, kind, user, period=None, node=None, attention_first=False):
    """Queue a report or an export; the task is sent only once the row is committed.

    ``user`` is None for the scheduled monthly report. Who may ask: ``reports.request_reports`` in the rules table.
    ``attention_first`` puts the yellow and red sub-projects of a monthly report first within each level.
    """
    if kind in Export.PERIOD_KINDS and period is None:
        raise ExportRefused(_("Valitse raportointikausi."))
    if period is not None and period.programme_id != programme.pk:
        raise ExportRefused(_("Kausi ei kuulu tähän hankkeeseen."))
    if node is not None and (node.programme_id != programme.pk or node.is_programme):
        raise ExportRefused(_("Osahanke ei kuulu tähän hankkeeseen."))
    if kind == Export.Kind.RRF_PACK_ZIP and not is_rrf(programme):
        raise ExportRefused(_("RRF-todistepaketti tehdään vain RRF-rahoitetulle hankkeelle."))
    export = Export.objects.create(
        programme=programme,
        kind=kind,
        period=period,
        node=node,
        requested_by=user,
        attention_first=attention_first and kind == Export.Kind.MONTHLY_PDF,
    )
    transaction.on_commit(partial(_send, export.pk))
    return export


def _send(export_id):
    try:
        send("reports.tasks.generate_export", export_id)
    except BrokerUnavailable:
        # Nothing will make it: take the request back, so that the user's next try is the only one
        # (and a closed period's report is asked for again by beat).
        Export.objects.filter(pk=export_id, status=Export.Status.QUEUED).delete()
        raise


def _lost():
    """Running exports whose worker died: its heartbeat stopped (or, from before heartbeats, the time limit passed)."""
    now = timezone.now()
    return Q(status=Export.Status.RUNNING) & (
        Q(heartbeat_at__lt=now - timedelta(seconds=settings.JOB_LOST_AFTER))
        | Q(heartbeat_at__isnull=True, started_at__lt=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT))
    )


def export_generate(export_id, *, claim=""):
    """Make the export's file and issue it. Safe to run twice: only the run that claims the row works.

    ``claim`` is the Celery task id: a message redelivered after its worker died carries the same id,
    so it may take over its own earlier run's row at once instead of waiting for it to go stale.
    """
    claimable = Q(status=Export.Status.QUEUED) | _lost()
    if claim:
        claimable |= Q(status=Export.Status.RUNNING, claimed_by=claim)
    now = timezone.now()
    claimed = Export.objects.filter(claimable, pk=export_id).update(
        status=Export.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        claimed_by=claim,
        attempts=F("attempts") + 1,
        progress=5,
    )
    if not claimed:
        return False
    export = Export.objects.select_related("programme", "period", "node").get(pk=export_id)
    mine = Export.objects.filter(pk=export_id, status=Export.Status.RUNNING, claimed_by=claim)
    try:
        with heartbeat(lambda: mine.update(heartbeat_at=timezone.now())):
            content, state = _build(export)
    except Exception as error:
        # Back in the queue for the task's retry; the task marks it failed when retries run out.
        Export.objects.filter(pk=export_id, status=Export.Status.RUNNING, claimed_by=claim).update(
            status=Export.Status.QUEUED, error=str(error)[:2000], progress=0, started_at=None
        )
        raise
    try:
        return _issue(export, content, state)
    finally:
        if not isinstance(content, bytes):
            content.close()


def export_fail(export_id, error):
    Export.objects.filter(pk=export_id).exclude(status=Export.Status.DONE).update(
        status=Export.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
    )


def _progress(export_id, percent):
    Export.objects.filter(pk=export_id, status=Export.Status.RUNNING).update(progress=percent)


@transaction.atomic
def _issue(export, content, state):
    """Store the file under the next version number; the file is written once and never again."""
    # Versions of one programme's files are numbered one issue at a time.
    Node.objects.select_for_update().only("pk").get(pk=export.programme_id)
    same = Export.objects.issued().filter(
        programme=export.programme_id, period=export.period_id, kind=export.kind, node=export.node_id
    )
    version = (same.aggregate(last=Max("version"))["last"] or 0) + 1
    prefix, extension = FILE_NAMES[export.kind]
    parts = [prefix, export.programme.code]
    if export.node_id:
        parts.append(export.node.code)
    parts.append(f"{export.period.month:%Y-%m}" if export.period_id else f"{timezone.localdate():%Y-%m-%d}")
    name = "-".join(parts) + f"-v{version}.{extension}"
    # A zipped evidence pack comes as a file on disk, hashed and stored a chunk at a time; the rest as bytes.
    stored = ContentFile(content) if isinstance(content, bytes) else File(content)
    digest = hashlib.sha256()
    for chunk in stored.chunks():
        digest.update(chunk)
    export.file.save(name, stored, save=False)
    issued = Export.objects.filter(pk=export.pk, status=Export.Status.RUNNING, claimed_by=export.claimed_by).update(
        status=Export.Status.DONE,
        version=version,
        file=export.file.name,
        sha256=digest.hexdigest(),
        data_state=state,
        progress=100,
        error="",
        finished_at=timezone.now(),
        # An RRF programme's records are kept unchanged until their retention date.
        retain_until=rrf_retain_until() if is_rrf(export.programme) else None,
    )
    if not issued:
        # Another run took the row over meanwhile (this one was thought dead): it issues the file.
        export.file.delete(save=False)
        return False
    if export.kind == Export.Kind.MONTHLY_PDF and export.node_id is None:
        transaction.on_commit(partial(send, "reports.tasks.deliver_report", export.pk))
    return True


def _build(export):
    """(file content, data state) of an export."""
    programme, period = export.programme, export.period
    until = period.last_day if period else timezone.localdate()
    if export.kind == Export.Kind.MONTHLY_PDF:
        report = report_data.monthly_report_rows(period, export.node, attention_first=export.attention_first)
        _progress(export.pk, 20)
        # The archive keeps the PDF/A variant, which is tagged and declares PDF/UA as well.
        return monthly_report_pdf(report, archive=True), report["data_state"]
    if export.kind == Export.Kind.HANKESALKKU_XLSX:
        rows, state = report_data.hankesalkku_rows(period)
        title = f"Hankesalkku – {programme.short_name or programme.name} {period}"
        return hankesalkku_workbook(title, rows), state
    if export.kind == Export.Kind.COSTS_XLSX:
        return costs_xlsx(export.node or programme, until), {}
    if export.kind == Export.Kind.MEASURES_XLSX:
        rows = measure_rows(programme, period)
        title = f"Toimenpideluettelo – {programme.short_name or programme.name}"
        state = report_data.data_state(latest_approved_updates(period)) if period else {}
        return measures_workbook(title, rows), state
    if export.kind == Export.Kind.INDICATORS_XLSX:
        indicators, targets, measurements = report_data.indicator_rows(programme, until)
        title = f"Indikaattorit – {programme.short_name or programme.name}"
        return indicators_workbook(title, indicators, targets, measurements), {}
    if export.kind == Export.Kind.RRF_PACK_ZIP:
        return rrf_pack_zip(programme, tempfile.TemporaryFile()), {}
    raise ExportRefused(export.kind)


def costs_xlsx(node, until):
    """The STM cost breakdown workbook of a programme or a sub-project: plan, actual and funding."""
    years, plan_rows, actual_rows, figures = report_data.cost_tables(node, until)
    programme = node.programme
    decision = governing_decision(programme)
    total = figures.total(until=until)
    written = figures.plan_source == WRITTEN
    summary = [
        ("Suunnitelma (kirjattu kokonaisbudjetti)" if written else "Suunnitelma (kustannuslajeista)", total.plan, None),
        ("Toteuma", total.actual, None),
        ("Jäljellä", total.remaining, None),
        ("Käyttöaste", total.utilisation / 100 if total.utilisation is not None else None, "0.0 %"),
    ]
    funding = []
    if decision:
        funding.append(("Myönnetty valtionavustus", decision.amount, None))
        split = figures.split(decision)
        if split:
            funding += [
                ("Avustusprosentti", decision.grant_rate / 100, "0.00 %"),
                ("Valtionavustus (suunnitelman kuluista)", split[0], None),
                ("Omarahoitus (suunnitelman kuluista)", split[1], None),
            ]
    header = form_header(
        node,
        "Kustannusarvio ja toteuma",
        figures.plan_version.name if figures.plan_version else "",
        ("Toteuma päivään", until),
    )
    return costs_workbook(header, years, plan_rows, actual_rows, summary, funding)


def exports_using_costs(programme_id, first_month, since):
    """The monthly reports and cost workbooks made since ``since`` that show the costs of ``first_month`` on."""
    return list(
        Export.objects.filter(
            Q(period__isnull=True) | Q(period__month__gte=first_month),
            programme_id=programme_id,
            status=Export.Status.DONE,
            kind__in=[Export.Kind.MONTHLY_PDF, Export.Kind.COSTS_XLSX],
            finished_at__gte=since,
        ).select_related("programme", "node", "period")
    )


def exports_changed(exports, note):
    """The archive entries of ``exports`` say what changed in their figures; the entries and files stay as issued."""
    ExportNote.objects.bulk_create(ExportNote(export=export, text=note) for export in exports)


def _has_monthly_report(period):
    return Export.objects.filter(
        period=period,
        kind=Export.Kind.MONTHLY_PDF,
        node__isnull=True,
        status__in=[Export.Status.QUEUED, Export.Status.RUNNING, Export.Status.DONE],
    )


@transaction.atomic
def monthly_report_issue(*, period):
    """Request the monthly report of a closed period unless it has one (issued or on its way)."""
    period = ReportingPeriod.objects.select_for_update().select_related("programme").get(pk=period.pk)
    if period.status != ReportingPeriod.Status.CLOSED or _has_monthly_report(period).exists():
        return None
    return export_request(programme=period.programme, kind=Export.Kind.MONTHLY_PDF, user=None, period=period)


def monthly_reports_issue():
    """Request the monthly report of every closed period that has none yet; run by Celery beat.

    ``period_close`` asks for the report itself; this catches a period whose request was lost.
    Running it twice requests nothing twice.
    """
    periods = ReportingPeriod.objects.filter(status=ReportingPeriod.Status.CLOSED).exclude(
        Exists(_has_monthly_report(OuterRef("pk")))
    )
    return [export for period in periods if (export := monthly_report_issue(period=period))]


def exports_requeue():
    """Send again the exports whose task was lost: queued for long, or whose worker died."""
    lost = list(
        Export.objects.filter(
            Q(status=Export.Status.QUEUED, created_at__lt=timezone.now() - timedelta(minutes=10)) | _lost()
        ).values_list("pk", flat=True)
    )
    for pk in lost:
        send("reports.tasks.generate_export", pk)
    return lost


def steering_group():
    """(address, user or None) of everyone who gets the monthly report: the STEERING_GROUP_EMAILS setting,
    or the active members of the steering group's account group who have an address."""
    users = get_user_model().objects.filter(is_active=True)
    if settings.STEERING_GROUP_EMAILS:
        known = {user.email.lower(): user for user in users.filter(email__in=settings.STEERING_GROUP_EMAILS)}
        return [(email, known.get(email.lower())) for email in settings.STEERING_GROUP_EMAILS]
    members = users.filter(groups__name=Role.STEERING).exclude(email="").distinct().order_by("email")
    return [(user.email, user) for user in members]


def report_deliver(export_id):
    """E-mail the steering group a link to an issued monthly report in the archive (never the file).

    One e-mail per report and address: running it again sends only to those not sent to yet.
    """
    export = Export.objects.issued().select_related("programme", "period").get(pk=export_id)
    link = settings.SITE_URL + export.get_absolute_url()
    sent = []
    for email, user in steering_group():
        _delivery, created = Delivery.objects.get_or_create(export=export, email=email, defaults={"user": user})
        if not created:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string("reports/report_email.txt", {"export": export, "link": link, **county(None)})
            subject = _("Kuukausiraportti {programme} {period}, versio {version}").format(
                programme=export.programme.short_name or export.programme.name,
                period=export.period,
                version=export.version,
            )
        send_mail(subject, body, None, [email])
        sent.append(email)
    return sent


def deliveries_by_member(export):
    """For the archive entry: each address the steering group's e-mails went to for the same report
    (programme, period, kind, node), with the newest version sent there and when."""
    rows = (
        Delivery.objects.filter(
            export__programme=export.programme_id,
            export__period=export.period_id,
            export__kind=export.kind,
            export__node=export.node_id,
        )
        .select_related("export", "user__person")
        .order_by("email", "-export__version")
    )
    latest = {}
    for delivery in rows:
        latest.setdefault(delivery.email, delivery)
    return list(latest.values())
