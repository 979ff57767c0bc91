"""`dxpool bench import-hearing`: a hearing workbook covering all 1,741 municipalities, imported end to end.

Runs against the current database (it needs the reference data: `dxpool load-reference`), inside one
transaction that is rolled back, so nothing is left behind. Measured: writing the workbook (the export's
writer); the import creating 1,741 records as the web does it in two steps — the preview (archive checked
against the limits, every cell parsed, every record validated by the same service as the web form and
compared with what is stored, the plan saved) and the confirm (the plan checked against the stored values
under lock and written); a second workbook with other answers changing all of them (preview + confirm); the
undo of that second import; and a re-import of the second workbook that changes nothing. Memory: the process's
peak RSS (ru_maxrss) and its growth during the imports; with --tracemalloc also the peak of Python allocations
during one preview (slower, so timed separately).
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
    from dxpool.needs.services import hearing_import_confirm, hearing_import_preview, hearing_import_undo
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
    other = write_workbook([HearingEntry(e.code, e.name, e.prefecture, year, synthetic_hearing_data(rng, m, year))
                            for e, m in zip(entries, municipalities, strict=True)])
    files, files_b = [("hearing_all-municipalities.xlsx", content)], [("hearing_changed.xlsx", other)]
    rss_before = _rss_mb()
    traced = None
    timings: dict[str, float] = {}

    def timed(name, fn):
        start = time.perf_counter()
        out = fn()
        timings[name] = round(time.perf_counter() - start, 3)
        return out

    with transaction.atomic():
        org = Organisation.objects.create(kind=OrganisationKind.NATIONAL, name="bench import-hearing")
        actor = User.objects.create(username="bench-import-hearing", role=Role.NATIONAL, organisation=org)
        batch = timed("preview_create", lambda: hearing_import_preview(actor=actor, files=files, trusted=True))
        timed("confirm_create", lambda: hearing_import_confirm(actor=actor, batch=batch, trusted=True))
        created = batch.counts["created"]
        change = timed("preview_update", lambda: hearing_import_preview(actor=actor, files=files_b, trusted=True))
        timed("confirm_update", lambda: hearing_import_confirm(actor=actor, batch=change, trusted=True))
        updated = change.counts["updated"]
        timed("undo_update", lambda: hearing_import_undo(actor=actor, batch=change, trusted=True))
        timed("preview_unchanged", lambda: hearing_import_preview(actor=actor, files=files, trusted=True))
        rss_after = _rss_mb()
        if tracemalloc:
            import tracemalloc as tm

            tm.start()
            hearing_import_preview(actor=actor, files=files_b, trusted=True)
            traced = tm.get_traced_memory()[1] / 2**20
            tm.stop()
        transaction.set_rollback(True)
    return {
        "benchmark": "import-hearing",
        "database": "current (rolled back)",
        "municipalities": len(municipalities),
        "workbook_bytes": len(content),
        "seconds_write_workbook": round(t1 - t0, 3),
        "seconds_import_create": round(timings["preview_create"] + timings["confirm_create"], 3),
        "seconds_import_update": round(timings["preview_update"] + timings["confirm_update"], 3),
        **{f"seconds_{k}": v for k, v in timings.items()},
        "created": created,
        "updated_on_reimport": updated,
        "changes_on_reimport": change.counts["changes"],
        "peak_rss_mb": round(rss_after, 1),
        "rss_growth_during_import_mb": round(rss_after - rss_before, 1),
        "tracemalloc_peak_mb": round(traced, 1) if traced is not None else None,
        "targets": {"seconds": 10, "peak_mb": 500},
    }

