"""The KCC administrator's admin index shows what KCC staff use (issue 18, item 17): the
technical records go to superusers only. (Hand-offs stay: the escalation email sends KCC
administrators to the hand-off's page in the admin.)

- Attendance and declarations of interest: the meeting page and the minutes show them,
  and changes belong to the chair's journey (the admin would bypass its timeline).
- Access logs (django-axes): every sign-in of everyone. Access attempts stay, so that an
  administrator can still clear a lockout.

0003 made the groups; this takes those permissions back, and gives them again if it is
reversed."""

from django.db import migrations

KCC_ADMINISTRATOR = "KCC administrator"
TECHNICAL = [
    ("requests", "attendance", "view_attendance"),
    ("requests", "declarationofinterest", "view_declarationofinterest"),
    ("axes", "accesslog", "view_accesslog"),
]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return [
        permission
        for app_label, model, codename in TECHNICAL
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        )
    ]


def take_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=KCC_ADMINISTRATOR).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


def give_again(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=KCC_ADMINISTRATOR).first()
    if group is not None:
        group.permissions.add(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("reporting", "0003_kcc_groups")]

    operations = [migrations.RunPython(take_back, give_again)]
