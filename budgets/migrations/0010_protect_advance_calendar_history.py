"""The schools' advance calendar's change history cannot be changed or deleted by the
service, like every other history table (PostgreSQL triggers, kentlocality/audit.py)."""

from django.db import migrations

from kentlocality.audit import ProtectAuditTable


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0009_yearly_data_imports"),
    ]

    operations = [
        ProtectAuditTable("budgets_historicalschoolsadvance"),
    ]
