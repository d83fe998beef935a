"""The KCC roles' permissions, as Django groups named after the roles (DESIGN section 5:
staff status alone grants nothing; each KCC role has its own permission). A person is put
in a group by holding the role (communities.services.access_sync); this migration also
puts in them everyone who already holds a KCC role.

It lives in the top app of the layers because it names the permissions of every app
below it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ALL = ("add", "change", "delete", "view")
VIEW = ("view",)

GROUPS = {
    "kcc_admin": (
        "KCC administrator",
        {
            "communities": {
                "area": ALL,
                "district": ALL,
                "communityofschools": ALL,
                "school": ALL,
                "user": ALL,
                "roleassignment": ALL,
            },
            "budgets": {
                "cosbudget": ALL,
                "schoolbudget": ALL,
                "allocation": VIEW,
                "allocationyear": VIEW,
                "payment": VIEW,
                "monthlystatement": VIEW,
            },
            "requests": {
                "formsettings": ALL,
                "prgservice": ALL,
                "resourcerequest": VIEW,
                "attachment": VIEW,
                "timelineevent": VIEW,
                "meeting": VIEW,
                "agendaitem": VIEW,
                "attendance": VIEW,
                "declarationofinterest": VIEW,
                "decision": VIEW,
                "handoff": VIEW,
            },
            "reporting": {"report": VIEW},
            "kentlocality": {"closureday": ALL},
            "axes": {"accessattempt": ("view", "delete"), "accesslog": VIEW},
        },
    ),
    "kcc_data_protection": (
        "KCC data protection",
        {
            "requests": {
                "resourcerequest": (*VIEW, "subject_access"),
                "pupilidentityview": VIEW,
            },
        },
    ),
    "kcc_oversight": ("KCC oversight", {}),
    "governance_reader": ("Governance reader", {}),
}


def make_groups(apps, schema_editor):
    # Permissions are made after migrating; make them now so that a new database's groups
    # get theirs.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    RoleAssignment = apps.get_model("communities", "RoleAssignment")
    for role, (name, grants) in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, models in grants.items():
            for model, actions in models.items():
                for action in actions:
                    codename = action if action == "subject_access" else f"{action}_{model}"
                    permission = Permission.objects.filter(
                        content_type__app_label=app_label,
                        content_type__model=model,
                        codename=codename,
                    ).first()
                    if permission is not None:
                        group.permissions.add(permission)
        for assignment in RoleAssignment.objects.filter(role=role).select_related("user"):
            assignment.user.groups.add(group)
            if not assignment.user.is_staff:
                assignment.user.is_staff = True
                assignment.user.save(update_fields=["is_staff"])


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_constraints_without_nulls"),
        ("communities", "0005_staff_become_kcc_administrators"),
        ("requests", "0005_subject_access_permission"),
        ("budgets", "0004_payment_date_index"),
        ("kentlocality", "0001_initial"),
        ("axes", "__latest__"),
        ("auth", "__latest__"),
    ]

    operations = [migrations.RunPython(make_groups, migrations.RunPython.noop)]
