"""The JD PDF: long values split across pages, the Japanese font is embedded (a CID font only as a logged
fallback), and text stays drawable by that fallback (no code point the Adobe-Japan1 CMap leaves unmapped)."""

import re

import pytest

from dxpool.needs.pdf import pdf_text
from tests.needs.builders import make_jd


def test_windows_tilde_becomes_the_jis_wave_dash():
    assert pdf_text("レベル3～4、25,000円～40,000円") == "レベル3〜4、25,000円〜40,000円"
    assert pdf_text("普通の文章") == "普通の文章"
    # The skill standard writes ranges with ASCII ~, an overline in the font's JIS-Roman half.
    assert pdf_text("レベル3~4相当") == "レベル3〜4相当"
    assert pdf_text("https://example.jp/~user") == "https://example.jp/~user"


def test_all_known_unmapped_code_points_are_replaced():
    assert all(pdf_text(c) != c for c in "～－∥￠￡￢")
    assert pdf_text("〜−‖¢£¬") == "〜−‖¢£¬"  # the replacements are left alone


# --- long cells and the embedded font (issue 12) ---------------------------------------------------------------

def pages(pdf: bytes) -> int:
    """Page objects of a reportlab PDF (it writes no object streams, so each page is a plain /Type /Page)."""
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


DUTY = "基幹系システムの標準化に向けて、各業務の移行計画と進捗を確認し、ベンダーとの調整を行う。"  # 44 characters


@pytest.mark.django_db
@pytest.mark.parametrize("duties", [
    "\n".join(f"{i + 1}. {DUTY}" for i in range(90)),  # ~4,200 characters in 90 lines (a draft from a hearing)
    DUTY * 92,  # ~4,000 characters in one line: one paragraph taller than a page
], ids=["many-lines", "one-long-line"])
def test_a_jd_with_4000_characters_of_duties_renders_several_pages(client, goto_user, duties):
    jd = make_jd(goto_user, duties=duties, receiving_structure="企画課長が指揮命令者。\n" * 60)
    client.force_login(goto_user)
    r = client.get(f"/needs/jds/{jd.pk}/pdf/")
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    assert pages(r.content) >= 3


@pytest.mark.django_db
def test_the_japanese_font_is_embedded(client, goto_user):
    jd = make_jd(goto_user)
    client.force_login(goto_user)
    pdf = client.get(f"/needs/jds/{jd.pk}/pdf/").content
    # A TrueType font program inside the file (a subset), not a CID font the reader must supply.
    assert b"/FontFile2" in pdf and b"HeiseiKakuGo" not in pdf


def test_long_values_are_cut_into_pieces_that_keep_every_character():
    from dxpool.needs.pdf import MAX_PIECE, pieces

    lines = [DUTY * 92, "短い行", "", "・箇条書き"]
    out = pieces(lines)
    assert all(len(p) <= MAX_PIECE for p in out) and len(out) > 3
    assert "".join(out).replace("\n", "") == "".join(lines)


@pytest.mark.django_db
def test_without_ipaex_it_falls_back_to_the_cid_font_and_says_so(goto_user, monkeypatch, caplog):
    from dxpool.needs import pdf

    jd = make_jd(goto_user)
    monkeypatch.setattr(pdf, "_font_file", lambda: None)
    pdf.font_name.cache_clear(), pdf._styles.cache_clear()
    try:
        content = pdf.jd_pdf(jd=jd, version=jd.latest, meta="五島市")
    finally:
        monkeypatch.undo()
        pdf.font_name.cache_clear(), pdf._styles.cache_clear()
    assert content.startswith(b"%PDF-") and b"HeiseiKakuGo-W5" in content and b"/FontFile2" not in content
    assert "IPAexGothic not found" in caplog.text
    assert pdf.font_name() == "IPAexGothic"


@pytest.mark.django_db
def test_every_page_says_its_number_and_the_total(client, goto_user, monkeypatch):
    duties = "\n".join(f"{i + 1}. {DUTY}" for i in range(90))
    # A printed JD whose sheets say 「2 / 5 ページ」 shows a missing sheet; 「2 ページ」 alone did not.
    from dxpool.needs import pdf

    seen = []
    real = pdf.page_label
    monkeypatch.setattr(pdf, "page_label", lambda page, total: seen.append((page, total)) or real(page, total))
    jd = make_jd(goto_user, duties=duties, receiving_structure="企画課長が指揮命令者。\n" * 60)
    client.force_login(goto_user)
    content = client.get(f"/needs/jds/{jd.pk}/pdf/").content
    total = pages(content)
    assert total >= 3
    assert seen == [(n, total) for n in range(1, total + 1)]
    assert real(2, 5) == "2 / 5 ページ"
