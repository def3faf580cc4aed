"""Portfolio's own sections of the node page; ``PortfolioConfig.ready`` registers them among the other apps'."""

from django.db.models import Q

from .extensions import listed
from .models import SourceDocument
from .provenance import mark_sources, source_label


def about(page):
    node = page.node
    decisions = node.funding_decisions.filter(archived_at__isnull=True).select_related("funder", "source_document")
    return {"funding_decisions": mark_sources(decisions, source_label(node)) if node.is_programme else []}


def plan(page):
    node = page.node
    own = source_label(node)
    return {
        "goals": mark_sources(page.related("goals").select_related("source_document"), own),
        "outputs": mark_sources(page.related("outputs").select_related("source_document"), own),
        "tasks": listed(page.related("tasks").filter(archived_at__isnull=True)),
        "responsibilities": mark_sources(
            page.related("responsibilities").select_related("person__organisation", "organisation", "source_document"),
            own,
        ),
        "partners": mark_sources(page.related("partners").select_related("organisation", "source_document"), own),
    }


def risks(page):
    return {
        "risks": mark_sources(page.related("risks").select_related("owner", "source_document"), source_label(page.node))
    }


def plan_facts(page):
    """The plan's organisation, evaluation and background of the node; on a programme, its documents."""
    node = page.node
    own = source_label(node)
    facts = {
        "bodies": mark_sources(
            page.related("bodies")
            .filter(archived_at__isnull=True)
            .select_related("reports_to", "chair", "source_document"),
            own,
        ),
        "evaluations": mark_sources(
            page.related("evaluations").filter(archived_at__isnull=True).select_related("source_document"), own
        ),
        "background": mark_sources(
            page.related("background").filter(archived_at__isnull=True).select_related("source_document"), own
        ),
        "documents": [],
    }
    if node.is_programme:
        # Reverse relations by name: the apps above register their models here, portfolio imports none.
        parts = node.programme_nodes.all()
        used = Q(pk__in=parts.values("source_document")) | Q(pk__in=node.plan_versions.values("source_document"))
        for relation in (
            "goals",
            "responsibilities",
            "bodies",
            "background",
            "milestones",
            "budgets",
            "status_updates",
        ):
            used |= Q(pk__in=parts.values(f"{relation}__source_document"))
        facts["documents"] = list(SourceDocument.objects.filter(used))
    return facts
