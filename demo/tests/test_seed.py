import pytest
from django.core.management import CommandError, call_command

from communities.models import Area, CommunityOfSchools, RoleAssignment, School, User
from communities.permissions import scope_for
from demo.places import DEMO_ACCOUNTS

pytestmark = pytest.mark.django_db


def test_seed_builds_kents_shape_once(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "Loaded 53 Communities of Schools" in out
    for account in DEMO_ACCOUNTS:
        assert account.email in out
    assert Area.objects.count() == 4
    assert CommunityOfSchools.objects.count() == 53
    for area in Area.objects.all():
        assert area.communities.count() >= 12
    schools = School.objects.count()
    assert 550 <= schools <= 700
    primary = School.objects.filter(phase=School.Phase.PRIMARY).count()
    assert primary > schools / 2
    assert School.objects.filter(phase=School.Phase.SECONDARY).exists()
    assert School.objects.filter(kind=School.Kind.SPECIAL).exists()
    assert School.objects.filter(kind=School.Kind.PRU).exists()
    for community in CommunityOfSchools.objects.all():
        assert 9 <= community.schools.count() <= 15
        assert community.chair is not None

    call_command("seed_demo")
    assert "already loaded" in capsys.readouterr().out
    assert School.objects.count() == schools
    assert User.objects.filter(email="chair@example.org").count() == 1


def test_demo_accounts_hold_their_roles(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    users = {u.email: u for u in User.objects.filter(email__in=[a.email for a in DEMO_ACCOUNTS])}
    senco, senco2 = scope_for(users["senco@example.org"]), scope_for(users["senco2@example.org"])
    chair, officer = scope_for(users["chair@example.org"]), scope_for(users["officer@example.org"])
    board, admin = scope_for(users["board@example.org"]), scope_for(users["admin@example.org"])
    first = CommunityOfSchools.objects.get(pk=next(iter(chair.chair_community_ids)))
    senco_school = School.objects.get(pk=next(iter(senco.school_ids)))
    senco2_school = School.objects.get(pk=next(iter(senco2.school_ids)))
    assert senco_school.community == first
    assert senco_school.kind == School.Kind.MAINSTREAM
    assert senco2_school.community.area != first.area
    assert officer.officer_area_ids == {first.area_id}
    assert board.board_area_ids == {first.area_id}
    assert admin.is_admin and not admin.is_senco
    assert users["admin@example.org"].is_staff
    for user in users.values():
        assert user.check_password("kent-demo-password-2026")


def test_seed_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert CommunityOfSchools.objects.count() == 0
    call_command("seed_demo", "--force")
    assert CommunityOfSchools.objects.count() == 53


def test_people_other_than_the_demo_accounts_cannot_sign_in_until_invited(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    others = User.objects.exclude(email__in=[a.email for a in DEMO_ACCOUNTS])
    assert others.exists()
    assert not any(user.has_usable_password() for user in others)
    assert RoleAssignment.objects.filter(user__in=others).exists()


def test_the_demo_senco_finds_the_meetings_decisions_among_their_notifications(
    settings, django_capture_on_commit_callbacks
):
    """A newcomer signing in as senco@example.org after make run: the demo's activity,
    made through the services, told them what it would in life."""
    from requests.models import Notification

    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):  # make run commits
        call_command("seed_demo")
    senco = User.objects.get(email="senco@example.org")
    subjects = list(
        Notification.objects.filter(user=senco)
        .order_by("created_at", "pk")
        .values_list("kind", "subject")
    )
    decisions = [subject for kind, subject in subjects if kind == "decision"]
    assert [subject.split(" ", 1)[1] for subject in decisions] == [
        "approved",
        "declined",
        "needs more information",
    ]
    kinds = {kind for kind, _ in subjects}
    assert {"meeting", "agenda", "decision", "minutes", "payment"} <= kinds
    assert not Notification.objects.filter(user=senco, read_at__isnull=False).exists()
    # Emailed at once (the demo's sign-ins have chosen passwords: their addresses count as
    # confirmed); the people who cannot sign in yet are not emailed.
    assert set(Notification.objects.filter(user=senco).values_list("email_state", flat=True)) == {
        "sent"
    }


def test_the_demo_meetings_decisions_are_dated_by_their_meeting(settings):
    """The held meeting's decisions carry its date (not the day the demo was loaded), each
    after its request was sent (the Kent overview showed -2 working days to a decision),
    and their hand-offs are not yet late: the meeting was two working days ago."""
    from django.utils import timezone

    from requests.models import Decision, Handoff

    settings.DEBUG = True
    call_command("seed_demo")
    at_meetings = Decision.objects.filter(meeting__isnull=False).select_related(
        "meeting", "request"
    )
    assert at_meetings.count() == 6
    for decision in at_meetings:
        assert decision.decision_date == decision.meeting.date < timezone.localdate()
        sent = timezone.localdate(decision.request.first_submitted_at)
        assert sent < decision.decision_date == timezone.localdate(decision.decided_at)
    handoffs = Handoff.objects.filter(decision__in=at_meetings)
    assert handoffs.count() == 3
    assert not handoffs.filter(breached_at__isnull=False).exists()
    assert all(h.due_date > timezone.localdate() for h in handoffs)
