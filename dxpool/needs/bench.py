"""`dxpool bench import-hearing`: a hearing workbook covering all 1,741 municipalities, imported end to end
(parse, validate every cell, upsert), inside a transaction that is rolled back so the database is unchanged."""

from __future__ import annotations

import resource
import time


def add_arguments(parser) -> None:
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--seed", type=int, default=3)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(*, year: int = 2026, seed: int = 3, **_ignored) -> dict:
    import random

    from django.db import transaction

    from dxpool.accounts.models import Organisation, OrganisationKind, Role, User
    from dxpool.needs.demo import _hearing_values
    from dxpool.needs.excel import write_workbook
    from dxpool.needs.models import HearingRecord
    from dxpool.needs.services import hearing_import
    from dxpool.places.models import Municipality

    municipalities = list(Municipality.objects.select_related("prefecture").order_by("code"))
    if len(municipalities) != 1741:
        raise ValueError("the reference data is not loaded (run `dxpool load-reference` first)")
    rng = random.Random(seed)
    rss_before = _rss_mb()
    with transaction.atomic():
        org = Organisation.objects.create(kind=OrganisationKind.NATIONAL, name="bench")
        actor = User.objects.create(username="bench-import-hearing", role=Role.NATIONAL, organisation=org)
        # Build the workbook from unsaved records: the same writer as the prefecture's export.
        records = [HearingRecord(municipality=m, fiscal_year=year, **_hearing_values(rng, m)) for m in municipalities]
        t0 = time.perf_counter()
        content = write_workbook(records)
        t1 = time.perf_counter()
        result = hearing_import(actor=actor, files=[("all-municipalities.xlsx", content)])
        t2 = time.perf_counter()
        again = hearing_import(actor=actor, files=[("all-municipalities.xlsx", content)])
        t3 = time.perf_counter()
        transaction.set_rollback(True)
    return {
        "benchmark": "import-hearing",
        "municipalities": len(municipalities),
        "workbook_bytes": len(content),
        "seconds_write_workbook": round(t1 - t0, 3),
        "seconds_import_create": round(t2 - t1, 3),
        "seconds_import_update": round(t3 - t2, 3),
        "created": result["created"],
        "updated_on_reimport": again["updated"],
        "peak_rss_mb": round(_rss_mb(), 1),
        "rss_growth_mb": round(_rss_mb() - rss_before, 1),
        "targets": {"seconds": 10, "peak_mb": 500},
    }
