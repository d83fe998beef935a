"""The date of each hand-off's first payment not reversed, copied from the ledger."""

from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery


def copy_from_ledger(apps, schema_editor):
    Handoff = apps.get_model("requests", "Handoff")
    Payment = apps.get_model("budgets", "Payment")
    first_paid = (
        Payment.objects.filter(
            allocation__decision__request_id=OuterRef("request_id"),
            reverses__isnull=True,
            reversed_by__isnull=True,
        )
        .order_by()
        .values("allocation__decision__request_id")
        .annotate(first=Min("paid_on"))
        .values("first")[:1]
    )
    Handoff.objects.update(first_paid_on=Subquery(first_paid))


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0010_protect_advance_calendar_history"),
        ("requests", "0016_timeline_actions_of_both"),
    ]

    operations = [
        migrations.AddField(
            model_name="handoff",
            name="first_paid_on",
            field=models.DateField(blank=True, null=True, verbose_name="first paid on"),
        ),
        migrations.RunPython(copy_from_ledger, migrations.RunPython.noop),
    ]
