"""Numbers that are not euro amounts, for people and for machines (euros: ``popsote.money``).

Registered as a template builtin, so every template has:

- ``{{ value|number }}``: for people, the Finnish way in every language (``32,5``, ``1 250``): a
  decimal comma, no-break spaces between thousands, no decimals that are zeros;
- ``{{ value|quantity:unit }}``: a measured value with its unit (``80 %``, ``32,5 NPS``; euros as money);
- ``{{ value|machine_number }}``: for CSS, SVG, ``data-`` attributes, JSON and URLs (``33.33``): a dot,
  no grouping, whatever the language. Python code that draws (charts, the timeline) calls
  ``machine_number`` itself, so a drawing never depends on the template's locale.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from .money import NBSP, format_euros

register = template.Library()


def _digits(value, places):
    """``value`` rounded half up to at most ``places`` decimals, as "whole" and "fraction" (no trailing zeros)."""
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(str(value) if isinstance(value, float) else value).quantize(quantum, rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{abs(rounded):.{places}f}".partition(".")
    return rounded < 0, whole, fraction.rstrip("0")


def format_number(value, places=2):
    """``Decimal("32.50")`` → ``"32,5"``; ``1250`` → ``"1 250"`` (no-break space); ``None`` → ``""``."""
    if value is None or value == "":
        return ""
    negative, whole, fraction = _digits(value, places)
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = NBSP.join(groups) + ("," + fraction if fraction else "")
    return ("−" + text) if negative and text.strip("0,\xa0") else text


def format_quantity(value, unit=""):
    """A measured value with its unit: ``80 %``, ``32,5 NPS``, ``4 alue``; a euro unit is shown as money."""
    if value is None or value == "":
        return ""
    unit = (unit or "").strip()
    if unit in ("€", "euroa", "EUR"):
        return format_euros(value)
    number = format_number(value)
    return f"{number}{NBSP}{unit}" if unit else number


def machine_number(value, places=2):
    """``33.333…`` → ``"33.33"``, ``90`` → ``"90"``: for machines, never localised (see the module docstring)."""
    if isinstance(value, bool) or value is None:
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, int):
        return str(value)
    negative, whole, fraction = _digits(value, places)
    text = whole + ("." + fraction if fraction else "")
    return "-" + text if negative and text != "0" else text


@register.filter
def number(value):
    return format_number(value)


@register.filter
def quantity(value, unit=""):
    return format_quantity(value, unit)


@register.filter(name="machine_number")
def machine_number_filter(value):
    return machine_number(value)
