"""Budget arithmetic and writes: funding split, ledger import."""

import datetime as dt
import hashlib
import io
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from popsote.broker import BrokerUnavailable, heartbeat, send
from popsote.money import format_euros, parse_euros
from popsote.text import control_character, describe
from popsote.workbooks import UnsafeWorkbook, megabytes, workbook_bounds_check
from portfolio import extensions
from portfolio.models import Node
from portfolio.services import tracked_update

from .models import ActualCost, LedgerAccount, LedgerImport, LedgerUpload

CENT = Decimal("0.01")


COLUMNS = {
    "kausi": ("kausi", "päivämäärä", "pvm", "period", "date"),
    "kustannuspaikka": ("kustannuspaikka", "cost centre", "cost center"),
    "tili": ("tili", "account"),
    "kohde": ("kohde", "tunnus", "node"),
    "summa": ("summa", "amount"),
    "selite": ("selite", "kuvaus", "description"),
}
REQUIRED = ("kausi", "tili", "kohde", "summa")

# Limits checked before anything is parsed, so that no file costs more than a normal import: an
# extract of a year of a large programme is a few thousand rows.
LEDGER_MAX_BYTES = 20 * 2**20  # the file as uploaded
LEDGER_MAX_UNPACKED = 64 * 2**20  # an xlsx is a zip: what its parts unpack to
LEDGER_MAX_ROWS = 100_000
LEDGER_MAX_CELL = 1_000  # characters in one cell (a description is kept to 500)
LEDGER_MAX_ERRORS = 100  # rows listed in a refusal; the rest are counted
# Larger files are imported by a worker (LedgerUpload) while the page shows the progress.
LEDGER_INLINE_BYTES = 512 * 2**10
LEDGER_BATCH = 1000
LEDGER_FORM_OVERHEAD = 64 * 2**10  # a multipart body's other fields and boundaries around the file
MAX_AMOUNT = Decimal("1e12")  # a DecimalField(max_digits=14, decimal_places=2)
MONTHS = (dt.date(2000, 1, 1), dt.date(2100, 12, 1))


class LedgerRejected(Exception):
    """The extract was not imported; ``errors`` lists (row, column, reason) or a file-level reason."""

    def __init__(self, errors):
        super().__init__("; ".join(f"{r} {c}: {m}" for r, c, m in errors))
        self.errors = errors


class LedgerTooLarge(LedgerRejected):
    """Refused for its size alone, before it was read (HTTP 413)."""


def _refuse(reason, kind=LedgerRejected):
    return kind([("", "", reason)])


def ledger_size_check(size):
    """Refuse a file too large to import before it is read (the upload's declared size)."""
    if size > LEDGER_MAX_BYTES:
        raise _refuse(
            _("Tiedosto on {size} Mt; enintään {limit} Mt. Jaa ote osiin, esimerkiksi kuukausittain.").format(
                size=megabytes(size), limit=megabytes(LEDGER_MAX_BYTES)
            ),
            LedgerTooLarge,
        )


def _shown(value):
    """A cell's value as a message quotes it: short, whatever the cell holds."""
    text = repr(value if not isinstance(value, str) or len(value) <= 40 else value[:40] + "…")
    return text


def _xlsx_rows(content):
    from openpyxl import load_workbook

    try:
        workbook_bounds_check(content, max_unpacked=LEDGER_MAX_UNPACKED, max_rows=LEDGER_MAX_ROWS)
    except UnsafeWorkbook as unsafe:
        if unsafe.kind == UnsafeWorkbook.UNPACKED:
            raise _refuse(
                _("Excel-tiedosto purkautuu {size} megatavuksi; enintään {limit} Mt.").format(
                    size=megabytes(unsafe.size), limit=megabytes(LEDGER_MAX_UNPACKED)
                )
            ) from None
        if unsafe.kind == UnsafeWorkbook.ROWS:
            raise _too_many_rows() from None
        raise _refuse(_("Tiedostoa ei voi lukea Excel-tiedostona: se on rikki tai ei ole .xlsx.")) from None
    book = None
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.active
        if sheet is None:
            raise _refuse(_("Excel-tiedostossa ei ole taulukkoa."))
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    except LedgerRejected:
        raise
    except Exception:  # openpyxl and its XML parser raise many kinds for a broken file
        raise _refuse(_("Tiedostoa ei voi lukea Excel-tiedostona: se on rikki tai ei ole .xlsx.")) from None
    finally:
        if book is not None:
            book.close()


