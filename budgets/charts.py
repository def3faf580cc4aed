"""Charts drawn on the server as SVG: one drawing for the page and the PDF, readable without JavaScript."""

from decimal import Decimal

WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 640, 240, 90, 30, 12, 12


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
        return round(TOP + span_y - float(value / top) * span_y, 1)

    coords = [(round(LEFT + i * step, 1), y(value)) for i, (_month, value) in enumerate(points)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "top": TOP,
        "polyline": " ".join(f"{x},{yy}" for x, yy in coords),
        "dots": [{"x": x, "y": yy, "month": m, "value": v} for (x, yy), (m, v) in zip(coords, points, strict=True)],
        "plan_y": y(plan_total) if plan_total else None,
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
        return round(float(value / top) * span, 1)

    bars = []
    for index, row in enumerate(rows):
        y = 8 + index * BAR_ROW
        bars.append(
            {
                "label": row["label"],
                "y": y,
                "plan": row["plan"],
                "actual": row["actual"],
                "plan_width": length(row["plan"]),
                "actual_width": length(row["actual"]),
                "over": row["actual"] > row["plan"],
                "text_x": BAR_LABEL + max(length(row["plan"]), length(row["actual"])) + 6,
            }
        )
    return {"width": BAR_WIDTH, "height": 16 + len(rows) * BAR_ROW, "left": BAR_LABEL, "bars": bars}


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
        return round(bottom - float((value - low) / spread) * (bottom - top), 1)

    coords = [(round(left + i * step, 1), y(value)) for i, (_month, value) in enumerate(points)]
    return {
        "width": LINE_WIDTH,
        "height": LINE_HEIGHT,
        "left": left,
        "right": right,
        "top": top,
        "bottom": bottom,
        "polyline": " ".join(f"{x},{yy}" for x, yy in coords),
        "dots": [{"x": x, "y": yy, "month": m, "value": v} for (x, yy), (m, v) in zip(coords, points, strict=True)],
        "target_y": y(target) if target is not None else None,
        "target": target,
        "first": points[0][0],
        "last": points[-1][0],
    }
