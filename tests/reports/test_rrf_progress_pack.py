"""An RRF target's progress period by period, and the evidence pack zipped with its files for the archive."""

import hashlib
import zipfile
from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from reports.archive import export_generate
from reports.models import Export, ReportingPeriod, RetentionRefused, RrfProgress
from reports.rrf import MANIFEST, PACK_WORKBOOK, RrfError, rrf_progress_record
from tests.portfolio.test_editing import make_user

from .test_evaluation_rrf import client_for, programme

pytestmark = pytest.mark.django_db


def period(code, month, status=ReportingPeriod.Status.OPEN):
    return ReportingPeriod.objects.create(programme=programme(code), month=month, deadline=month, status=status)


def progress_url(target):
    return reverse("reports:rrf_progress_create", args=[target.pk])


def test_the_office_records_a_targets_progress_per_period_and_a_correction_is_the_next_version():
    office_user = make_user("office")
    office = client_for(office_user)
    popdigi = programme("POPDIGI2")
    target = popdigi.rrf_targets.order_by("pk").first()
    june, september = period("POPDIGI2", date(2025, 6, 1)), period("POPDIGI2", date(2025, 9, 1))
    for month, value, status in ((june, "62 %", "in_progress"), (september, "70 %", "in_progress")):
        response = office.post(progress_url(target), {"period": month.pk, "value": value, "status": status})
        assert response.status_code == 302 and response["Location"].endswith(f"#tavoite-{target.pk}")
    office.post(progress_url(target), {"period": june.pk, "value": "64 %", "status": "in_progress", "text": "Korjattu"})
    assert list(target.progress_entries.values_list("period__month", "version", "value")) == [
        (date(2025, 6, 1), 1, "62 %"),
        (date(2025, 6, 1), 2, "64 %"),
        (date(2025, 9, 1), 1, "70 %"),
    ]
    page = office.get(reverse("reports:rrf", args=[popdigi.pk])).content.decode()
    section = page[page.index(f'id="tavoite-{target.pk}"') :]
    section = section[: section.index("</section>")]
    assert "64 %" in section and "70 %" in section and "62 %" not in section
    assert "korjaus, versio 2" in section and "1 aiempi versio on tallessa RRF-todistepaketissa." in section
    assert section.count("Etenee") >= 3  # the target's status and its two periods
    target.refresh_from_db()
    assert target.status == "in_progress"
    office.post(progress_url(target), {"period": june.pk, "value": "64 %", "status": "achieved"})
    target.refresh_from_db()
    assert target.status == "in_progress"  # September's entry is the latest period's
    corrected = RrfProgress.objects.get(period=june, version=2)
    assert corrected.history.first().history_user == office_user
    assert corrected.retain_until == date(2032, 12, 31)
    with pytest.raises(RetentionRefused):
        corrected.save()
    with pytest.raises(RetentionRefused):
        RrfProgress.objects.filter(pk=corrected.pk).delete()

    lead = client_for(make_user("lead"))
    assert lead.post(progress_url(target), {"period": june.pk, "status": "achieved"}).status_code == 403
    assert RrfProgress.objects.count() == 4


def test_progress_is_refused_for_a_closed_period_a_period_of_another_programme_and_odd_input():
    office_user = make_user("office")
    office = client_for(office_user)
    target = programme("POPDIGI2").rrf_targets.order_by("pk").first()
    closed = period("POPDIGI2", date(2025, 3, 1), status=ReportingPeriod.Status.CLOSED)
    other = period("TSK", date(2025, 3, 1))
    with pytest.raises(RrfError, match="Kausi 03/2025 on suljettu"):
        rrf_progress_record(target=target, period=closed, status="achieved", user=office_user)
    with pytest.raises(RrfError, match="Kausi ei kuulu tämän tavoitteen hankkeeseen."):
        rrf_progress_record(target=target, period=other, status="achieved", user=office_user)
    for data in (
        {"period": closed.pk, "status": "achieved"},
        {"period": other.pk, "status": "achieved"},
        {"period": "9" * 30, "status": "achieved"},
        {"period": "x\x00", "status": "nope"},
    ):
        response = office.post(progress_url(target), data, follow=True)
        assert response.status_code == 200 and "Valitse oikea vaihtoehto." in response.content.decode()
    assert not RrfProgress.objects.exists()


