import pytest
from django.urls import reverse

from portfolio.models import Node

pytestmark = pytest.mark.django_db


def programme(code):
    return Node.objects.get(code=code, parent=None)


def test_timeline_shows_periods_phases_and_milestones(logged_in, popsote):
    response = logged_in.get(reverse("milestones:timeline"), {"hanke": programme("POPDIGI2").pk})
    first = response.context["rows"][0]
    assert first["node"].code == "POPDIGI2"
    assert [(b["kind"], b["start"].isoformat(), b["end"].isoformat()) for b in first["bars"]][:2] == [
        ("node", "2023-01-01", "2025-12-31"),
        ("phase", "2023-01-01", "2023-04-30"),
    ]
    # Percentages of the axis 1.1.2023–31.12.2025 (1 096 days); the valmisteluvaihe is its first 120.
    assert [bar["pos"] for bar in first["bars"][:2]] == [("0", "100"), ("0", "10.95")]
    assert [year["year"] for year in response.context["years"]] == [2023, 2024, 2025]
    html = response.content.decode()
    assert 'x="0%" width="10.95%"' in html
    assert "1.1.2023–31.12.2025" in html and "Valmisteluvaihe" in html


def test_timeline_of_a_sub_project_has_its_milestones(logged_in, popsote):
    ot = Node.objects.get(programme__code="RAKENNE", code="OA4-OT")
    response = logged_in.get(reverse("milestones:timeline"), {"hanke": programme("RAKENNE").pk, "osa": ot.pk})
    rows = response.context["rows"]
    assert rows[0]["node"] == ot
    assert len(rows[0]["milestones"]) == 6
    assert "Projektipäällikkö 1.10.2020, Pertti Virta" in response.content.decode()


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_timeline_positions_are_machine_numbers_in_every_language(logged_in, popsote, language):
    import re

    rakenne = programme("RAKENNE")
    response = logged_in.get(
        reverse("milestones:timeline"), {"hanke": rakenne.pk}, headers={"Accept-Language": language}
    )
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    positions = re.findall(r' (?:x|x1|x2|width)="([^"]*%)"', html)
    assert len(positions) > 20
    assert [p for p in positions if not re.fullmatch(r"\d+(\.\d+)?%", p)] == []
