import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from communities.models import RoleAssignment
from communities.tests.factories import SchoolFactory, make_kcc, make_senco
from requests.models import PupilIdentityView
from requests.tests.factories import DraftFactory
from tests.worlds.steps import decided

pytestmark = pytest.mark.django_db
URL = reverse("requests:subject_access")


def test_an_administrator_exports_everything_about_one_pupil(client):
    first = decided("approved", upn="E886200026001")
    second = DraftFactory(upn="E886200026001", first_name="Alex", last_name="Example")
    other = DraftFactory(upn="U886200026002", first_name="Someone", last_name="Else")
    admin = make_kcc(RoleAssignment.Role.KCC_DATA_PROTECTION)
    client.force_login(admin)
    page = client.post(URL, {"upn": "E886200026001"}).content.decode()
    assert "2 requests found" in page
    data = json.loads(client.post(URL, {"upn": "E886200026001", "format": "json"}).content)
    references = [r["reference"] for r in data["requests"]]
    assert references == [first.reference, None]
    record = data["requests"][0]
    assert record["answers"]["first_name"] == "Alex"
    assert record["decisions"][0]["outcome"] == "Approved"
    assert any(e["what"] == "Submitted" for e in record["timeline"])
    assert "Someone" not in json.dumps(data)
    assert PupilIdentityView.objects.filter(user=admin, page="subject access export").count() == 2
    pdf = client.post(URL, {"upn": "E886200026001", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    import io

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert first.reference in text and "E886200026001" in text and "Someone" not in text
    assert second.pk and other.pk


def test_search_by_name_and_date_of_birth(client):
    request = DraftFactory()
    client.force_login(make_kcc(RoleAssignment.Role.KCC_DATA_PROTECTION))
    dob = request.date_of_birth
    page = client.post(
        URL,
        {
            "first_name": "alex",
            "last_name": "EXAMPLE",
            "date_of_birth_0": dob.day,
            "date_of_birth_1": dob.month,
            "date_of_birth_2": dob.year,
        },
    ).content.decode()
    assert "1 request found" in page
    empty = client.post(URL, {"first_name": "alex"}).content.decode()
    assert "Enter the pupil&#x27;s UPN, or their first name, last name and date of birth" in empty


def test_only_data_protection_can_search_and_export(client):
    client.force_login(make_senco(SchoolFactory()))
    assert client.post(URL, {"upn": "E886200026001", "format": "json"}).status_code == 404
    # A KCC administrator (staff, with the administrator's permissions) is not data
    # protection: refused, and nothing is searched.
    client.force_login(make_kcc())
    refused = client.post(URL, {"upn": "E886200026001", "format": "json"})
    assert refused.status_code == 403
    assert PupilIdentityView.objects.count() == 0
