"""Kent's shape for demonstrations and tests: 53 Communities of Schools of about a dozen
schools each across the four areas, people in every role, and the demo sign-ins.

Everything is generated from a fixed random seed, so two runs build the same names.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from communities.geography import ensure_geography
from communities.models import Area, CommunityOfSchools, District, RoleAssignment, School, User
from communities.services import access_sync
from kentlocality.financial_years import financial_year_of

COMMUNITY_COUNT = 53
FIRST_URN = 118001

# How many CoS each district holds (53 in all); North's first CoS is "the first CoS".
COMMUNITIES_PER_DISTRICT = {
    "Dartford": 5,
    "Gravesham": 4,
    "Sevenoaks": 4,
    "Ashford": 5,
    "Dover": 4,
    "Folkestone and Hythe": 4,
    "Canterbury": 5,
    "Thanet": 5,
    "Swale": 4,
    "Maidstone": 5,
    "Tonbridge and Malling": 4,
    "Tunbridge Wells": 4,
}
COS_SUFFIXES = ["Central", "North", "South", "East", "West", "Rural", "Town", "Valley"]
PLACE_WORDS = [
    "Ash",
    "Beech",
    "Birch",
    "Bramble",
    "Brook",
    "Castle",
    "Chalk",
    "Cherry",
    "Church",
    "Cliff",
    "Downs",
    "Elm",
    "Fern",
    "Field",
    "Ford",
    "Forest",
    "Green",
    "Hazel",
    "Heath",
    "Hill",
    "Holly",
    "Hop",
    "Lark",
    "Lime",
    "Marsh",
    "Meadow",
    "Mill",
    "Oak",
    "Orchard",
    "Park",
    "Pilgrim",
    "Priory",
    "Quarry",
    "River",
    "Rose",
    "St Mary's",
    "St John's",
    "St Peter's",
    "St Mildred's",
    "Saxon",
    "Shore",
    "Spring",
    "Stone",
    "Swan",
    "Thorn",
    "Vale",
    "Weald",
    "Well",
    "Willow",
    "Wood",
    "Yew",
]
PRIMARY_SUFFIXES = [
    "Primary School",
    "Primary Academy",
    "Church of England Primary School",
    "Infant School",
    "Junior School",
    "Community Primary School",
]
SECONDARY_SUFFIXES = ["Academy", "Grammar School", "High School", "School"]
FIRST_NAMES = [
    "Amelia",
    "Ben",
    "Chloe",
    "Daniel",
    "Emma",
    "Faisal",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Kiran",
    "Laura",
    "Mohammed",
    "Nadia",
    "Oliver",
    "Priya",
    "Rachel",
    "Sam",
    "Tom",
    "Zara",
]
LAST_NAMES = [
    "Adams",
    "Baker",
    "Clarke",
    "Davies",
    "Evans",
    "Foster",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morris",
    "Nolan",
    "Owen",
    "Patel",
    "Roberts",
    "Smith",
    "Taylor",
    "Walker",
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    description: str


DEMO_ACCOUNTS = [
    DemoAccount("senco@example.org", "Sarah Senco", "SENCO of a school in the first CoS"),
    DemoAccount("senco2@example.org", "Sam Senco", "SENCO of a school in a CoS of another area"),
    DemoAccount("chair@example.org", "Chris Chair", "chair of the first CoS"),
    DemoAccount("officer@example.org", "Olu Officer", "HNF Monitoring Officer of its area"),
    DemoAccount("board@example.org", "Bea Board", "Area Board member of that area"),
    DemoAccount("admin@example.org", "Ada Admin", "KCC administrator (what KCC staff see)"),
    DemoAccount(
        "superuser@example.org", "Sol Superuser", "superuser: technical records and access too"
    ),
]


def demo_loaded() -> bool:
    return (
        CommunityOfSchools.objects.count() >= COMMUNITY_COUNT
        and User.objects.filter(email="admin@example.org").exists()
    )


def _school_name(rng: random.Random, used: set[str], suffixes: list[str], district: str) -> str:
    while True:
        word = rng.choice(PLACE_WORDS)
        name = f"{word} {rng.choice(suffixes)}"
        if name in used:
            name = f"{word} {district} {rng.choice(suffixes)}"
        if name not in used:
            used.add(name)
            return name


def _postcode(rng: random.Random, district: str) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return (
        f"{district[:2].upper()}{rng.randint(1, 20)} "
        f"{rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    )


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


@transaction.atomic
def seed_places_and_people(password: str) -> dict[str, int]:
    """Build the CoS, schools and people. Returns counts. Call only when not yet loaded."""
    rng = random.Random(2026)
    ensure_geography(Area, District)
    districts = {d.name: d for d in District.objects.select_related("area")}
    used_names = set(School.objects.values_list("name", flat=True))
    next_urn = max(
        FIRST_URN, (School.objects.order_by("-urn").values_list("urn", flat=True).first() or 0) + 1
    )
    communities: list[CommunityOfSchools] = []
    schools: list[School] = []
    for district_name, count in COMMUNITIES_PER_DISTRICT.items():
        district = districts[district_name]
        for index in range(count):
            name = f"{district_name} {COS_SUFFIXES[index]} CoS"
            community, _ = CommunityOfSchools.objects.get_or_create(
                name=name,
                defaults={
                    "area": district.area,
                    "primary_care_network": f"{district_name} {COS_SUFFIXES[index]} PCN",
                },
            )
            communities.append(community)
            # About a dozen schools: mostly primary, two secondaries; now and then a
            # special school or a pupil referral unit (resources of the PRG, not members).
            layout = ["primary"] * rng.randint(8, 10) + ["secondary"] * 2
            if rng.random() < 0.45:
                layout.append("special")
            if rng.random() < 0.2:
                layout.append("pru")
            for kind in layout:
                if kind == "primary":
                    values = {
                        "kind": School.Kind.MAINSTREAM,
                        "phase": School.Phase.PRIMARY,
                        "name": _school_name(rng, used_names, PRIMARY_SUFFIXES, district_name),
                    }
                elif kind == "secondary":
                    values = {
                        "kind": School.Kind.MAINSTREAM,
                        "phase": School.Phase.SECONDARY,
                        "name": _school_name(rng, used_names, SECONDARY_SUFFIXES, district_name),
                    }
                elif kind == "special":
                    values = {
                        "kind": School.Kind.SPECIAL,
                        "phase": School.Phase.NOT_APPLICABLE,
                        "name": _school_name(rng, used_names, ["Special School"], district_name),
                    }
                else:
                    values = {
                        "kind": School.Kind.PRU,
                        "phase": School.Phase.NOT_APPLICABLE,
                        "name": _school_name(
                            rng, used_names, ["Pupil Referral Unit"], district_name
                        ),
                    }
                schools.append(
                    School(
                        urn=next_urn,
                        dfe_number=f"886/{2000 + next_urn % 8000:04d}",
                        district=district,
                        postcode=_postcode(rng, district_name),
                        community=community,
                        **values,
                    )
                )
                next_urn += 1
    School.objects.bulk_create(schools)

    hashed = make_password(password)
    unusable = make_password(None)
    first = communities[0]
    other_area_cos = next(c for c in communities if c.area_id != first.area_id)
    members = {
        c.pk: list(School.objects.filter(community=c, kind=School.Kind.MAINSTREAM).order_by("pk"))
        for c in (first, other_area_cos)
    }
    people: list[User] = []
    roles: list[tuple[str, str, dict]] = []  # (email, role, place)

    def add_person(email: str, name: str, *, demo: bool, **extra) -> None:
        people.append(
            User(email=email, full_name=name, password=hashed if demo else unusable, **extra)
        )

    by_email = {a.email: a for a in DEMO_ACCOUNTS}
    add_person(
        "senco@example.org", by_email["senco@example.org"].full_name, demo=True, job_title="SENCO"
    )
    roles.append(("senco@example.org", RoleAssignment.Role.SENCO, {"school": members[first.pk][0]}))
    add_person(
        "senco2@example.org", by_email["senco2@example.org"].full_name, demo=True, job_title="SENCO"
    )
    roles.append(
        ("senco2@example.org", RoleAssignment.Role.SENCO, {"school": members[other_area_cos.pk][0]})
    )
    add_person(
        "chair@example.org",
        by_email["chair@example.org"].full_name,
        demo=True,
        job_title="Independent chair",
    )
    roles.append(("chair@example.org", RoleAssignment.Role.CHAIR, {"community": first}))
    add_person(
        "officer@example.org",
        by_email["officer@example.org"].full_name,
        demo=True,
        job_title="HNF Monitoring Officer",
    )
    roles.append(("officer@example.org", RoleAssignment.Role.OFFICER, {"area": first.area}))
    add_person(
        "board@example.org",
        by_email["board@example.org"].full_name,
        demo=True,
        job_title="Area Board member",
    )
    roles.append(("board@example.org", RoleAssignment.Role.BOARD, {"area": first.area}))
    add_person(
        "admin@example.org",
        by_email["admin@example.org"].full_name,
        demo=True,
        job_title="SEND Finance",
    )
    # The KCC administrator a newcomer signs in as is what KCC staff are: the role, not a
    # superuser, so the admin shows what they use. The superuser is beside it for the
    # technical records (sign-in logs, two-factor devices, groups) and for giving access.
    roles.append(("admin@example.org", RoleAssignment.Role.KCC_ADMIN, {}))
    add_person(
        "superuser@example.org",
        by_email["superuser@example.org"].full_name,
        demo=True,
        job_title="Service administrator",
        is_staff=True,
        is_superuser=True,
    )

    # Everyone else: a chair for each other CoS, an officer and two board members for each
    # other area, and SENCOs at the other member schools of the first CoS (so the meeting
    # has people). They cannot sign in until an administrator invites them.
    for index, community in enumerate(communities[1:], start=2):
        email = f"chair{index}@example.org"
        add_person(email, _person(rng), demo=False, job_title="Independent chair")
        roles.append((email, RoleAssignment.Role.CHAIR, {"community": community}))
    for area in Area.objects.exclude(pk=first.area_id):
        slug = area.name.lower()
        add_person(
            f"officer.{slug}@example.org",
            _person(rng),
            demo=False,
            job_title="HNF Monitoring Officer",
        )
        roles.append((f"officer.{slug}@example.org", RoleAssignment.Role.OFFICER, {"area": area}))
        for n in (1, 2):
            add_person(
                f"board{n}.{slug}@example.org",
                _person(rng),
                demo=False,
                job_title="Area Board member",
            )
            roles.append(
                (f"board{n}.{slug}@example.org", RoleAssignment.Role.BOARD, {"area": area})
            )
    for index, school in enumerate(members[first.pk][1:], start=3):
        email = f"senco{index}@example.org"
        add_person(email, _person(rng), demo=False, job_title="SENCO")
        roles.append((email, RoleAssignment.Role.SENCO, {"school": school}))
    User.objects.bulk_create(people)
    users = {u.email: u for u in User.objects.filter(email__in=[p.email for p in people])}
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=users[email], role=role, **place) for email, role, place in roles]
    )
    access_sync(users["admin@example.org"])  # bulk_create sends no signal: its group, staff
    seed_budgets(rng, communities)
    seed_prg_services()
    return {
        "communities": len(communities),
        "schools": len(schools),
        "people": len(people),
    }


def seed_budgets(rng: random.Random, communities: list[CommunityOfSchools]) -> None:
    """Each CoS's budget for last, this and next financial year, and each member school's
    notional SEN budget and historic HNF allocation (the financial information KCC
    sends each CoS every year)."""
    from budgets.models import CosBudget, SchoolBudget

    this_year = financial_year_of(timezone.localdate())
    years = [this_year - 1, this_year, this_year + 1]
    CosBudget.objects.bulk_create(
        [
            CosBudget(community=c, year=year, total=Decimal(rng.randrange(300, 700) * 1000))
            for c in communities
            for year in years
        ],
        ignore_conflicts=True,
    )
    members = School.objects.filter(community__in=communities, kind=School.Kind.MAINSTREAM)
    SchoolBudget.objects.bulk_create(
        [
            SchoolBudget(
                school=school,
                year=year,
                notional_sen_budget=Decimal(rng.randrange(40, 400) * 1000),
                historic_hnf_allocation=Decimal(rng.randrange(0, 120) * 1000),
            )
            for school in members
            for year in years
        ],
        ignore_conflicts=True,
    )


PRG_SERVICES = [
    (
        "Kent Educational Psychology Service",
        "Consultation, assessment and advice on learning, behaviour and emotional wellbeing; training for school staff.",
        "Schools supporting children and young people with SEND, including those without a diagnosis.",
        "Through the school's link educational psychologist, or the area office.",
    ),
    (
        "Specialist Teaching and Learning Service",
        "Specialist teachers who advise on inclusive teaching, sensory and physical needs, communication and interaction, and cognition and learning.",
        "Mainstream schools and early years settings in Kent.",
        "Request support through the Local Inclusion Forum Team or the area STLS office.",
    ),
    (
        "Speech and Language Therapy",
        "Assessment, therapy programmes and training for staff supporting speech, language and communication needs.",
        "Children and young people with speech, language and communication needs.",
        "Through the NHS children's therapies referral route or the school's link therapist.",
    ),
    (
        "Occupational Therapy",
        "Advice on motor skills, sensory processing and access to the school environment.",
        "Children and young people with physical or sensory needs.",
        "Through the NHS children's therapies referral route.",
    ),
    (
        "Special schools outreach",
        "Advice and modelling from special school staff for pupils with complex needs in mainstream schools.",
        "Mainstream schools in the same Community of Schools.",
        "Contact the outreach lead of your local special school.",
    ),
    (
        "Pupil referral unit outreach",
        "Support for pupils at risk of exclusion: behaviour planning, reintegration and staff training.",
        "Mainstream schools with pupils at risk of suspension or exclusion.",
        "Contact the outreach team of your local pupil referral unit.",
    ),
]


def seed_prg_services() -> None:
    from requests.models import PRGService

    for position, (name, offers, audience, contact) in enumerate(PRG_SERVICES, start=1):
        PRGService.objects.get_or_create(
            name=name,
            defaults={
                "offers": offers,
                "audience": audience,
                "contact": contact,
                "position": position,
            },
        )
