"""Backups: a consistent snapshot of the database and the uploaded evidence, with a manifest that proves it.

A backup is a directory holding the database (a SQLite copy made with SQLite's online backup API, or a
`pg_dump --format=custom` archive), a copy of MEDIA_ROOT under `media/`, and `manifest.json`: the row count
of every model's table, the latest applied migration per app, and the size and SHA-256 of every file.

Consistency: the row counts are taken from the very snapshot that was dumped (from the SQLite copy itself; on
PostgreSQL inside the REPEATABLE READ transaction whose exported snapshot `pg_dump --snapshot` reads), so a
restore can prove it got back exactly what was saved. A backup is assembled in a hidden `.partial` directory
and renamed only once complete: a killed backup never leaves something that looks finished.

A restore verifies every hash first and writes only into an empty database and an empty MEDIA_ROOT: it can
never overwrite data.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from dxpool.core.audit import AuditAction, audit_record

FORMAT = "dxpool-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# `migrate` fills these on every database it touches, so their rows do not make a target "not empty"
# (a database that was created and migrated, but never used, is a fine place to restore into).
BOOKKEEPING_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}
)
# OPTIONS keys of Django's PostgreSQL backend that are not libpq connection parameters.
_DJANGO_PG_OPTIONS = frozenset(
    {
        "isolation_level",
        "server_side_binding",
        "pool",
        "assume_role",
        "cursor_factory",
        "context",
        "prepare_threshold",
    }
)
# libpq parameters that pg_dump/pg_restore read from the environment, so nothing but the dump's own flags
# goes on their command line (where `ps` would show it to every user of the machine).
_PG_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING",
}
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore cannot go ahead; the message is one sentence meant for the operator as is."""


@dataclass(frozen=True)
class Backup:
    """A finished backup: its directory and its manifest."""

    path: Path
    manifest: dict


@dataclass(frozen=True)
class RestorePlan:
    """What a restore will do, checked and ready: shown to the operator before anything is written."""

    directory: Path
    manifest: dict
    database: dict
    media_root: Path
    engine: str
    # The target already has dxpool's (empty) tables, e.g. it was migrated: pg_restore must replace them.
    target_has_schema: bool
    # Migrations this code has that the backup had not applied yet: `dxpool migrate` after the restore.
    pending_migrations: list[str] = field(default_factory=list)
    # Audit the restore only into Django's own database (not into an explicitly named scratch target).
    audit: bool = False


@dataclass(frozen=True)
class RestoreResult:
    """What a restore found when it counted again: table → (rows in the manifest, rows now)."""

    plan: RestorePlan
    counts: dict[str, int | None]
    mismatches: dict[str, tuple[int, int | None]]
    files: int

    @property
    def ok(self) -> bool:
        return not self.mismatches


# ---------------------------------------------------------------------------------------------------- helpers


def engine_of(database: dict) -> str:
    """'sqlite' or 'postgresql' for a Django DATABASES entry; any other engine cannot be backed up."""
    name = database.get("ENGINE", "")
    if name.endswith("sqlite3"):
        return "sqlite"
    if name.endswith("postgresql"):
        return "postgresql"
    raise BackupError(
        f"cannot back up or restore a database with engine {name!r} (SQLite and PostgreSQL only)"
    )


def model_tables() -> list[str]:
    """The table of every concrete model of every installed app (many-to-many tables included)."""
    tables = {
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    }
    return sorted(tables)


def default_backup_dir() -> Path:
    return Path(getattr(settings, "DXPOOL_BACKUP_DIR", None) or Path(settings.BASE_DIR) / "var" / "backups")


