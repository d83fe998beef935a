"""The change history of budgets and payments cannot be changed or deleted by the
service (PostgreSQL triggers, kentlocality/audit.py)."""

from django.db import migrations

from kentlocality.audit import ProtectAuditTable


class Migration(migrations.Migration):

    dependencies = [
        ("budgets", "0004_payment_date_index"),
    ]

    operations = [
        ProtectAuditTable("budgets_historicalcosbudget"),
        ProtectAuditTable("budgets_historicalschoolbudget"),
        ProtectAuditTable("budgets_historicalpayment"),
    ]
