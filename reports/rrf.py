"""What the State Treasury asks of an RRF programme: its milestones and targets with evidence, the declarations
(DNSH, double funding, final recipients and contractors), and the evidence pack; all kept until their retention date."""

import hashlib
import zipfile
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from indicators.models import Indicator, IndicatorTarget, Measurement, quarter_end
from popsote.numbers import format_quantity
from portfolio.models import FundingDecision, Node
from portfolio.services import tracked_update

from .exporters.xlsx import rrf_pack_workbook
from .models import ReportingPeriod, RrfDeclaration, RrfEvidence, RrfProgress, RrfTarget, rrf_retain_until


class RrfError(ValidationError):
    """An RRF write that is not allowed; the message says why."""


EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def is_rrf(programme):
    return FundingDecision.objects.active().rrf().filter(programme=programme).exists()


def rrf_programmes():
    return Node.objects.programmes().filter(pk__in=FundingDecision.objects.active().rrf().values("programme"))


def _target_values(indicator):
    """Baseline, target value and date of a national indicator as its plan writes them; empty where it gives none."""
    targets = [target for target in indicator.targets.all() if not target.is_interim] or list(indicator.targets.all())
    final = targets[-1] if targets else None
    baseline = format_quantity(indicator.baseline, indicator.unit) if indicator.baseline is not None else ""
    if final is None:
        return baseline, "", None
    value = format_quantity(final.value, indicator.unit) if final.value is not None else final.text
    return baseline, value, quarter_end(final.year, final.quarter)


@transaction.atomic
def rrf_targets_derive(programme):
    """Make the programme's RRF targets from the national indicators of its plan (one each, once); the
    national plan's number is not in the plan and stays empty for the office to fill."""
    indicators = (
        Indicator.objects.filter(node__programme=programme, national=True, archived_at__isnull=True, rrf_target=None)
        .select_related("node")
        .prefetch_related("targets")
        .order_by("node__position", "node_id", "position", "pk")
    )
    made = []
    for indicator in indicators:
        baseline, value, due = _target_values(indicator)
        made.append(
            RrfTarget.objects.create(
                programme=programme,
                kind=RrfTarget.Kind.TARGET,
                description=indicator.text or indicator.name,
                indicator=indicator,
                baseline=baseline,
                target_value=value,
                target_date=due,
            )
        )
    return made


def rrf_target_rows(programme):
    """The programme's milestones and targets with their indicator's measurements, interim targets and evidence."""
    return list(
        RrfTarget.objects.filter(programme=programme)
        .select_related("indicator__node")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=RrfEvidence.objects.select_related("uploaded_by__person", "reviewed_by__person"),
            ),
            Prefetch("indicator__targets", queryset=IndicatorTarget.objects.all()),
            Prefetch("indicator__measurements", queryset=Measurement.objects.counted().order_by("month", "pk")),
            Prefetch(
                "progress_entries",
                queryset=RrfProgress.objects.select_related("period", "entered_by__person").order_by(
                    "period__month", "version"
                ),
            ),
        )
    )


@transaction.atomic
def rrf_evidence_add(*, target, description, user, upload=None, link=""):
    """Evidence for a milestone or target: a document (in the archive, with its SHA-256) or a link."""
    if upload is None and not link:
        raise RrfError({"file": _("Lisää tiedosto tai linkki.")}, code="required")
    evidence = RrfEvidence(target=target, description=description, link=link, uploaded_by=user)
    evidence.retain_until = rrf_retain_until()
    if upload is not None:
        if upload.size > EVIDENCE_MAX_BYTES:
            raise RrfError({"file": _("Tiedosto on yli 20 Mt.")}, code="too_large")
        digest = hashlib.sha256()
        content = b"".join(upload.chunks())
        digest.update(content)
        evidence.sha256, evidence.size = digest.hexdigest(), len(content)
        evidence.file_name = upload.name[:200]
        evidence.file.save(upload.name[-100:], ContentFile(content), save=False)
    evidence._history_user = user
    evidence.save()
    return evidence


