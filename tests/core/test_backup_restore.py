"""``manage.py backup`` and ``restore``, run for real: commands in subprocesses against their
own database (a SQLite file; a throwaway PostgreSQL database when the suite runs on
PostgreSQL), a database emptied in between, and the restored records compared with the
originals — counts of every model, a sample of records, the bytes of every media file."""

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.backup import MANIFEST

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]

# Runs inside `manage.py shell`: adds a note photo, then (FACTS) describes the database.
ADD_NOTE_PHOTO = """
from home.drawing import draw_product_photo
from visits.models import VisitNote, VisitNotePhoto
note = VisitNote.objects.order_by("pk").first()
VisitNotePhoto.objects.create(note=note, image=draw_product_photo("Catatan", size=(80, 64)))
"""
FACTS = """
import hashlib, json
from django.apps import apps
from django.core.files.storage import default_storage
from catalogue.models import Producer, Product, ProductPhoto
from core.backup import storage_files
from visits.models import VisitNote, VisitNotePhoto
files = {
    name: hashlib.sha256(default_storage.open(name).read()).hexdigest()
    for name in storage_files(default_storage)
}
print(json.dumps({
    "counts": {
        m._meta.label: m.objects.count()
        for m in apps.get_models() if m._meta.managed and not m._meta.proxy
    },
    "products": list(Product.objects.order_by("code").values_list(
        "code", "name_id", "name_zh", "price_idr", "status", "readiness_score")),
    "producers": list(Producer.objects.order_by("code").values_list("code", "name", "nib")),
    "photos": list(ProductPhoto.objects.order_by("image").values_list(
        "product__code", "image", "thumbnail", "is_primary")),
    "notes": list(VisitNote.objects.order_by("pk").values_list("text", "interest")),
    "note_photos": list(VisitNotePhoto.objects.values_list("image", flat=True)),
    "files": files,
}, default=str))
"""


def _environment(tmp_path, database_url, name):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "MEDIA_S3_", "DATABASE_URL", "BACKUP_DIR"))
    }
    env.update(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(tmp_path / f"media-{name}"),
        SECRET_KEY="backup-test-secret-key",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args, check=True):
    done = subprocess.run(
        [*MANAGE, *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if check and done.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def facts(env):
    return json.loads(manage(env, "shell", "-c", FACTS).stdout.strip().splitlines()[-1])


def round_trip(tmp_path, source, target, empty_target):
    """Seed ``source``, back it up, ``empty_target()``, restore into ``target``; returns the
    facts of both."""
    manage(source, "migrate", "--no-input", "-v", "0")
    manage(source, "seed_demo", "--photo-size", "64x64")
    manage(source, "shell", "-c", ADD_NOTE_PHOTO)
    original = facts(source)
    assert original["counts"]["catalogue.Product"] > 50
    assert len(original["files"]) > 100

    out = manage(source, "backup", "--output", str(tmp_path / "backups")).stdout
    archive = Path(re.search(r"Backup written: (\S+)", out).group(1))
    assert archive.parent == tmp_path / "backups"
    assert re.fullmatch(r"etalase-\d{8}-\d{6}\.tar\.gz", archive.name)
    assert archive.stat().st_mode & 0o077 == 0  # password hashes inside: owner only
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile(MANIFEST))
    assert manifest["counts"]["catalogue.Product"] == original["counts"]["catalogue.Product"]
    assert manifest["media"]["files"] == len(original["files"])
    assert "0001_initial" in manifest["migrations"]["catalogue"]

    # A database holding data is not replaced without --yes.
    refused = manage(source, "restore", str(archive), check=False)
    assert refused.returncode != 0
    assert "--yes" in refused.stderr

    empty_target()
    done = manage(target, "restore", str(archive))
    assert "Counts match the backup's manifest." in done.stdout
    return original, facts(target)


def test_sqlite_backup_restores_into_an_empty_database(tmp_path):
    database = tmp_path / "etalase.db"
    env = _environment(tmp_path, f"sqlite:///{database}", "live")

    def disaster():
        # The database file (with its WAL) and the media folder are gone; a new, migrated
        # database (reference data and role groups only) takes their place.
        for path in tmp_path.glob("etalase.db*"):
            path.unlink()
        shutil.rmtree(env["MEDIA_ROOT"])
        manage(env, "migrate", "--no-input", "-v", "0")
        assert facts(env)["counts"]["catalogue.Product"] == 0

    original, restored = round_trip(tmp_path, env, env, disaster)
    assert restored == original


def _postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("DATABASE_URL does not point to PostgreSQL (CI runs this on PostgreSQL)")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore not installed (apt-get install postgresql-client)")
    return url


@pytest.fixture
def postgres_databases():
    """Two throwaway databases on the suite's PostgreSQL server, dropped afterwards."""
    import psycopg

    url = _postgres_url()
    params = dj_database_url.parse(url)
    names = [f"etalase_backup_{role}_{os.getpid()}" for role in ("src", "dst")]
    admin = psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"],
        port=params["PORT"] or 5432,
        autocommit=True,
    )
    with admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        base = url.rsplit("/", 1)[0]
        yield [f"{base}/{name}" for name in names]
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgresql_backup_restores_into_an_empty_database(tmp_path, postgres_databases):
    source_url, target_url = postgres_databases
    source = _environment(tmp_path, source_url, "live")
    # A new server: a freshly created database, never migrated, and no media at all.
    target = _environment(tmp_path, target_url, "new")
    original, restored = round_trip(tmp_path, source, target, lambda: None)
    assert restored == original


def _fake_archive(tmp_path, manifest, members=()):
    path = tmp_path / "fake.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [(MANIFEST, json.dumps(manifest).encode()), *members]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


# The refusals below happen before the database is touched, so they run in-process.
def test_restore_refuses_a_backup_of_another_database_vendor(tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest = {"format": 1, "database": {"vendor": other, "member": "database.x"}}
    with pytest.raises(CommandError, match="across database vendors is not supported"):
        call_command("restore", str(_fake_archive(tmp_path, manifest)), "--yes")


def test_restore_refuses_files_outside_the_media_storage(tmp_path):
    manifest = {"format": 1, "database": {"vendor": connection.vendor, "member": "db"}}
    archive = _fake_archive(tmp_path, manifest, [("db", b""), ("media/../evil.py", b"x")])
    with pytest.raises(CommandError, match="unsafe file name"):
        call_command("restore", str(archive), "--yes")


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore", str(path))
