"""Imports of Kent's schools from the DfE's "Get Information About Schools" (GIAS)
establishment file, and of school memberships of Communities of Schools."""

from __future__ import annotations

from pathlib import Path

from kentlocality.csvimport import ImportOptions, ImportResult, RowError, read_rows, run_import

from .geography import KENT_LA_CODE
from .models import Area, CommunityOfSchools, District, School

# GIAS establishment type groups that are state-funded schools: local authority
# maintained (4), special schools (5), academies (10), free schools (11). Left out:
# colleges (1), universities (2), independent schools (3), Welsh establishments (6),
# other types (9) and anything else.
STATE_FUNDED_TYPE_GROUPS = {"4", "5", "10", "11"}
# "Open" and "Open, but proposed to close" are open; "Closed" closes a known school;
# "Proposed to open" is not a school yet. Read by name, as the file's own words.
OPEN_STATUSES = {"open", "open, but proposed to close"}
CLOSED_STATUS = "closed"

GIAS_COLUMNS = [
    "URN",
    "LA (code)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (code)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "Postcode",
    "DistrictAdministrative (code)",
]

PHASES = {
    "nursery": School.Phase.NURSERY,
    "primary": School.Phase.PRIMARY,
    "middle deemed primary": School.Phase.MIDDLE,
    "middle deemed secondary": School.Phase.MIDDLE,
    "secondary": School.Phase.SECONDARY,
    "all-through": School.Phase.ALL_THROUGH,
    "16 plus": School.Phase.SIXTEEN_PLUS,
    "not applicable": School.Phase.NOT_APPLICABLE,
}


def _kind(type_name: str, type_group: str) -> str:
    lowered = type_name.lower()
    if "pupil referral unit" in lowered or "alternative provision" in lowered:
        return School.Kind.PRU
    if type_group == "5" or "special" in lowered:
        return School.Kind.SPECIAL
    return School.Kind.MAINSTREAM


class _GiasRows:
    def __init__(self) -> None:
        self.districts = {d.gss_code: d for d in District.objects.all()}
        self.seen: set[int] = set()

    def __call__(self, row: dict[str, str]) -> str | tuple[str, str]:
        if row["la (code)"] != KENT_LA_CODE:
            return "skipped", f"not in Kent (local authority {row['la (code)'][:10]})"
        if row["establishmenttypegroup (code)"] not in STATE_FUNDED_TYPE_GROUPS:
            return "skipped", f"not a state-funded school ({row['establishmentname'][:80]})"
        raw_urn = row["urn"]
        if not raw_urn.isdigit():
            raise RowError(f'URN "{raw_urn[:20]}" is not a number.')
        urn = int(raw_urn)
        if urn in self.seen:
            raise RowError(f"URN {urn} is in the file twice: only its first row is read.")
        self.seen.add(urn)
        status = row["establishmentstatus (name)"].lower()
        if status == CLOSED_STATUS:
            updated = School.objects.filter(urn=urn, is_open=True).update(is_open=False)
            if updated:
                return "closed", f"URN {urn} closed in GIAS"
            return "skipped", f"URN {urn} is closed and not open here"
        if status not in OPEN_STATUSES:
            return "skipped", f"URN {urn} is proposed to open: not a school yet"
        name = row["establishmentname"]
        if not name:
            raise RowError(f"URN {urn} has no establishment name.")
        if len(name) > 200:
            raise RowError(f"URN {urn} has a name longer than 200 characters.")
        establishment = row["establishmentnumber"]
        if establishment and not establishment.isdigit():
            raise RowError(f'URN {urn} has establishment number "{establishment[:20]}".')
        phase_name = row["phaseofeducation (name)"].lower()
        if phase_name not in PHASES:
            raise RowError(f'URN {urn} has an unknown phase of education "{phase_name[:40]}".')
        district_code = row["districtadministrative (code)"]
        district = self.districts.get(district_code)
        if district_code and district is None:
            raise RowError(
                f'URN {urn} is in district "{district_code[:20]}", which is not in Kent.'
            )
        values = {
            "name": name,
            "dfe_number": f"{KENT_LA_CODE}/{establishment}" if establishment else "",
            "kind": _kind(row["typeofestablishment (name)"], row["establishmenttypegroup (code)"]),
            "phase": PHASES[phase_name],
            "district": district,
            "postcode": row["postcode"][:10],
            "is_open": True,
        }
        school = School.objects.select_for_update().filter(urn=urn).first()
        if school is None:
            School.objects.create(urn=urn, **values)
            return "created", f"URN {urn} {name}"
        changed = [field for field, value in values.items() if getattr(school, field) != value]
        if not changed:
            return "unchanged", f"URN {urn} {name}"
        for field in changed:
            setattr(school, field, values[field])
        school.save(update_fields=changed)
        return "updated", f"URN {urn} {name}: {', '.join(changed)} changed"


