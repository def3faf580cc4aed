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
