"""The portfolio workbook's import over the API: the project office's, as on the page."""

import pytest

from portfolio.models import Node
from tests.reports.test_plan_workbook import small, workbook_of

pytestmark = pytest.mark.django_db


def test_over_the_api_the_office_sends_a_workbook_and_confirms_its_preview(api_client, popsote, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from reports import plan_import
    from reports.models import PlanUpload

    sent = []
    monkeypatch.setattr(plan_import, "send", lambda task, pk: sent.append(pk))
    client = api_client("office")
    content = workbook_of(small(code="API"))
    response = client.post(reverse("api:planupload-list"), {"file": SimpleUploadedFile("api.xlsx", content)})
    assert response.status_code == 202, response.content
    upload = PlanUpload.objects.get()
    assert response.json()["status"] == "queued" and response["Location"].endswith(f"/{upload.pk}/")
    plan_import.plan_upload_run(upload.pk)
    detail = client.get(reverse("api:planupload-detail", args=[upload.pk])).json()
    assert detail["status"] == "preview" and detail["preview"]["programme"]["code"] == "API"
    confirmed = client.post(reverse("api:planupload-confirm", args=[upload.pk]), {}, format="json")
    assert confirmed.status_code == 202 and confirmed.json()["status"] == "queued"
    again = client.post(reverse("api:planupload-confirm", args=[upload.pk]), {}, format="json")
    assert again.status_code == 409
    plan_import.plan_upload_run(upload.pk)
    assert Node.objects.filter(code="API", parent=None).exists()
    steering = api_client("steering")
    assert steering.get(reverse("api:planupload-detail", args=[upload.pk])).status_code == 403
