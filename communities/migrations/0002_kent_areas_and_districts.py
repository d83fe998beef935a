from django.db import migrations

from communities.geography import ensure_geography


def create(apps, schema_editor):
    ensure_geography(apps.get_model("communities", "Area"), apps.get_model("communities", "District"))


class Migration(migrations.Migration):
    dependencies = [("communities", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
