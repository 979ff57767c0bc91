"""The benchmark's shape (the figure itself is in docs/benchmarks.md), and its sample subjects are the
national curriculum's, as the standard file and seed 000 (000_01556ea2d2b360de.txt) hold them."""

from pathlib import Path

import pytest

from dxpool.certificates.bench import SUBJECTS, bench_certificates
from dxpool.standard.loader import load_standard

SEED_000 = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_01556ea2d2b360de.txt"


def test_bench_reports_its_timings():
    result = bench_certificates(3)
    assert result["n"] == 3 and result["total_s"] > 0 and result["pdf_bytes_mean"] > 10_000
    assert result["per_certificate_ms"] > 0 and result["p95_ms"] <= result["max_ms"]


def test_the_sample_subjects_are_the_curriculums():
    assert SUBJECTS == tuple(s["title"] for s in load_standard().curriculum["subjects"])


@pytest.mark.skipif(not SEED_000.exists(), reason="shared/seeds is not beside the repository")
def test_the_sample_subjects_are_the_seeds_headings():
    text = SEED_000.read_text(encoding="utf-8")
    for i, title in enumerate(SUBJECTS, 1):
        assert f"（{'１２３４'[i - 1]}）{title}（" in text


def test_dxpool_bench_certificates_runs_and_refuses_a_bad_count():
    from django.core.management import call_command

    from dxpool.core.commands import InputError

    out = __import__("io").StringIO()
    call_command("bench", "certificates", "--count", "2", stdout=out)
    assert '"n": 2' in out.getvalue()
    with pytest.raises((InputError, SystemExit)):
        call_command("bench", "certificates", "--count", "0", stdout=out)
