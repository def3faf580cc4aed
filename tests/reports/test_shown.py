"""How the reporting pages and the report word what they show: values by their unit, targets only
when there are any, and an export page that stops saying the file is coming once it is there."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from indicators.models import Indicator, Measurement, indicator_progress
from portfolio.models import Node
from portfolio.permissions import Role
from reports.exporters.pdf import report_html
from reports.models import Export
from reports.report_data import monthly_report_rows
from tests.factories import ExportFactory, UserFactory

from .month import popdigi_october

pytestmark = pytest.mark.django_db


def nps(node):
    indicator = Indicator.objects.create(node=node, name="Asiakaskokemus (NPS)", unit="NPS")
    Measurement.objects.create(indicator=indicator, month=date(2026, 10, 1), value=Decimal("32.50"), source="Kysely")
    return indicator


def test_an_indicator_without_a_target_is_measured_but_never_on_target(popsote):
    indicator = nps(Node.objects.get(programme__code="POPDIGI2", code="P4I1-3"))
    progress = indicator_progress(indicator, [], indicator.measurements.get())
    assert (progress.value, progress.target, progress.on_track) == (Decimal("32.50"), None, None)


def test_the_dashboard_shows_a_value_by_its_unit_and_no_target_as_none(logged_in, popsote):
    october = popdigi_october(UserFactory(username="raportoija"))
    nps(Node.objects.get(programme__code="POPDIGI2", code="P4I1-3"))
    html = logged_in.get(
        reverse("reports:dashboard"), {"programme": october.programme_id, "period": october.pk}
    ).content.decode()
    row = html[html.index("Asiakaskokemus (NPS)") :]
    row = row[: row.index("</tr>")]
    assert "32,5\xa0NPS (10/2026)" in row and "Ei tavoitetta" in row and "Tavoitteessa" not in row
    assert "72,5\xa0% (10/2026)" in html  # 7 vrk hoitoon pääsy, 72.50 measured


def test_the_report_says_on_target_only_against_a_target(popsote):
    october = popdigi_october(UserFactory(username="raportoija"))
    dental = Node.objects.get(programme__code="POPDIGI2", code="P4I1-3")
    nps(dental)
    html = report_html(monthly_report_rows(october, node=dental))
    start = html.index("Asiakaskokemus (NPS)")
    paragraph = html[start : html.index("</p>", start)]
    assert "Viimeisin arvo 32,5\xa0NPS (10/2026)" in paragraph
    # Without a target the report says so, and says nothing of being on it or behind it.
    assert paragraph.endswith("Viimeisin arvo 32,5\xa0NPS (10/2026) · tavoitetta ei ole asetettu")
    assert "tavoitteen mukaisesti" not in paragraph and "jäljessä" not in paragraph


def test_the_export_page_says_the_file_is_coming_until_it_is_ready(client, popsote):
    user = UserFactory(username="pyytaja", first_name="Pirjo", last_name="Pyytäjä")
    user.groups.add(Group.objects.get_or_create(name=Role.FINANCE)[0])  # an account without a role reads nothing
    client.force_login(user)
    programme = Node.objects.get(code="POPDIGI2", parent=None)
    export = ExportFactory(programme=programme, requested_by=user)
    html = client.get(export.get_absolute_url()).content.decode()
    assert "Tiedosto on ladattavissa tällä sivulla, kun se on valmis." in html
    assert 'role="status"' not in html  # no message of the request that would outlive it
    assert 'Pyytäjä</dt><dd class="col-sm-9">Pirjo Pyytäjä' in html
    Export.objects.filter(pk=export.pk).update(status=Export.Status.DONE, version=1, sha256="0" * 64)
    part = client.get(export.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "kun se on valmis" not in part and "Lataa tiedosto" in part
