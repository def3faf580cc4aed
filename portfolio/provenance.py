"""Where a page's facts come from: each loaded fact names its plan document and section."""

from django.utils.translation import gettext as _

from .extensions import listed


def source_label(obj):
    """``Päivitetty hankesuunnitelma 2021, vers. 12.10.2021, 3.2``, or that the fact was written in Salkku."""
    return obj.source_label or _("kirjattu Salkussa")


def mark_sources(items, default=""):
    """Give each item ``source_note``: the source to print after it, or "".

    A list of facts from one section would repeat its source on every line, so the source is printed
    once after each run of items sharing it, and not at all where it is the page's ``default`` (the
    node's own source, printed at the top of the page).
    """
    items = listed(items)
    labels = [source_label(item) for item in items]
    for index, item in enumerate(items):
        last_of_run = index == len(items) - 1 or labels[index + 1] != labels[index]
        item.source_note = labels[index] if last_of_run and labels[index] != default else ""
    return items
