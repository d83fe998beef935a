"""The ledger's own reference to an award, step 1 of 3: the school and the request's
reference on each allocation, empty until requests.0005 copies them from the request.
The old link from the allocation to its decision stops naming a reverse accessor, so that
the decision can point to its allocation (requests.0005) while both exist."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('budgets', '0004_payment_date_index'),
        ('communities', '0003_history'),
        ('requests', '0004_timeline_actions_as_choices'),
    ]

    operations = [
        migrations.AlterField(
            model_name='allocation',
            name='decision',
            field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='requests.decision'),
        ),
        migrations.AddField(
            model_name='allocation',
            name='school',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='allocations', to='communities.school'),
        ),
        migrations.AddField(
            model_name='allocation',
            name='reference',
            field=models.CharField(db_index=True, max_length=20, null=True),
        ),
    ]
