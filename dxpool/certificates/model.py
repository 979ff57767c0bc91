"""The facts a certificate states, checked before anything is drawn or signed.

Every refusal is a `CertificateError` whose message names the field in Japanese, so the app can show it as it
is. Limits keep one certificate on one A4 page and its QR code small enough to scan from a printed sheet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from .ids import is_certificate_id

MAX_NAME = 60
MAX_TITLE = 120
MAX_SUBJECTS = 12
MAX_SUBJECT = 120
MAX_ISSUER = 80
MAX_URL = 200

# Variation selectors (異体字セレクタ, as in 「葛󠄀」) ask for a glyph variant; IPAexGothic has one glyph per code
# point, so they are dropped from what is drawn (the base character stays) and kept in the stored name.
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


class CertificateError(ValueError):
    """A certificate that cannot be made; `message` is Japanese and names the field."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class CertificateData:
    """One 修了証. `certificate_id` is the random public id (dxpool.certificates.ids); `serial` the human number.

    `issuer_organisation` + `issuer_title` read as one phrase (「長崎県」+「知事」 → 「長崎県知事」,
    「長崎県」+「総務部デジタル戦略課長」); `issuer_person` is the office holder's name, if it is printed.
    """

    certificate_id: str
    serial: str
    holder_name: str
    course_title: str
    subjects: tuple[str, ...]
    completed_on: date
    issuer_organisation: str
    issuer_title: str
    verification_url: str
    issued_on: date | None = None  # None: the day of completion
    started_on: date | None = None  # the first session; printed as 研修期間 「…～…」 when given
    issuer_person: str = ""
    holder_birth_date: date | None = None  # printed only when given (many 修了証 identify the holder by it)
    honorific: str = "殿"

    @property
    def issue_date(self) -> date:
        return self.issued_on or self.completed_on

    @property
    def issuer(self) -> str:
        """「長崎県知事」: organisation and title as one phrase."""
        return f"{self.issuer_organisation}{self.issuer_title}"


def drawable(text: str) -> str:
    """The text as the PDF draws it: NFC, variation selectors dropped."""
    return _VARIATION_SELECTORS.sub("", unicodedata.normalize("NFC", text))


def _text(value, label: str, name: str, limit: int, *, required: bool = True) -> str:
    if not isinstance(value, str):
        raise CertificateError(f"{label}が文字列ではありません。", field=name)
    s = value.strip()
    if required and not s:
        raise CertificateError(f"{label}を入力してください。", field=name)
    if len(s) > limit:
        raise CertificateError(f"{label}は{limit}文字以内にしてください（{len(s)}文字あります）。", field=name)
    # Line breaks would break the layout; format characters (bidi overrides such as U+202E) could make the
    # printed name read differently from the stored one.
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in drawable(s)):
        raise CertificateError(f"{label}に改行や制御文字が含まれています。", field=name)
    return s


def check(cert: CertificateData) -> None:
    """Refuse a certificate that cannot be drawn or signed as it is; the message names the field."""
    if not isinstance(cert.certificate_id, str) or not is_certificate_id(cert.certificate_id):
        raise CertificateError("証明書IDの形式が正しくありません（new_certificate_id() で作ってください）。",
                               field="certificate_id")
    _text(cert.serial, "証明書番号", "serial", 40)
    _text(cert.holder_name, "氏名", "holder_name", MAX_NAME)
    _text(cert.course_title, "研修名", "course_title", MAX_TITLE)
    _text(cert.issuer_organisation, "発行者（団体名）", "issuer_organisation", MAX_ISSUER)
    _text(cert.issuer_title, "発行者（職名）", "issuer_title", MAX_ISSUER, required=False)
    _text(cert.issuer_person, "発行者（氏名）", "issuer_person", MAX_NAME, required=False)
    _text(cert.honorific, "敬称", "honorific", 4, required=False)
    if not isinstance(cert.subjects, (tuple, list)) or not cert.subjects:
        raise CertificateError("科目を1つ以上指定してください。", field="subjects")
    if len(cert.subjects) > MAX_SUBJECTS:
        raise CertificateError(f"科目は{MAX_SUBJECTS}個までです（{len(cert.subjects)}個あります）。", field="subjects")
    for i, subject in enumerate(cert.subjects, 1):
        _text(subject, f"科目{i}", "subjects", MAX_SUBJECT)
    for name, label in (("completed_on", "修了日"), ("issued_on", "交付日"), ("started_on", "研修の開始日"),
                        ("holder_birth_date", "生年月日")):
        value = getattr(cert, name)
        if value is None and name != "completed_on":
            continue
        if not isinstance(value, date):
            raise CertificateError(f"{label}が日付ではありません。", field=name)
    if cert.started_on is not None and cert.started_on > cert.completed_on:
        raise CertificateError("研修の開始日が修了日より後になっています。", field="started_on")
    if cert.issue_date < cert.completed_on:
        raise CertificateError("交付日が修了日より前になっています。", field="issued_on")
    url = cert.verification_url
    parts = urlsplit(url) if isinstance(url, str) else None
    if (parts is None or parts.scheme not in ("https", "http") or not parts.netloc or len(url) > MAX_URL
            or not url.rstrip("/").endswith("/" + cert.certificate_id)):
        raise CertificateError("検証用URLが正しくありません（https://<ホスト>/verify/<証明書ID> の形）。",
                               field="verification_url")
