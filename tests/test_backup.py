"""The restore drill (Julkri TEK-20 asks for tested restores; RRF records are kept until the end of 2032): a backup
made with bin/backup is restored with bin/restore into a fresh PostgreSQL database, and every table's row count and
every archived file's SHA-256 are the same as in the original."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from budgets.models import LedgerUpload
from reports.archive import export_generate
from reports.models import Export
from tests.factories import ExportFactory, NodeFactory, ProgrammeFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent


def url(name):
    database = settings.DATABASES["default"]
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT'] or 5432}/{name}"


def row_counts(dsn):
    with psycopg.connect(dsn) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
            )
        ]
        return {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


@pytest.fixture
def restore_database():
    name = f"{settings.DATABASES['default']['NAME']}_restore"
    with psycopg.connect(url("postgres"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(url("postgres"), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_every_row_and_archived_file(tmp_path, settings, restore_database):
    media, restored_media = tmp_path / "media", tmp_path / "restored"
    settings.MEDIA_ROOT = media
    programme = ProgrammeFactory(code="VARMUUS")
    NodeFactory(parent=programme, code="V1")
    for kind in (Export.Kind.MEASURES_XLSX, Export.Kind.COSTS_XLSX, Export.Kind.INDICATORS_XLSX):
        export_generate(ExportFactory(programme=programme, kind=kind).pk)
    LedgerUpload.objects.create(
        programme=programme,
        file=SimpleUploadedFile("ote.csv", b"Kausi;Tili;Kohde;Summa\n"),
        file_name="ote.csv",
        uploaded_by=UserFactory(),
    )
    issued = dict(Export.objects.issued().values_list("file", "sha256"))
    assert len(issued) == 3
    connection.close()
    env = {**os.environ, "DATABASE_URL": url(settings.DATABASES["default"]["NAME"]), "MEDIA_ROOT": str(media)}
    backup = subprocess.run(
        [ROOT / "bin" / "backup", tmp_path / "backups"], env=env, capture_output=True, text=True, check=True
    )
    folder = Path(backup.stdout.strip())
    assert sorted(path.name for path in folder.iterdir()) == ["SHA256SUMS", "database.dump", "media.tar.gz"]

    env.update(DATABASE_URL=url(restore_database), MEDIA_ROOT=str(restored_media), PYTHON=sys.executable)
    restore = subprocess.run([ROOT / "bin" / "restore", folder], env=env, capture_output=True, text=True, cwd=ROOT)
    assert restore.returncode == 0, restore.stderr[-2000:]
    assert "Arkiston 3 tiedostoa täsmäävät SHA-256-summiinsa." in restore.stdout

    original = row_counts(url(settings.DATABASES["default"]["NAME"]))
    assert original["reports_export"] == 3 and original["portfolio_node"] >= 2
    assert row_counts(url(restore_database)) == original
    with psycopg.connect(url(restore_database)) as db:
        restored = dict(db.execute("SELECT file, sha256 FROM reports_export WHERE status = 'done'").fetchall())
    assert restored == issued
    for name, digest in restored.items():
        assert hashlib.sha256((restored_media / name).read_bytes()).hexdigest() == digest
    assert (restored_media / LedgerUpload.objects.get().file.name).read_bytes() == b"Kausi;Tili;Kohde;Summa\n"
