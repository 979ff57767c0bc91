"""`dxpool bench import-hearing`: a hearing workbook covering all 1,741 municipalities, imported end to end.

Runs against the current database (it needs the reference data: `dxpool load-reference`), inside one
transaction that is rolled back, so nothing is left behind. Measured: writing the workbook (the export's
writer), the import creating 1,741 records (read with openpyxl read-only, every cell parsed, every record
validated by the same service as the web form, bulk insert), and a re-import updating all of them. Memory:
the process's peak RSS (ru_maxrss) and its growth during the imports; with --tracemalloc also the peak of
Python allocations during one import (slower, so timed separately).
"""

from __future__ import annotations

import resource
import time


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, default=2026, help="fiscal year of the generated records")
    parser.add_argument("--seed", type=int, default=3, help="seed of the generated data")
    parser.add_argument("--tracemalloc", action="store_true", help="also measure the peak of Python allocations")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run(*, year: int = 2026, seed: int = 3, tracemalloc: bool = False, **_ignored) -> dict:
    """Generate, import, re-import and roll back; returns the figures (seconds, MB, counts)."""
    import random

    from django.db import transaction

    from dxpool.accounts.models import Organisation, OrganisationKind, Role, User
    from dxpool.needs.demo import synthetic_hearing_data
    from dxpool.needs.excel import HearingEntry, write_workbook
    from dxpool.needs.services import hearing_import
    from dxpool.places.models import Municipality

    municipalities = list(Municipality.objects.select_related("prefecture").order_by("code"))
    if len(municipalities) != 1741:
        raise ValueError("the reference data is not loaded (run `dxpool load-reference` first)")
    rng = random.Random(seed)
    entries = [HearingEntry(m.code, m.name, m.prefecture.name, year, synthetic_hearing_data(rng, m, year))
               for m in municipalities]
    t0 = time.perf_counter()
    content = write_workbook(entries)
    t1 = time.perf_counter()
    files = [("hearing_all-municipalities.xlsx", content)]
    rss_before = _rss_mb()
    traced = None
    with transaction.atomic():
        org = Organisation.objects.create(kind=OrganisationKind.NATIONAL, name="bench import-hearing")
        actor = User.objects.create(username="bench-import-hearing", role=Role.NATIONAL, organisation=org)
        t2 = time.perf_counter()
        created = hearing_import(actor=actor, files=files, trusted=True)
        t3 = time.perf_counter()
        updated = hearing_import(actor=actor, files=files, trusted=True)
        t4 = time.perf_counter()
        rss_after = _rss_mb()
        if tracemalloc:
            import tracemalloc as tm

            tm.start()
            hearing_import(actor=actor, files=files, trusted=True)
            traced = tm.get_traced_memory()[1] / 2**20
            tm.stop()
        transaction.set_rollback(True)
    return {
        "benchmark": "import-hearing",
        "database": "current (rolled back)",
        "municipalities": len(municipalities),
        "workbook_bytes": len(content),
        "seconds_write_workbook": round(t1 - t0, 3),
        "seconds_import_create": round(t3 - t2, 3),
        "seconds_import_update": round(t4 - t3, 3),
        "created": created["created"],
        "updated_on_reimport": updated["updated"],
        "peak_rss_mb": round(rss_after, 1),
        "rss_growth_during_import_mb": round(rss_after - rss_before, 1),
        "tracemalloc_peak_mb": round(traced, 1) if traced is not None else None,
        "targets": {"seconds": 10, "peak_mb": 500},
    }