@transaction.atomic
def rrf_evidence_review(*, evidence, status, user):
    """The project office approves or rejects evidence, once."""
    current = RrfEvidence.objects.select_for_update().get(pk=evidence.pk)
    if current.status != RrfEvidence.Status.PENDING:
        raise RrfError(_("Näyttö on jo tarkastettu."), code="reviewed")
    current.status, current.reviewed_by, current.reviewed_at = status, user, timezone.now()
    current._history_user = user
    current.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return current


@transaction.atomic
def rrf_progress_record(*, target, period, status, user, value="", text=""):
    """A target's progress in a reporting period of its programme, while the period is open; recorded again for
    the same period, it is the next version and the earlier ones stay as they were. The target's own status
    follows its latest period's."""
    if period.programme_id != target.programme_id:
        raise RrfError({"period": _("Kausi ei kuulu tämän tavoitteen hankkeeseen.")}, code="other_programme")
    # Under the period's row lock: a period closing meanwhile, or two entries at once, cannot slip past.
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not period.is_open:
        raise RrfError(
            _(
                "Kausi {period} on suljettu: sen eteneminen on raportoitu. Hanketoimisto voi avata kauden uudelleen."
            ).format(period=period),
            code="closed",
        )
    last = RrfProgress.objects.filter(target=target, period=period).aggregate(last=Max("version"))["last"] or 0
    entry = RrfProgress(
        target=target,
        period=period,
        version=last + 1,
        value=value,
        status=status,
        text=text,
        entered_by=user,
        retain_until=rrf_retain_until(),
    )
    entry._history_user = user
    entry.save()
    # The target's status is that of its latest period: a later period's entry is not overruled by an earlier one.
    later = RrfProgress.objects.filter(target=target, period__month__gt=period.month).exists()
    if not later and target.status != status:
        tracked_update(target, status=status, _user=user)
    return entry


def progress_series(entries):
    """The period's latest version of each period, oldest period first (``entries`` ordered as the model orders)."""
    latest = {}
    for entry in entries:
        latest[entry.period_id] = entry
    return list(latest.values())


def rrf_target_save(*, target, values, user):
    tracked_update(target, _user=user, **values)
    return target


@transaction.atomic
def rrf_declaration_make(*, programme, kind, user, date, text, other_funding="", recipients=()):
    """A new declaration of its kind: the next version; the earlier ones stay as they were."""
    last = RrfDeclaration.objects.filter(programme=programme, kind=kind).aggregate(last=Max("version"))["last"] or 0
    declaration = RrfDeclaration(
        programme=programme,
        kind=kind,
        version=last + 1,
        date=date,
        text=text,
        other_funding=other_funding,
        recipients=[{**row, "amount": str(row["amount"])} for row in recipients],
        made_by=user,
        retain_until=rrf_retain_until(),
    )
    declaration._history_user = user
    declaration.save()
    return declaration


def half_year_end(today):
    return date(today.year, 6, 30) if today.month <= 6 else date(today.year, 12, 31)


def declaration_warnings(programmes, today=None):
    """``[(programme, kind label, latest or None, reporting date)]``: a declaration missing, or made before the
    current half year began, before the half year's reporting date."""
    today = today or timezone.localdate()
    due = half_year_end(today)
    starts = date(today.year, 1, 1) if today.month <= 6 else date(today.year, 7, 1)
    latest = {}
    for declaration in RrfDeclaration.objects.filter(programme__in=programmes).order_by("version"):
        latest[declaration.programme_id, declaration.kind] = declaration
    warnings = []
    for programme in programmes:
        for kind, label in RrfDeclaration.Kind.choices:
            made = latest.get((programme.pk, kind))
            if made is None or made.date < starts:
                warnings.append((programme, label, made, due))
    return warnings


def retention_date():
    return settings.SALKKU_RRF_RETAIN_UNTIL


def _person(user):
    person = getattr(user, "person", None) if user else None
    return person.name if person else (user.get_full_name() or user.get_username()) if user else ""


