"""Places (areas, districts, Communities of Schools, schools) and people with their roles."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history import register


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address. Accounts are made by administrators."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "can open the administration",
        default=False,
        help_text="Follows the person's KCC roles (a superuser always can); staff status "
        "alone grants nothing.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Area(models.Model):
    """One of Kent's four areas, each overseen by an Area Board."""

    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    name = models.CharField(max_length=80, unique=True)
    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommunityOfSchools(models.Model):
    name = models.CharField(max_length=120, unique=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="communities")
    primary_care_network = models.CharField(
        "aligned Primary Care Network", max_length=120, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "Community of Schools"
        verbose_name_plural = "Communities of Schools"

    def __str__(self) -> str:
        return self.name

    @property
    def choice_label(self) -> str:
        """How the admin's choices name a CoS: with its area. Needs ``area`` loaded."""
        return f"{self.name} ({self.area.name} area)"

    @property
    def chair(self) -> User | None:
        """The independent chair. The chair role assignment is the one record of who
        chairs a CoS, so that access and this name can never disagree."""
        assignment = (
            self.role_assignments.filter(role=RoleAssignment.Role.CHAIR)
            .select_related("user")
            .order_by("created_at")
            .first()
        )
        return assignment.user if assignment else None


class School(models.Model):
    class Kind(models.TextChoices):
        MAINSTREAM = "mainstream", "Mainstream"
        SPECIAL = "special", "Special school"
        PRU = "pru", "Pupil referral unit"

    class Phase(models.TextChoices):
        NURSERY = "nursery", "Nursery"
        PRIMARY = "primary", "Primary"
        MIDDLE = "middle", "Middle"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        SIXTEEN_PLUS = "16_plus", "16 plus"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    urn = models.PositiveIntegerField("URN", unique=True)
    dfe_number = models.CharField("DfE number", max_length=8, blank=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MAINSTREAM)
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.PRIMARY)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="schools"
    )
    postcode = models.CharField(max_length=10, blank=True)
    is_open = models.BooleanField("open", default=True)
    community = models.ForeignKey(
        CommunityOfSchools,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="schools",
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["community", "kind", "is_open"])]

    def __str__(self) -> str:
        return self.name

    @property
    def choice_label(self) -> str:
        """How the admin's choices name a school: two schools may share a name, so its
        URN, phase and CoS too. Needs ``community`` loaded."""
        community = self.community.name if self.community_id else "no CoS"
        return f"{self.name} (URN {self.urn}, {self.get_phase_display().lower()}, {community})"

    @property
    def is_member(self) -> bool:
        """Mainstream schools are members of their CoS; special schools and PRUs are a
        resource of the Professional Resources Group, not members."""
        return self.kind == self.Kind.MAINSTREAM


class RoleAssignment(models.Model):
    """What a person does, and where (DESIGN section 5). A person may hold several roles.
    School roles name a school, CoS roles a Community of Schools, area roles an area; KCC
    roles cover all of Kent (a KCC administrator may be given an area, for whom the
    area's escalations go to). Each KCC role also puts the person in the Django group of
    the same name, which carries its permissions (``communities.services.access_sync``)."""

    class Role(models.TextChoices):
        SENCO = "senco", "SENCO"
        HEADTEACHER = "headteacher", "Headteacher"
        CHAIR = "chair", "CoS chair"
        VICE_CHAIR = "vice_chair", "CoS vice-chair"
        CLERK = "clerk", "CoS clerk"
        OFFICER = "officer", "HNF Monitoring Officer"
        BOARD = "board", "Area Board member"
        KCC_ADMIN = "kcc_admin", "KCC administrator"
        KCC_DATA_PROTECTION = "kcc_data_protection", "KCC data protection"
        KCC_OVERSIGHT = "kcc_oversight", "KCC oversight"
        GOVERNANCE_READER = "governance_reader", "Governance reader"

    SCHOOL_ROLES = (Role.SENCO, Role.HEADTEACHER)
    COMMUNITY_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.CLERK)
    AREA_ROLES = (Role.OFFICER, Role.BOARD)
    KENT_ROLES = (
        Role.KCC_ADMIN,
        Role.KCC_DATA_PROTECTION,
        Role.KCC_OVERSIGHT,
        Role.GOVERNANCE_READER,
    )

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments"
    )
    community = models.ForeignKey(
        CommunityOfSchools,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            # Each role points at exactly the kind of place it covers.
            models.CheckConstraint(
                name="role_matches_place",
                condition=(
                    Q(
                        role__in=["senco", "headteacher"],
                        school__isnull=False,
                        community__isnull=True,
                        area__isnull=True,
                    )
                    | Q(
                        role__in=["chair", "vice_chair", "clerk"],
                        school__isnull=True,
                        community__isnull=False,
                        area__isnull=True,
                    )
                    | Q(
                        role__in=["officer", "board"],
                        school__isnull=True,
                        community__isnull=True,
                        area__isnull=False,
                    )
                    | Q(role="kcc_admin", school__isnull=True, community__isnull=True)
                    | Q(
                        role__in=["kcc_data_protection", "kcc_oversight", "governance_reader"],
                        school__isnull=True,
                        community__isnull=True,
                        area__isnull=True,
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(role__in=["senco", "headteacher"]),
                name="unique_school_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "community"],
                condition=Q(role__in=["chair", "vice_chair", "clerk"]),
                name="unique_community_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "area"],
                condition=Q(role__in=["officer", "board", "kcc_admin"], area__isnull=False),
                name="unique_area_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(
                    role__in=[
                        "kcc_admin",
                        "kcc_data_protection",
                        "kcc_oversight",
                        "governance_reader",
                    ],
                    area__isnull=True,
                ),
                name="unique_kent_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.place}"

    def place_kind(self) -> str | None:
        """Which field names this role's place: "school", "community", "area", or None
        for Kent (a KCC administrator may also be given an area)."""
        if self.role in self.SCHOOL_ROLES:
            return "school"
        if self.role in self.COMMUNITY_ROLES:
            return "community"
        if self.role in self.AREA_ROLES:
            return "area"
        return None

    def clean(self) -> None:
        """The role_matches_place constraint in words an administrator can act on: the
        place the role needs, beside its field, and the places it must not have. With
        these errors the constraint itself is not checked again (full_clean skips a
        constraint over fields that already have errors)."""
        if not self.role:
            return
        role = self.get_role_display()
        needed = self.place_kind()
        labels = {"school": "school", "community": "Community of Schools", "area": "area"}
        where = labels[needed] if needed else "all of Kent"
        errors: dict[str, str] = {}
        if needed and getattr(self, f"{needed}_id") is None:
            errors[needed] = f"Choose the {labels[needed]}: a {role} works for one {where}."
        for field, label in labels.items():
            if field == needed or getattr(self, f"{field}_id") is None:
                continue
            if field == "area" and self.role == self.Role.KCC_ADMIN:
                continue  # an administrator's area is where escalations go
            errors[field] = (
                f"Leave the {label} empty: a {role} works for {_a(where)}, not a {label}."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def place(self) -> School | CommunityOfSchools | Area | str:
        return self.school or self.community or self.area or "Kent"


def _a(place: str) -> str:
    return place if place == "all of Kent" else f"one {place}"


# Who changed what and when: history in the admin for people and their roles.
register(User, excluded_fields=["password", "last_login"])
register(RoleAssignment)
