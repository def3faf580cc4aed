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
from simple_history.utils import bulk_create_with_history

from popsote.broker import BrokerUnavailable, heartbeat, send
from popsote.money import parse_euros
from popsote.text import control_character, describe
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


def _megabytes(size):
    return f"{size / 2**20:.1f}".replace(".", ",")


def ledger_size_check(size):
    """Refuse a file too large to import before it is read (the upload's declared size)."""
    if size > LEDGER_MAX_BYTES:
        raise _refuse(
            _("Tiedosto on {size} Mt; enintään {limit} Mt. Jaa ote osiin, esimerkiksi kuukausittain.").format(
                size=_megabytes(size), limit=_megabytes(LEDGER_MAX_BYTES)
            ),
            LedgerTooLarge,
        )


def _shown(value):
    """A cell's value as a message quotes it: short, whatever the cell holds."""
    text = repr(value if not isinstance(value, str) or len(value) <= 40 else value[:40] + "…")
    return text


def _xlsx_rows(content):
    import zipfile

    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse(_("Tiedostoa ei voi lukea Excel-tiedostona: se on rikki tai ei ole .xlsx.")) from None
    # Each part is read no further than the size its header declares, so the declared sizes bound the
    # memory openpyxl can be made to use (a few megabytes of zeros unpack to gigabytes).
    unpacked = sum(part.file_size for part in parts)
    if unpacked > LEDGER_MAX_UNPACKED:
        raise _refuse(
            _("Excel-tiedosto purkautuu {size} megatavuksi; enintään {limit} Mt.").format(
                size=_megabytes(unpacked), limit=_megabytes(LEDGER_MAX_UNPACKED)
            )
        )
    for part in parts:
        if part.filename.startswith("xl/worksheets/") and _rows_in(archive, part) > LEDGER_MAX_ROWS + 1:
            raise _too_many_rows()
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


def _rows_in(archive, part):
    """How many rows a worksheet has, counted in its XML as it unpacks (far quicker than parsing it)."""
    count, carry = 0, b""
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(2**20):
                data = carry + chunk
                count += data.count(b"<row")
                carry = data[-4:]
                count -= carry.count(b"<row")  # counted again with the next chunk
    except Exception:  # a broken part: openpyxl says so next
        return 0
    return count + carry.count(b"<row")


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


@transaction.atomic
def ledger_import(*, programme, name, content, user, progress=None):
    """Import a ledger extract into ``programme``: all rows or none. Returns the LedgerImport.

    ``progress(percent)``, when given, is told how far the import is (a background import).
    """
    ledger_size_check(len(content))
    if progress:
        progress(10)  # reading and checking the rows; saving them is the rest
    # One import of a programme at a time: a second copy of the same extract sent at the same moment
    # waits here and then finds the first one imported, rather than failing on the unique checksum.
    Node.objects.select_for_update().only("pk").get(pk=programme.pk)
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
    accounts = {a.account: a for a in LedgerAccount.objects.select_related("category")}
    costs, errors = [], _Errors()
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
        account = accounts.get(account_code) if account_code is not None else None
        if account is None and account_code is not None:
            errors.append(
                (
                    number,
                    "tili",
                    _("Tiliä {value} ei ole kustannuslajien tilitaulukossa.").format(value=_shown(cell("tili"))),
                )
            )
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
                    account=account.account,
                    cost_centre=cost_centre,
                    description=description,
                )
            )
    if errors:
        raise LedgerRejected(errors.listed())
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
    earlier = LedgerImport.objects.filter(sha256=digest).select_related("imported_by").first()
    if earlier:
        raise _already_imported(earlier)
    batch = LedgerImport.objects.create(
        programme=programme,
        file_name=name[:255],
        sha256=digest,
        imported_by=user,
        row_count=len(costs),
        total=total,
    )
    for cost in costs:
        cost.ledger_import = batch
    # In batches, each cost with its audit history row (who imported it, when).
    for start in range(0, len(costs), LEDGER_BATCH):
        bulk_create_with_history(costs[start : start + LEDGER_BATCH], ActualCost, default_user=user)
        if progress:
            progress(10 + 90 * min(start + LEDGER_BATCH, len(costs)) // len(costs))
    return batch


def _already_imported(earlier):
    return _refuse(
        _("Tämä aineisto on jo tuotu {date} ({file}); samoja kuluja ei lasketa kahdesti.").format(
            date=date_format(timezone.localtime(earlier.imported_at), "SHORT_DATETIME_FORMAT"),
            file=earlier.file_name,
        )
    )


# Background imports ----------------------------------------------------------------------------


def ledger_upload_queue(*, programme, file, user):
    """Keep a large extract and have a worker import it; the task is sent once the row is committed.

    Raises BrokerUnavailable (and keeps nothing) when the task queue does not answer.
    """
    with transaction.atomic():
        upload = LedgerUpload(programme=programme, file_name=file.name[:255], uploaded_by=user)
        upload.file.save(
            f"ote-{programme.code}.{'xlsx' if file.name.lower().endswith('.xlsx') else 'csv'}", file, save=False
        )
        upload.save()
        transaction.on_commit(partial(_send_upload, upload.pk))
    return upload


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
            batch = ledger_import(
                programme=upload.programme,
                name=upload.file_name,
                content=content,
                user=upload.uploaded_by,
                progress=progress,
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


@transaction.atomic
def plan_version_create(*, programme, name):
    """Revise the plan: copy the current version (node totals and lines) into a new current version."""
    from django.utils.text import slugify

    from .models import BudgetLine, NodeBudget, PlanVersion

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
        for budget in NodeBudget.objects.filter(plan=current):
            NodeBudget.objects.create(
                plan=plan,
                node_id=budget.node_id,
                total=budget.total,
                grant=budget.grant,
                own_funding=budget.own_funding,
                note=budget.note,
            )
        for line in BudgetLine.objects.filter(plan=current):
            BudgetLine.objects.create(
                plan=plan, node_id=line.node_id, category_id=line.category_id, year=line.year, amount=line.amount
            )
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
