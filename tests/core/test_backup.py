"""`dxpool backup` and `dxpool restore`: a round trip gives back every row and file; nothing is overwritten.

SQLite's backup API (and pg_dump) read committed data only, through a connection outside any test transaction,
so the data backed up here is committed by a module fixture (and deleted again at its end) rather than
created inside a `db` test.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import types
import uuid
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from dxpool.core import backup
from dxpool.core.audit import AuditAction
from dxpool.core.backup import BackupError, backup_create, backup_restore, database_facts, restore_check
from dxpool.core.models import AuditEvent
from tests.factories import prefecture_user, talent_user

ROOT = Path(__file__).resolve().parents[2]
ENGINE = settings.DATABASES["default"]["ENGINE"]
sqlite_only = pytest.mark.skipif(not ENGINE.endswith("sqlite3"), reason="SQLite round trip")
# The backups of the shared fixture are read by every test; its fixture runs before any test transaction.
pytestmark = pytest.mark.django_db
EVIDENCE = b"%PDF-1.4\n% dxpool test evidence\n" + bytes(range(256))


def sqlite_target(path: Path) -> dict:
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def saved(django_db_setup, django_db_blocker, tmp_path_factory):
    """A backup (by `dxpool backup`) of the test database holding a few committed records and one file."""
    from dxpool.places.models import Municipality
    from dxpool.talent.models import EvidenceFile, TalentProfile

    media = tmp_path_factory.mktemp("media")
    (media / "evidence" / "2025" / "04").mkdir(parents=True)
    (media / "evidence" / "2025" / "04" / "cert.pdf").write_bytes(EVIDENCE)
    out = tmp_path_factory.mktemp("backups")
    with django_db_blocker.unblock():
        secretariat, talent = prefecture_user("42"), talent_user()
        home = Municipality.objects.get(name="五島市", prefecture__code="42")
        profile = TalentProfile.objects.create(
            user=talent,
            prefecture=home.prefecture,
            pseudonym="T-BKUP",
            full_name="長崎 保存",
            email="hozon@example.jp",
            home_municipality=home,
        )
        evidence = EvidenceFile.objects.create(
            profile=profile,
            label="情報処理安全確保支援士",
            file="evidence/2025/04/cert.pdf",
            original_name="cert.pdf",
            content_type="application/pdf",
            size=len(EVIDENCE),
            sha256=hashlib.sha256(EVIDENCE).hexdigest(),
        )
        try:
            stdout = StringIO()
            with override_settings(MEDIA_ROOT=media):
                call_command("backup", "--output", str(out), stdout=stdout)
            (path,) = out.iterdir()
            yield types.SimpleNamespace(
                path=path,
                manifest=json.loads((path / "manifest.json").read_text()),
                stdout=stdout.getvalue(),
                out=out,
                media=media,
            )
        finally:  # committed rows outlive the module unless removed: later tests count users and profiles
            evidence.delete()
            profile.delete()
            for user in (secretariat, talent):
                org = user.organisation
                user.delete()
                if org is not None:
                    org.delete()
            AuditEvent.objects.filter(
                action__in=[AuditAction.BACKUP_CREATE, AuditAction.BACKUP_RESTORE]
            ).delete()


def copy_of(saved, tmp_path) -> Path:
    dest = tmp_path / saved.path.name
    shutil.copytree(saved.path, dest)
    return dest


# ---------------------------------------------------------------------------------------------------- backup


def test_backup_directory_and_manifest(saved):
    m = saved.manifest
    assert saved.path.name.startswith("dxpool-backup-") and str(saved.path) in saved.stdout
    assert [p.name for p in saved.out.iterdir()] == [saved.path.name]  # no .partial left behind
    assert m["format"] == "dxpool-backup" and m["format_version"] == 1 and m["dxpool_version"]
    assert m["database"]["engine"] in ("sqlite", "postgresql")
    # Every model of every installed app, by its table.
    assert set(m["tables"]) == set(backup.model_tables())
    assert m["tables"]["talent_talentprofile"] == 1 and m["tables"]["talent_evidencefile"] == 1
    assert m["tables"]["places_municipality"] == 1741
    assert m["files"]["media/evidence/2025/04/cert.pdf"] == {
        "size": len(EVIDENCE),
        "sha256": hashlib.sha256(EVIDENCE).hexdigest(),
    }
    assert m["media"]["files"] == 1
    db_file = m["database"]["file"]
    assert m["files"][db_file]["sha256"] == sha256(saved.path / db_file)
    assert set(m["files"]) == {
        p.relative_to(saved.path).as_posix()
        for p in saved.path.rglob("*")
        if p.is_file() and p.name != "manifest.json"
    }
    # Backups hold personal data: readable by their owner only.
    assert (saved.path.stat().st_mode & 0o077) == 0 and (saved.path / db_file).stat().st_mode & 0o077 == 0


def test_manifest_records_latest_migration_per_app(saved):
    applied = MigrationRecorder.Migration.objects.order_by("id")
    latest = {}
    for row in applied:
        latest[row.app] = row.name
    assert saved.manifest["migrations"] == latest


def test_backup_is_audited(saved):
    event = AuditEvent.objects.get(action=AuditAction.BACKUP_CREATE)
    assert event.detail["path"] == str(saved.path) and event.detail["rows"] == sum(
        saved.manifest["tables"].values()
    )


def half_dump(using, target):
    target.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)  # the dump had only begun
    raise KeyboardInterrupt  # as when the operator, or cron's timeout, stops it mid-way


def test_killed_backup_leaves_nothing_that_looks_finished(tmp_path, monkeypatch):
    monkeypatch.setattr(backup, "_sqlite_dump", half_dump)
    monkeypatch.setattr(backup, "_pg_dump", half_dump)
    with pytest.raises(KeyboardInterrupt):
        backup_create(output_dir=tmp_path, media_root=tmp_path / "no-media")
    assert list(tmp_path.iterdir()) == []


def test_backup_killed_without_cleanup_is_not_a_backup(saved, tmp_path, monkeypatch):
    # SIGKILL runs no cleanup: what stays behind must be recognisably unfinished.
    monkeypatch.setattr(
        backup,
        "shutil",
        types.SimpleNamespace(rmtree=lambda *a, **k: None, copy2=shutil.copy2, which=shutil.which),
    )

    def dump(using, target):
        target.write_bytes(b"a whole database")
        return {"tables": {}, "migrations": {}, "server_version": "x"}

    def die(*args, **kwargs):
        raise RuntimeError("killed")

    monkeypatch.setattr(backup, "_sqlite_dump", dump)
    monkeypatch.setattr(backup, "_pg_dump", dump)
    monkeypatch.setattr(backup, "_inventory", die)  # after the database and the evidence were copied
    with pytest.raises(RuntimeError):
        backup_create(output_dir=tmp_path, media_root=saved.media)
    (left,) = tmp_path.iterdir()
    assert left.name.startswith(".dxpool-backup-") and left.name.endswith(".partial")
    assert (left / "media" / "evidence" / "2025" / "04" / "cert.pdf").exists()
    assert not (left / "manifest.json").exists()
    with pytest.raises(BackupError, match="not a finished dxpool backup"):
        restore_check(
            directory=left, database=sqlite_target(tmp_path / "t.sqlite3"), media_root=tmp_path / "m"
        )


@sqlite_only
def test_backup_inside_a_transaction_is_refused_not_hung(tmp_path):
    # SQLite's backup API would wait forever on its own connection's open write transaction.
    with pytest.raises(BackupError, match="open transaction"):
        backup_create(output_dir=tmp_path, media_root=tmp_path / "no-media")
    assert list(tmp_path.iterdir()) == []


def test_backup_inside_media_root_is_refused(tmp_path):
    with pytest.raises(BackupError, match="inside MEDIA_ROOT"):
        backup_create(output_dir=tmp_path / "media" / "backups", media_root=tmp_path / "media")


# --------------------------------------------------------------------------------------------------- restore


def assert_restored(saved, database: dict, media: Path, *, audited: bool = False) -> None:
    """The restored database and files give the manifest back: the same counts, migrations and hashes."""
    facts = database_facts(database=database)
    expected = dict(saved.manifest["tables"])
    if audited:  # `dxpool restore` records itself in the restored audit trail, after its recount
        expected["core_auditevent"] += 1
    assert facts["tables"] == expected
    assert facts["migrations"] == saved.manifest["migrations"]
    restored = {
        f"media/{p.relative_to(media).as_posix()}": {"size": p.stat().st_size, "sha256": sha256(p)}
        for p in media.rglob("*")
        if p.is_file()
    }
    assert restored == {k: v for k, v in saved.manifest["files"].items() if k.startswith("media/")}


@sqlite_only
def test_sqlite_round_trip(saved, tmp_path):
    target, media = sqlite_target(tmp_path / "restored.sqlite3"), tmp_path / "media"
    plan = restore_check(directory=saved.path, database=target, media_root=media)
    assert not plan.target_has_schema and plan.pending_migrations == []
    result = backup_restore(plan=plan)
    assert result.ok and result.files == 1 and result.mismatches == {}
    assert_restored(saved, target, media)
    db = sqlite3.connect(target["NAME"])
    assert db.execute("SELECT full_name FROM talent_talentprofile WHERE pseudonym = 'T-BKUP'").fetchone() == (
        "長崎 保存",
    )


@sqlite_only
def test_restore_into_a_migrated_but_unused_database(saved, tmp_path):
    # A scratch database that was only migrated counts as empty: migrate's own bookkeeping rows are no data.
    migrated = tmp_path / "migrated.sqlite3"
    backup_restore(
        plan=restore_check(
            directory=saved.path, database=sqlite_target(migrated), media_root=tmp_path / "scratch"
        )
    )
    db = sqlite3.connect(migrated)  # the same schema with only what `migrate` itself writes
    for (table,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall():
        if table not in backup.BOOKKEEPING_TABLES:
            db.execute(f'DELETE FROM "{table}"')
    db.commit()
    db.close()
    (tmp_path / "m0").mkdir()  # an empty MEDIA_ROOT is fine too
    plan = restore_check(directory=saved.path, database=sqlite_target(migrated), media_root=tmp_path / "m0")
    assert plan.target_has_schema
    assert backup_restore(plan=plan).ok


def test_tampered_file_is_refused(saved, tmp_path):
    copy = copy_of(saved, tmp_path)
    evidence = copy / "media" / "evidence" / "2025" / "04" / "cert.pdf"
    evidence.write_bytes(evidence.read_bytes().replace(b"test", b"fake"))  # same size, other content
    target = tmp_path / "t.sqlite3"
    with pytest.raises(BackupError, match="SHA-256 does not match"):
        restore_check(directory=copy, database=sqlite_target(target), media_root=tmp_path / "m")
    assert not target.exists() and not (tmp_path / "m").exists()


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: (d / "media" / "extra.html").write_text("<script>"), "not listed in the manifest"),
        (
            lambda d: (d / "media" / "evidence" / "2025" / "04" / "cert.pdf").unlink(),
            "missing from the backup",
        ),
        (lambda d: (d / "manifest.json").write_text("{not json"), "not valid JSON"),
        (lambda d: (d / "manifest.json").unlink(), "not a finished dxpool backup"),
        (
            lambda d: edit_manifest(
                d, lambda m: m["files"].update({"../../outside": m["files"].popitem()[1]})
            ),
            "unexpected file path",
        ),
        (lambda d: edit_manifest(d, lambda m: m.update(format_version=99)), "newer than this dxpool"),
        (lambda d: edit_manifest(d, lambda m: m["tables"].update(accounts_user="many")), "row count"),
    ],
)
def test_damaged_backup_is_refused(saved, tmp_path, change, message):
    copy = copy_of(saved, tmp_path)
    change(copy)
    with pytest.raises(BackupError, match=message):
        restore_check(
            directory=copy, database=sqlite_target(tmp_path / "t.sqlite3"), media_root=tmp_path / "m"
        )


def edit_manifest(directory: Path, edit) -> None:
    manifest = json.loads((directory / "manifest.json").read_text())
    edit(manifest)
    (directory / "manifest.json").write_text(json.dumps(manifest))


@sqlite_only
def test_backup_from_a_newer_schema_is_refused(saved, tmp_path):
    copy = copy_of(saved, tmp_path)
    edit_manifest(copy, lambda m: m["migrations"].update(talent="9999_from_the_future"))
    with pytest.raises(BackupError, match="talent.9999_from_the_future is unknown here"):
        restore_check(
            directory=copy, database=sqlite_target(tmp_path / "t.sqlite3"), media_root=tmp_path / "m"
        )


def test_wrong_engine_is_refused(saved, tmp_path):
    other = (
        {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}
        if saved.manifest["database"]["engine"] == "sqlite"
        else sqlite_target(tmp_path / "t.sqlite3")
    )
    with pytest.raises(BackupError, match="restore it into a (SQLite|PostgreSQL) database"):
        restore_check(directory=saved.path, database=other, media_root=tmp_path / "m")


@sqlite_only
def test_non_empty_target_is_refused(saved, tmp_path):
    target = sqlite_target(tmp_path / "t.sqlite3")
    backup_restore(plan=restore_check(directory=saved.path, database=target, media_root=tmp_path / "m1"))
    before = sha256(Path(target["NAME"]))
    with pytest.raises(BackupError, match="target database is not empty"):
        restore_check(directory=saved.path, database=target, media_root=tmp_path / "m2")
    assert sha256(Path(target["NAME"])) == before


@sqlite_only
def test_media_root_with_files_is_refused(saved, tmp_path):
    (tmp_path / "m" / "evidence").mkdir(parents=True)
    (tmp_path / "m" / "evidence" / "someone-elses.pdf").write_bytes(b"%PDF-")
    with pytest.raises(BackupError, match="already holds 1 files"):
        restore_check(
            directory=saved.path, database=sqlite_target(tmp_path / "t.sqlite3"), media_root=tmp_path / "m"
        )
    assert not (tmp_path / "t.sqlite3").exists()


@sqlite_only
def test_restore_rechecks_the_target_before_writing(saved, tmp_path):
    target = sqlite_target(tmp_path / "t.sqlite3")
    plan = restore_check(directory=saved.path, database=target, media_root=tmp_path / "m")
    backup_restore(plan=restore_check(directory=saved.path, database=target, media_root=tmp_path / "other"))
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(plan=plan)  # someone restored in between the plan and the confirmation


@sqlite_only
def test_count_mismatch_after_restore_is_exit_1(saved, tmp_path, monkeypatch):
    target, media = sqlite_target(tmp_path / "t.sqlite3"), tmp_path / "m"
    real_check, real_count = backup.restore_check, backup._sqlite_count
    from dxpool.core.management.commands import restore as restore_command

    monkeypatch.setattr(
        restore_command,
        "restore_check",
        lambda *, directory: real_check(directory=directory, database=target, media_root=media),
    )
    monkeypatch.setattr(
        backup, "_sqlite_count", lambda database, tables: {**real_count(database, tables), "accounts_user": 0}
    )
    stdout = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("restore", str(saved.path), "--yes", stdout=stdout)
    assert caught.value.returncode == 1
    assert "MISMATCH accounts_user" in stdout.getvalue()


class Terminal(StringIO):
    def isatty(self):
        return True


@sqlite_only
@pytest.mark.parametrize("answer, restored", [("n\n", False), ("\n", False), ("y\n", True)])
def test_confirmation_on_a_terminal(saved, tmp_path, monkeypatch, answer, restored):
    target, media = sqlite_target(tmp_path / "t.sqlite3"), tmp_path / "m"
    real_check = backup.restore_check
    from dxpool.core.management.commands import restore as restore_command

    monkeypatch.setattr(
        restore_command,
        "restore_check",
        lambda *, directory: real_check(directory=directory, database=target, media_root=media),
    )
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    stdout = StringIO()
    if restored:
        call_command("restore", str(saved.path), stdout=stdout)
        assert "every row count matches the manifest" in stdout.getvalue()
    else:
        with pytest.raises(CommandError, match="cancelled; nothing was restored") as caught:
            call_command("restore", str(saved.path), stdout=stdout)
        assert caught.value.returncode == 1
    assert "[y/N]" in stdout.getvalue() and "talent_evidencefile" in stdout.getvalue()
    assert Path(target["NAME"]).exists() is restored


# ------------------------------------------------------------------------------------------------------- CLI


def run_cli(*args, env_extra=None, stdin=""):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "dxpool.cli", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@sqlite_only
def test_cli_restores_into_a_new_unmigrated_database(saved, tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}",
        "DXPOOL_MEDIA_ROOT": str(tmp_path / "media"),
    }
    r = run_cli("restore", str(saved.path), env_extra=env)  # no --yes and no terminal: refused, nothing done
    assert r.returncode == 2 and r.stderr.strip() == (
        "dxpool restore: error: not restoring without confirmation: run it on a terminal or pass --yes"
    )
    assert "talent_talentprofile" in r.stdout and not (tmp_path / "new.sqlite3").exists()
    r = run_cli("restore", str(saved.path), "--yes", env_extra=env)
    assert r.returncode == 0, r.stderr
    assert "every row count matches the manifest" in r.stdout
    assert_restored(saved, sqlite_target(tmp_path / "new.sqlite3"), tmp_path / "media", audited=True)
    db = sqlite3.connect(tmp_path / "new.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM core_auditevent WHERE action = 'backup.restore'").fetchone() == (
        1,
    )
    db.close()
    r = run_cli("restore", str(saved.path), "--yes", env_extra=env)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "not empty" in r.stderr


def test_cli_verify_only(saved, tmp_path):
    r = run_cli(
        "restore", "--verify", str(saved.path), env_extra={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/x"}
    )
    assert r.returncode == 0, r.stderr
    assert f"all {len(saved.manifest['files'])} files match the manifest" in r.stdout
    copy = copy_of(saved, tmp_path)
    (copy / saved.manifest["database"]["file"]).write_bytes(b"truncated")
    r = run_cli("restore", "--verify", str(copy))
    assert r.returncode == 2 and "size or SHA-256 does not match" in r.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["/nonexistent/backup"], "no such backup directory"),
        ([], "the following arguments are required"),
    ],
)
def test_cli_bad_input(args, message, tmp_path):
    r = run_cli("restore", *args, env_extra={"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr


def test_cli_backup_without_pg_dump(tmp_path):
    r = run_cli(
        "backup",
        "--output",
        str(tmp_path / "b"),
        env_extra={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "PATH": str(tmp_path)},
    )
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip().splitlines() == [
        "dxpool backup: error: pg_dump not found on PATH: install the PostgreSQL client tools "
        "(Debian/Ubuntu: apt install postgresql-client) in the version of the server or newer"
    ]
    assert not (tmp_path / "b").exists()


def test_cli_backup_of_an_unreachable_database(tmp_path):
    r = run_cli(
        "backup",
        "--output",
        str(tmp_path / "b"),
        env_extra={"DATABASE_URL": f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'x.sqlite3'}"},
    )
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "cannot reach the database" in r.stderr and not list((tmp_path / "b").glob("dxpool-backup-*"))


# ------------------------------------------------------------------------------------------------ PostgreSQL


def test_pg_password_goes_through_the_environment_only(tmp_path, monkeypatch):
    seen = {}

    def run(argv, env, **kwargs):
        seen.update(argv=argv, env=env)
        return subprocess.CompletedProcess(argv, 0, "", "")

    monkeypatch.setattr(backup, "_pg_tool", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(backup.subprocess, "run", run)
    database = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "dxpool",
        "USER": "app",
        "PASSWORD": "s3cret!",
        "HOST": "db.internal",
        "PORT": 5433,
        "OPTIONS": {"sslmode": "verify-full", "server_side_binding": True},
    }
    backup._pg_restore(tmp_path / "database.pgdump", database, has_schema=False)
    assert not any("s3cret" in a for a in seen["argv"])
    assert seen["argv"][:6] == [
        "/usr/bin/pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "--no-password",
    ]
    assert seen["argv"][-2:] == ["--dbname=dxpool", str(tmp_path / "database.pgdump")]
    env = seen["env"]
    assert (env["PGPASSWORD"], env["PGUSER"], env["PGHOST"], env["PGPORT"], env["PGSSLMODE"]) == (
        "s3cret!",
        "app",
        "db.internal",
        "5433",
        "verify-full",
    )


@pytest.mark.postgres
@pytest.mark.skipif(not ENGINE.endswith("postgresql"), reason="needs DATABASE_URL pointing at PostgreSQL")
def test_postgres_round_trip(saved, tmp_path):
    import psycopg

    assert saved.manifest["database"]["engine"] == "postgresql"
    source = connections["default"].settings_dict
    name = f"dxpool_restore_test_{uuid.uuid4().hex[:12]}"
    migrated = f"{name}_migrated"
    admin = psycopg.connect(**{**backup._pg_params(source), "dbname": "postgres"}, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        target = {**source, "NAME": name}
        plan = restore_check(directory=saved.path, database=target, media_root=tmp_path / "media")
        assert not plan.target_has_schema
        result = backup_restore(plan=plan)
        assert result.ok and result.files == 1
        assert_restored(saved, target, tmp_path / "media")
        with pytest.raises(BackupError, match="not empty"):
            restore_check(directory=saved.path, database=target, media_root=tmp_path / "other")
        # A database that was created and migrated but never used is empty too: its tables make way.
        admin.execute(f'CREATE DATABASE "{migrated}"')
        params = backup._pg_params(source)
        url = (
            f"postgres://{quote(params.get('user', ''))}:{quote(params.get('password', ''))}"
            f"@{params.get('host', '')}:{params.get('port', 5432)}/{migrated}"
        )
        r = run_cli("migrate", "--verbosity", "0", env_extra={"DATABASE_URL": url})
        assert r.returncode == 0, r.stderr
        target = {**source, "NAME": migrated}
        plan = restore_check(directory=saved.path, database=target, media_root=tmp_path / "media2")
        assert plan.target_has_schema
        assert backup_restore(plan=plan).ok
        assert_restored(saved, target, tmp_path / "media2")
    finally:
        for db in (name, migrated):
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        admin.close()
