"""KCC administrators keep the schools' advance calendar (budgets.SchoolsAdvance; issue
16 item 6) and import yearly data in the browser (budgets.ImportRun, item 4). The KCC
administrator group is made by 0003; this adds to it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "KCC administrator"
CODENAMES = [f"{action}_schoolsadvance" for action in ("add", "change", "delete", "view")] + [
    "add_importrun",
    "view_importrun",
]


def grant(apps, schema_editor):
    config = apps.get_app_config("budgets")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="budgets", codename__in=CODENAMES)
    )


def take_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="budgets", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0005_merge_journeys_and_notifications"),
        ("budgets", "0009_yearly_data_imports"),
        ("auth", "__latest__"),
    ]

    operations = [migrations.RunPython(grant, take_back)]
