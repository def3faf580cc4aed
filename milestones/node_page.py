"""The node page's phases and milestones (``MilestonesConfig.ready`` registers them)."""

from portfolio.provenance import mark_sources, source_label


def phases(page):
    phases = page.related("phases").filter(archived_at__isnull=True).select_related("source_document")
    return {"phases": mark_sources(phases, source_label(page.node))}


def milestones(page):
    milestones = page.related("milestones").filter(archived_at__isnull=True).select_related("source_document")
    return {"milestones": mark_sources(milestones, source_label(page.node))}
