"""The 修了証 PDF: one A4 page whose text is extractable (pypdf), whose every font is embedded (a FontFile2 or
FontFile3 in each font descriptor), whose QR code decodes (zxing-cpp, on the page rendered by pypdfium2) to the
verification URL, and whose link annotations open that URL. What cannot be printed is refused in Japanese."""

import io
import re
from datetime import date

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from dxpool.certificates import pdf as cert_pdf
from dxpool.certificates.model import CertificateError
from dxpool.certificates.pdf import birth_date, japanese_date, period, render_certificate

from .conftest import make_cert


@pytest.fixture(scope="module")
def rendered():
    cert = make_cert(holder_birth_date=date(1985, 4, 1), started_on=date(2026, 4, 20), issuer_person="長崎 一郎")
    return cert, render_certificate(cert)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def fonts_of(resources, seen=None):
    """Every font dictionary reachable from a page's resources, through form XObjects too."""
    seen = seen if seen is not None else set()
    resources = _resolve(resources) or {}
    for font in (_resolve(resources.get("/Font")) or {}).values():
        font = _resolve(font)
        if id(font) not in seen:
            seen.add(id(font))
            yield font
    for xobject in (_resolve(resources.get("/XObject")) or {}).values():
        xobject = _resolve(xobject)
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            yield from fonts_of(xobject["/Resources"], seen)


def descriptor(font):
    if font.get("/Subtype") == "/Type0":
        font = _resolve(_resolve(font["/DescendantFonts"])[0])
    return _resolve(font.get("/FontDescriptor"))


def test_one_a4_page_with_the_holders_name_and_the_facts_as_text(rendered):
    cert, content = rendered
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = squash(reader.pages[0].extract_text())
    for expected in ("修了証", cert.holder_name, cert.course_title, *cert.subjects, "長崎-2026-000123",
                     "2026年（令和8年）5月11日", "長崎県知事", "長崎一郎", "（公印省略）", "昭和60年4月1日生",
                     "2026年（令和8年）4月20日～5月11日", "あなたは、下記の研修の全課程を修了したことを証します。",
                     cert.verification_url):
        assert squash(expected) in text, expected
    assert reader.metadata.title == "修了証 長崎-2026-000123"


def test_every_font_is_embedded_as_a_font_program(rendered):
    _, content = rendered
    reader = PdfReader(io.BytesIO(content))
    fonts = list(fonts_of(reader.pages[0]["/Resources"]))
    assert fonts
    for font in fonts:
        assert "IPAexGothic" in str(font["/BaseFont"])
        d = descriptor(font)
        assert d is not None and ("/FontFile2" in d or "/FontFile3" in d), font
        assert len(_resolve(d.get("/FontFile2") or d["/FontFile3"]).get_data()) > 1000
    assert b"HeiseiKakuGo" not in content


def test_the_qr_code_on_the_page_decodes_to_the_verification_url(rendered):
    cert, content = rendered
    page = pypdfium2.PdfDocument(content)[0]
    image = page.render(scale=150 / 72).to_pil()
    assert [b.text for b in zxingcpp.read_barcodes(image)] == [cert.verification_url]


def test_the_qr_code_still_decodes_at_a_low_print_resolution(rendered):
    cert, content = rendered
    image = pypdfium2.PdfDocument(content)[0].render(scale=72 / 72).to_pil()
    assert [b.text for b in zxingcpp.read_barcodes(image)] == [cert.verification_url]


def test_the_link_annotations_open_the_verification_url(rendered):
    cert, content = rendered
    annots = [_resolve(a) for a in PdfReader(io.BytesIO(content)).pages[0]["/Annots"]]
    uris = [_resolve(a["/A"])["/URI"] for a in annots if a["/Subtype"] == "/Link"]
    assert len(uris) == 2  # the printed URL and the QR code
    assert set(uris) == {cert.verification_url}


