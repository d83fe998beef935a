"""A pupil's history for the chair and the officer: earlier requests and awards anywhere in
Kent, matched by UPN (and by name and date of birth for a temporary UPN), and the possible
duplicate flagged to the chair when a pupil with an open request elsewhere is sent again."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from stdnum.gb.upn import calc_check_digit

from communities.tests.factories import CommunityFactory, SchoolFactory, make_officer, make_senco
from requests.models import Notification
from requests.selectors.pupils import open_duplicates, pupil_history
from requests.tests.factories import DraftFactory
from tests.worlds.steps import acknowledged, chair_of, decided, paid, submitted

pytestmark = pytest.mark.django_db

D = dt.date
BORN = D(2018, 5, 14)


def upn(serial: str) -> str:
    """A valid UPN of a Kent school: a permanent one for 3 digits, a temporary one for two
    digits and a letter."""
    body = f"886200026{serial}"
    return calc_check_digit(body) + body


@pytest.fixture
def two_schools():
    """Two schools in two CoS, each with its chair (each request is made by a new SENCO of
    its school)."""
    schools = [
        SchoolFactory(community=CommunityFactory(), name="Oakfield Primary School"),
        SchoolFactory(community=CommunityFactory(), name="Riverside Primary School"),
    ]
    for school in schools:
        chair_of(school.community)
    return schools


def _sent(school, **values):
    values = {"first_name": "Rosa", "last_name": "Lind", "date_of_birth": BORN, **values}
    return submitted(DraftFactory(school=school, **values))


def test_a_pupil_with_an_open_request_at_another_school_is_flagged_to_the_chair(
    client, two_schools, django_capture_on_commit_callbacks
):
    oakfield, riverside = two_schools
    first = _sent(oakfield, upn=upn("001"))
    other_pupil = _sent(oakfield, upn=upn("002"), first_name="Sam")
    second = _sent(riverside, upn=upn("001"))

    assert [row.reference for row in open_duplicates(second)] == [first.reference]
    assert [row.reference for row in open_duplicates(first)] == [second.reference]
    assert open_duplicates(other_pupil) == []
    # Riverside's chair is told in the submission's notification, without the pupil.
    chair = riverside.community.chair
    notice = Notification.objects.get(user=chair, key=f"submitted:{second.pk}")
    assert (
        f"Possible duplicate: this pupil has another open request ({first.reference} from Oakfield Primary School)"
        in notice.body
    )
    assert "Rosa" not in notice.body and "Lind" not in notice.body
    first_notice = Notification.objects.get(key=f"submitted:{first.pk}")
    assert "Possible duplicate" not in first_notice.body
    # And on the request's page.
    client.force_login(chair)
    html = client.get(reverse("requests:detail", args=[second.pk])).content.decode()
    assert "Possible duplicate" in html and first.reference in html
    assert "Oakfield Primary School" in html


def test_the_history_shows_outcome_amount_and_period_of_earlier_requests(client, two_schools):
    oakfield, riverside = two_schools
    officer = make_officer(oakfield.community.area)
    earlier = _sent(
        oakfield,
        upn=upn("003"),
        amount=Decimal("6000.00"),
        start_date=D(2027, 1, 4),
        end_date=D(2027, 7, 16),
    )
    earlier = decided("part_approved", request=earlier, amount=Decimal("4500.00"))
    earlier = acknowledged(earlier, officer=officer)
    paid(earlier, "4500.00", officer=officer)  # paid in full: closed, no longer open
    declined = decided("declined", request=_sent(riverside, upn=upn("003")))
    now = _sent(riverside, upn=upn("003"))

    rows = {row.reference: row for row in pupil_history(now)}
    assert set(rows) == {earlier.reference, declined.reference}
    award = rows[earlier.reference]
    assert (award.outcome, award.amount_awarded, award.start_date, award.end_date) == (
        "part_approved",
        Decimal("4500.00"),
        D(2027, 1, 4),
        D(2027, 7, 16),
    )
    assert award.status == "closed" and not award.is_open
    assert rows[declined.reference].outcome == "declined"
    assert open_duplicates(now) == []

    client.force_login(riverside.community.chair)
    html = client.get(reverse("requests:detail", args=[now.pk])).content.decode()
    assert "other requests in Kent" in html
    assert "£4,500.00" in html and "Part-approved" in html and "Declined" in html
    assert "Possible duplicate" not in html
    # The area's officer of the earlier request sees its history too.
    client.force_login(officer)
    html = client.get(reverse("requests:detail", args=[earlier.pk])).content.decode()
    assert now.reference in html and declined.reference in html


def test_a_temporary_upn_matches_by_name_and_date_of_birth(two_schools):
    oakfield, riverside = two_schools
    permanent = _sent(oakfield, upn=upn("004"))
    temporary = _sent(riverside, upn=upn("05T"))
    same_name_other_birthday = _sent(oakfield, upn=upn("006"), date_of_birth=D(2018, 5, 15))
    assert [row.reference for row in pupil_history(temporary)] == [permanent.reference]
    # A permanent UPN matches by UPN only.
    assert [row.reference for row in pupil_history(permanent)] == []
    assert pupil_history(same_name_other_birthday) == []


def test_the_school_does_not_see_the_history(client, two_schools):
    oakfield, riverside = two_schools
    _sent(oakfield, upn=upn("007"))
    second = _sent(riverside, upn=upn("007"))
    client.force_login(make_senco(riverside))
    html = client.get(reverse("requests:detail", args=[second.pk])).content.decode()
    assert "other requests in Kent" not in html and "Possible duplicate" not in html
    assert "Oakfield" not in html
