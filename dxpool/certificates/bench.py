"""`dxpool bench certificates`: the time to make n certificates — PDF with QR code, plus the signed credential.

Pure (no database): the figure is the work the training app does per certificate beyond its own queries. The
setup (parsing the font once, generating a key) is timed apart; `total_s` is the n certificates after it,
run one after another in this process (the issue's target: 1,000 in at most 30 s on the 2-core machine).
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, date, datetime, timedelta

from .credential import build_credential, generate_key, sign_credential
from .fonts import embedded_font
from .ids import new_certificate_id, serial_number, verification_url
from .model import CertificateData
from .pdf import render_certificate

BASE_URL = "https://dxpool.pref.nagasaki.example.jp"
# The national curriculum's four subjects, the shape of the real course (the standard file holds them; here
# they are sample data for timing only).
SUBJECTS = ("自治体の組織と業務", "自治体システムとセキュリティ", "マイナンバー制度と個人情報保護", "自治体DX")
SURNAMES = ("山田", "佐藤", "鈴木", "髙橋", "田中", "渡邊", "伊藤", "中村", "小林", "山﨑")
GIVEN = ("太郎", "花子", "健一", "美咲", "大輔", "由美", "翔太", "陽菜", "蓮", "結衣")


def sample_certificate(i: int, *, base_url: str = BASE_URL) -> CertificateData:
    cid = new_certificate_id()
    return CertificateData(
        certificate_id=cid, serial=serial_number("長崎", 2026, i + 1),
        holder_name=f"{SURNAMES[i % 10]} {GIVEN[(i // 10) % 10]}",
        course_title="外部デジタル人材向け行政実務研修", subjects=SUBJECTS,
        completed_on=date(2026, 5, 11) + timedelta(days=i % 30), issuer_organisation="長崎県", issuer_title="知事",
        verification_url=verification_url(base_url, cid))


def bench_certificates(n: int = 1000) -> dict:
    """Make n certificates; return the timings (seconds, and milliseconds per certificate)."""
    t0 = time.perf_counter()
    embedded_font()
    key = generate_key()
    setup = time.perf_counter() - t0
    pdf_times, vc_times, sizes = [], [], []
    start = time.perf_counter()
    for i in range(n):
        cert = sample_certificate(i)
        a = time.perf_counter()
        pdf = render_certificate(cert)
        b = time.perf_counter()
        sign_credential(build_credential(cert, issuer_id=BASE_URL + "/", issued_at=datetime.now(UTC),
                                         status_list_url=BASE_URL + "/verify/revocations.jwt"), key)
        c = time.perf_counter()
        pdf_times.append(b - a)
        vc_times.append(c - b)
        sizes.append(len(pdf))
    total = time.perf_counter() - start
    per = [p + v for p, v in zip(pdf_times, vc_times, strict=True)]
    ms = 1000.0
    return {
        "n": n,
        "setup_s": round(setup, 3),
        "total_s": round(total, 3),
        "per_certificate_ms": round(total / n * ms, 2) if n else 0.0,
        "pdf_and_qr_s": round(sum(pdf_times), 3),
        "credential_s": round(sum(vc_times), 3),
        "p50_ms": round(statistics.median(per) * ms, 2) if per else 0.0,
        "p95_ms": round(sorted(per)[int(0.95 * (len(per) - 1))] * ms, 2) if per else 0.0,
        "max_ms": round(max(per) * ms, 2) if per else 0.0,
        "pdf_bytes_mean": round(statistics.mean(sizes)) if sizes else 0,
    }


def add_arguments(parser) -> None:
    """Options of `dxpool bench certificates` (the verification page's server time is measured with the app,
    once the training app serves /verify/<id>)."""
    parser.add_argument("--count", type=int, default=1000, help="number of certificates (default 1000)")


def run(*, count: int = 1000, **_ignored) -> dict:
    """`dxpool bench certificates`: PDF + QR + signed credential for `count` certificates (target: 1,000 ≤ 30 s)."""
    if not 1 <= count <= 100_000:
        raise ValueError("--count must be between 1 and 100000")  # `dxpool bench` reports it as bad input (exit 2)
    return bench_certificates(count)
