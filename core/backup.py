"""Backups: one archive holding a consistent database snapshot, every media file and a manifest.

``python manage.py backup`` writes ``etalase-YYYYMMDD-HHMMSS.tar.gz``::

    manifest.json        when, database vendor, applied migrations, rows per model, files
    database.sqlite3     SQLite: a copy made with SQLite's online backup API
    database.pgdump      PostgreSQL: ``pg_dump --format=custom`` (read with pg_restore)
    media/<name>         every file of the default storage, under its storage name

Both snapshots are consistent while the site keeps running: SQLite's backup API copies a
single state of the file, and pg_dump reads one exported transaction snapshot, the same one
in which the manifest's row counts are taken. Media files are read through Django's storage
API, so the same code backs up a local MEDIA_ROOT and an S3-compatible bucket.

``python manage.py restore ARCHIVE`` puts the database back (the SQLite backup API in
reverse; ``pg_restore --clean``), writes the media files back through the storage API, then
counts the rows again and compares them with the manifest. Restoring across vendors
(a SQLite archive into PostgreSQL) is not supported.
"""

import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# Rows that ``migrate`` itself writes (content types, permissions, the role groups and the
# reference data of the data migrations): a database holding only these counts as empty.
REFERENCE_MODELS = {
    "contenttypes.ContentType",
    "auth.Permission",
    "auth.Group",
    "auth.Group_permissions",
    "regions.Regency",
    "regions.District",
    "catalogue.HSCode",
    "catalogue.Category",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict


@dataclass
class RestoreResult:
    manifest: dict
    counts: dict[str, int]
    files: int
    # label: (in the manifest, in the database now) for every count that differs
    mismatches: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def default_backup_dir():
    return Path(getattr(settings, "BACKUP_DIR", settings.BASE_DIR / "backups"))


# --- facts about a database ------------------------------------------------------------
def model_tables():
    """``{"app.Model": table}`` for every table Django manages, many-to-many ones included."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and meta.db_table not in tables.values():
            tables[meta.label] = meta.db_table
    return dict(sorted(tables.items()))


def _facts(cursor, quote, existing):
    """Rows per model and applied migrations per app, read through a DB-API ``cursor``."""
    counts = {}
    for label, table in model_tables().items():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (model tables)
            counts[label] = cursor.fetchone()[0]
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in existing:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    return counts, migrations


def live_facts(using=DEFAULT_DB_ALIAS):
    connection = connections[using]
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        return _facts(cursor, connection.ops.quote_name, existing)


def user_data(counts):
    """The models holding rows beyond what ``migrate`` writes, with their row counts."""
    return {label: n for label, n in counts.items() if n and label not in REFERENCE_MODELS}


# --- PostgreSQL client tools -----------------------------------------------------------
def _pg_command(program, connection, arguments):
    """``program`` with the connection's host, port, user and database; the password and
    TLS options travel in the environment (PGPASSWORD, PGSSLMODE…), never on the command
    line, where other users of the machine could read them."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} was not found. Install the PostgreSQL client tools "
            "(e.g. apt-get install postgresql-client) in the server's major version or newer."
        )
    params = connection.settings_dict
    args = [executable, "--no-password"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if params.get(key):
            args.append(f"{flag}={params[key]}")
    args.append(f"--dbname={params['NAME']}")
    _args, env = connection.client.settings_to_cmd_args_env(params, [])
    return [*args, *arguments], {**os.environ, **(env or {})}


def _run(args, env):
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        name = Path(args[0]).name
        raise BackupError(f"{name} failed (exit {done.returncode}): {done.stderr.strip()}")


# --- backup ----------------------------------------------------------------------------
def _snapshot_sqlite(connection, target):
    """Copy the live database with SQLite's online backup API; facts from the copy."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        existing = {row[0] for row in cursor.fetchall()}
        return _facts(cursor, connection.ops.quote_name, existing)
    finally:
        copy.close()


def _snapshot_postgresql(connection, target):
    """pg_dump reading the snapshot of an open transaction in which the rows are counted."""
    dump = ["--format=custom", f"--file={target}"]
    if connection.in_atomic_block:  # called inside a transaction: no snapshot to share
        facts = live_facts(connection.alias)
        _run(*_pg_command("pg_dump", connection, dump))
        return facts
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        existing = set(connection.introspection.table_names(cursor))
        facts = _facts(cursor, connection.ops.quote_name, existing)
        _run(*_pg_command("pg_dump", connection, [*dump, f"--snapshot={snapshot}"]))
    return facts


def storage_files(storage, folder=""):
    """Every file name in ``storage`` below ``folder``, walking with ``listdir`` (which
    local and object storages both implement)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local MEDIA_ROOT that was never created
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for name in sorted(folders):
        yield from storage_files(storage, posixpath.join(folder, name) if folder else name)


def _add_bytes(tar, name, data, mtime):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(mtime)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def backup(output_dir=None, storage: Storage | None = None, using=DEFAULT_DB_ALIAS):
    """Write a backup archive into ``output_dir``; returns its path and manifest."""
    storage = storage or default_storage
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    output_dir = Path(output_dir or default_backup_dir())
    output_dir.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    path = output_dir / f"etalase-{stamp}.tar.gz"
    if path.exists():
        raise BackupError(f"{path} already exists.")
    partial = path.with_name(path.name + ".partial")
    member = DATABASE_MEMBERS[vendor]
    with tempfile.TemporaryDirectory(prefix="etalase-backup-") as scratch:
        snapshot = Path(scratch) / member
        if vendor == "sqlite":
            counts, migrations = _snapshot_sqlite(connection, snapshot)
        else:
            counts, migrations = _snapshot_postgresql(connection, snapshot)
        # The archive holds password hashes and contact data: readable by its owner only.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                tar.add(snapshot, arcname=member)
                files = size = 0
                for name in storage_files(storage):
                    try:
                        with storage.open(name, "rb") as handle:
                            data = handle.read()
                    except FileNotFoundError:  # deleted while we walked
                        continue
                    _add_bytes(tar, MEDIA_PREFIX + name, data, now.timestamp())
                    files += 1
                    size += len(data)
                manifest = {
                    "format": ARCHIVE_FORMAT,
                    "created_at": now.isoformat(),
                    "django": django.get_version(),
                    "database": {"vendor": vendor, "member": member},
                    "migrations": migrations,
                    "counts": counts,
                    "media": {"files": files, "bytes": size},
                }
                text = json.dumps(manifest, indent=2, sort_keys=True).encode()
                _add_bytes(tar, MANIFEST, text, now.timestamp())
            os.replace(partial, path)
        finally:
            if partial.exists():
                partial.unlink()
    return BackupResult(path=path, manifest=manifest)


# --- restore ---------------------------------------------------------------------------
def _media_name(member):
    """The storage name of an archive member under media/, or None if it is not a plain,
    relative file name (an archive must not write outside the storage)."""
    name = member.name[len(MEDIA_PREFIX) :]
    if not member.isfile() or not name or name.startswith("/"):
        return None
    if posixpath.normpath(name) != name or ".." in name.split("/"):
        return None
    return name


def read_archive(tar, vendor):
    """The manifest and the media members of an opened archive, checked for ``vendor``."""
    try:
        handle = tar.extractfile(MANIFEST)
        manifest = json.load(handle) if handle else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or "database" not in manifest:
        raise BackupError("This is not an Etalase backup: manifest.json is missing or unreadable.")
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    source = manifest["database"]["vendor"]
    if source != vendor:
        raise BackupError(
            f"This backup is of a {source} database and the configured database is {vendor}. "
            "Restoring across database vendors is not supported: restore into a "
            f"{source} database (set DATABASE_URL accordingly)."
        )
    media = []
    for member in tar.getmembers():
        if member.name.startswith(MEDIA_PREFIX):
            name = _media_name(member)
            if name is None:
                raise BackupError(f"Refusing unsafe file name in the archive: {member.name!r}")
            media.append((member, name))
    try:
        tar.getmember(manifest["database"]["member"])
    except KeyError as exc:
        raise BackupError("The archive has no database snapshot.") from exc
    return manifest, media


def _restore_sqlite(connection, snapshot):
    """Overwrite the configured database with the snapshot (the backup API in reverse)."""
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(snapshot)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_postgresql(connection, snapshot):
    connection.close()
    options = ["--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction"]
    _run(*_pg_command("pg_restore", connection, [*options, "--exit-on-error", str(snapshot)]))
    connection.close()


def _migration_notes(connection, applied):
    executor = MigrationExecutor(connection)
    notes = []
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        notes.append("The backup predates migrations of this code: run `python manage.py migrate`.")
    unknown = {(app, name) for app, names in applied.items() for name in names} - set(
        executor.loader.disk_migrations
    )
    if unknown and any(app in apps.app_configs for app, _name in unknown):
        notes.append(
            "The backup has migrations this code does not know: it is from a newer "
            "version of Etalase."
        )
    return notes


def restore(archive, storage: Storage | None = None, using=DEFAULT_DB_ALIAS, overwrite=False):
    """Bring back the database and media of ``archive``; refuses to replace a database
    holding data unless ``overwrite``."""
    storage = storage or default_storage
    connection = connections[using]
    try:
        tar = tarfile.open(archive, mode="r:*")  # noqa: SIM115 (closed by the `with` below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"Cannot read {archive}: {exc}") from exc
    with tar, tempfile.TemporaryDirectory(prefix="etalase-restore-") as scratch:
        manifest, media = read_archive(tar, connection.vendor)
        if not overwrite:
            present = user_data(live_facts(using)[0])
            if present:
                listed = ", ".join(f"{label} ({n})" for label, n in sorted(present.items())[:5])
                raise BackupError(
                    f"The database {connection.settings_dict['NAME']} already holds data "
                    f"({listed}…). Restoring replaces all of it: run again with --yes."
                )
        snapshot = Path(scratch) / "snapshot"
        member = tar.extractfile(manifest["database"]["member"])
        assert member is not None  # read_archive found it as a member
        with member, open(snapshot, "wb") as copy:
            shutil.copyfileobj(member, copy)
        if connection.vendor == "sqlite":
            _restore_sqlite(connection, snapshot)
        else:
            _restore_postgresql(connection, snapshot)
        for member_info, name in media:
            handle = tar.extractfile(member_info)
            assert handle is not None
            with handle:
                data = handle.read()
            if storage.exists(name):
                storage.delete(name)
            saved = storage.save(name, ContentFile(data))
            if saved != name:
                raise BackupError(f"The storage saved {name!r} as {saved!r}.")
    counts, applied = live_facts(using)
    result = RestoreResult(manifest=manifest, counts=counts, files=len(media))
    for label, expected in manifest["counts"].items():
        if counts.get(label) != expected:
            result.mismatches[label] = (expected, counts.get(label))
    if len(media) != manifest["media"]["files"]:
        result.mismatches["media files"] = (manifest["media"]["files"], len(media))
    result.notes = _migration_notes(connection, applied)
    return result
