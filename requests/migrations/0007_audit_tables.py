"""The audit tables of requests cannot be changed or deleted by the service (PostgreSQL
triggers, kentlocality/audit.py): who saw which pupil's identity, the timeline and the
history of decisions.

The timeline allows the two changes the service itself makes, and nothing else:
- retention removes a pupil's identity from a finished request: it may blank the notes
  of a request already marked anonymised, changing no other column;
- a draft that was never submitted (nobody outside the school saw it) is deleted when
  the school discards it or retention expires it, and its working notes go with it.
  For that exception to mean anything, a request never goes back to being a draft.
"""

from django.db import migrations

from kentlocality.audit import ProtectAuditTable

NEVER_BACK_TO_DRAFT = """
CREATE OR REPLACE FUNCTION kent_request_never_back_to_draft() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'A submitted request never goes back to being a draft.'
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER kent_request_never_back_to_draft
    BEFORE UPDATE OF status ON requests_resourcerequest
    FOR EACH ROW WHEN (OLD.status <> 'draft' AND NEW.status = 'draft')
    EXECUTE FUNCTION kent_request_never_back_to_draft();
"""
UNDO_NEVER_BACK_TO_DRAFT = """
DROP TRIGGER IF EXISTS kent_request_never_back_to_draft ON requests_resourcerequest;
DROP FUNCTION IF EXISTS kent_request_never_back_to_draft();
"""


def never_back_to_draft(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NEVER_BACK_TO_DRAFT)


def undo_never_back_to_draft(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNDO_NEVER_BACK_TO_DRAFT)


class Migration(migrations.Migration):

    dependencies = [
        ("requests", "0006_identity_views_outlive_requests"),
    ]

    operations = [
        migrations.RunPython(never_back_to_draft, undo_never_back_to_draft),
        ProtectAuditTable("requests_pupilidentityview"),
        ProtectAuditTable(
            "requests_timelineevent",
            update_allowed=(
                "NEW.note = '' AND to_jsonb(NEW) - 'note' = to_jsonb(OLD) - 'note' "
                "AND EXISTS (SELECT 1 FROM requests_resourcerequest r "
                "WHERE r.id = OLD.request_id AND r.anonymised_at IS NOT NULL)"
            ),
            delete_allowed=(
                "EXISTS (SELECT 1 FROM requests_resourcerequest r "
                "WHERE r.id = OLD.request_id AND r.status = 'draft' AND r.reference IS NULL)"
            ),
        ),
        ProtectAuditTable("requests_historicaldecision"),
    ]
