"""The node page's indicators with their targets (``IndicatorsConfig.ready`` registers it)."""


def indicators(page):
    indicators = page.node.indicators.filter(archived_at__isnull=True).prefetch_related("targets")
    return {"indicators": list(indicators)}
