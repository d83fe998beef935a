"""The ledger's own reference to an award, step 2 of 3: each award's decision points to
its allocation, and each allocation gets its request's school and reference (in two
UPDATEs, whatever the number of rows). budgets.0006 then drops the allocation's and the
payment's links to requests."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_references(apps, schema_editor):
    Allocation = apps.get_model("budgets", "Allocation")
    Decision = apps.get_model("requests", "Decision")
    ResourceRequest = apps.get_model("requests", "ResourceRequest")
    allocations = Allocation.objects.filter(decision_id=OuterRef("pk"))
    Decision.objects.filter(pk__in=Allocation.objects.values("decision_id")).update(
        allocation_id=Subquery(allocations.values("pk")[:1])
    )
    requests = ResourceRequest.objects.filter(pk=OuterRef("request_id"))
    Allocation.objects.update(
        school_id=Subquery(requests.values("school_id")[:1]),
        reference=Subquery(requests.values("reference")[:1]),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('budgets', '0005_allocation_school_and_reference'),
        ('requests', '0004_timeline_actions_as_choices'),
    ]

    operations = [
        migrations.AddField(
            model_name='decision',
            name='allocation',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='budgets.allocation'),
        ),
        migrations.AddField(
            model_name='historicaldecision',
            name='allocation',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='budgets.allocation'),
        ),
        # Reversed, nothing to do: the field goes.
        migrations.RunPython(copy_references, migrations.RunPython.noop),
    ]
