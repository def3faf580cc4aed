"""Euro amounts: parsing what people type and showing them the Finnish way (``1 228 500 €``).

Registered as a template builtin, so every template has ``{{ amount|euro }}``.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.db import models

NBSP = "\xa0"
CENT = Decimal("0.01")

register = template.Library()


class MoneyField(models.DecimalField):
    """A euro amount: ``DecimalField(max_digits=14, decimal_places=2)``, shown to people with ``format_euros``.

    It migrates as the plain DecimalField it is; the class only tells money from other decimals (an
    indicator's 32,5, a grant rate) where values are shown generically, as in the change history.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


def parse_euros(text):
    """Read ``1 228 500``, ``1228500,00`` or ``1 228 500 €`` as a Decimal; raise ValueError."""
    cleaned = str(text).replace("€", "").replace(NBSP, "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def format_euros(value, cents=None):
    """``Decimal("1228500")`` → ``"1 228 500 €"`` (no-break spaces); cents only when there are any."""
    if value is None or value == "":
        return ""
    value = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    if cents is None:
        cents = value != value.to_integral_value()
    sign = "−" if value < 0 else ""
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = NBSP.join(groups)
    if cents:
        text += "," + fraction
    return f"{sign}{text}{NBSP}€"


@register.filter
def euro(value):
    return format_euros(value)
