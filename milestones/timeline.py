"""The timeline's drawing: where each bar, milestone and year sits on the time axis, drawn as SVG.

Positions are percentages of the axis, written by ``machine_number`` (``"33.33"``), so the page and
any print of it lay out the same in every language. Dates are inclusive: a bar from 1.1.2023 to
31.12.2023 covers exactly that year's share of the axis.
"""

from datetime import date, timedelta

from popsote.numbers import machine_number


class Axis:
    """The span from 1 January of the first year to 31 December of the last, in days."""

    def __init__(self, dates):
        self.first = date(min(dates).year, 1, 1)
        self.last = date(max(dates).year, 12, 31)
        self.days = (self.last - self.first).days + 1

    def percent(self, day):
        """Where ``day`` starts on the axis, in percent (clamped to the axis)."""
        day = min(max(day, self.first), self.last + timedelta(days=1))
        return (day - self.first).days / self.days * 100

    def bar(self, start, end):
        """``(x, width)`` in percent of a bar from ``start`` to ``end`` (both days included)."""
        start, end = max(start, self.first), min(end, self.last)
        if end < start:
            return None
        x = self.percent(start)
        return machine_number(x), machine_number(self.percent(end + timedelta(days=1)) - x)

    def years(self):
        return [
            {"year": year, "x": machine_number(self.percent(date(year, 1, 1)))}
            for year in range(self.first.year, self.last.year + 1)
        ]


def timeline_rows(ordered, phases, milestones):
    """Rows of the drawing for ``ordered`` [(node, depth)], with their ``phases`` and ``milestones`` by node id.

    Returns ``(axis, rows)``; ``axis`` is None when nothing has a date.
    """
    dates = [d for node, _ in ordered for d in (node.start, node.end) if d]
    dates += [d for items in phases.values() for p in items for d in (p.start, p.end) if d]
    dates += [m.planned_date for items in milestones.values() for m in items if m.planned_date]
    if not dates:
        return None, []
    axis = Axis(dates)
    rows = []
    for node, depth in ordered:
        items = [("phase", p.name, p.start, p.end) for p in phases.get(node.pk, []) if p.start and p.end]
        if node.start and node.end:
            items.insert(0, ("node", node.name, node.start, node.end))
        marks = [m for m in milestones.get(node.pk, []) if m.planned_date]
        if not items and not marks:
            continue
        bars = []
        for kind, label, start, end in items:
            position = axis.bar(start, end)
            bars.append({"kind": kind, "label": label, "start": start, "end": end, "pos": position})
        rows.append(
            {
                "node": node,
                "depth": depth,
                "bars": bars,
                "milestones": [{"milestone": m, "x": machine_number(axis.percent(m.planned_date))} for m in marks],
            }
        )
    return axis, rows
