"""Audit tables the application cannot change: a migration operation that puts a trigger
on a table, refusing every UPDATE and DELETE of its rows (issue 17, item 2).

The timeline, the log of who saw which pupil's identity and the change history
(django-simple-history) are evidence: if the service could rewrite them, they would prove
nothing. The triggers fire for every role, the tables' owner included; a role that does
not own the tables (see the README's *Security and privacy*) cannot drop or disable them
either. A table may name the one narrow change the service itself must still make
(retention), as SQL conditions on ``OLD`` and ``NEW``.

PostgreSQL only: SQLite (``make run`` on a laptop) has no such triggers and is skipped.
TRUNCATE does not fire row triggers, so the test suite's teardown still empties tables.
"""

from __future__ import annotations

from django.db import migrations

TRIGGER = "kent_audit_protect"
REFUSAL = "This is an audit record: its rows cannot be changed or deleted."


class ProtectAuditTable(migrations.operations.base.Operation):
    """Refuse UPDATE and DELETE on ``table``, except where ``update_allowed`` or
    ``delete_allowed`` (SQL boolean expressions over ``OLD`` and ``NEW``) hold."""

    reversible = True

    def __init__(
        self, table: str, *, update_allowed: str = "false", delete_allowed: str = "false"
    ) -> None:
        self.table = table
        self.update_allowed = update_allowed
        self.delete_allowed = delete_allowed

    def deconstruct(self):
        kwargs = {}
        if self.update_allowed != "false":
            kwargs["update_allowed"] = self.update_allowed
        if self.delete_allowed != "false":
            kwargs["delete_allowed"] = self.delete_allowed
        return (self.__class__.__name__, [self.table], kwargs)

    def state_forwards(self, app_label, state) -> None:
        pass  # no model changes: the table's rules live in the database only

    @property
    def _function(self) -> str:
        return f"kent_audit_refuse_{self.table}"[:63]

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {quote(self._function)}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND ({self.update_allowed}) THEN
                    RETURN NEW;
                END IF;
                IF TG_OP = 'DELETE' AND ({self.delete_allowed}) THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '%', '{REFUSAL}'
                    USING ERRCODE = 'insufficient_privilege',
                          DETAIL = TG_OP || ' on ' || TG_TABLE_NAME || ' refused';
            END
            $$
            """,
            params=None,  # the body's "%" is PL/pgSQL's, not a parameter
        )
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(self.table)}")
        schema_editor.execute(
            f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {quote(self.table)} "
            f"FOR EACH ROW EXECUTE FUNCTION {quote(self._function)}()"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(self.table)}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {quote(self._function)}()")

    def describe(self) -> str:
        return f"Refuse UPDATE and DELETE on the audit table {self.table}"
