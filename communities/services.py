"""Writes about people: invitations (accounts are made by administrators only) and the
access that follows from their roles."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kentlocality.emails import absolute_url, send_templated
from kentlocality.errors import Refused

from .models import CommunityOfSchools, RoleAssignment, School, User


def invitation_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", args=[uid, token]))


def user_invite(*, actor: User, user: User) -> None:
    """Email a person a link to choose their password. The link works once and expires
    after PASSWORD_RESET_TIMEOUT (24 hours by default); setting a password invalidates it."""
    send_templated(
        "invitation",
        [user.email],
        {"name": user.full_name, "url": invitation_url(user), "invited_by": actor.full_name},
    )


def kent_group_names() -> dict[str, str]:
    """The Django group each KCC role puts a person in, named as the role is."""
    return {role: RoleAssignment.Role(role).label for role in RoleAssignment.KENT_ROLES}


def access_sync(user: User) -> None:
    """Bring a person's Django groups and staff status (whether they can open the
    administration) into line with their KCC roles. Called whenever a role is given or
    taken away (signals in apps.py, so the admin, imports and the shell all keep it):
    derived access must never drift from the one record of who does what."""
    held = set(
        RoleAssignment.objects.filter(user=user, role__in=RoleAssignment.KENT_ROLES).values_list(
            "role", flat=True
        )
    )
    names = kent_group_names()
    groups = {group.name: group for group in Group.objects.filter(name__in=names.values())}
    wanted = [groups[names[role]] for role in held if names[role] in groups]
    unwanted = [group for name, group in groups.items() if group not in wanted]
    user.groups.remove(*unwanted)
    user.groups.add(*wanted)
    is_staff = bool(held) or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


# People managed where they work (issue 16 item 5) ---------------------------------------

# Who manages which roles, and where: a school's headteacher its SENCOs; a CoS's chair
# its vice-chair and clerk. KCC administrators manage the rest in the administration.
MANAGED_BY = {
    RoleAssignment.Role.SENCO: RoleAssignment.Role.HEADTEACHER,
    RoleAssignment.Role.VICE_CHAIR: RoleAssignment.Role.CHAIR,
    RoleAssignment.Role.CLERK: RoleAssignment.Role.CHAIR,
}


class PeopleError(Refused):
    """A change to who does what that cannot be made; the message says why."""


def _place(role: str, place: School | CommunityOfSchools) -> dict:
    return {"school": place} if role in RoleAssignment.SCHOOL_ROLES else {"community": place}


def may_manage(actor: User, role: str, place: School | CommunityOfSchools) -> bool:
    """Does this person manage this role at this school or CoS?"""
    manager = MANAGED_BY.get(role)
    return manager is not None and (
        RoleAssignment.objects.filter(user=actor, role=manager, **_place(manager, place)).exists()
    )


@transaction.atomic
def person_invite(
    *, actor: User, email: str, full_name: str, role: str, place: School | CommunityOfSchools
) -> RoleAssignment:
    """Make an account for a new person with this role at this school or CoS and email
    them the link to choose a password. An address already in use is refused: giving an
    existing account a role is for a KCC administrator, who can see whose it is."""
    if not may_manage(actor, role, place):
        raise PermissionDenied
    email = User.objects.normalize_email(email.strip()).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise PeopleError(
            f"{email} is already in use by an account. Ask a KCC administrator to give "
            f"that person the {RoleAssignment.Role(role).label} role."
        )
    user = User.objects.create_user(email, full_name=full_name.strip())
    assignment = RoleAssignment.objects.create(user=user, role=role, **_place(role, place))
    transaction.on_commit(lambda: user_invite(actor=actor, user=user))
    role_changed_email(assignment, given=True)
    return assignment


@transaction.atomic
def role_remove(*, actor: User, assignment_id: int) -> str:
    """Take a role away. Returns a warning to show ("" when none): a school left with
    no SENCO can submit no requests until another is invited."""
    assignment = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("user", "school", "community")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise PeopleError("That person no longer has that role.")
    place = assignment.school or assignment.community
    if place is None or not may_manage(actor, assignment.role, place):
        raise PermissionDenied
    assignment.delete()
    role_changed_email(assignment, given=False)
    if (
        assignment.role == RoleAssignment.Role.SENCO
        and not RoleAssignment.objects.filter(
            role=RoleAssignment.Role.SENCO, school=assignment.school
        ).exists()
    ):
        return (
            f"{assignment.school} now has no SENCO: nobody can submit a Request for "
            "Resource for it until you invite one."
        )
    return ""


def role_changed_email(assignment: RoleAssignment, *, given: bool) -> None:
    """Tell the person a role was given or taken away (by the pages here or in the
    administration; the demo's seeding tells nobody). Sent once the change commits."""
    user = assignment.user
    place = assignment.school or assignment.community or assignment.area
    context = {
        "name": user.full_name,
        "role": assignment.get_role_display(),
        "place": str(place) if place else "Kent",
        "given": given,
    }
    transaction.on_commit(lambda: send_templated("role_changed", [user.email], context))
