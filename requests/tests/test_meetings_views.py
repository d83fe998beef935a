"""The chair's pages, and who may see them: the chair of the CoS (owner), a SENCO of a
member school (an allowed reader of meetings: 403 on the chair's pages), and outsiders
(404). Member schools never see a pupil's identity on a meeting's pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.tests.factories import SchoolFactory, make_board, make_officer, make_senco
from requests.models import Meeting, PupilIdentityView
from requests.services import agenda_add, decision_record, interim_decision_record
from requests.tests.factories import VALID_UPN, DraftFactory, MeetingFactory
from tests.worlds.cos import make_cos
from tests.worlds.steps import approval, attended_by_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def cos():
    cos = make_cos()
    cos.budget_this_year("250000.00")
    return cos


@pytest.fixture
def meeting(cos):
    return cos.meeting()


def _identity_leaks(html: str, request) -> list[str]:
    found = [
        value
        for value in (request.first_name, request.last_name, request.upn)
        if value and value in html
    ]
    dob = request.date_of_birth
    for shown in (dob.strftime("%d/%m/%Y"), f"{dob.day} {dob:%B %Y}", dob.isoformat()):
        if shown in html:
            found.append(shown)
    return found


def test_chair_home_lists_waiting_requests_oldest_first_with_exceptional_marked(client, cos):
    first = cos.request(first_name="Zed")
    second = cos.request(
        is_exceptional=True, exceptional_reason="tribunal", exceptional_why_now="Order"
    )
    DraftFactory(school=cos.school, created_by=cos.senco, first_name="Drafty")
    client.force_login(cos.chair)
    response = client.get(reverse("requests:community", args=[cos.community.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(first.reference) < html.index(second.reference)
    assert "Exceptional" in html
    assert reverse("requests:interim", args=[second.pk]) in html
    assert reverse("requests:interim", args=[first.pk]) not in html
    assert "Drafty" not in html and "Draft" not in html
    assert ">£250,000<" in html  # this year's total budget, to the pound
    assert reverse("budgets:finance", args=[cos.community.pk]) in html


def test_chair_home_is_the_chairs_only(client, cos):
    url = reverse("requests:community", args=[cos.community.pk])
    for outsider in (
        make_cos().chair,
        cos.senco,
        make_officer(cos.community.area),
        make_board(cos.community.area),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_chairs_never_see_drafts_or_other_cos_requests(client, cos):
    draft = DraftFactory(school=cos.school, created_by=cos.senco)
    elsewhere = make_cos().request()
    client.force_login(cos.chair)
    assert client.get(reverse("requests:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("requests:detail", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("requests:interim", args=[elsewhere.pk])).status_code == 404


def test_meeting_page_for_the_chair_and_the_pseudonymised_agenda_for_member_schools(
    client, cos, meeting
):
    item = cos.on_agenda(meeting, first_name="Ottoline", last_name="Quartermaine")
    request = item.request
    client.force_login(cos.chair)
    chair_page = client.get(reverse("requests:meeting", args=[meeting.pk])).content.decode()
    assert request.reference in chair_page
    assert reverse("requests:decide", args=[meeting.pk, item.pk]) in chair_page
    assert "£8,000.00" in chair_page

    other_member = SchoolFactory(community=cos.community)
    from communities.tests.factories import make_senco

    for senco in (cos.senco, make_senco(other_member)):
        client.force_login(senco)
        response = client.get(reverse("requests:meeting", args=[meeting.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert request.reference in html
        assert "Year 3" in html and "SLCN" in html and "£8,000.00" in html
        assert _identity_leaks(html, request) == []
        assert reverse("requests:decide", args=[meeting.pk, item.pk]) not in html
    assert not PupilIdentityView.objects.filter(user__in=[cos.senco]).exists()


def test_a_member_schools_home_lists_the_upcoming_meetings(client, cos, meeting):
    later = cos.meeting(timezone.localdate() + dt.timedelta(days=21))
    past = MeetingFactory(
        community=cos.community,
        date=timezone.localdate() - dt.timedelta(days=30),
        created_by=cos.chair,
    )
    client.force_login(cos.senco)
    html = client.get(reverse("requests:school", args=[cos.school.pk])).content.decode()
    assert reverse("requests:meeting", args=[meeting.pk]) in html
    assert reverse("requests:meeting", args=[later.pk]) in html
    assert reverse("requests:meeting", args=[past.pk]) not in html


def test_meeting_pages_outside_the_cos_answer_404(client, cos, meeting):
    item = cos.on_agenda(meeting)
    outsiders = [make_cos().chair, make_cos().senco, make_officer(cos.community.area)]
    urls = [
        reverse("requests:meeting", args=[meeting.pk]),
        reverse("requests:meeting_edit", args=[meeting.pk]),
        reverse("requests:agenda_add", args=[meeting.pk]),
        reverse("requests:attendance", args=[meeting.pk]),
        reverse("requests:declarations", args=[meeting.pk]),
        reverse("requests:decide", args=[meeting.pk, item.pk]),
        reverse("requests:meeting_close", args=[meeting.pk]),
        reverse("requests:minutes", args=[meeting.pk]),
        reverse("requests:minutes_pdf", args=[meeting.pk]),
        reverse("requests:agenda_pdf", args=[meeting.pk]),
    ]
    for outsider in outsiders:
        client.force_login(outsider)
        for url in urls:
            assert client.get(url).status_code == 404, url


def test_a_member_schools_senco_may_read_the_agenda_but_not_run_the_meeting(client, cos, meeting):
    item = cos.on_agenda(meeting)
    client.force_login(cos.senco)
    for url in [
        reverse("requests:meeting_edit", args=[meeting.pk]),
        reverse("requests:agenda_add", args=[meeting.pk]),
        reverse("requests:attendance", args=[meeting.pk]),
        reverse("requests:declarations", args=[meeting.pk]),
        reverse("requests:decide", args=[meeting.pk, item.pk]),
        reverse("requests:meeting_close", args=[meeting.pk]),
        reverse("requests:minutes", args=[meeting.pk]),
        reverse("requests:minutes_pdf", args=[meeting.pk]),
        reverse("requests:agenda_pdf", args=[meeting.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    for url in [
        reverse("requests:agenda_remove", args=[meeting.pk, item.pk]),
        reverse("requests:agenda_move", args=[meeting.pk, item.pk]),
    ]:
        assert client.post(url).status_code == 403, url
    # The school's own request page: the SENCO may read it but not decide it.
    assert client.get(reverse("requests:interim", args=[item.request_id])).status_code == 403
    item.refresh_from_db()
    assert item.request.status == "on_agenda"


def test_schedule_a_meeting(client, cos):
    client.force_login(cos.chair)
    url = reverse("requests:meeting_new", args=[cos.community.pk])
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "date_0": today.day,
            "date_1": today.month,
            "date_2": today.year,
            "start_time": "4.30pm",
            "place": "",
            "online_link": "https://teams.example.org/meet/123",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "requests:meeting", args=[meeting.pk]
    )
    assert meeting.start_time == dt.time(16, 30) and meeting.date == today


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the date of the meeting"),
        ({"start_time": "25:00"}, "Start time must be a real time"),
        ({"start_time": "teatime"}, "Start time must be a time, like 16:00 or 4pm"),
        ({"start_time": "13pm"}, "Start time must be a real time"),
        ({"start_time": "1" * 40}, "Start time must be a time"),
        ({"place": ""}, "Enter where the meeting is held, or a link to join it online"),
        ({"online_link": "javascript:alert(1)"}, "Enter"),
        (
            {"date_0": "31", "date_1": "2", "date_2": "2027"},
            "Date of the meeting must be a real date",
        ),
    ],
)
def test_a_wrong_meeting_is_refused_with_a_message(client, cos, data, message):
    client.force_login(cos.chair)
    today = timezone.localdate()
    posted = {
        "date_0": today.day,
        "date_1": today.month,
        "date_2": today.year,
        "start_time": "16:00",
        "place": "Hall",
        **data,
    }
    if data == {}:
        posted.update(date_0="", date_1="", date_2="")
    response = client.post(reverse("requests:meeting_new", args=[cos.community.pk]), posted)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Meeting.objects.exists()


def test_add_requests_to_the_agenda_and_reorder(client, cos, meeting):
    first, second = cos.request(), cos.request()
    client.force_login(cos.chair)
    url = reverse("requests:agenda_add", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert first.reference in page and second.reference in page
    assert "Alex" not in page  # the list names no pupil
    response = client.post(url, {"requests": []})
    assert "Select at least one request to add to the agenda" in response.content.decode()
    response = client.post(url, {"requests": [str(second.pk), str(first.pk)]})
    assert response.status_code == 302
    items = list(meeting.items.order_by("position"))
    assert [i.request_id for i in items] == [first.pk, second.pk]  # oldest first
    client.post(
        reverse("requests:agenda_move", args=[meeting.pk, items[1].pk]), {"direction": "up"}
    )
    assert list(meeting.items.order_by("position").values_list("request_id", flat=True)) == [
        second.pk,
        first.pk,
    ]
    client.post(reverse("requests:agenda_remove", args=[meeting.pk, items[0].pk]))
    assert list(meeting.items.values_list("request_id", flat=True)) == [second.pk]
    # A request no longer waiting cannot be picked from a stale page.
    response = client.post(url, {"requests": [str(second.pk)]})
    assert "no longer waiting" in response.content.decode()


def test_record_attendance(client, cos, meeting):
    other = SchoolFactory(community=cos.community, name="Ash Academy")
    client.force_login(cos.chair)
    url = reverse("requests:attendance", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Ash Academy" in page and "Spring Primary School" in page
    response = client.post(url, {f"status_{cos.school.pk}": "attended"})
    assert "Enter the name of the representative of Spring Primary School" in (
        response.content.decode()
    )
    response = client.post(
        url,
        {
            f"status_{cos.school.pk}": "attended",
            f"name_{cos.school.pk}": "Sarah Senco",
            f"status_{other.pk}": "represented",
            f"by_{other.pk}": str(cos.school.pk),
        },
    )
    assert response.status_code == 302
    assert meeting.attendance.get(school=other).represented_by == cos.school


def test_declarations_page(client, cos, meeting):
    item = cos.on_agenda(meeting)
    client.force_login(cos.chair)
    url = reverse("requests:declarations", args=[meeting.pk])
    response = client.post(url, {"person_name": "", "details": ""})
    html = response.content.decode()
    assert "Enter the name of the person declaring an interest" in html
    assert "Enter the interest declared" in html
    response = client.post(
        url,
        {
            "person_name": "Tom Taylor",
            "school": str(cos.school.pk),
            "item": str(item.pk),
            "details": "Governor of the school",
        },
    )
    assert response.status_code == 302
    declaration = meeting.declarations.get()
    response = client.post(
        reverse("requests:declaration_remove", args=[meeting.pk, declaration.pk])
    )
    assert response.status_code == 302 and not meeting.declarations.exists()


def test_close_the_meeting_and_read_the_minutes(client, cos, meeting):
    item = cos.on_agenda(meeting)
    client.force_login(cos.chair)
    url = reverse("requests:meeting_close", args=[meeting.pk])
    response = client.post(url)
    assert response.status_code == 200
    assert "1 item on the agenda has no outcome yet" in response.content.decode()
    decision_record(actor=cos.chair, item_id=item.pk, award=approval())
    response = client.post(url)
    assert "Not yet recorded: Spring Primary School" in response.content.decode()
    attended_by_all(meeting)
    response = client.post(url)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_closed
    minutes = client.get(reverse("requests:minutes", args=[meeting.pk])).content.decode()
    assert "Minutes of the meeting of" in minutes and "Draft" not in minutes
    assert item.request.reference in minutes and "£8,000.00" in minutes
    assert "Alex" not in minutes and VALID_UPN not in minutes


def test_the_request_page_offers_the_chair_an_interim_decision(client, cos, meeting):
    exceptional = cos.request(
        is_exceptional=True, exceptional_reason="tribunal", exceptional_why_now="Order"
    )
    ordinary = cos.on_agenda(meeting)
    client.force_login(cos.chair)
    html = client.get(reverse("requests:detail", args=[exceptional.pk])).content.decode()
    assert reverse("requests:interim", args=[exceptional.pk]) in html
    html = client.get(reverse("requests:detail", args=[ordinary.request_id])).content.decode()
    assert reverse("requests:interim", args=[ordinary.request_id]) not in html
    assert reverse("requests:meeting", args=[meeting.pk]) in html
    client.force_login(cos.senco)
    html = client.get(reverse("requests:detail", args=[exceptional.pk])).content.decode()
    assert reverse("requests:interim", args=[exceptional.pk]) not in html


def test_interim_decisions_waiting_for_ratification_show_on_the_chair_home(client, cos):
    request = cos.request(
        is_exceptional=True,
        exceptional_reason="new_admission",
        exceptional_why_now="Started this week",
        amount=Decimal("2500.00"),
    )
    interim_decision_record(actor=cos.chair, request_id=request.pk, award=approval())
    client.force_login(cos.chair)
    html = client.get(reverse("requests:community", args=[cos.community.pk])).content.decode()
    assert "Interim decisions waiting for ratification" in html
    assert request.reference in html and "£2,500.00" in html
    assert "At the next meeting scheduled" in html


def test_the_agenda_cannot_change_once_closed(client, cos, meeting):
    request = cos.request()
    item = agenda_add(actor=cos.chair, meeting_id=meeting.pk, request_id=request.pk)
    decision_record(actor=cos.chair, item_id=item.pk, award=approval())
    from requests.services import meeting_close

    attended_by_all(meeting)
    meeting_close(actor=cos.chair, meeting_id=meeting.pk)
    client.force_login(cos.chair)
    response = client.get(reverse("requests:agenda_add", args=[meeting.pk]))
    assert response.status_code == 302
    response = client.get(reverse("requests:decide", args=[meeting.pk, item.pk]), follow=True)
    assert "This meeting is closed" in response.content.decode()


def test_earlier_meetings_come_a_page_at_a_time(client, cos):
    """Ten years of half-termly meetings would be 60 rows: the chair's list and the
    members' page show the latest 12 earlier meetings and page through the rest."""
    today = timezone.localdate()
    days = [today - dt.timedelta(days=60 * n) for n in range(1, 15)]  # 14, newest first
    for day in days:
        MeetingFactory(community=cos.community, date=day)
    member = make_senco(SchoolFactory(community=cos.community))
    for person, name in ((cos.chair, "requests:meetings"), (member, "requests:members")):
        client.force_login(person)
        url = reverse(name, args=[cos.community.pk])
        first = client.get(url).content.decode()
        assert f"{days[11].day} {days[11]:%B %Y}" in first
        assert f"{days[12].day} {days[12]:%B %Y}" not in first
        assert 'aria-label="Page 1 of 2"' in first and 'rel="next"' in first
        second = client.get(url, {"page": 2}).content.decode()
        assert f"{days[12].day} {days[12]:%B %Y}" in second
        assert f"{days[13].day} {days[13]:%B %Y}" in second
        assert f"{days[11].day} {days[11]:%B %Y}" not in second
        assert client.get(url, {"page": "last"}).status_code == 200
