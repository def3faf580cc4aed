from decimal import Decimal

import pytest

from popsote.money import format_euros, parse_euros


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1228500"), "1\xa0228\xa0500\xa0€"),
        (Decimal("19083000.00"), "19\xa0083\xa0000\xa0€"),
        (Decimal("433333.5"), "433\xa0333,50\xa0€"),
        (Decimal("999"), "999\xa0€"),
        (Decimal("0"), "0\xa0€"),
        (Decimal("-14000"), "−14\xa0000\xa0€"),
        (Decimal("0.005"), "0,01\xa0€"),
    ],
)
def test_format_euros_writes_finnish_amounts(value, expected):
    assert format_euros(value) == expected


def test_format_euros_of_nothing_is_empty():
    assert format_euros(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 228 500", Decimal("1228500")),
        ("1228500,00", Decimal("1228500.00")),
        ("1\xa0228\xa0500 €", Decimal("1228500")),
    ],
)
def test_parse_euros_accepts_what_people_type(text, expected):
    assert parse_euros(text) == expected


@pytest.mark.parametrize("text", ["12,3,4", "abc", "NaN", "Infinity", ""])
def test_parse_euros_refuses_malformed_amounts(text):
    with pytest.raises(ValueError):
        parse_euros(text)
