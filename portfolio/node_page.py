"""Portfolio's own sections of the node page; ``PortfolioConfig.ready`` registers them among the other apps'."""


def about(page):
    node = page.node
    decisions = node.funding_decisions.filter(archived_at__isnull=True).select_related("funder")
    return {"funding_decisions": list(decisions) if node.is_programme else []}


def plan(page):
    node = page.node
    return {
        "goals": list(node.goals.all()),
        "outputs": list(node.outputs.all()),
        "tasks": list(node.tasks.filter(archived_at__isnull=True)),
        "responsibilities": list(node.responsibilities.select_related("person__organisation")),
        "partners": list(node.partners.select_related("organisation")),
    }


def risks(page):
    return {"risks": list(page.node.risks.select_related("owner"))}