def test_the_zipped_pack_holds_the_workbook_every_evidence_file_and_their_sha256(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    office = client_for(make_user("office"))
    popdigi = programme("POPDIGI2")
    first, second = popdigi.rrf_targets.order_by("pk")[:2]
    files = {
        "THL raportti 6/2025.pdf": (first, b"%PDF-1.4 hoitoon paasy " * 5000),
        "../../etc/passwd": (second, b"ei polkuja paketista ulos"),
    }
    for name, (target, content) in files.items():
        office.post(
            reverse("reports:rrf_evidence_create", args=[target.pk]),
            {"description": f"Näyttö {name}", "file": SimpleUploadedFile(name, content)},
        )
    office.post(
        reverse("reports:rrf_evidence_create", args=[first.pk]),
        {"description": "Julkaisu", "link": "https://thl.fi/hoitoonpaasy"},
    )
    june = period("POPDIGI2", date(2025, 6, 1))
    office.post(progress_url(first), {"period": june.pk, "value": "62 %", "status": "in_progress"})

    response = office.post(reverse("reports:programme", args=[popdigi.pk]), {"kind": "rrf_pack_zip"})
    export = Export.objects.get(kind=Export.Kind.RRF_PACK_ZIP)
    assert response.status_code == 302 and response["Location"] == export.get_absolute_url()
    assert export_generate(export.pk) is True
    export.refresh_from_db()
    assert (export.status, export.retain_until) == (Export.Status.DONE, date(2032, 12, 31))
    zipped = b"".join(office.get(reverse("reports:export_download", args=[export.pk])).streaming_content)
    assert export.sha256 == hashlib.sha256(zipped).hexdigest()

    with zipfile.ZipFile(BytesIO(zipped)) as pack:
        names = pack.namelist()
        manifest = [line.split("  ", 1) for line in pack.read(MANIFEST).decode().splitlines()]
        assert sorted(name for _digest, name in manifest) == sorted(set(names) - {MANIFEST})
        for digest, name in manifest:
            assert hashlib.sha256(pack.read(name)).hexdigest() == digest
        workbook = load_workbook(BytesIO(pack.read(PACK_WORKBOOK)))
        evidence = list(workbook["Näytöt"].iter_rows(values_only=True))
        assert evidence[0][2:5] == ("Tiedosto", "Paketissa", "SHA-256")
        in_pack = {row[1]: (row[3], row[4]) for row in evidence[1:] if row[2]}
        assert len(in_pack) == 2 and len(evidence) == 4
        for name, (_target, content) in files.items():
            path, digest = in_pack[f"Näyttö {name}"]
            assert path.startswith("naytot/") and "/" not in path.removeprefix("naytot/")
            assert pack.read(path) == content and digest == hashlib.sha256(content).hexdigest()
        progress = list(workbook["Eteneminen kausittain"].iter_rows(values_only=True))
        assert [row[1:6] for row in progress[1:]] == [("06/2025", 1, "kyllä", "62 %", "Etenee")]
        targets = list(workbook["Tavoitteet"].iter_rows(values_only=True))
        assert {row[2]: row[11] for row in targets[1:]}[first.description] == "06/2025: 62 %"


def test_only_an_rrf_programme_has_the_zipped_pack():
    office = client_for(make_user("office"))
    tsk = programme("TSK")
    response = office.post(reverse("reports:programme", args=[tsk.pk]), {"kind": "rrf_pack_zip"})
    assert response.status_code == 400 and "Valitse oikea vaihtoehto." in response.content.decode()
    assert not Export.objects.exists()
