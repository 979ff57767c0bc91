from datetime import date

import pytest

from dxpool.certificates.credential import generate_key
from dxpool.certificates.ids import new_certificate_id, serial_number, verification_url
from dxpool.certificates.model import CertificateData

BASE = "https://dxpool.pref.nagasaki.example.jp"
SUBJECTS = ("自治体の組織と業務", "自治体システムとセキュリティ", "マイナンバー制度と個人情報保護", "自治体DX")


def make_cert(**overrides) -> CertificateData:
    cid = overrides.pop("certificate_id", None) or new_certificate_id()
    url = overrides.pop("verification_url", None) or verification_url(BASE, cid)
    fields = dict(
        certificate_id=cid, serial=serial_number("長崎", 2026, 123), holder_name="山﨑 花子",
        course_title="外部デジタル人材向け行政実務研修", subjects=SUBJECTS, completed_on=date(2026, 5, 11),
        issuer_organisation="長崎県", issuer_title="知事", verification_url=url)
    fields.update(overrides)
    return CertificateData(**fields)


@pytest.fixture
def cert() -> CertificateData:
    return make_cert()


@pytest.fixture(scope="session")
def key() -> dict:
    return generate_key()