def _quote(name: str) -> str:
    # Standard SQL identifier quoting, valid on SQLite and PostgreSQL alike.
    return '"' + name.replace('"', '""') + '"'


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files_under(root: Path) -> Iterator[Path]:
    """Regular files below root, in a stable order; symbolic links are not followed (nor copied)."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _version() -> str:
    try:
        return metadata.version("dxpool")
    except metadata.PackageNotFoundError:
        return "unknown"


def size_text(n: int) -> str:
    """A byte count for people: 532 B, 1.4 MB."""
    if n < 1024:
        return f"{n:,} B"
    value = float(n)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    return f"{value:,.1f} {unit}"


def _first_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    # pg_dump and pg_restore open with context ("while PROCESSING TOC:"); the line that matters says error.
    return next((line for line in lines if "error:" in line.lower()), lines[0] if lines else "no message")


def _driver_errors() -> tuple[type[BaseException], ...]:
    try:
        import psycopg
    except ImportError:  # a SQLite-only installation
        return (OSError, sqlite3.Error)
    return (OSError, sqlite3.Error, psycopg.Error)


@contextmanager
def _as_backup_error(what: str) -> Iterator[None]:
    """Turn file system and driver failures (disk full, permission denied, …) into one operator sentence."""
    try:
        yield
    except _driver_errors() as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else _first_line(str(exc))
        where = f" ({exc.filename})" if isinstance(exc, OSError) and exc.filename else ""
        raise BackupError(f"{what}: {detail}{where}") from None


# ----------------------------------------------------------------------------------------------------- SQLite


def _sqlite_path(database: dict) -> Path:
    name = str(database.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupError("cannot restore into an in-memory SQLite database; set DATABASE_URL to a file")
    return Path(name)


def _sqlite_facts(db: sqlite3.Connection) -> tuple[dict[str, int], dict[str, str]]:
    """Row counts of the model tables present, and the latest applied migration per app."""
    present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    counts = {
        t: db.execute(f"SELECT COUNT(*) FROM {_quote(t)}").fetchone()[0]
        for t in model_tables()
        if t in present
    }
    migrations = {}
    if "django_migrations" in present:
        migrations = dict(
            db.execute(
                "SELECT app, name FROM django_migrations WHERE id IN "
                "(SELECT MAX(id) FROM django_migrations GROUP BY app) ORDER BY app"
            )
        )
    return counts, migrations


def _sqlite_dump(using: str, target: Path) -> dict:
    connection = connections[using]
    try:
        connection.ensure_connection()
    except OperationalError as exc:
        raise BackupError(f"cannot reach the database: {_first_line(str(exc))}") from None
    raw = connection.connection
    if connection.in_atomic_block or raw.in_transaction:
        # SQLite's backup API waits forever for a write transaction held by its own source connection.
        raise BackupError("cannot back up from inside an open transaction")
    dst = sqlite3.connect(target)
    try:
        # One step (pages=-1) copies the whole database under one read lock: a single consistent state.
        # A step-wise copy would start over each time another connection writes.
        raw.backup(dst, pages=-1)
    finally:
        dst.close()
    db = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
    try:
        check = db.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the SQLite copy fails its integrity check: {check}")
        counts, migrations = _sqlite_facts(db)
        version = db.execute("SELECT sqlite_version()").fetchone()[0]
    finally:
        db.close()
    return {"tables": counts, "migrations": migrations, "server_version": version}


def _sqlite_occupied(database: dict) -> tuple[list[str], bool]:
    """Tables of the target holding rows (bookkeeping aside), and whether dxpool's tables exist there."""
    path = _sqlite_path(database)
    if not path.exists() or path.stat().st_size == 0:
        return [], False
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            present = [
                r[0]
                for r in db.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                    "ORDER BY name"
                )
            ]
            occupied = [
                t
                for t in present
                if t not in BOOKKEEPING_TABLES
                and db.execute(f"SELECT EXISTS (SELECT 1 FROM {_quote(t)})").fetchone()[0]
            ]
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"{path} is not a usable SQLite database ({exc}); restore into a new file"
        ) from None
    return occupied, bool(set(present) & set(model_tables()))


def _sqlite_restore(source: Path, database: dict) -> None:
    target = _sqlite_path(database)
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        check = src.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"the SQLite file in the backup fails its integrity check: {check}")
        dst = sqlite3.connect(target)
        try:
            # The backup API in reverse: replaces the (empty) target page by page, under its own lock.
            src.backup(dst, pages=-1)
        finally:
            dst.close()
    finally:
        src.close()


def _sqlite_count(database: dict, tables: list[str]) -> dict[str, int | None]:
    db = sqlite3.connect(f"{_sqlite_path(database).resolve().as_uri()}?mode=ro", uri=True)
    try:
        present = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {
            t: db.execute(f"SELECT COUNT(*) FROM {_quote(t)}").fetchone()[0] if t in present else None
            for t in tables
        }
    finally:
        db.close()


# ------------------------------------------------------------------------------------------------- PostgreSQL


def _pg_params(database: dict) -> dict[str, str]:
    """libpq connection parameters from a Django DATABASES entry."""
    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
    }
    for key, value in (database.get("OPTIONS") or {}).items():
        if key not in _DJANGO_PG_OPTIONS:
            params[key] = value
    return {k: str(v) for k, v in params.items() if v not in (None, "")}


