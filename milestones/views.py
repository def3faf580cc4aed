from django.shortcuts import render

from portfolio.models import Node
from portfolio.tree import preorder

from .models import Milestone, Phase
from .timeline import timeline_rows


def timeline(request):
    """Phases, sub-projects, measures and milestones of one programme on a time axis (SVG, no JavaScript)."""
    programmes = list(Node.objects.programmes().active())
    chosen = next(
        (p for p in programmes if str(p.pk) == request.GET.get("hanke")), programmes[0] if programmes else None
    )
    nodes = list(Node.objects.active().filter(programme=chosen)) if chosen else []
    by_id = {node.pk: node for node in nodes}
    root = by_id.get(int(request.GET["osa"])) if request.GET.get("osa", "").isdigit() else None
    root = root or chosen
    ordered = list(preorder(nodes, root_ids=[root.pk])) if root else []
    under = Node.objects.subtree(root).values("pk") if root else Node.objects.none()
    phases, milestones = {}, {}
    for phase in Phase.objects.filter(node__in=under, archived_at__isnull=True):
        phases.setdefault(phase.node_id, []).append(phase)
    for milestone in Milestone.objects.filter(node__in=under, archived_at__isnull=True):
        milestones.setdefault(milestone.node_id, []).append(milestone)
    axis, rows = timeline_rows(ordered, phases, milestones)
    context = {
        "programmes": programmes,
        "chosen": chosen,
        "subtrees": [node for node, depth in preorder(nodes) if node.kind != Node.Kind.MEASURE and depth <= 2],
        "root": root,
        "rows": rows,
        "axis": axis,
        "years": axis.years() if axis else [],
    }
    return render(request, "milestones/timeline.html", context)
