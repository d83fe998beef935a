"""Agenda items members can discuss (issue 15 item 2): the SENCO's "summary for the
meeting" (with its limit), the chair's edit until the request is decided, and the case
summary each agenda item shows members, and the agenda pack carries, without the pupil's
identity."""

import datetime as dt
import html as html_module
import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from communities.tests.factories import SchoolFactory, make_senco
from requests.forms.sections import FundingForm
from requests.models import TimelineEvent
from requests.services import RequestError, decision_record, meeting_summary_edit
from requests.workflow import Action
from tests.worlds.cos import make_cos
from tests.worlds.steps import approval

pytestmark = pytest.mark.django_db

SUMMARY = "Ottoline has made little progress in reading despite two terms of support."


@pytest.fixture
def cos():
    cos = make_cos()
    cos.budget_this_year("250000.00")
    cos.member = make_senco(SchoolFactory(community=cos.community, name="Oak Primary School"))
    return cos


@pytest.fixture
def item(cos):
    return cos.on_agenda(
        cos.meeting(),
        first_name="Ottoline",
        last_name="Quartermaine",
        meeting_summary=SUMMARY,
        sen_provision="K",
        primary_need="SLCN",
    )


def test_the_senco_writes_a_summary_within_its_limit(cos):
    draft = cos.request()
    data = {"meeting_summary": "x" * 1001}
    form = FundingForm(data, request=draft)
    assert not form.is_valid()
    assert form.errors["meeting_summary"] == [
        "Summary for the meeting must be 1,000 characters or fewer"
    ]
    assert "Do not name the pupil" in form.fields["meeting_summary"].help_text
    form = FundingForm({"meeting_summary": "Reading support"}, request=draft)
    form.is_valid()
    assert form.values()["meeting_summary"] == "Reading support"


def test_members_read_each_item_as_a_case_summary_without_the_pupil(client, cos, item):
    client.force_login(cos.member)
    html = client.get(reverse("requests:meeting", args=[item.meeting_id])).content.decode()
    request = item.request
    for shown in (
        "Case summaries",
        f"Item 1: {request.reference}, Spring Primary School",
        request.get_year_group_display(),
        "SEN Support",
        request.get_primary_need_display(),
        request.funding_purpose,
        "£",
        "Small-group language intervention",  # the graduated response, in brief
        "[name removed] has made little progress in reading",
    ):
        assert shown in html, shown
    assert "Ottoline" not in html and "Quartermaine" not in html and request.upn not in html


def test_the_agenda_pack_carries_the_case_summaries(client, cos, item):
    client.force_login(cos.chair)
    response = client.get(reverse("requests:agenda_pdf", args=[item.meeting_id]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Case summaries" in text
    assert "[name removed] has made little progress in reading" in text
    assert "Ottoline" not in text


def test_the_chair_edits_the_summary_until_the_request_is_decided(client, cos, item):
    client.force_login(cos.chair)
    url = reverse("requests:meeting_summary", args=[item.request_id])
    response = client.post(url, {"meeting_summary": "y" * 1001})
    assert "Summary for the meeting must be 1,000 characters or fewer" in response.content.decode()
    item.request.refresh_from_db()
    assert item.request.meeting_summary == SUMMARY
    response = client.post(url, {"meeting_summary": "Reading age two years behind."})
    assert response.status_code == 302
    item.request.refresh_from_db()
    assert item.request.meeting_summary == "Reading age two years behind."
    event = TimelineEvent.objects.get(request=item.request, action=Action.EDIT_SUMMARY)
    assert event.actor == cos.chair
    decision_record(actor=cos.chair, item_id=item.pk, award=approval())
    with pytest.raises(RequestError, match="until the request is decided"):
        meeting_summary_edit(actor=cos.chair, request_id=item.request_id, summary="Later")


def test_only_the_chair_edits_it(client, cos, item):
    for person in (cos.senco, cos.member):
        with pytest.raises(PermissionDenied):
            meeting_summary_edit(actor=person, request_id=item.request_id, summary="Mine")
    client.force_login(cos.member)
    url = reverse("requests:meeting_summary", args=[item.request_id])
    assert client.get(url).status_code == 404
    client.force_login(make_cos().chair)
    assert client.get(url).status_code == 404


def test_each_step_is_shown_in_brief_with_the_pupils_birthday_taken_out(client, cos):
    long_step = "Born 9th March 2015, assessed on 09/03/2015 and 2015-03-09. " + "Support. " * 60
    item = cos.on_agenda(
        cos.meeting(),
        first_name="Ottoline",
        date_of_birth=dt.date(2015, 3, 9),
        graduated_do=long_step,
        graduated_review="Reviewed on 9 Mar 2015 and 9 March 2015 with OTTOLINE's family.",
    )
    client.force_login(cos.member)
    html = client.get(reverse("requests:meeting", args=[item.meeting_id])).content.decode()
    do = re.search(r"<strong>Do:</strong> ([^<]*)</p>", html)[1]
    assert do.startswith("Born [date removed], assessed on [date removed] and [date removed].")
    assert len(html_module.unescape(do)) == 300 and do.endswith("…")
    review = re.search(r"<strong>Review:</strong> ([^<]*)</p>", html)[1]
    assert html_module.unescape(review) == (
        "Reviewed on [date removed] and [date removed] with [name removed]'s family."
    )


def test_the_chair_reads_them_on_their_own_page_linked_from_the_meeting(client, cos, item):
    client.force_login(cos.chair)
    meeting = client.get(reverse("requests:meeting", args=[item.meeting_id])).content.decode()
    url = reverse("requests:case_summaries", args=[item.meeting_id])
    # The chair runs the meeting from its page: the summaries are a link away.
    assert f'href="{url}">Read the case summaries</a>' in meeting
    assert "[name removed] has made little progress" not in meeting
    page = client.get(url).content.decode()
    assert '<h1 class="govuk-heading-l" id="case-summaries">Case summaries</h1>' in page
    assert f"Item 1: {item.request.reference}, Spring Primary School</h2>" in page
    assert "[name removed] has made little progress in reading" in page
    assert "Ottoline" not in page and "Quartermaine" not in page
    # A member reads the same page; someone outside the CoS finds nothing.
    client.force_login(cos.member)
    assert client.get(url).status_code == 200
    client.force_login(make_cos().chair)
    assert client.get(url).status_code == 404