def _pg_env(database: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, value in _pg_params(database).items():
        if key in _PG_ENV:
            env[_PG_ENV[key]] = value
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            f"{name} not found on PATH: install the PostgreSQL client tools "
            "(Debian/Ubuntu: apt install postgresql-client) in the version of the server or newer"
        )
    return path


def _pg_connect(database: dict):
    import psycopg

    try:
        return psycopg.connect(**_pg_params(database))
    except psycopg.Error as exc:
        raise BackupError(f"cannot reach the database: {_first_line(str(exc))}") from None


def _pg_tables(cur) -> set[str]:
    cur.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (current_schemas(false))"
    )
    return {r[0] for r in cur.fetchall()}


def _pg_count(cur, tables: list[str]) -> dict[str, int | None]:
    present = _pg_tables(cur)
    counts: dict[str, int | None] = {}
    for t in tables:
        if t in present:
            cur.execute(f"SELECT COUNT(*) FROM {_quote(t)}")
            counts[t] = cur.fetchone()[0]
        else:
            counts[t] = None
    return counts


def _pg_facts(cur) -> tuple[dict[str, int], dict[str, str]]:
    """Row counts of the model tables present, and the latest applied migration per app."""
    present = _pg_tables(cur)
    counts = {
        t: n for t, n in _pg_count(cur, [t for t in model_tables() if t in present]).items() if n is not None
    }
    migrations = {}
    if "django_migrations" in present:
        cur.execute(
            "SELECT app, name FROM django_migrations WHERE id IN "
            "(SELECT MAX(id) FROM django_migrations GROUP BY app) ORDER BY app"
        )
        migrations = dict(cur.fetchall())
    return counts, migrations


def _pg_dump(using: str, target: Path) -> dict:
    import psycopg

    database = connections[using].settings_dict
    pg_dump = _pg_tool("pg_dump")
    conn = _pg_connect(database)
    try:
        # REPEATABLE READ: every statement of this transaction sees one snapshot, which pg_dump then reads
        # too (--snapshot), so the counts below are the counts of the dump.
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cur:
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            counts, migrations = _pg_facts(cur)
            cur.execute("SHOW server_version")
            version = cur.fetchone()[0]
            # The exported snapshot lives only while this transaction is open: dump before closing it.
            done = subprocess.run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-password", f"--file={target}"],
                env=_pg_env(database),
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {_first_line(done.stderr)}")
    except psycopg.Error as exc:
        raise BackupError(f"database error: {_first_line(str(exc))}") from None
    finally:
        conn.close()
    return {"tables": counts, "migrations": migrations, "server_version": version}


def _pg_occupied(database: dict) -> tuple[list[str], bool]:
    conn = _pg_connect(database)
    try:
        with conn.cursor() as cur:
            present = sorted(_pg_tables(cur))
            occupied = []
            for t in present:
                if t in BOOKKEEPING_TABLES:
                    continue
                cur.execute(f"SELECT EXISTS (SELECT 1 FROM {_quote(t)})")
                if cur.fetchone()[0]:
                    occupied.append(t)
    finally:
        conn.close()
    return occupied, bool(set(present) & set(model_tables()))


