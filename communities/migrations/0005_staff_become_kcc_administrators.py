"""Staff status used to be what made someone a KCC administrator. It now follows the KCC
administrator role: everyone who had staff status (and is not a superuser, who can do
everything anyway) is given that role for all of Kent, so nobody loses access."""

from django.db import migrations


def give_roles(apps, schema_editor):
    User = apps.get_model("communities", "User")
    RoleAssignment = apps.get_model("communities", "RoleAssignment")
    for user in User.objects.filter(is_staff=True, is_superuser=False):
        RoleAssignment.objects.get_or_create(user=user, role="kcc_admin", area=None)


class Migration(migrations.Migration):
    dependencies = [("communities", "0004_roles_for_schools_cos_and_kent")]

    operations = [migrations.RunPython(give_roles, migrations.RunPython.noop)]
