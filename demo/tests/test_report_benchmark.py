"""report_benchmark fills a quarter through the services, times the area's report and
leaves the database as it was."""

import pytest
from django.core.management import call_command

from communities.models import User
from requests.models import ResourceRequest

pytestmark = pytest.mark.django_db


def test_report_benchmark_times_a_quarter_and_rolls_it_back(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    request_count, people = ResourceRequest.objects.count(), User.objects.count()
    capsys.readouterr()

    call_command("report_benchmark", "--per-cos", "2", "--runs", "1")

    out = capsys.readouterr().out
    assert "North area: 13 CoS, 26 requests this quarter" in out
    assert "run 1:" in out
    assert "Rolled back: the database is as it was." in out
    assert ResourceRequest.objects.count() == request_count
    assert User.objects.count() == people