def _pg_restore(source: Path, database: dict, *, has_schema: bool) -> None:
    pg_restore = _pg_tool("pg_restore")
    # --single-transaction: a failed restore leaves the target as empty as it was, never half-filled.
    # --no-owner/--no-privileges: the target's roles need not be the source's.
    argv = [
        pg_restore,
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "--no-password",
    ]
    if has_schema:
        # The target was migrated but holds no data (checked just before): its empty tables make way for the
        # dump's. --clean only drops objects the dump itself contains.
        argv += ["--clean", "--if-exists"]
    # -d is needed: without it pg_restore prints SQL instead of connecting; the rest comes from PG* variables.
    argv += [f"--dbname={database.get('NAME')}", str(source)]
    done = subprocess.run(argv, env=_pg_env(database), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed, nothing was restored: {_first_line(done.stderr)}")


def _pg_target_count(database: dict, tables: list[str]) -> dict[str, int | None]:
    conn = _pg_connect(database)
    try:
        with conn.cursor() as cur:
            return _pg_count(cur, tables)
    finally:
        conn.close()


def database_facts(*, database: dict) -> dict:
    """The row counts and migration state a manifest would record for a database (to compare with one)."""
    if engine_of(database) == "sqlite":
        db = sqlite3.connect(f"{_sqlite_path(database).resolve().as_uri()}?mode=ro", uri=True)
        try:
            counts, migrations = _sqlite_facts(db)
        finally:
            db.close()
    else:
        conn = _pg_connect(database)
        try:
            with conn.cursor() as cur:
                counts, migrations = _pg_facts(cur)
        finally:
            conn.close()
    return {"tables": counts, "migrations": migrations}


# ----------------------------------------------------------------------------------------------------- backup


def _copy_media(media_root: Path, target: Path) -> None:
    target.mkdir(mode=0o700)
    for path in _files_under(media_root):
        dest = target / path.relative_to(media_root)
        dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copy2(path, dest)


def _inventory(directory: Path) -> dict[str, dict]:
    files = {}
    for path in _files_under(directory):
        rel = path.relative_to(directory).as_posix()
        if rel != MANIFEST:
            files[rel] = {"size": path.stat().st_size, "sha256": _sha256(path)}
    return files


def backup_create(
    *,
    output_dir: Path | None = None,
    using: str = DEFAULT_DB_ALIAS,
    media_root: Path | None = None,
    now: datetime | None = None,
) -> Backup:
    """Write a consistent snapshot of the database and the evidence files, with its manifest, into a new
    timestamped directory under output_dir (default var/backups/)."""
    database = connections[using].settings_dict
    engine = engine_of(database)
    if engine == "postgresql":
        _pg_tool("pg_dump")  # before anything else: a machine without it cannot back up at all
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT).resolve()
    parent = Path(output_dir if output_dir is not None else default_backup_dir()).resolve()
    if parent == media_root or media_root in parent.parents:
        # A backup inside MEDIA_ROOT would be copied into the next backup, and served with the evidence.
        raise BackupError(
            f"the backup directory {parent} is inside MEDIA_ROOT ({media_root}); choose another"
        )
    try:
        parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise BackupError(f"cannot create {parent}: {exc.strerror}") from None
    created = timezone.localtime(now or timezone.now())
    name = f"dxpool-backup-{created:%Y%m%d-%H%M%S}"
    # Hidden, marked .partial and without a manifest until the very end: a killed backup looks unfinished.
    # mkdtemp makes it readable by its owner only, as a backup of personal data should be.
    with _as_backup_error(f"cannot write into {parent}"):
        work = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".partial", dir=parent))
    try:
        with _as_backup_error("the backup failed and was removed"):
            manifest, files, final = _assemble(
                using=using,
                engine=engine,
                work=work,
                parent=parent,
                name=name,
                created=created,
                media_root=media_root,
            )
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    audit_record(
        actor=None,
        action=AuditAction.BACKUP_CREATE,
        detail={
            "path": str(final),
            "engine": engine,
            "tables": len(manifest["tables"]),
            "rows": sum(manifest["tables"].values()),
            "files": len(files),
        },
    )
    return Backup(path=final, manifest=manifest)


def _assemble(
    *, using: str, engine: str, work: Path, parent: Path, name: str, created: datetime, media_root: Path
) -> tuple[dict, dict, Path]:
    db_file = DATABASE_FILES[engine]
    # The database first, then the files: an upload landing in between leaves an unreferenced file in the
    # copy (harmless), never a row whose file is missing.
    facts = (_sqlite_dump if engine == "sqlite" else _pg_dump)(using, work / db_file)
    _copy_media(media_root, work / MEDIA_DIR)
    files = _inventory(work)
    for rel in files:
        os.chmod(work / rel, 0o600)
    media = [f for rel, f in files.items() if rel.startswith(MEDIA_DIR + "/")]
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created.isoformat(timespec="seconds"),
        "dxpool_version": _version(),
        "database": {"engine": engine, "file": db_file, "server_version": facts["server_version"]},
        "migrations": facts["migrations"],
        "tables": facts["tables"],
        "media": {"source": str(media_root), "files": len(media), "bytes": sum(f["size"] for f in media)},
        "files": files,
    }
    manifest_path = work / MANIFEST
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.chmod(manifest_path, 0o600)
    for rel in [*files, MANIFEST]:
        _fsync(work / rel)
    final = parent / name
    n = 1
    while final.exists():
        n += 1
        final = parent / f"{name}-{n}"
    # The one step that makes the backup visible; rename is atomic within a file system.
    os.rename(work, final)
    _fsync(parent)
    return manifest, files, final


