"""Charts drawn on the server as SVG: one drawing for the page and the PDF, readable without JavaScript.

Every coordinate leaves here as a string written by ``machine_number`` (``"45.3"``), so no template
arithmetic and no locale (the Finnish decimal comma) ever reaches an SVG attribute. The values shown
to people (amounts, months) stay numbers and dates for the templates to format.
"""

from decimal import Decimal

from popsote.numbers import machine_number

WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 640, 240, 90, 30, 12, 12


def _n(value):
    return machine_number(value, places=1)


def cumulative_spend(monthly, plan_total):
    """Geometry for a line of cumulative actual costs by month against the planned total.

    ``monthly`` is [(first day of month, amount)] in order. Returns None when there is nothing to draw.
    """
    if not monthly:
        return None
    running, points = Decimal(0), []
    for month, amount in monthly:
        running += amount
        points.append((month, running))
    top = max([running, plan_total or Decimal(0), *(p[1] for p in points)]) or Decimal(1)
    span_x = WIDTH - LEFT - RIGHT
    span_y = HEIGHT - TOP - BOTTOM
    step = span_x / max(len(points) - 1, 1)

    def y(value):
        # Pixel coordinates of the drawing, not money: a float is right here.
        return TOP + span_y - float(value / top) * span_y

    coords = [(LEFT + i * step, y(value)) for i, (_month, value) in enumerate(points)]
    plan_y = y(plan_total) if plan_total else None
    return {
        "width": _n(WIDTH),
        "height": _n(HEIGHT),
        "left": _n(LEFT),
        "right": _n(WIDTH - RIGHT),
        "bottom": _n(HEIGHT - BOTTOM),
        "top": _n(TOP),
        "label_x": _n(LEFT - 6),
        "top_label_y": _n(TOP + 10),
        "month_label_y": _n(HEIGHT - BOTTOM + 18),
        "polyline": " ".join(f"{_n(x)},{_n(yy)}" for x, yy in coords),
        "dots": [
            {"x": _n(x), "y": _n(yy), "month": m, "value": v} for (x, yy), (m, v) in zip(coords, points, strict=True)
        ],
        "plan_y": _n(plan_y) if plan_y is not None else None,
        "plan_label_y": _n(plan_y - 4) if plan_y is not None else None,
        "plan_total": plan_total,
        "top_value": top,
        "first": points[0][0],
        "last": points[-1][0],
        "total": running,
    }


BAR_WIDTH, BAR_LABEL, BAR_ROW = 640, 200, 26


def plan_actual_bars(rows):
    """Geometry for plan and actual bars per cost category (``rows`` of dicts with label, plan, actual)."""
    if not rows:
        return None
    top = max(max(row["plan"], row["actual"]) for row in rows) or Decimal(1)
    span = BAR_WIDTH - BAR_LABEL - 110

    def length(value):
        # Pixel lengths of the drawing, not money: a float is right here.
        return max(float(value / top) * span, 0)

    bars = []
    for index, row in enumerate(rows):
        y = 8 + index * BAR_ROW
        bars.append(
            {
                "label": row["label"],
                "label_y": _n(y + 12),
                "plan_y": _n(y),
                "actual_y": _n(y + 10),
                "amount_y": _n(y + 17),
                "plan": row["plan"],
                "actual": row["actual"],
                "plan_width": _n(length(row["plan"])),
                "actual_width": _n(length(row["actual"])),
                "over": row["actual"] > row["plan"],
                "text_x": _n(BAR_LABEL + max(length(row["plan"]), length(row["actual"])) + 6),
            }
        )
    height = 16 + len(rows) * BAR_ROW
    return {
        "width": _n(BAR_WIDTH),
        "height": _n(height),
        "left": _n(BAR_LABEL),
        "label_x": _n(BAR_LABEL - 6),
        "plot": f"{_n(BAR_LABEL)} 0 {_n(BAR_LABEL + span)} {_n(height)}",
        "bars": bars,
    }


LINE_WIDTH, LINE_HEIGHT = 320, 110


def value_line(points, target):
    """Geometry for an indicator's measured values by month against its final target (``points``: [(month, value)])."""
    if not points:
        return None
    values = [value for _month, value in points] + ([target] if target is not None else [])
    low, high = min([*values, Decimal(0)]), max(values)
    spread = (high - low) or Decimal(1)
    left, right, top, bottom = 40, LINE_WIDTH - 10, 10, LINE_HEIGHT - 20
    step = (right - left) / max(len(points) - 1, 1)

    def y(value):
        # Pixel coordinates of the drawing: a float is right here.
        return bottom - float((value - low) / spread) * (bottom - top)

    coords = [(left + i * step, y(value)) for i, (_month, value) in enumerate(points)]
    target_y = y(target) if target is not None else None
    return {
        "width": _n(LINE_WIDTH),
        "height": _n(LINE_HEIGHT),
        "left": _n(left),
        "right": _n(right),
        "top": _n(top),
        "bottom": _n(bottom),
        "label_x": _n(left - 4),
        "month_label_y": _n(bottom + 12),
        "polyline": " ".join(f"{_n(x)},{_n(yy)}" for x, yy in coords),
        "dots": [
            {"x": _n(x), "y": _n(yy), "month": m, "value": v} for (x, yy), (m, v) in zip(coords, points, strict=True)
        ],
        "target_y": _n(target_y) if target_y is not None else None,
        "target_label_y": _n(target_y + 3) if target_y is not None else None,
        "target": target,
        "first": points[0][0],
        "last": points[-1][0],
    }
