"""The log of who saw a pupil's identity outlives the request it names (a discarded or
expired draft no longer takes its log with it): no foreign-key constraint and nothing
cascades; the request's reference and school are copied onto each row."""

import django.db.models.deletion
from django.db import migrations, models


def copy_reference_and_school(apps, schema_editor):
    PupilIdentityView = apps.get_model("requests", "PupilIdentityView")
    ResourceRequest = apps.get_model("requests", "ResourceRequest")
    for request in ResourceRequest.objects.filter(identity_views__isnull=False).distinct():
        PupilIdentityView.objects.filter(request_id=request.pk).update(
            reference=request.reference or f"Draft {request.pk}", school_id=request.school_id
        )


class Migration(migrations.Migration):

    dependencies = [
        ('communities', '0005_staff_become_kcc_administrators'),
        ('requests', '0005_subject_access_permission'),
    ]

    operations = [
        migrations.AddField(
            model_name='pupilidentityview',
            name='reference',
            field=models.CharField(blank=True, help_text="The request's reference, or Draft and its number.", max_length=30),
        ),
        migrations.AddField(
            model_name='pupilidentityview',
            name='school',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='communities.school'),
        ),
        migrations.AlterField(
            model_name='pupilidentityview',
            name='request',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='identity_views', to='requests.resourcerequest'),
        ),
        migrations.RunPython(copy_reference_and_school, migrations.RunPython.noop),
    ]
