from decimal import Decimal

import pytest
from django.db import models
from django.template import Context, Template
from django.utils import translation

from popsote.money import MoneyField
from popsote.numbers import format_number, format_quantity, machine_number

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("32.50"), "32,5"),
        (Decimal("80.00"), "80"),
        (Decimal("1250"), f"1{NBSP}250"),
        (Decimal("-0.004"), "0"),
        (Decimal("-12.345"), "−12,35"),
        (7, "7"),
        (None, ""),
    ],
)
def test_numbers_for_people_are_finnish_without_forced_decimals(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (Decimal("32.50"), "NPS", f"32,5{NBSP}NPS"),
        (Decimal("80.00"), "%", f"80{NBSP}%"),
        (Decimal("4"), "", "4"),
        (Decimal("1500.00"), "€", f"1{NBSP}500{NBSP}€"),
    ],
)
def test_a_measured_value_is_shown_by_its_unit(value, unit, expected):
    assert format_quantity(value, unit) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (33.333333, "33.33"),
        (10.949, "10.95"),
        (Decimal("12.50"), "12.5"),
        (90, "90"),
        (-0.001, "0"),
        (1234567.5, "1234567.5"),
    ],
)
def test_numbers_for_machines_have_a_dot_and_no_grouping(value, expected):
    assert machine_number(value) == expected


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_template_filters_write_machine_and_people_numbers_the_same_in_every_language(language):
    template = Template('<rect x="{{ x|machine_number }}%"><title>{{ v|number }} {{ v|quantity:"%" }}</title></rect>')
    with translation.override(language):
        html = template.render(Context({"x": 33.333, "v": Decimal("32.50")}))
    assert html == f'<rect x="33.33%"><title>32,5 32,5{NBSP}%</title></rect>'


def test_a_money_field_migrates_as_the_plain_decimal_field_it_is():
    field = MoneyField("summa")
    _name, path, _args, kwargs = field.deconstruct()
    assert path == "django.db.models.DecimalField"
    assert (kwargs["max_digits"], kwargs["decimal_places"]) == (14, 2)
    assert isinstance(field, models.DecimalField)
