"""The needs demo: every 長崎県 municipality heard in two years, 20+ submitted JDs (one joint), idempotent."""

import pytest

from dxpool.needs.demo import PROFILES, demo_load
from dxpool.needs.models import (
    HearingRecord,
    JDStatus,
    JobDescription,
    JobDescriptionVersion,
    Need,
    NeedStatus,
)

pytestmark = pytest.mark.django_db


def test_demo_content(needs_demo):
    records = HearingRecord.objects.filter(municipality__prefecture__code="42")
    assert records.count() == 42 and len(PROFILES) == 21
    assert set(records.values_list("fiscal_year", flat=True)) == {2025, 2026}
    latest = list(records.filter(fiscal_year=2026))
    assert sum(r.hitori_joshis for r in latest) >= 4  # the island and small towns
    big = {r.municipality.name: r for r in latest}
    assert big["長崎市"].cio_adviser_external and big["長崎市"].step_current == 3
    assert big["小値賀町"].hitori_joshis and big["小値賀町"].step_current == 0
    # Year on year the municipalities move forward.
    earlier = {r.municipality_id: r for r in records.filter(fiscal_year=2025)}
    assert all(r.systems_migrated >= earlier[r.municipality_id].systems_migrated for r in latest)
    submitted = JobDescription.objects.filter(prefecture__code="42", status=JDStatus.SUBMITTED)
    assert submitted.count() >= 20
    assert Need.objects.filter(prefecture__code="42", status=NeedStatus.OPEN, job_description__isnull=False).count() \
        == submitted.count()
    joint = Need.objects.get(grouping__name="離島DXシェアリング（県設定）")
    assert joint.municipality_codes() and len(joint.municipality_codes()) == 5
    assert JobDescription.objects.filter(status=JDStatus.DRAFT, current_version=2).exists()


def test_demo_is_idempotent(needs_demo):
    counts = {m: m.objects.count() for m in (HearingRecord, JobDescription, JobDescriptionVersion, Need)}
    assert demo_load(needs_demo) == needs_demo.counts
    assert {m: m.objects.count() for m in counts} == counts
