import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from communities.models import CommunityOfSchools, School
from communities.tests.factories import CommunityFactory, SchoolFactory, area

# The synthetic GIAS sample (real format: cp1252, 139 columns), kept with the tests.
SAMPLE = Path(__file__).resolve().parent / "data" / "gias_kent_sample.csv"

pytestmark = pytest.mark.django_db


def run(command: str, path, capsys) -> tuple[str, str]:
    call_command(command, str(path))
    captured = capsys.readouterr()
    return captured.out.strip(), captured.err.strip()


def test_sample_keeps_kents_state_funded_open_schools(capsys):
    out, err = run("import_gias", SAMPLE, capsys)
    assert out == "created 32, updated 0, closed 0, skipped 5"
    assert err == ""
    assert School.objects.count() == 32
    assert School.objects.filter(kind=School.Kind.MAINSTREAM).count() == 27
    assert School.objects.filter(kind=School.Kind.SPECIAL).count() == 3
    assert School.objects.filter(kind=School.Kind.PRU).count() == 2
    assert not School.objects.filter(name__startswith="Excluded").exists()
    cobham = School.objects.get(name="Cobham Primary School")  # open, but proposed to close
    assert cobham.is_open
    assert cobham.dfe_number == "886/2005"
    assert cobham.district.name == "Maidstone"
    assert cobham.district.area.name == "West"


def test_cp1252_names_are_read_right(capsys):
    run("import_gias", SAMPLE, capsys)
    assert School.objects.filter(name="St Mary’s Primary Academy").exists()
    assert School.objects.filter(name="Élan Valley All-through School").exists()
    assert School.objects.get(name="Élan Valley All-through School").phase == "all_through"


def test_import_is_idempotent(capsys):
    run("import_gias", SAMPLE, capsys)
    out, _ = run("import_gias", SAMPLE, capsys)
    assert out == "created 0, updated 0, closed 0, skipped 5"
    assert School.objects.count() == 32


def _edited(tmp_path, urn: str, **columns: str) -> Path:
    """A copy of the sample, cp1252 as GIAS sends it, with some columns of one row changed."""
    with SAMPLE.open(encoding="cp1252", newline="") as source:
        rows = list(csv.reader(source))
    header = rows[0]
    for row in rows[1:]:
        if row[0] == urn:
            for name, value in columns.items():
                row[header.index(name)] = value
    path = tmp_path / "edubasealldata.csv"
    with path.open("w", encoding="cp1252", newline="") as target:
        csv.writer(target).writerows(rows)
    return path


def test_reimport_with_a_renamed_school_updates_it(tmp_path, capsys):
    run("import_gias", SAMPLE, capsys)
    renamed = _edited(tmp_path, "901017", EstablishmentName="St Mary’s Church Primary Academy")
    out, _ = run("import_gias", renamed, capsys)
    assert out == "created 0, updated 1, closed 0, skipped 5"
    assert School.objects.get(urn=901017).name == "St Mary’s Church Primary Academy"


def test_a_school_gias_closes_is_marked_closed_not_deleted(tmp_path, capsys):
    run("import_gias", SAMPLE, capsys)
    closed = _edited(
        tmp_path,
        "901008",
        **{"EstablishmentStatus (code)": "2", "EstablishmentStatus (name)": "Closed"},
    )
    out, _ = run("import_gias", closed, capsys)
    assert out == "created 0, updated 0, closed 1, skipped 5"
    assert School.objects.get(urn=901008).is_open is False
    assert School.objects.count() == 32
    out, _ = run("import_gias", closed, capsys)  # already closed: nothing changes
    assert out == "created 0, updated 0, closed 0, skipped 6"


def test_bad_rows_are_reported_with_their_row_number_and_the_rest_imported(tmp_path, capsys):
    lines = SAMPLE.read_bytes().decode("cp1252").splitlines()
    header, rows = lines[0], lines[1:]
    bad_urn = rows[0].replace(rows[0].split(",")[0], "9O1023", 1)  # letter O, not zero
    no_name = rows[1].replace("Seaview Primary Academy", "", 1)
    path = tmp_path / "bad.csv"
    path.write_bytes("\r\n".join([header, bad_urn, no_name, *rows[2:]]).encode("cp1252"))
    out, err = run("import_gias", path, capsys)
    assert 'Row 2: URN "9O1023" is not a number.' in err
    assert "Row 3: URN 901015 has no establishment name." in err
    assert out == "created 30, updated 0, closed 0, skipped 7"


def test_wrong_file_is_refused_whole(tmp_path):
    path = tmp_path / "not-gias.csv"
    path.write_text("name,postcode\nA school,TN1 1AA\n")
    with pytest.raises(CommandError, match='no column named "URN"'):
        call_command("import_gias", str(path))
    assert School.objects.count() == 0


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot open"):
        call_command("import_gias", str(tmp_path / "nowhere.csv"))


def test_memberships_assign_schools_and_report_bad_rows(tmp_path, capsys):
    existing = CommunityFactory(name="Dartford Central CoS", area=area("North"))
    school_a = SchoolFactory(urn=500001, community=None)
    school_b = SchoolFactory(urn=500002, community=None)
    path = tmp_path / "members.csv"
    path.write_bytes(
        "URN,Community of Schools,Area\r\n"
        "500001,Dartford Central CoS,North\r\n"
        "500002,Thanet Coast CoS,East\r\n"
        "500003,Thanet Coast CoS,East\r\n"
        "500001,Dartford Central CoS,South\r\n"
        "abc,Thanet Coast CoS,East\r\n"
        "500002,A new CoS without area,\r\n".encode("cp1252")
    )
    out, err = run("import_memberships", path, capsys)
    assert "Row 4: No school has URN 500003" in err
    assert 'Row 5: "Dartford Central CoS" is in the North area, not South.' in err
    assert 'Row 6: URN "abc" is not a number.' in err
    assert 'Row 7: "A new CoS without area" is a new Community of Schools: give its area.' in err
    assert out == "assigned 2, unchanged 0, skipped 4"
    school_a.refresh_from_db()
    school_b.refresh_from_db()
    assert school_a.community == existing
    assert school_b.community.name == "Thanet Coast CoS"
    assert school_b.community.area.name == "East"
    out, _ = run("import_memberships", path, capsys)
    assert out == "assigned 0, unchanged 2, skipped 4"
    assert CommunityOfSchools.objects.filter(name="Thanet Coast CoS").count() == 1