# ---------------------------------------------------------------------------------------------------- restore


def _manifest_error(directory: Path, what: str) -> BackupError:
    return BackupError(f"{directory / MANIFEST}: {what}")


def manifest_read(*, directory: Path) -> dict:
    """The manifest of a backup directory, checked for shape (not yet against the files)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise BackupError(f"{directory}: no such backup directory")
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory}: not a finished dxpool backup (no {MANIFEST})")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _manifest_error(directory, f"not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _manifest_error(directory, "not a dxpool backup manifest")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise _manifest_error(directory, "format_version is missing")
    if version > FORMAT_VERSION:
        raise _manifest_error(
            directory,
            f"format {version} is newer than this dxpool reads ({FORMAT_VERSION}); upgrade dxpool first",
        )
    db, tables, files, migrations = (manifest.get(k) for k in ("database", "tables", "files", "migrations"))
    if not (
        isinstance(db, dict)
        and db.get("engine") in DATABASE_FILES
        and db.get("file") == DATABASE_FILES[db["engine"]]
    ):
        raise _manifest_error(directory, "the database entry is missing or names an unknown engine")
    if not (
        isinstance(tables, dict)
        and all(isinstance(t, str) and type(n) is int and n >= 0 for t, n in tables.items())
    ):
        raise _manifest_error(directory, "tables must map each table to its row count")
    if not (
        isinstance(migrations, dict)
        and all(isinstance(a, str) and isinstance(m, str) for a, m in migrations.items())
    ):
        raise _manifest_error(directory, "migrations must map each app to its latest migration")
    if not isinstance(files, dict) or db["file"] not in files:
        raise _manifest_error(directory, "files must list every file of the backup, the database included")
    for rel, entry in files.items():
        parts = PurePosixPath(rel).parts if isinstance(rel, str) else ()
        # Paths come from a file anyone could edit: none may point outside the backup or the media root.
        safe = (
            parts
            and not PurePosixPath(rel).is_absolute()
            and ".." not in parts
            and "\\" not in rel
            and (rel == db["file"] or (parts[0] == MEDIA_DIR and len(parts) > 1))
        )
        if not safe:
            raise _manifest_error(directory, f"unexpected file path {rel!r}")
        if not (
            isinstance(entry, dict)
            and type(entry.get("size")) is int
            and isinstance(entry.get("sha256"), str)
            and len(entry["sha256"]) == 64
        ):
            raise _manifest_error(directory, f"the entry for {rel} needs a size and a SHA-256")
    return manifest


def backup_verify(*, directory: Path, manifest: dict | None = None) -> dict:
    """Check every file of a backup against its manifest (size and SHA-256), and that nothing was added."""
    directory = Path(directory)
    manifest = manifest or manifest_read(directory=directory)
    listed = manifest["files"]
    for rel, entry in listed.items():
        path = directory / rel
        if not path.is_file() or path.is_symlink():
            raise BackupError(f"{path}: missing from the backup; nothing was restored")
        if path.stat().st_size != entry["size"] or _sha256(path) != entry["sha256"]:
            raise BackupError(
                f"{path}: size or SHA-256 does not match the manifest (the backup is damaged or "
                "was altered); nothing was restored"
            )
    for path in _files_under(directory):
        rel = path.relative_to(directory).as_posix()
        if rel != MANIFEST and rel not in listed:
            raise BackupError(
                f"{path}: not listed in the manifest (the backup was altered); nothing was restored"
            )
    return manifest


def _migration_check(manifest: dict) -> list[str]:
    """Refuse a backup from a newer schema; return the migrations this code would still apply after it."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for app, name in manifest["migrations"].items():
        if app in loader.migrated_apps and (app, name) not in known:
            raise BackupError(
                f"the backup's schema is newer than this dxpool's (migration {app}.{name} is unknown "
                "here); restore it with the dxpool version that made it "
                f"({manifest.get('dxpool_version', 'unknown')})"
            )
    graph = loader.graph
    applied: set[tuple[str, str]] = set()
    for node in manifest["migrations"].items():
        if node in graph.nodes:
            # A migration was applied only after everything it depends on, in every app.
            applied.update(graph.forwards_plan(node))
    pending: list[str] = []
    for leaf in sorted(graph.leaf_nodes()):
        for node in graph.forwards_plan(leaf):
            name = f"{node[0]}.{node[1]}"
            if node not in applied and name not in pending:
                pending.append(name)
    return pending


