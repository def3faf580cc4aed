"""The node page's phases and milestones (``MilestonesConfig.ready`` registers them)."""


def phases(page):
    return {"phases": list(page.node.phases.filter(archived_at__isnull=True))}


def milestones(page):
    return {"milestones": list(page.node.milestones.filter(archived_at__isnull=True))}
