"""The ledger's own reference to an award, step 3 of 3: allocations and payments lose their
links to requests' decisions and requests (budgets never imports requests; a payment is
found from a request through requests.Decision.allocation). The school and reference
become required, and the index that read a request's payments by date reads an
allocation's instead.

Reversible: the links come back empty, are filled again from the decisions, and only then
become required."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_links_back(apps, schema_editor):
    Allocation = apps.get_model("budgets", "Allocation")
    Payment = apps.get_model("budgets", "Payment")
    Decision = apps.get_model("requests", "Decision")
    decisions = Decision.objects.filter(allocation_id=OuterRef("pk"))
    Allocation.objects.update(
        decision_id=Subquery(decisions.values("pk")[:1]),
        request_id=Subquery(decisions.values("request_id")[:1]),
    )
    Payment.objects.update(
        request_id=Subquery(
            Allocation.objects.filter(pk=OuterRef("allocation_id")).values("request_id")[:1]
        )
    )


class Migration(migrations.Migration):

    dependencies = [
        ('budgets', '0005_allocation_school_and_reference'),
        ('requests', '0005_decision_allocation'),
    ]

    operations = [
        migrations.AlterField(
            model_name='allocation',
            name='decision',
            field=models.OneToOneField(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='requests.decision'),
        ),
        migrations.AlterField(
            model_name='allocation',
            name='request',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='allocations', to='requests.resourcerequest'),
        ),
        migrations.AlterField(
            model_name='payment',
            name='request',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='payments', to='requests.resourcerequest'),
        ),
        # Forwards, the decisions already point to their allocations (requests.0005).
        migrations.RunPython(migrations.RunPython.noop, copy_links_back),
        migrations.RemoveIndex(
            model_name='payment',
            name='budgets_pay_request_49ca92_idx',
        ),
        migrations.RemoveField(
            model_name='allocation',
            name='decision',
        ),
        migrations.RemoveField(
            model_name='allocation',
            name='request',
        ),
        migrations.RemoveField(
            model_name='historicalpayment',
            name='request',
        ),
        migrations.RemoveField(
            model_name='payment',
            name='request',
        ),
        migrations.AlterField(
            model_name='allocation',
            name='school',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='allocations', to='communities.school'),
        ),
        migrations.AlterField(
            model_name='allocation',
            name='reference',
            field=models.CharField(db_index=True, max_length=20),
        ),
        migrations.AddIndex(
            model_name='payment',
            index=models.Index(fields=['allocation', 'paid_on'], name='budgets_pay_allocat_c019f5_idx'),
        ),
    ]
