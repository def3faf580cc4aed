import hashlib
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.archive import export_generate
from reports.exporters.xlsx import measures_workbook
from reports.models import Export
from tests.factories import ExportFactory

from .month import small_programme


def test_measures_workbook_has_real_numbers_and_no_formulas_from_text():
    rows = [
        {
            "programme": "Koe",
            "path": "Osa-alue 1",
            "code": "M1",
            "name": "=1+1",
            "tasks": ["a", "b"],
            "persons": ["A", "B"],
            "start": None,
            "end": None,
            "budget": Decimal("2692332.00"),
        }
    ]
    sheet = load_workbook(BytesIO(measures_workbook("Koe", rows))).active
    assert [cell.value for cell in sheet[1]][:4] == ["Hanke", "Osahanke", "Tunnus", "Toimenpide"]
    assert sheet["D2"].value == "'=1+1"
    assert sheet["D2"].data_type == "s"
    assert sheet["E2"].value == "1) a\n2) b"
    assert sheet["I2"].value == 2692332
    assert sheet["I2"].data_type == "n"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I2"


@pytest.mark.django_db
def test_generating_an_export_twice_makes_one_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    export = ExportFactory(programme=small_programme())
    assert export_generate(export.pk) is True
    assert export_generate(export.pk) is False
    export.refresh_from_db()
    assert export.status == Export.Status.DONE
    assert len(list(tmp_path.rglob("*.xlsx"))) == 1
    content = export.file.read()
    assert export.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.django_db
def test_anonymous_visitor_cannot_request_or_download_an_export(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    export = ExportFactory(programme=small_programme())
    export_generate(export.pk)
    for url, method in (
        (reverse("reports:export_create", args=[export.programme.pk]), client.post),
        (reverse("reports:export_download", args=[export.pk]), client.get),
        (export.get_absolute_url(), client.get),
    ):
        response = method(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert Export.objects.count() == 1