def test_dates_in_the_japanese_way():
    assert japanese_date(date(2026, 5, 11)) == "2026年（令和8年）5月11日"
    assert japanese_date(date(2019, 5, 1)) == "2019年（令和元年）5月1日"
    assert japanese_date(date(2019, 4, 30)) == "2019年（平成31年）4月30日"
    assert birth_date(date(1989, 1, 8)) == "平成元年1月8日生"
    assert period(date(2026, 4, 20), date(2026, 5, 11)) == "2026年（令和8年）4月20日～5月11日"
    assert period(date(2026, 12, 20), date(2027, 1, 11)) == "2026年（令和8年）12月20日～2027年（令和9年）1月11日"


def test_a_long_name_and_many_subjects_still_fit_one_page():
    subjects = tuple(f"行政実務の基礎（議会対応・予算編成・契約事務・文書管理）{i}" for i in range(1, 9))
    cert = make_cert(holder_name="ウォルフガング・アマデウス・モーツァルト・ジュニア 髙﨑", subjects=subjects,
                     issuer_title="総合政策部次世代社会戦略局デジタルトランスフォーメーション推進課長", honorific="様")
    reader = PdfReader(io.BytesIO(render_certificate(cert)))
    assert len(reader.pages) == 1
    text = squash(reader.pages[0].extract_text())
    assert squash(cert.holder_name) in text and all(squash(s) in text for s in subjects)


def test_a_variation_selector_is_dropped_from_the_drawing_only():
    cert = make_cert(holder_name="葛\U000e0100西 太郎")
    text = squash(PdfReader(io.BytesIO(render_certificate(cert))).pages[0].extract_text())
    assert "葛西太郎" in text


@pytest.mark.parametrize(("overrides", "field", "words"), [
    ({"holder_name": "𠮷田 一郎"}, "holder_name", "氏名の「𠮷」（U+20BB7）は修了証のフォント"),
    ({"subjects": ("自治体の組織と業務", "𠮷野ヶ里の事例")}, "subjects", "科目2の「𠮷」"),
    ({"holder_name": ""}, "holder_name", "氏名を入力"),
    ({"holder_name": "山田\n太郎"}, "holder_name", "改行"),
    ({"holder_name": "山田\u202e太郎"}, "holder_name", "制御文字"),
    ({"holder_name": "山" * 61}, "holder_name", "60文字以内"),
    ({"subjects": ()}, "subjects", "科目を1つ以上"),
    ({"subjects": ("科目",) * 13}, "subjects", "12個まで"),
    ({"subjects": tuple("長い科目名" * 24 for _ in range(12))}, "subjects", "収まりません"),
    ({"completed_on": "2026-05-11"}, "completed_on", "日付ではありません"),
    ({"issued_on": date(2026, 5, 1)}, "issued_on", "修了日より前"),
    ({"started_on": date(2026, 6, 1)}, "started_on", "修了日より後"),
    ({"verification_url": "javascript:alert(1)"}, "verification_url", "検証用URL"),
    ({"verification_url": "https://example.jp/verify/someone-else"}, "verification_url", "検証用URL"),
    ({"certificate_id": "1", "verification_url": "https://example.jp/verify/1"}, "certificate_id", "証明書ID"),
])
def test_what_cannot_be_printed_is_refused_naming_the_field(overrides, field, words):
    with pytest.raises(CertificateError) as info:
        render_certificate(make_cert(**overrides))
    assert info.value.field == field and words in info.value.message


def test_without_the_font_it_refuses_rather_than_printing_a_referenced_font(monkeypatch):
    monkeypatch.setattr(cert_pdf, "embedded_font", lambda: None)
    with pytest.raises(CertificateError, match="IPAexゴシック"):
        render_certificate(make_cert())


def test_the_jd_pdf_and_the_certificate_share_one_font_lookup():
    from dxpool.certificates import fonts
    from dxpool.needs import pdf as jd_pdf

    assert jd_pdf._font_file is fonts.ipaex_font_file
    assert jd_pdf.font_name() == fonts.FONT
    assert fonts.ipaex_font_file().name == "ipaexg.ttf"
