"""KCC administrators see what each person was told and whether its email went (the
administration's Notifications and Daily summaries), and send again an email that failed.
The KCC administrator group is made by 0003; this adds to it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "KCC administrator"
GRANTS = [
    ("requests", "notification", "view_notification"),
    ("requests", "notification", "send_again"),
    ("requests", "dailysummary", "view_dailysummary"),
]


def grant(apps, schema_editor):
    config = apps.get_app_config("requests")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, model, codename in GRANTS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)


def take_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(codename__in=[codename for *_, codename in GRANTS])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_kcc_groups"),
        ("requests", "0009_notifications_and_meeting_cancellation"),
        ("auth", "__latest__"),
    ]

    operations = [migrations.RunPython(grant, take_back)]
