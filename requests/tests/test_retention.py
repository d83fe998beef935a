import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from budgets.selectors import budget_position
from kentlocality.financial_years import financial_year_of
from requests.models import ResourceRequest
from requests.retention import apply_retention
from requests.services import evidence_add
from requests.tests.factories import DraftFactory
from requests.tests.test_services_lifecycle import PDF
from tests.worlds.steps import decided, submitted

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def born_years_ago(years: int, days: int = 0) -> dt.date:
    return TODAY.replace(year=TODAY.year - years) - dt.timedelta(days=days)


def grown_up(request: ResourceRequest, born: dt.date) -> ResourceRequest:
    """Time passes: the pupil of a finished request is now an adult born on `born`."""
    ResourceRequest.objects.filter(pk=request.pk).update(date_of_birth=born)
    request.refresh_from_db()
    return request


def test_identities_in_finished_requests_go_after_dob_plus_31_years(
    django_capture_on_commit_callbacks,
):
    draft = DraftFactory()
    attachment = evidence_add(
        actor=draft.created_by,
        request_id=draft.pk,
        upload=SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
    )
    storage, name = attachment.file.storage, attachment.file.name
    decided("declined", request=submitted(draft), reason="Needs met by the school")
    grown_up(draft, born_years_ago(31, days=1))

    too_young = grown_up(decided("declined"), born_years_ago(30))
    undecided = grown_up(submitted(), born_years_ago(40))

    with django_capture_on_commit_callbacks(execute=True):
        result = apply_retention()
    assert result.anonymised == 1
    old = ResourceRequest.objects.get(pk=draft.pk)
    assert (old.first_name, old.last_name, old.upn, old.date_of_birth) == ("", "", "", None)
    assert old.needs_summary == "" and old.outcomes == ""
    assert old.anonymised_at is not None
    assert not old.attachments.exists()
    assert not storage.exists(name)
    # What reports count stays.
    assert (old.year_group, old.primary_need, old.sen_provision, old.amount) == (
        "3",
        "SLCN",
        "K",
        draft.amount,
    )
    assert old.decision.outcome == "declined" and old.decision.reason == "Needs met by the school"
    assert old.events.last().action == "anonymised"
    for kept in (too_young, undecided):
        kept.refresh_from_db()
        assert kept.first_name == "Alex" and kept.anonymised_at is None
    assert apply_retention().anonymised == 0  # already done


def test_budget_figures_are_unchanged_by_anonymising():
    request = grown_up(decided("approved"), born_years_ago(35))
    from requests.workflow import Status

    ResourceRequest.objects.filter(pk=request.pk).update(status=Status.CLOSED)
    year = financial_year_of(request.decision.start_date)
    before = budget_position(request.community_id, year)
    assert apply_retention().anonymised == 1
    assert budget_position(request.community_id, year) == before


def test_abandoned_drafts_are_deleted_after_12_months():
    old = DraftFactory()
    recent = DraftFactory()
    ResourceRequest.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=400)
    )
    ResourceRequest.objects.filter(pk=recent.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=300)
    )
    assert apply_retention().drafts_deleted == 1
    assert not ResourceRequest.objects.filter(pk=old.pk).exists()
    assert ResourceRequest.objects.filter(pk=recent.pk).exists()


def test_dry_run_counts_and_changes_nothing(capsys):
    old = DraftFactory()
    ResourceRequest.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=400)
    )
    call_command("apply_retention", "--dry-run")
    assert capsys.readouterr().out.strip() == (
        "0 pupil identities would be removed, 1 abandoned drafts would be deleted."
    )
    assert ResourceRequest.objects.filter(pk=old.pk).exists()
    call_command("apply_retention")
    assert "1 abandoned drafts were deleted" in capsys.readouterr().out
    assert not ResourceRequest.objects.filter(pk=old.pk).exists()


def test_the_age_is_configurable(settings):
    request = grown_up(decided("declined"), born_years_ago(26))
    assert apply_retention(dry_run=True).anonymised == 0
    settings.RETENTION_PUPIL_AGE_YEARS = 25
    assert apply_retention().anonymised == 1
    request.refresh_from_db()
    assert request.upn == ""
