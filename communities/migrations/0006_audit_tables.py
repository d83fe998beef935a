"""The change history of people and their roles cannot be changed or deleted by the
service (PostgreSQL triggers, kentlocality/audit.py). A person who has acted is switched
off, never deleted: their history names them."""

from django.db import migrations

from kentlocality.audit import ProtectAuditTable


class Migration(migrations.Migration):

    dependencies = [
        ("communities", "0005_staff_become_kcc_administrators"),
    ]

    operations = [
        ProtectAuditTable("communities_historicaluser"),
        ProtectAuditTable("communities_historicalroleassignment"),
    ]
