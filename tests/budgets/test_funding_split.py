from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from budgets.selectors import funding_split

amounts = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2)
rates = st.decimals(min_value=0, max_value=100, places=2)


@given(amounts, rates)
def test_funding_split_never_loses_or_creates_a_cent(total, rate):
    grant, own = funding_split(total, rate)
    assert grant + own == total
    assert grant.as_tuple().exponent == -2 and own.as_tuple().exponent == -2
    assert abs(grant - total * rate / 100) <= Decimal("0.005")
    assert grant >= 0 and own >= 0


def test_funding_split_of_the_seeds():
    assert funding_split(Decimal("15679000"), 80) == (Decimal("12543200.00"), Decimal("3135800.00"))
    assert funding_split(Decimal("19083000"), 100) == (Decimal("19083000.00"), Decimal("0.00"))
    assert funding_split(Decimal("433333.33"), 80) == (Decimal("346666.66"), Decimal("86666.67"))
