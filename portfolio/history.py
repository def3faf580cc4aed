"""Audit history for pages: simple_history's rows turned into who / when / what changed (old → new)."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from popsote.money import MoneyField, format_euros
from popsote.numbers import format_number
from popsote.people import person_name

ACTIONS = {"+": _("Luotu"), "~": _("Muutettu"), "-": _("Poistettu")}
IGNORED = {"version", "position", "programme", "path", "source_document", "source_section"}


@dataclass
class Entry:
    date: object
    user: object
    action: str
    model: str
    label: str
    changes: list = field(default_factory=list)
    source: str = ""  # the plan document a loaded value comes from: its first version is the plan's
    reason: str = ""


def _tracked_fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in IGNORED and not f.primary_key]


def entries(records_by_model, show=None, hidden=()):
    """History entries, newest first, for ``{model: iterable of its historical rows}``; changes of the fields
    named in ``hidden`` are left out (a person's contact details for those who may not read them).

    Each model's rows must hold every earlier version of the objects involved (a diff needs the
    previous row); rows for which ``show(row)`` is false are used only for that and not shown.
    """
    result = []
    for model, records in records_by_model.items():
        records = sorted(records, key=lambda r: (r.id, r.history_date, r.history_id))
        fields = [f for f in _tracked_fields(model) if f.name not in hidden]
        names = _related_names(model, fields, records)
        documents = _documents(records)
        previous = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            if show is not None and not show(record):
                continue
            changes = []
            for f in fields:
                new = getattr(record, f.attname)
                old = getattr(before, f.attname) if before is not None else None
                if before is None and (_empty(new) or new is False):
                    continue
                if before is None or old != new:
                    changes.append((f.verbose_name, _display(f, old, names), _display(f, new, names)))
            if record.history_type == "~" and not changes:
                continue
            result.append(
                Entry(
                    date=record.history_date,
                    user=record.history_user,
                    action=ACTIONS[record.history_type],
                    model=model._meta.verbose_name,
                    label=_label(record),
                    changes=changes,
                    source=_source(record, documents)
                    if record.history_user_id is None and record.history_type == "+"
                    else "",
                    reason=record.history_change_reason or "",
                )
            )
    result.sort(key=lambda entry: entry.date, reverse=True)
    # Names, not logins: every author's person in one query.
    users = {entry.user.pk: entry.user for entry in result if entry.user is not None}
    prefetch_related_objects(list(users.values()), "person")
    for entry in result:
        if entry.user is not None:
            entry.user = users[entry.user.pk]
    return result


def _label(record):
    for name in ("name", "number", "text"):
        value = getattr(record, name, None)
        if value:
            return str(value)[:80]
    return ""


def _documents(records):
    from .models import SourceDocument

    ids = {getattr(record, "source_document_id", None) for record in records} - {None}
    return SourceDocument.objects.in_bulk(ids) if ids else {}


def _source(record, documents):
    document = documents.get(getattr(record, "source_document_id", None))
    if document is None:
        return ""
    return f"{document}, {record.source_section}" if record.source_section else str(document)


def _related_names(model, fields, records):
    """``{(related model, pk): str}`` for every foreign key value in the rows, one query per model."""
    names = {}
    for f in fields:
        if not isinstance(f, models.ForeignKey):
            continue
        ids = {getattr(r, f.attname) for r in records} - {None}
        if ids:
            rows, name = f.related_model._default_manager, str
            if f.related_model is get_user_model():  # an account is named as the pages name people
                rows, name = rows.select_related("person"), person_name
            for pk, obj in rows.in_bulk(ids).items():
                names[(f.related_model, pk)] = name(obj)
    return names


def _empty(value):
    """No value: nothing, an empty text, or an empty JSON object (a new update's comments by section)."""
    return value is None or value == "" or value == {}


def _display(f, value, names):
    if _empty(value):
        return "–"
    if isinstance(f, models.ForeignKey):
        return names.get((f.related_model, value), str(value))
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return str(_("kyllä") if value else _("ei"))
    if isinstance(f, MoneyField):
        return format_euros(value)
    if isinstance(f, models.DecimalField | models.FloatField):
        return format_number(value)
    if isinstance(f, models.DateTimeField):
        return date_format(localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(f, models.DateField):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, dict):
        # A model names the keys of a JSON field in its JSON_KEY_LABELS ({field: {key: label}}), in their order.
        labels = getattr(f.model, "JSON_KEY_LABELS", {}).get(f.name, {})
        keys = [key for key in labels if key in value] + [key for key in value if key not in labels]
        return "; ".join(f"{labels.get(key, key)}: {value[key]}" for key in keys)
    return str(value)


def tracked_models():
    from django.apps import apps

    from .models import Tracked

    return [m for m in apps.get_models() if issubclass(m, Tracked)]
