"""The CLI's contract: bad input or configuration gives one clear line and exit code 2, never a traceback."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args, env_extra=None, stdin=None):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "dxpool.cli", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "cli.sqlite3"
    url = f"sqlite:///{path}"
    r = run_cli("migrate", "--verbosity", "0", env_extra={"DATABASE_URL": url})
    assert r.returncode == 0, r.stderr
    r = run_cli("load-reference", env_extra={"DATABASE_URL": url})
    assert r.returncode == 0, r.stderr
    return url


def test_check_prints_exact_counts(migrated_sqlite):
    r = run_cli("check", env_extra={"DATABASE_URL": migrated_sqlite})
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (
        '{"prefectures":47,"municipalities":1741,"by_type":{"指定都市":20,"特別区":23,"中核市":62,'
        '"市":710,"町":743,"村":183}}'
    )


def test_load_reference_is_idempotent(migrated_sqlite):
    r = run_cli("load-reference", env_extra={"DATABASE_URL": migrated_sqlite})
    out = json.loads(r.stdout)
    assert out["municipalities_created"] == 0 and out["municipalities_updated"] == 0


def test_unknown_municipality_code(migrated_sqlite):
    r = run_cli("municipality", "999999", env_extra={"DATABASE_URL": migrated_sqlite})
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1
    assert "999999" in r.stderr and "Traceback" not in r.stderr


def test_known_municipality(migrated_sqlite):
    r = run_cli("municipality", "422011", env_extra={"DATABASE_URL": migrated_sqlite})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["name"] == "長崎市"


@pytest.mark.parametrize("url", ["mysql2://x/y", "postgres://", "notaurl", "postgres://u@h:99999/db"])
def test_malformed_database_url(url):
    r = run_cli("check", env_extra={"DATABASE_URL": url})
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL is malformed" in lines[0]


def test_missing_migrations(tmp_path):
    r = run_cli("check", env_extra={"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "not migrated" in lines[0] and "dxpool migrate" in lines[0]


def test_unreachable_postgres():
    r = run_cli("check", env_extra={"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the database" in lines[0]
