"""import_budgets: CoS budgets and school budgets from CSV, with the same error handling as
the other imports (each bad row named by its row number, the good rows still imported,
one summary line) and safe to run again."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from budgets.models import CosBudget, SchoolBudget
from communities.tests.factories import CommunityFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def _run(tmp_path, content: str, encoding: str = "utf-8") -> tuple[str, str]:
    path = tmp_path / "budgets.csv"
    path.write_bytes(content.encode(encoding))
    out, err = StringIO(), StringIO()
    call_command("import_budgets", str(path), stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def test_cos_budgets(tmp_path):
    CommunityFactory(name="Dartford Central CoS")
    CommunityFactory(name="Thanet Town CoS")
    content = (
        "Financial year,Community of Schools,Budget\n"
        '2026-27,Dartford Central CoS,"£386,000.00"\n'
        "2027/28,dartford central cos,412000\n"
        "2026,Thanet Town CoS,500000.5\n"
        "2026-28,Thanet Town CoS,1\n"
        "2026-27,Nowhere CoS,1\n"
        "2026-27,Thanet Town CoS,-5\n"
        "2026-27,Thanet Town CoS,lots\n"
        "\n"
    )
    out, err = _run(tmp_path, content)
    assert out == "created 3, updated 0, unchanged 0, skipped 4"
    assert err.splitlines() == [
        'Row 5: Financial year "2026-28" is not a financial year: write 2026-27.',
        'Row 6: "Nowhere CoS" is not a Community of Schools. Import the memberships first.',
        'Row 7: Budget "-5" is negative.',
        'Row 8: Budget "lots" is not an amount in pounds, like 350000.00.',
    ]
    budgets = {(b.community.name, b.year): b.total for b in CosBudget.objects.all()}
    assert budgets == {
        ("Dartford Central CoS", 2026): Decimal("386000.00"),
        ("Dartford Central CoS", 2027): Decimal("412000.00"),
        ("Thanet Town CoS", 2026): Decimal("500000.50"),
    }
    # Again: nothing changes. Then a new figure updates the row.
    out, _ = _run(tmp_path, content)
    assert out == "created 0, updated 0, unchanged 3, skipped 4"
    out, err = _run(
        tmp_path, "Financial year,Community of Schools,Budget\n2026-27,Thanet Town CoS,450000\n"
    )
    assert (out, err) == ("created 0, updated 1, unchanged 0, skipped 0", "")
    assert CosBudget.objects.get(community__name="Thanet Town CoS", year=2026).total == 450000


def test_school_budgets_from_an_excel_export(tmp_path):
    school = SchoolFactory(urn=118001, name="St Mary’s Church of England Primary School")
    content = (
        "URN,School,Financial year,Notional SEN budget,Historic HNF allocation\n"
        f'{school.urn},St Mary’s,2026-27,"£120,500",£0\n'
        "999999,Unknown,2026-27,1,1\n"
        "abc,Bad,2026-27,1,1\n"
        f"{school.urn},St Mary’s,2026-27,,1\n"
    )
    out, err = _run(tmp_path, content, encoding="cp1252")
    assert out == "created 1, updated 0, unchanged 0, skipped 3"
    assert err.splitlines() == [
        "Row 3: No school has URN 999999. Import the GIAS file first.",
        'Row 4: URN "abc" is not a number.',
        "Row 5: Notional SEN budget is empty.",
    ]
    figures = SchoolBudget.objects.get(school=school, year=2026)
    assert figures.notional_sen_budget == Decimal("120500.00")
    assert figures.historic_hnf_allocation == Decimal("0.00")


def test_a_file_with_neither_layout_is_refused(tmp_path):
    with pytest.raises(CommandError, match='"Financial year", "Community of Schools", "Budget"'):
        _run(tmp_path, "Year,Name,Money\n2026,X,1\n")
    with pytest.raises(CommandError, match="empty"):
        _run(tmp_path, "")
    with pytest.raises(CommandError, match="Cannot open"):
        call_command("import_budgets", str(tmp_path / "missing.csv"))
