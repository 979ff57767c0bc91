"""PDF text stays drawable by the CID font: no code point the Adobe-Japan1 CMap leaves unmapped."""

from dxpool.needs.pdf import pdf_text


def test_windows_tilde_becomes_the_jis_wave_dash():
    assert pdf_text("レベル3～4、25,000円～40,000円") == "レベル3〜4、25,000円〜40,000円"
    assert pdf_text("普通の文章") == "普通の文章"
    # The skill standard writes ranges with ASCII ~, an overline in the font's JIS-Roman half.
    assert pdf_text("レベル3~4相当") == "レベル3〜4相当"
    assert pdf_text("https://example.jp/~user") == "https://example.jp/~user"



def test_all_known_unmapped_code_points_are_replaced():
    assert all(pdf_text(c) != c for c in "～－∥￠￡￢")
    assert pdf_text("〜−‖¢£¬") == "〜−‖¢£¬"  # the replacements are left alone
