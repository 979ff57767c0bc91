"""The lease a worker holds on a match run while it executes it: who holds it and that it is still alive.

A run's holder is named "host[/pid-namespace]:pid:token" (`worker_identity`); the holder renews the run's
heartbeat from a background thread (`heartbeat`) besides its progress steps. `holder_is_gone` tells, for a
holder on this host, whether its process still exists, so a restarted worker fails its predecessor's run at
once instead of after the lease (`MATCHRUN_LEASE_SECONDS`). The reaper that uses them is
`dxpool.matching.services.matchrun_reap_stale`.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections
from django.utils import timezone

from dxpool.matching.models import MatchRun, RunStatus

logger = logging.getLogger("dxpool.matching")

DEFAULT_LEASE_SECONDS = 120

# One token per process: with host and pid it names this worker, and tells it apart from a previous process
# that had the same pid (a restarted container usually gets the same pid as its predecessor).
_PROCESS_TOKEN = secrets.token_hex(4)


def lease_seconds() -> float:
    """How long a running run's heartbeat may be silent before its worker counts as dead (a setting)."""
    return float(getattr(settings, "MATCHRUN_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def _pid_namespace() -> str:
    # Two containers may share a host name but not their pids: the pid namespace tells them apart (Linux).
    try:
        return f"/{os.stat('/proc/self/ns/pid').st_ino}"
    except OSError:
        return ""


def worker_identity(*, pid: int | None = None, token: str | None = None) -> str:
    """This process's name as a run's holder: "host[/pid-namespace]:pid:token" (pid and token for tests)."""
    return (f"{socket.gethostname()}{_pid_namespace()}:{os.getpid() if pid is None else pid}:"
            f"{_PROCESS_TOKEN if token is None else token}")[:160]


def holder_is_gone(worker: str) -> bool:
    """True when the run's holder is a process of this host (and pid namespace) that no longer exists.

    A holder elsewhere is unknown here: only its lease can tell. A live pid may have been reused by another
    process; then the lease decides too, a little later.
    """
    parts = worker.rsplit(":", 2)
    if len(parts) != 3 or os.name != "posix":
        return False
    host, pid_text, token = parts
    me_host, me_pid, me_token = worker_identity().rsplit(":", 2)
    if host != me_host or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return token != me_token  # our pid, another token: our predecessor
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


@contextmanager
def heartbeat(run_id: int, *, worker: str) -> Iterator[None]:
    """Renew the run's lease from a background thread while the engine works (a solve can take seconds)."""
    stop = threading.Event()
    every = max(lease_seconds() / 4, 0.2)

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    MatchRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, worker=worker).update(
                        heartbeat_at=timezone.now())
                except Exception:  # a locked SQLite database, a dropped connection: try again next beat
                    logger.debug("heartbeat of match run #%s skipped", run_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only

    thread = threading.Thread(target=beat, name=f"matchrun-{run_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
