"""Backups that restore (issue 17, item 10): ``make backup`` and ``make restore FILE=...``.

A backup is one tar file, readable by its owner alone:

- ``database.dump``: ``pg_dump`` in its custom format, of one snapshot of the database;
- ``files/...``: every file of the private storage (evidence, report PDFs), by name;
- ``manifest.json``: for every table its number of rows and a checksum of its rows, taken
  in the same snapshot as the dump; for every file its size and SHA-256.

A restore goes into an empty database and a private storage without those files (it
never overwrites anything), checks the archive against its manifest before writing, and
afterwards checks the restored database and files against the manifest again: every
table's count and checksum, every file's bytes. Any difference is an error.

PostgreSQL only; ``pg_dump`` and ``pg_restore`` (15) must be on the path (the web image
has them).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .storage import private_storage

FORMAT = 1
DUMP = "database.dump"
MANIFEST = "manifest.json"
FILES = "files/"


class BackupError(Exception):
    """A backup or restore that cannot go on, with the message to show."""


def table_fingerprints(cursor) -> dict[str, dict]:
    """{table: {"rows": n, "checksum": md5}} for every table of the public schema, read
    through ``cursor`` (a DB-API cursor on PostgreSQL). The checksum covers every row's
    text, in an order that does not depend on how the rows are stored."""
    cursor.execute("SET TIME ZONE 'UTC'")  # timestamps read the same way every time
    cursor.execute(
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public' ORDER BY 1"
    )
    tables = [row[0] for row in cursor.fetchall()]
    found = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(
            "SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' "  # noqa: S608
            f"ORDER BY md5(t::text))), '') FROM {quoted} t"
        )
        rows, checksum = cursor.fetchone()
        found[table] = {"rows": rows, "checksum": checksum}
    return found


def _pg_environment() -> dict[str, str]:
    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("postgresql"):
        raise BackupError("Backups are made of PostgreSQL: set DATABASE_URL.")
    values = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database["NAME"],
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def _run(command: list[str]) -> None:
    try:
        result = subprocess.run(  # noqa: S603 (our own arguments)
            command, env=_pg_environment(), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: install the PostgreSQL 15 client."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _private_files(path: str = "") -> Iterator[str]:
    """Every file name in the private storage (a folder or a bucket), sorted."""
    try:
        folders, files = private_storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for folder in sorted(folders):
        yield from _private_files(f"{path}/{folder}" if path else folder)


def _sha256(stream) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def backup_create(directory: Path) -> Path:
    """Write a backup of the database and the private storage into ``directory``;
    return its path. The database is read in one snapshot: the dump and the manifest's
    figures are of the same moment."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    target = directory / f"kent-backup-{stamp}.tar"
    with tempfile.TemporaryDirectory(dir=directory) as work:
        dump = Path(work) / DUMP
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                ]
            )
            tables = table_fingerprints(cursor)
        files = {}
        old_umask = os.umask(0o077)
        try:
            with tarfile.open(target, "w") as archive:
                archive.add(dump, arcname=DUMP)
                for name in _private_files():
                    with private_storage.open(name, "rb") as stream:
                        digest = _sha256(stream)
                    info = tarfile.TarInfo(FILES + name)
                    info.size = private_storage.size(name)
                    info.mode = 0o600
                    with private_storage.open(name, "rb") as stream:
                        archive.addfile(info, stream)
                    files[name] = {"bytes": info.size, "sha256": digest}
                manifest = json.dumps(
                    {
                        "format": FORMAT,
                        "created_at": timezone.now().isoformat(),
                        "tables": tables,
                        "files": files,
                    },
                    indent=1,
                    sort_keys=True,
                ).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(manifest)
                info.mode = 0o600
                archive.addfile(info, io.BytesIO(manifest))
        finally:
            os.umask(old_umask)
    target.chmod(0o600)
    return target


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError):
        raise BackupError("This file is not a backup of the service (no manifest).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This backup's format ({manifest.get('format')}) is not known.")
    return manifest


def _check_archive(archive: tarfile.TarFile, manifest: dict) -> None:
    """Every file of the manifest is in the archive, whole, before anything is written."""
    for name, expected in manifest["files"].items():
        member = archive.extractfile(FILES + name)
        if member is None or _sha256(member) != expected["sha256"]:
            raise BackupError(f"The backup is damaged: {name} does not match its checksum.")


def _check_targets_empty(manifest: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'")
        if cursor.fetchone()[0]:
            raise BackupError(
                f"The database {settings.DATABASES['default']['NAME']} already has tables: "
                "a backup is restored into an empty database (create a new one, or drop "
                "and create this one, then run the restore again). Nothing was changed."
            )
    present = [name for name in manifest["files"] if private_storage.exists(name)]
    if present:
        raise BackupError(
            f"The private storage already holds {len(present)} of the backup's files "
            f"(for example {present[0]}): a backup is restored into an empty storage. "
            "Nothing was changed."
        )


def backup_restore(path: Path) -> RestoreResult:
    """Restore a backup into the configured (empty) database and private storage, then
    check both against the backup's manifest. Raises BackupError, having changed
    nothing, when the backup is damaged or the targets are not empty; raises it after
    restoring when the restored data differs from the manifest."""
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    with tarfile.open(path, "r") as archive:
        manifest = _read_manifest(archive)
        _check_archive(archive, manifest)
        _check_targets_empty(manifest)
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / DUMP
            source = archive.extractfile(DUMP)
            if source is None:
                raise BackupError("The backup has no database dump.")
            with dump.open("wb") as out:
                shutil.copyfileobj(source, out)
            _run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    f"--dbname={settings.DATABASES['default']['NAME']}",
                    str(dump),
                ]
            )
        for name in manifest["files"]:
            member = archive.extractfile(FILES + name)
            saved = private_storage.save(name, member)
            if saved != name:
                raise BackupError(f"{name} was stored as {saved}: the storage was not empty.")
    return _verify(manifest)


def _verify(manifest: dict) -> RestoreResult:
    connection.close()  # a fresh connection sees the restored tables
    with connection.cursor() as cursor:
        restored = table_fingerprints(cursor)
    if restored != manifest["tables"]:
        differing = sorted(
            t
            for t in set(restored) | set(manifest["tables"])
            if restored.get(t) != manifest["tables"].get(t)
        )
        raise BackupError(
            f"The restored database differs from the backup in: {', '.join(differing)}"
        )
    for name, expected in manifest["files"].items():
        with private_storage.open(name, "rb") as stream:
            if _sha256(stream) != expected["sha256"]:
                raise BackupError(f"The restored file {name} differs from the backup.")
    return RestoreResult(
        tables=len(restored),
        rows=sum(t["rows"] for t in restored.values()),
        files=len(manifest["files"]),
    )