def _occupied(engine: str, database: dict) -> tuple[list[str], bool]:
    return (_sqlite_occupied if engine == "sqlite" else _pg_occupied)(database)


def _refuse_occupied(engine: str, database: dict) -> bool:
    occupied, has_schema = _occupied(engine, database)
    if occupied:
        shown = ", ".join(occupied[:4]) + (f" and {len(occupied) - 4} more" if len(occupied) > 4 else "")
        raise BackupError(
            f"the target database is not empty ({shown} hold rows); dxpool restore writes only into "
            "an empty database: create a new one and point DATABASE_URL at it"
        )
    return has_schema


def restore_check(
    *, directory: Path, database: dict | None = None, media_root: Path | None = None
) -> RestorePlan:
    """Verify a backup and its target; return the plan of the restore. Raises BackupError; writes nothing."""
    directory = Path(directory)
    manifest = backup_verify(directory=directory)
    audit = database is None
    database = database if database is not None else connections[DEFAULT_DB_ALIAS].settings_dict
    engine = engine_of(database)
    saved = manifest["database"]["engine"]
    if saved != engine:
        raise BackupError(
            f"this backup holds a {ENGINE_NAMES[saved]} database but the configured database is "
            f"{ENGINE_NAMES[engine]}; restore it into a {ENGINE_NAMES[saved]} database"
        )
    pending = _migration_check(manifest)
    with _as_backup_error("cannot inspect the target database"):
        has_schema = _refuse_occupied(engine, database)
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    existing = sum(1 for _ in _files_under(media_root))
    if existing:
        raise BackupError(
            f"MEDIA_ROOT ({media_root}) already holds {existing} files; restore the evidence into an "
            "empty directory (set DXPOOL_MEDIA_ROOT)"
        )
    return RestorePlan(
        directory=directory,
        manifest=manifest,
        database=database,
        media_root=media_root,
        engine=engine,
        target_has_schema=has_schema,
        pending_migrations=pending,
        audit=audit,
    )


def backup_restore(*, plan: RestorePlan) -> RestoreResult:
    """Restore a checked backup into its empty target, then count every table again against the manifest."""
    # Checked again: the operator may have taken a while to confirm.
    with _as_backup_error("cannot inspect the target database"):
        has_schema = _refuse_occupied(plan.engine, plan.database)
    if any(True for _ in _files_under(plan.media_root)):
        raise BackupError(f"MEDIA_ROOT ({plan.media_root}) is no longer empty; nothing was restored")
    manifest = plan.manifest
    source = plan.directory / manifest["database"]["file"]
    with _as_backup_error("the database could not be restored"):
        if plan.engine == "sqlite":
            _sqlite_restore(source, plan.database)
        else:
            _pg_restore(source, plan.database, has_schema=has_schema)
    files = 0
    with _as_backup_error(
        "the database was restored but the evidence files were not (remove both before trying again)"
    ):
        for rel, entry in manifest["files"].items():
            if not rel.startswith(MEDIA_DIR + "/"):
                continue
            dest = plan.media_root / PurePosixPath(rel).relative_to(MEDIA_DIR)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(plan.directory / rel, dest)
            if _sha256(dest) != entry["sha256"]:
                raise BackupError(f"{dest}: the copy does not match the manifest (disk error?)")
            files += 1
    tables = sorted(manifest["tables"])
    with _as_backup_error("the restore finished but the database cannot be counted"):
        counts = (_sqlite_count if plan.engine == "sqlite" else _pg_target_count)(plan.database, tables)
    mismatches = {t: (manifest["tables"][t], counts[t]) for t in tables if counts[t] != manifest["tables"][t]}
    result = RestoreResult(plan=plan, counts=counts, mismatches=mismatches, files=files)
    if plan.audit:
        # Written after the recount, so the comparison is of the backup alone. An older schema may not have
        # today's audit table shape: the restore stands even if its audit row cannot be written.
        try:
            audit_record(
                actor=None,
                action=AuditAction.BACKUP_RESTORE,
                detail={
                    "path": str(plan.directory),
                    "created_at": manifest.get("created_at"),
                    "engine": plan.engine,
                    "rows": sum(manifest["tables"].values()),
                    "files": files,
                    "mismatches": len(mismatches),
                },
            )
        except DatabaseError:
            pass
    return result
