"""Reading the database configuration from the environment, failing with one clear sentence.

Kept free of Django imports beyond django-environ so that settings can import it.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ


class ConfigError(Exception):
    """A setting from the environment is unusable; the message is meant for the operator as is."""


_SCHEMES = {"postgres", "postgresql", "pgsql", "sqlite"}


def database_from_env(url: str, default_sqlite: Path) -> dict:
    """Return Django's DATABASES['default'] for DATABASE_URL, or SQLite under var/ when it is empty."""
    if not url:
        default_sqlite.parent.mkdir(parents=True, exist_ok=True)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite), "OPTIONS": {"timeout": 20}}
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES:
        raise ConfigError(
            f"DATABASE_URL is malformed: scheme {parts.scheme or '(none)'!r} is not supported; "
            "use postgres://user@host:5432/dbname or sqlite:///path/to/file.sqlite3"
        )
    if parts.scheme != "sqlite" and not parts.path.strip("/"):
        raise ConfigError("DATABASE_URL is malformed: no database name after the host (postgres://user@host:5432/dbname)")
    try:
        config = environ.Env.db_url_config(url)
        if parts.port is not None and not (0 < parts.port < 65536):
            raise ValueError("port out of range")
    except (ValueError, KeyError) as exc:
        raise ConfigError(f"DATABASE_URL is malformed: {exc}") from None
    if config["ENGINE"].endswith("postgresql"):
        config.setdefault("CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
    return config
