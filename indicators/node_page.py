"""The node page's indicators with their targets (``IndicatorsConfig.ready`` registers it)."""

from portfolio.provenance import mark_sources, source_label


def indicators(page):
    indicators = (
        page.related("indicators")
        .filter(archived_at__isnull=True)
        .select_related("source_document")
        .prefetch_related("targets")
    )
    return {"indicators": mark_sources(indicators, source_label(page.node))}
