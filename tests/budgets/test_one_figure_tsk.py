"""One number for one thing, the second half of the walk: Tulevaisuuden sote-keskus's nodes (the first half is
in test_one_figure.py, the fixtures in conftest.py; the walk is split so that both test processes share it)."""

import pytest
from django.db.models import Count

from portfolio.models import Node

from .test_one_figure import WALKED_HERE, walk

pytestmark = pytest.mark.django_db

WALKED_HERE_TOO = ["TSK"]


def test_every_node_of_tulevaisuuden_sote_keskus_shows_one_plan_actual_and_remaining_everywhere(office_client, costs):
    compared = walk(office_client, WALKED_HERE_TOO)
    assert compared["nodes"] == 123
    assert compared["pdf"] == 1 + 6  # the programme and its six reporting units


def test_the_two_halves_walk_every_node_of_the_three_programmes():
    counts = dict(
        Node.objects.active()
        .filter(programme__code__in=WALKED_HERE + WALKED_HERE_TOO)
        .values_list("programme__code")
        .annotate(count=Count("pk"))
    )
    assert counts == {"POPDIGI2": 69, "RAKENNE": 95, "TSK": 123}
    assert sum(counts.values()) == 287