def gias_import(
    path: str | Path | bytes, encoding: str | None = None, options: ImportOptions | None = None
) -> ImportResult:
    """Create or update Kent's open state-funded schools by URN; mark closed the ones GIAS
    says are closed. Never deletes."""
    return run_import(read_rows(path, GIAS_COLUMNS, encoding), _GiasRows(), options)


MEMBERSHIP_COLUMNS = ["URN", "Community of Schools"]


class _MembershipRows:
    def __init__(self) -> None:
        self.areas = {area.name.lower(): area for area in Area.objects.all()}
        self.seen: dict[str, str] = {}  # URN: the CoS its first row named

    def __call__(self, row: dict[str, str]) -> str | tuple[str, str]:
        raw_urn = row["urn"]
        if not raw_urn.isdigit():
            raise RowError(f'URN "{raw_urn[:20]}" is not a number.')
        school = School.objects.select_for_update().filter(urn=int(raw_urn)).first()
        if school is None:
            raise RowError(f"No school has URN {raw_urn}. Import the GIAS file first.")
        name = row["community of schools"]
        if not name:
            raise RowError(f"URN {raw_urn} has no Community of Schools.")
        if len(name) > 120:
            raise RowError(f"URN {raw_urn}: the Community of Schools name is too long.")
        area_name = row.get("area", "")
        area = None
        if area_name:
            area = self.areas.get(area_name.lower())
            if area is None:
                raise RowError(f'Area "{area_name[:40]}" is not one of North, South, East, West.')
        community = CommunityOfSchools.objects.filter(name__iexact=name).first()
        if community is None:
            if area is None:
                raise RowError(f'"{name}" is a new Community of Schools: give its area.')
            community = CommunityOfSchools.objects.create(name=name, area=area)
        elif area is not None and community.area_id != area.pk:
            raise RowError(f'"{community.name}" is in the {community.area} area, not {area}.')
        given = community.name
        if raw_urn in self.seen:
            first = self.seen[raw_urn]
            if first.lower() != given.lower():
                raise RowError(
                    f'URN {raw_urn} is in two Communities of Schools in the file: "{first[:60]}" '
                    f'and "{given[:60]}". A school is in one.'
                )
            raise RowError(f"URN {raw_urn} is in the file twice: only its first row is read.")
        self.seen[raw_urn] = given
        if school.community_id == community.pk:
            return "unchanged", f"{school.name} is in {community.name}"
        moved = f" (was {school.community})" if school.community_id else ""
        school.community = community
        school.save(update_fields=["community"])
        return "assigned", f"{school.name} to {community.name}{moved}"


def memberships_import(
    path: str | Path | bytes, encoding: str | None = None, options: ImportOptions | None = None
) -> ImportResult:
    """Assign schools to Communities of Schools from a CSV of URN, Community of Schools and
    (for a CoS not yet known) Area."""
    return run_import(read_rows(path, MEMBERSHIP_COLUMNS, encoding), _MembershipRows(), options)
