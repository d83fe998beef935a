"""An allocation's decision is ``allocation.decision`` now that the allocation's own link
to it is gone (budgets.0006); no change to the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('budgets', '0006_ledger_without_requests'),
        ('requests', '0005_decision_allocation'),
    ]

    operations = [
        migrations.AlterField(
            model_name='decision',
            name='allocation',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='decision', to='budgets.allocation'),
        ),
    ]