def _too_many_rows():
    return _refuse(
        _("Tiedostossa on yli {limit} riviä. Jaa ote osiin, esimerkiksi kuukausittain.").format(limit=LEDGER_MAX_ROWS)
    )


def _csv_rows(content):
    import csv

    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _refuse(_("Tiedoston merkistö ei ole UTF-8 eikä Windows-1252: tallenna se CSV UTF-8 -muodossa."))
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count) if any(mark in first for mark in ";,\t") else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise LedgerRejected(
            [(reader.line_num, "", _("Riviä ei voi lukea CSV-rivinä ({error}).").format(error=error))]
        ) from None


def _read_rows(name, content):
    """(row number, cells) of an extract, by what the file is rather than what it is called."""
    if content.startswith(b"PK\x03\x04"):
        return _xlsx_rows(content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(_("Tiedosto on vanhaa .xls-muotoa tai salattu: tallenna se .xlsx- tai .csv-muodossa."))
    if name.lower().endswith(".xlsx") or content.startswith(b"%PDF"):
        raise _refuse(_("Tiedostoa ei voi lukea Excel-tiedostona: se on rikki tai ei ole .xlsx."))
    return _csv_rows(content)


def _month(value):
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        month = value.replace(day=1)
    else:
        text = str(value or "").strip()
        for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%m/%Y", "%Y-%m", "%m.%Y"):
            try:
                month = dt.datetime.strptime(text, pattern).date().replace(day=1)
                break
            except ValueError:
                continue
        else:
            raise ValueError(text)
    if not MONTHS[0] <= month <= MONTHS[1]:
        raise ValueError(value)
    return month


def _amount(value):
    if isinstance(value, bool):
        raise ValueError(value)
    try:
        amount = Decimal(str(value)) if isinstance(value, (int, float)) else parse_euros(value)
    except (ValueError, ArithmeticError):
        raise ValueError(value) from None
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise ValueError(value)
    return amount.quantize(CENT)


def _text(value, column, number, errors, *, limit):
    """A text cell: refused when it holds a control character or is too long; ``""`` then."""
    text = "" if value is None else str(value).strip()
    if len(text) > LEDGER_MAX_CELL:
        errors.append(
            (
                number,
                column,
                _("Solussa on {length} merkkiä; enintään {limit}.").format(length=len(text), limit=LEDGER_MAX_CELL),
            )
        )
        return None
    if character := control_character(text, multiline=False):
        errors.append((number, column, describe(character)))
        return None
    return text[:limit]


class _Errors(list):
    """The first LEDGER_MAX_ERRORS errors, and a count of the rest."""

    more = 0

    def append(self, error):
        if len(self) < LEDGER_MAX_ERRORS:
            super().append(error)
        else:
            self.more += 1

    def listed(self):
        if not self.more:
            return list(self)
        return [*self, ("", "", _("…ja {count} muuta virhettä.").format(count=self.more))]


class Checked:
    """An extract read and checked, nothing written: the costs it would add and what looks imported already."""

    def __init__(self, costs, rows, digest, duplicates):
        self.costs = costs  # unsaved ActualCosts, in the order of the rows
        self.rows = rows  # the row number of each cost
        self.digest = digest
        self.duplicates = duplicates  # {index of a cost: the imported cost it looks like}


DUPLICATE_CHOICES = ("skip", "import")


def _accounts():
    """(single accounts by code, ranges) of the chart of accounts, refused while it is still the example."""
    table = list(LedgerAccount.objects.select_related("category"))
    if any(account.example for account in table):
        raise _refuse(
            _(
                "Tilikartta on vielä asennuksen esimerkki. Vahvista tai korvaa se Tilikartta-sivulla ennen "
                "ensimmäistä tuontia: muuten kulut kirjautuisivat esimerkin mukaan."
            )
        )
    ranges = sorted((a for a in table if a.account_end), key=_span)
    return {a.account: a for a in table if not a.account_end}, ranges


def _span(account):
    """The narrowest range that covers an account wins (4300–4309 before 4000–4999)."""
    if account.account.isdigit() and account.account_end.isdigit():
        return (int(account.account_end) - int(account.account), account.account)
    return (0, account.account)


def _account_for(code, accounts):
    single, ranges = accounts
    return single.get(code) or next((account for account in ranges if account.covers(code)), None)


def _check(*, programme, name, content, progress=None):
    """Read and check an extract for ``programme`` (all rows or a LedgerRejected); write nothing."""
    ledger_size_check(len(content))
    if progress:
        progress(10)  # reading and checking the rows; saving them is the rest
    rows = _read_rows(name, content)
    first = next(rows, None)
    if first is None:
        raise _refuse(_("Tiedosto on tyhjä."))
    header = [str(cell or "").strip().lower()[:100] for cell in first[1]]
    index = {}
    for column, names in COLUMNS.items():
        found = [i for i, title in enumerate(header) if title in names]
        if found:
            index[column] = found[0]
    missing = [column for column in REQUIRED if column not in index]
    if missing:
        raise LedgerRejected([(1, ", ".join(missing), _("Otsikkoriviltä puuttuu sarake."))])
    nodes = {n.code: n for n in Node.objects.active().filter(programme=programme)}
    accounts = _accounts()
    costs, numbers, errors, unmapped = [], [], _Errors(), {}
    for number, row in rows:
        if number > LEDGER_MAX_ROWS + 1:
            raise _too_many_rows()
        if all(value in (None, "") for value in row):
            continue
        values = {column: row[i] if i < len(row) else None for column, i in index.items()}
        cell = values.get
        try:
            month = _month(cell("kausi"))
        except ValueError:
            errors.append(
                (
                    number,
                    "kausi",
                    _("Päivämäärä tai kausi {value} ei kelpaa (esim. 31.5.2023 tai 5/2023).").format(
                        value=_shown(cell("kausi"))
                    ),
                )
            )
            month = None
        account_code = _text(cell("tili"), "tili", number, errors, limit=20)
        account = _account_for(account_code, accounts) if account_code is not None else None
        if account is None and account_code is not None:
            # Listed once with the rows it affects: an account missing from the table is one thing to fix.
            unmapped.setdefault(account_code, []).append(number)
        code = _text(cell("kohde"), "kohde", number, errors, limit=40)
        node = nodes.get(code) if code is not None else None
        if node is None and code is not None:
            errors.append(
                (
                    number,
                    "kohde",
                    _("Hankkeessa ei ole kohdetta tunnuksella {value}.").format(value=_shown(cell("kohde"))),
                )
            )
        try:
            amount = _amount(cell("summa"))
        except ValueError:
            errors.append((number, "summa", _("Summa {value} ei ole rahamäärä.").format(value=_shown(cell("summa")))))
            amount = None
        cost_centre = _text(cell("kustannuspaikka"), "kustannuspaikka", number, errors, limit=40)
        description = _text(cell("selite"), "selite", number, errors, limit=500)
        if month and account and node and amount is not None and cost_centre is not None and description is not None:
            costs.append(
                ActualCost(
                    node=node,
                    category=account.category,
                    month=month,
                    amount=amount,
                    account=account_code,
                    cost_centre=cost_centre,
                    description=description,
                )
            )
            numbers.append(number)
    # An account missing from the chart comes first: one fix that may clear many rows.
    listed = _Errors()
    for account_code, affected in unmapped.items():
        shown = ", ".join(str(n) for n in affected[:10]) + (", …" if len(affected) > 10 else "")
        listed.append(
            (
                affected[0],
                "tili",
                ngettext(
                    "Tiliä {value} ei ole tilikartassa ({count} rivi: {rows}). Lisää se Tilikartta-sivulla.",
                    "Tiliä {value} ei ole tilikartassa ({count} riviä: {rows}). Lisää se Tilikartta-sivulla.",
                    len(affected),
                ).format(value=_shown(account_code), count=len(affected), rows=shown),
            )
        )
    for error in errors:
        listed.append(error)
    listed.more += errors.more
    if listed:
        raise LedgerRejected(listed.listed())
    if not costs:
        raise _refuse(_("Tiedostossa ei ole yhtään kulua."))
    total = sum((c.amount for c in costs), Decimal(0))
    if abs(total) >= MAX_AMOUNT:
        raise _refuse(_("Kulujen summa on liian suuri kirjattavaksi."))
    # The fingerprint is of the rows, not the bytes: the same extract saved again is still recognised.
    fingerprint = hashlib.sha256(f"{programme.pk}\n".encode())
    for index_, c in enumerate(costs):
        line = "|".join(str(v) for v in (c.node.code, c.month, c.amount, c.account, c.cost_centre, c.description))
        fingerprint.update((("\n" if index_ else "") + line).encode())
    digest = fingerprint.hexdigest()
    earlier = LedgerImport.objects.filter(sha256=digest, reversed_at__isnull=True).select_related("imported_by").first()
    if earlier:
        raise _already_imported(earlier)
    return Checked(costs, numbers, digest, _duplicates(programme, costs))


def _duplicates(programme, costs):
    """Costs that look like ones imported before: the same month, node, account and amount (a re-export of
    an extract with a description changed, or an extract that overlaps an earlier one)."""
    imported = (
        ActualCost.objects.filter(
            node__programme=programme,
            ledger_import__isnull=False,
            ledger_import__reversed_at__isnull=True,
            ledger_import__reverses__isnull=True,
            month__in={c.month for c in costs},
            account__in={c.account for c in costs},
        )
        .select_related("ledger_import")
        .order_by("pk")
    )
    earlier = {}
    for cost in imported:
        earlier.setdefault((cost.node_id, cost.month, cost.account, cost.amount), cost)
    found = {}
    for index_, cost in enumerate(costs):
        match = earlier.get((cost.node.pk, cost.month, cost.account, cost.amount))
        if match:
            found[index_] = match
    return found


def ledger_preview(*, programme, name, content, progress=None):
    """What an import of the extract would add, as the page and the API show it before it is confirmed:
    totals per node, cost category and month, and the rows that look imported already. Writes nothing."""
    checked = _check(programme=programme, name=name, content=content, progress=progress)
    totals = {}
    for cost in checked.costs:
        key = (cost.node.code, cost.node.name, cost.category.position, cost.category.name, cost.month)
        totals[key] = totals.get(key, Decimal(0)) + cost.amount
    return {
        "rows": len(checked.costs),
        "total": str(sum((c.amount for c in checked.costs), Decimal(0))),
        "totals": [
            {
                "node": code,
                "node_name": node_name,
                "category": category,
                "month": f"{month:%Y-%m}",
                "amount": str(amount),
            }
            for (code, node_name, _p, category, month), amount in sorted(totals.items())
        ],
        "duplicates": [
            {
                "row": checked.rows[index_],
                "month": f"{cost.month:%Y-%m}",
                "node": cost.node.code,
                "account": cost.account,
                "amount": str(cost.amount),
                "description": cost.description,
                "earlier_description": earlier.description,
                "earlier_file": earlier.ledger_import.file_name,
            }
            for index_, earlier in checked.duplicates.items()
            for cost in [checked.costs[index_]]
        ],
    }


@transaction.atomic
def ledger_import(*, programme, name, content, user, progress=None, duplicates=""):
    """Import a ledger extract into ``programme``: all rows or none. Returns the LedgerImport.

    Rows that look imported already (``ledger_preview``'s duplicates) need a choice: ``duplicates`` is
    "skip" (leave them out) or "import" (import them too). ``progress(percent)``, when given, is told how
    far the import is (a background import).
    """
    # One import of a programme at a time: a second copy of the same extract sent at the same moment
    # waits here and then finds the first one imported, rather than failing on the unique checksum.
    ledger_size_check(len(content))
    Node.objects.select_for_update().only("pk").get(pk=programme.pk)
    checked = _check(programme=programme, name=name, content=content, progress=progress)
    costs = checked.costs
    if checked.duplicates:
        if duplicates not in DUPLICATE_CHOICES:
            raise LedgerRejected(
                [
                    (
                        checked.rows[index_],
                        "selite",
                        _(
                            "Rivi näyttää jo tuodulta (sama kausi, kohde, tili ja summa; aiempi selite {earlier}). "
                            "Valitse, ohitetaanko tällaiset rivit vai tuodaanko nekin."
                        ).format(earlier=_shown(earlier.description)),
                    )
                    for index_, earlier in list(checked.duplicates.items())[:LEDGER_MAX_ERRORS]
                ]
            )
        if duplicates == "skip":
            costs = [cost for index_, cost in enumerate(costs) if index_ not in checked.duplicates]
            if not costs:
                raise _refuse(_("Kaikki rivit on jo tuotu; ohitettuina mitään ei jää tuotavaksi."))
    total = sum((c.amount for c in costs), Decimal(0))
    batch = LedgerImport.objects.create(
        programme=programme,
        file_name=name[:255],
        sha256=checked.digest,
        imported_by=user,
        row_count=len(costs),
        total=total,
    )
    _save_costs(costs, batch, user, progress)
    return batch


def _save_costs(costs, batch, user, progress=None):
    for cost in costs:
        cost.ledger_import = batch
    # In batches, each cost with its audit history row (who imported it, when).
    for start in range(0, len(costs), LEDGER_BATCH):
        bulk_create_with_history(costs[start : start + LEDGER_BATCH], ActualCost, default_user=user)
        if progress:
            progress(10 + 90 * min(start + LEDGER_BATCH, len(costs)) // len(costs))


class ReportsUsedCosts(Exception):
    """Reports already made from the costs an undo would take back; ``reports`` names them."""

    def __init__(self, reports):
        super().__init__(", ".join(str(report) for report in reports))
        self.reports = reports


@transaction.atomic
def ledger_import_reverse(*, batch, user, reason, confirm_reports=False):
    """Undo an import as a whole: a reversal (the same costs negated) that keeps both in the history, with
    who and why. Refused (ReportsUsedCosts) when a report already used the costs, unless
    ``confirm_reports`` (the project office's decision); then those reports' archive entries say so."""
    batch = LedgerImport.objects.select_for_update().get(pk=batch.pk)
    if batch.reversed_at or batch.reverses_id:
        raise _refuse(_("Tätä tuontia ei voi perua: se on jo peruttu tai on itse peruutus."))
    costs = list(batch.costs.select_related("node", "category"))
    first = min(cost.month for cost in costs)
    reports = extensions.reports_using_costs(batch.programme_id, first, batch.imported_at)
    if reports and not confirm_reports:
        raise ReportsUsedCosts(reports)
    now = timezone.now()
    reversal = LedgerImport.objects.create(
        programme_id=batch.programme_id,
        file_name=_("Peruutus: {file}").format(file=batch.file_name)[:255],
        sha256=hashlib.sha256(f"reversal\n{batch.sha256}\n{batch.pk}".encode()).hexdigest(),
        imported_by=user,
        row_count=len(costs),
        total=-batch.total,
        reverses=batch,
        reason=reason,
    )
    negated = [
        ActualCost(
            node=cost.node,
            category=cost.category,
            month=cost.month,
            amount=-cost.amount,
            account=cost.account,
            cost_centre=cost.cost_centre,
            description=cost.description,
        )
        for cost in costs
    ]
    _save_costs(negated, reversal, user)
    batch.reversed_at = now
    batch.save(update_fields=["reversed_at"])
    if reports:
        extensions.costs_changed(
            reports,
            _("Toteumat muuttuivat {date}: {user} perui tuonnin {file} ({total}). Syy: {reason}").format(
                date=date_format(timezone.localtime(now), "SHORT_DATETIME_FORMAT"),
                user=user.get_full_name() or user.get_username(),
                file=batch.file_name,
                total=format_euros(batch.total),
                reason=reason,
            ),
        )
    return reversal


def _already_imported(earlier):
    return _refuse(
        _("Tämä aineisto on jo tuotu {date} ({file}); samoja kuluja ei lasketa kahdesti.").format(
            date=date_format(timezone.localtime(earlier.imported_at), "SHORT_DATETIME_FORMAT"),
            file=earlier.file_name,
        )
    )


# Background imports ----------------------------------------------------------------------------


def ledger_upload_queue(*, programme, file, user, duplicates=None):
    """Keep an extract for its preview (``duplicates`` None) or, from the API, for an import by a worker.

    A small extract is checked now: a refusal (LedgerRejected) keeps nothing, otherwise the upload keeps
    the file and its preview until it is confirmed. A larger one is checked, or imported, by a worker, the
    task sent once the row is committed. Raises BrokerUnavailable (and keeps nothing) when the task queue
    does not answer.
    """
    preview = None
    if file.size <= LEDGER_INLINE_BYTES and duplicates is None:
        preview = ledger_preview(programme=programme, name=file.name, content=file.read())
        file.seek(0)
    with transaction.atomic():
        upload = LedgerUpload(programme=programme, file_name=file.name[:255], uploaded_by=user)
        if duplicates is not None:
            upload.confirmed_at, upload.duplicates = timezone.now(), duplicates
        if preview is not None:
            upload.status, upload.preview, upload.progress = LedgerUpload.Status.PREVIEW, preview, 100
            upload.finished_at = timezone.now()
        upload.file.save(
            f"ote-{programme.code}.{'xlsx' if file.name.lower().endswith('.xlsx') else 'csv'}", file, save=False
        )
        upload.save()
        if preview is None:
            transaction.on_commit(partial(_send_upload, upload.pk))
    return upload


class NotPending(Exception):
    """The upload is not waiting for a confirmation (confirmed already, or refused)."""


def ledger_upload_confirm(*, upload, user, duplicates=""):
    """Import a previewed extract. A small one is imported now (returns the LedgerImport); a larger one by
    a worker (returns None; the upload shows the progress). ``duplicates`` as for ``ledger_import``."""
    with transaction.atomic():
        claimed = LedgerUpload.objects.filter(pk=upload.pk, status=LedgerUpload.Status.PREVIEW).update(
            status=LedgerUpload.Status.QUEUED, confirmed_at=timezone.now(), duplicates=duplicates, progress=0
        )
        if not claimed:
            raise NotPending
        upload.refresh_from_db()
        if upload.file.size > LEDGER_INLINE_BYTES:
            transaction.on_commit(partial(_send_upload, upload.pk))
            return None
    # Imported in a transaction of its own: a refusal leaves the preview to be confirmed again.
    with upload.file.open("rb") as file:
        content = file.read()
    try:
        batch = ledger_import(
            programme=upload.programme, name=upload.file_name, content=content, user=user, duplicates=duplicates
        )
    except LedgerRejected:
        LedgerUpload.objects.filter(pk=upload.pk).update(status=LedgerUpload.Status.PREVIEW, confirmed_at=None)
        raise
    LedgerUpload.objects.filter(pk=upload.pk).update(
        status=LedgerUpload.Status.DONE, result=batch, progress=100, finished_at=timezone.now()
    )
    return batch


def _send_upload(upload_id):
    try:
        send("budgets.tasks.import_ledger_upload", upload_id)
    except BrokerUnavailable:
        # Nothing will import it: take it back, so that the user's next try is the only one.
        for upload in LedgerUpload.objects.filter(pk=upload_id, status=LedgerUpload.Status.QUEUED):
            upload.file.delete(save=False)
            upload.delete()
        raise


def _lost_uploads():
    """Running uploads whose worker stopped beating (it died as a whole)."""
    lost = timezone.now() - timedelta(seconds=settings.JOB_LOST_AFTER)
    return Q(status=LedgerUpload.Status.RUNNING) & (
        Q(heartbeat_at__lt=lost) | Q(heartbeat_at__isnull=True, started_at__lt=lost)
    )


def ledger_upload_run(upload_id, *, claim=""):
    """Import an upload's file. Safe to run twice: only the run that claims the row works."""
    now = timezone.now()
    claimed = LedgerUpload.objects.filter(Q(status=LedgerUpload.Status.QUEUED) | _lost_uploads(), pk=upload_id).update(
        status=LedgerUpload.Status.RUNNING, started_at=now, heartbeat_at=now, claimed_by=claim, progress=5
    )
    if not claimed:
        return False
    upload = LedgerUpload.objects.select_related("programme", "uploaded_by").get(pk=upload_id)
    mine = LedgerUpload.objects.filter(pk=upload_id, status=LedgerUpload.Status.RUNNING, claimed_by=claim)

    def beat():
        mine.update(heartbeat_at=timezone.now())

    def progress(percent):
        mine.update(progress=percent, heartbeat_at=timezone.now())

    with upload.file.open("rb") as file:
        content = file.read()
    try:
        with heartbeat(beat):
            if upload.confirmed_at is None:
                preview = ledger_preview(
                    programme=upload.programme, name=upload.file_name, content=content, progress=progress
                )
                mine.update(
                    status=LedgerUpload.Status.PREVIEW, preview=preview, progress=100, finished_at=timezone.now()
                )
                return False
            batch = ledger_import(
                programme=upload.programme,
                name=upload.file_name,
                content=content,
                user=upload.uploaded_by,
                progress=progress,
                duplicates=upload.duplicates,
            )
    except LedgerRejected as rejected:
        mine.update(
            status=LedgerUpload.Status.REJECTED,
            errors=[[str(part) for part in error] for error in rejected.errors],
            finished_at=timezone.now(),
        )
        return False
    except Exception:
        mine.update(
            status=LedgerUpload.Status.FAILED,
            errors=[
                ["", "", _("Tuonti keskeytyi odottamattomaan virheeseen; mitään ei tallennettu. Yritä uudelleen.")]
            ],
            finished_at=timezone.now(),
        )
        raise
    mine.update(status=LedgerUpload.Status.DONE, result=batch, progress=100, finished_at=timezone.now())
    return True


def ledger_uploads_requeue():
    """Send again the uploads whose task was lost: queued for long, or whose worker died."""
    lost = list(
        LedgerUpload.objects.filter(
            Q(status=LedgerUpload.Status.QUEUED, created_at__lt=timezone.now() - timedelta(minutes=10))
            | _lost_uploads()
        ).values_list("pk", flat=True)
    )
    for pk in lost:
        send("budgets.tasks.import_ledger_upload", pk)
    return lost


# The history's reason for a row copied into a new plan version (stored as it is, like the data, in Finnish).
COPIED = "Kopioitu uuteen suunnitelmaversioon"


def plan_contents_copy(*, old, new, user, batch=1000):
    """Copy the node totals and cost lines of the plan version ``old`` into ``new``, in bulk with their history
    rows (``user``'s, reason ``COPIED``); a copied figure keeps the document it was read from."""
    from .models import BudgetLine, NodeBudget

    copies = {
        NodeBudget: [
            NodeBudget(
                plan=new,
                node_id=b.node_id,
                total=b.total,
                grant=b.grant,
                own_funding=b.own_funding,
                note=b.note,
                source_document_id=b.source_document_id,
                source_section=b.source_section,
            )
            for b in NodeBudget.objects.filter(plan=old)
        ],
        BudgetLine: [
            BudgetLine(
                plan=new,
                node_id=ln.node_id,
                category_id=ln.category_id,
                year=ln.year,
                amount=ln.amount,
                source_document_id=ln.source_document_id,
                source_section=ln.source_section,
            )
            for ln in BudgetLine.objects.filter(plan=old)
        ],
    }
    for model, rows in copies.items():
        for start in range(0, len(rows), batch):
            bulk_create_with_history(
                rows[start : start + batch], model, default_user=user, default_change_reason=COPIED
            )


@transaction.atomic
def plan_version_create(*, programme, name, user):
    """Revise the plan: copy the current version (node totals and lines) into a new current version."""
    from django.utils.text import slugify

    from .models import PlanVersion

    current = PlanVersion.objects.select_for_update().filter(programme=programme, is_current=True).first()
    key = slugify(name)[:50] or "versio"
    while PlanVersion.objects.filter(programme=programme, key=key).exists():
        key = f"{key[:45]}-{PlanVersion.objects.filter(programme=programme).count() + 1}"
    if current:
        current.is_current = False
        current.version += 1
        current.save(update_fields=["is_current", "version"])
    plan = PlanVersion.objects.create(
        programme=programme, key=key, name=name, date=timezone.localdate(), is_current=True
    )
    if current:
        plan_contents_copy(old=current, new=plan, user=user)
    return plan


def budget_lines_stamp(*, plan, node):
    """A fingerprint of a node's lines in a plan: a save based on other lines is stale."""
    from .models import BudgetLine

    lines = BudgetLine.objects.filter(plan=plan, node=node).order_by("category_id", "year")
    text = ";".join(f"{c}:{y}:{a}:{v}" for c, y, a, v in lines.values_list("category_id", "year", "amount", "version"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class StaleLines(Exception):
    """Someone changed the lines after the form was opened."""


@transaction.atomic
def budget_lines_save(*, plan, node, amounts, stamp):
    """Write ``{(category id, year): amount}`` for ``node`` in ``plan``; empty amounts remove the line."""
    from .models import BudgetLine, PlanVersion

    PlanVersion.objects.select_for_update().get(pk=plan.pk)  # serialise saves of one plan
    if budget_lines_stamp(plan=plan, node=node) != stamp:
        raise StaleLines
    existing = {(line.category_id, line.year): line for line in BudgetLine.objects.filter(plan=plan, node=node)}
    for (category_id, year), amount in amounts.items():
        line = existing.get((category_id, year))
        if amount is None:
            if line:
                line.delete()
        elif line is None:
            BudgetLine.objects.create(plan=plan, node=node, category_id=category_id, year=year, amount=amount)
        elif line.amount != amount:
            line.amount = amount
            line.version += 1
            line.save(update_fields=["amount", "version"])


@transaction.atomic
def node_budget_set(*, node, total, user=None):
    """Write the node's total into its programme's current plan version (creating the row); None leaves it."""
    from .models import NodeBudget, PlanVersion

    if total is None:
        return
    plan = PlanVersion.objects.filter(programme=node.programme_id, is_current=True).first()
    if plan is None:
        plan = PlanVersion.objects.create(
            programme=node.programme, key="suunnitelma", name=_("Hankesuunnitelma"), is_current=True
        )
    budget = NodeBudget.objects.filter(plan=plan, node=node).select_for_update().first()
    if budget is None:
        NodeBudget.objects.create(plan=plan, node=node, total=total)
    elif budget.total != total:
        tracked_update(budget, total=total, _user=user)


# The chart of accounts ---------------------------------------------------------------------------

ACCOUNT_COLUMNS = ("Tili", "Tilialueen loppu", "Nimi", "Kustannuslaji")
ACCOUNTS_MAX_ROWS = 5000


def account_rows_check(rows, categories):
    """``rows`` (row number, cells) of a chart-of-accounts workbook as LedgerAccount values; every bad row named.

    ``categories``: {a category's key or name, lower case: the category} of the leaf cost categories.
    """
    errors, accounts, seen = _Errors(), [], {}
    for number, row in rows:
        if number > ACCOUNTS_MAX_ROWS + 1:
            raise _refuse(_("Tilikartassa on yli {limit} riviä.").format(limit=ACCOUNTS_MAX_ROWS))
        if number == 1 or all(value in (None, "") for value in row):
            continue
        cells = [*row, None, None, None, None][:4]
        account = _text(cells[0], "tili", number, errors, limit=20)
        end = _text(cells[1], "tilialueen loppu", number, errors, limit=20)
        name = _text(cells[2], "nimi", number, errors, limit=200)
        category = _text(cells[3], "kustannuslaji", number, errors, limit=200)
        if account is None or end is None or name is None or category is None:
            continue
        found = categories.get(category.lower())
        if not account:
            errors.append((number, "tili", _("Tili puuttuu.")))
        elif len(account) > 20 or len(end) > 20:
            errors.append((number, "tili", _("Tili on enintään 20 merkkiä.")))
        elif account in seen:
            errors.append(
                (number, "tili", _("Tili {value} on jo rivillä {row}.").format(value=account, row=seen[account]))
            )
        elif end and account.isdigit() and end.isdigit() and int(end) < int(account):
            errors.append((number, "tilialueen loppu", _("Tilialueen loppu on ennen sen alkua.")))
        elif found is None:
            errors.append((number, "kustannuslaji", _("Kustannuslajia {value} ei ole.").format(value=_shown(category))))
        else:
            seen[account] = number
            accounts.append({"account": account, "account_end": end, "name": name, "category": found})
    if errors:
        raise LedgerRejected(errors.listed())
    if not accounts:
        raise _refuse(_("Tiedostossa ei ole yhtään tiliä."))
    return accounts


@transaction.atomic
def ledger_accounts_replace(*, name, content, user):
    """Replace the whole chart of accounts with a workbook's rows: all or nothing, every change in the history."""
    from .models import CostCategory

    if len(content) > 2 * 2**20:
        raise _refuse(_("Tilikartta on enintään 2 Mt."))
    if not content.startswith(b"PK\x03\x04"):
        raise _refuse(_("Tiedostoa ei voi lukea Excel-tiedostona: se on rikki tai ei ole .xlsx."))
    categories = {}
    for category in CostCategory.objects.filter(kind=CostCategory.Kind.COST, children__isnull=True):
        categories[category.key.lower()] = categories[category.name.lower()] = category
    accounts = account_rows_check(_read_rows(name, content), categories)
    existing = {a.account: a for a in LedgerAccount.objects.select_for_update()}
    for values in accounts:
        account = existing.pop(values["account"], None)
        if account is None:
            account = LedgerAccount(**values)
            account._history_user = user
            account.save()
            continue
        changed = {k: v for k, v in values.items() if getattr(account, k) != v}
        if account.example:
            changed["example"] = False
        if changed:
            tracked_update(account, _user=user, **changed)
    for account in existing.values():
        account._history_user = user
        account.delete()
    return len(accounts)


@transaction.atomic
def ledger_accounts_confirm(*, user):
    """The office takes the example chart as its own: the rows stay, no longer marked as an example."""
    count = 0
    for account in LedgerAccount.objects.select_for_update().filter(example=True):
        tracked_update(account, _user=user, example=False)
        count += 1
    return count
