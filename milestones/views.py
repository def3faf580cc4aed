from datetime import date

from django.shortcuts import render

from portfolio.models import Node
from portfolio.tree import preorder

from .models import Milestone, Phase


def _position(start, end, first, last):
    """Left and width in percent of the span first…last (dates), for a bar drawn with CSS."""
    span = (last - first).days or 1
    start, end = max(start or first, first), min(end or last, last)
    left = (start - first).days / span * 100
    return round(left, 2), round(max((end - start).days / span * 100, 0.6), 2)


def timeline(request):
    """Phases, sub-projects, measures and milestones of one programme on a time axis (no JavaScript)."""
    programmes = list(Node.objects.programmes().active())
    chosen = next(
        (p for p in programmes if str(p.pk) == request.GET.get("hanke")), programmes[0] if programmes else None
    )
    nodes = list(Node.objects.active().filter(programme=chosen)) if chosen else []
    by_id = {node.pk: node for node in nodes}
    root = by_id.get(int(request.GET["osa"])) if request.GET.get("osa", "").isdigit() else None
    root = root or chosen
    ordered = list(preorder(nodes, root_ids=[root.pk])) if root else []
    ids = [node.pk for node, _depth in ordered]
    phases, milestones = {}, {}
    for phase in Phase.objects.filter(node__in=ids, archived_at__isnull=True):
        phases.setdefault(phase.node_id, []).append(phase)
    for milestone in Milestone.objects.filter(node__in=ids, archived_at__isnull=True):
        milestones.setdefault(milestone.node_id, []).append(milestone)
    dates = [d for node, _ in ordered for d in (node.start, node.end) if d]
    dates += [d for items in phases.values() for p in items for d in (p.start, p.end) if d]
    dates += [m.planned_date for items in milestones.values() for m in items if m.planned_date]
    rows, years = [], []
    if dates:
        first, last = date(min(dates).year, 1, 1), date(max(dates).year, 12, 31)
        years = [
            {"year": y, "left": _position(date(y, 1, 1), date(y, 12, 31), first, last)[0]}
            for y in range(first.year, last.year + 1)
        ]
        for node, depth in ordered:
            items = [("phase", p.name, p.start, p.end) for p in phases.get(node.pk, []) if p.start and p.end]
            if node.start and node.end:
                items.insert(0, ("node", node.name, node.start, node.end))
            marks = [m for m in milestones.get(node.pk, []) if m.planned_date]
            if not items and not marks:
                continue
            rows.append(
                {
                    "node": node,
                    "depth": depth,
                    "bars": [
                        {"kind": kind, "label": label, "start": s, "end": e, "pos": _position(s, e, first, last)}
                        for kind, label, s, e in items
                    ],
                    "milestones": [
                        {"milestone": m, "left": _position(m.planned_date, m.planned_date, first, last)[0]}
                        for m in marks
                    ],
                }
            )
    context = {
        "programmes": programmes,
        "chosen": chosen,
        "subtrees": [node for node, depth in preorder(nodes) if node.kind != Node.Kind.MEASURE and depth <= 2],
        "root": root,
        "rows": rows,
        "years": years,
    }
    return render(request, "milestones/timeline.html", context)
