"""Backups that restore (issue 17, item 10): a populated database and its evidence files
are backed up, restored into a fresh database and storage by ``manage.py restore`` (as
``make restore`` runs it), and found identical, table by table and file by file."""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from kentlocality.backup import table_fingerprints
from tests.worlds.world import World

ROOT = Path(__file__).resolve().parents[2]


def _files(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _connect(name: str):
    params = connection.settings_dict
    return psycopg.connect(
        dbname=name,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
    )


def _database_url(name: str) -> str:
    params = connection.settings_dict
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgres://{auth}@{params['HOST']}:{params['PORT'] or 5432}/{name}"


def _restore(archive: Path, database: str, media: Path) -> subprocess.CompletedProcess:
    environ = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "kentlocality.settings.test",
        "DATABASE_URL": _database_url(database),
        "PRIVATE_MEDIA_ROOT": str(media),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{secrets.token_hex(3)}"
    admin = _connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_identical(
    world: World, client, tmp_path, fresh_database
):
    # A populated service: requests, evidence, a decision, a payment, a report PDF, the
    # audit (timeline, history, a view of a pupil's identity).
    world.report()
    client.force_login(world.people["officer"])
    approved = world.objects["approved"]
    assert client.get(reverse("requests:request_pdf", args=[approved.pk])).status_code == 200

    call_command("backup", "--dir", str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("kent-backup-*.tar")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with connection.cursor() as cursor:
        source = table_fingerprints(cursor)
    source_files = _files(Path(os.environ["PRIVATE_MEDIA_ROOT"]))
    assert any(name.startswith("evidence/") for name in source_files)
    assert any(name.startswith("reports/") for name in source_files)

    media = tmp_path / "restored-media"
    restored = _restore(archive, fresh_database, media)
    assert restored.returncode == 0, restored.stderr[-3000:]
    assert "Restored and checked" in restored.stdout

    # Every table: the same rows (count and checksum), found independently of the
    # restore's own check.
    with _connect(fresh_database) as other, other.cursor() as cursor:
        copy = table_fingerprints(cursor)
    assert copy == source
    assert source["requests_resourcerequest"]["rows"] >= 3
    assert source["requests_pupilidentityview"]["rows"] >= 1
    assert source["budgets_payment"]["rows"] >= 1
    # Every file, byte for byte.
    assert _files(media) == source_files
    # The audit stays protected in the copy.
    with _connect(fresh_database) as other, other.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'kent_audit_protect'")
        assert cursor.fetchone()[0] >= 8

    # The comparison sees a difference of one character in one row...
    with _connect(fresh_database) as other, other.cursor() as cursor:
        cursor.execute(
            "UPDATE communities_school SET name = name || '!' "
            "WHERE id = (SELECT min(id) FROM communities_school)"
        )
        assert table_fingerprints(cursor) != source
        other.rollback()
    # ...and a restore over a database that is not empty is refused, changing nothing.
    again = _restore(archive, fresh_database, media)
    assert again.returncode != 0
    assert "already has tables" in again.stderr and "Nothing was changed" in again.stderr
    with _connect(fresh_database) as other, other.cursor() as cursor:
        assert table_fingerprints(cursor) == source


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    fake = tmp_path / "not-a-backup.tar"
    with tarfile.open(fake, "w"):
        pass
    with pytest.raises(CommandError, match="not a backup of the service"):
        call_command("restore", str(fake))
    with pytest.raises(CommandError, match="There is no backup at"):
        call_command("restore", str(tmp_path / "missing.tar"))