def pack_path(evidence):
    """Where an evidence file lies in the zipped evidence pack; the pack's list of evidence names it."""
    return f"naytot/{get_valid_filename(f'{evidence.pk}-{evidence.file_name}')}" if evidence.file else ""


def rrf_pack_rows(programme):
    """(targets, progress, evidence) rows of the evidence pack: every milestone and target, its progress period
    by period (every version), and every piece of evidence with its place in the zipped pack."""
    targets, progress, evidence = [], [], []
    for target in rrf_target_rows(programme):
        indicator = target.indicator
        measured = list(indicator.measurements.all()) if indicator else []
        latest = measured[-1] if measured else None
        interim = [t for t in indicator.targets.all() if t.is_interim] if indicator else []
        label = target.number or target.description[:80]
        entries = list(target.progress_entries.all())
        series = progress_series(entries)
        targets.append(
            {
                "number": target.number,
                "kind": target.get_kind_display(),
                "description": target.description,
                "indicator": indicator.name if indicator else "",
                "baseline": target.baseline,
                "target_value": target.target_value,
                "target_date": target.target_date,
                "interim": ", ".join(
                    f"{format_quantity(t.value, indicator.unit) if t.value is not None else t.text} {t.deadline_label}"
                    for t in interim
                ),
                "latest": f"{format_quantity(latest.value, indicator.unit)} ({latest.month.month}/{latest.month.year})"
                if latest
                else "",
                "status": target.get_status_display(),
                "progress": target.progress,
                "reported": f"{series[-1].period}: {series[-1].value or series[-1].get_status_display()}"
                if series
                else "",
                "evidence": len(target.evidence.all()),
            }
        )
        current = {entry.pk for entry in series}
        for entry in entries:
            progress.append(
                {
                    "target": label,
                    "period": str(entry.period),
                    "version": entry.version,
                    "current": "kyllä" if entry.pk in current else "korjattu",
                    "value": entry.value,
                    "status": entry.get_status_display(),
                    "text": entry.text,
                    "entered_by": _person(entry.entered_by),
                    "entered_at": timezone.localtime(entry.entered_at).replace(tzinfo=None),
                }
            )
        for item in target.evidence.all():
            evidence.append(
                {
                    "target": label,
                    "description": item.description,
                    "file": item.file_name,
                    "in_pack": pack_path(item),
                    "sha256": item.sha256,
                    "link": item.link,
                    "uploaded_at": timezone.localtime(item.uploaded_at).replace(tzinfo=None),
                    "uploaded_by": _person(item.uploaded_by),
                    "status": item.get_status_display(),
                    "reviewed_by": _person(item.reviewed_by),
                    "retain_until": item.retain_until,
                }
            )
    return targets, progress, evidence


PACK_WORKBOOK = "rrf-todistepaketti.xlsx"
MANIFEST = "SHA256SUMS.txt"


def rrf_pack_zip(programme, out):
    """The evidence pack as a zip written to the file ``out``: the pack's workbook, every evidence file where the
    workbook's list of evidence says it is, and a manifest of each file's SHA-256 (as ``sha256sum -c`` reads it).
    Files are copied into the zip a chunk at a time, so memory does not grow with them."""
    title = f"RRF-todistepaketti – {programme.short_name or programme.name}"
    targets, progress, evidence = rrf_pack_rows(programme)
    sums = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as pack:
        workbook = rrf_pack_workbook(title, targets, progress, evidence)
        pack.writestr(PACK_WORKBOOK, workbook)
        sums.append((hashlib.sha256(workbook).hexdigest(), PACK_WORKBOOK))
        items = RrfEvidence.objects.filter(target__programme=programme).exclude(file="").order_by("pk")
        for item in items.iterator():
            digest = hashlib.sha256()
            with item.file.open("rb") as source, pack.open(pack_path(item), "w", force_zip64=True) as target:
                for chunk in source.chunks():
                    digest.update(chunk)
                    target.write(chunk)
            sums.append((digest.hexdigest(), pack_path(item)))
        pack.writestr(MANIFEST, "".join(f"{digest}  {name}\n" for digest, name in sums))
    return out
