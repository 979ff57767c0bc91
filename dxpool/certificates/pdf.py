"""The 修了証 as a one-page A4 PDF (reportlab), with IPAexGothic embedded and a verification link and QR code.

Laid out the way a prefecture's certificate is printed and framed: a double frame, 「第 … 号」 at the top
right, the title, the holder's name with 殿, the sentence 「あなたは、下記の研修の全課程を修了したことを証し
ます。」, 「記」 and the items (研修名・科目・修了日), then the date of issue and the issuer with 「（公印省略）」
(an electronically issued certificate carries no seal; the verification page is its proof). At the foot, inside
the frame, a box tells how to check it: the URL as a clickable link (a PDF link annotation) and the QR code of
the same URL. Dates are Western with the era year beside it, 「2026年（令和8年）5月11日」, as prefectures print
documents read by people from outside government.

Speed: the font is parsed once per process (`fonts.embedded_font`), the styles are built once, and the QR code is
drawn as one path, so one certificate takes a few milliseconds (`bench.py`).
"""

from __future__ import annotations

import functools
import io
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from dxpool.exchange.japanese import era_year_text

from .fonts import FONT, FONT_LABEL, embedded_font
from .model import CertificateData, CertificateError, check, drawable
from .qr import QUIET_ZONE, draw_qr, make_qr

W, H = A4
NAVY = colors.HexColor("#1d3557")
INK = colors.HexColor("#1a1a1a")
GREY = colors.HexColor("#4d4d4d")
LINK = colors.HexColor("#0031d8")  # デジタル庁 design system's link blue: 4.5:1 on white, also when printed grey

LEFT, RIGHT = 32 * mm, W - 32 * mm  # the text column inside the frame
# The items (研修名・科目・修了日) start under 「記」 and may reach ITEMS_BOTTOM; the date of issue sits at
# DATE_Y, or lower when the items need it, down to the lowest place that keeps the issuer above the box.
ITEMS_TOP, ITEMS_BOTTOM = 160 * mm, 92 * mm
DATE_Y, DATE_GAP = 98 * mm, 10 * mm
LABEL_W = 24 * mm
QR_SIZE = 27 * mm
BOX = (22 * mm, 20 * mm, W - 22 * mm, 52 * mm)  # the verification box: x1, y1, x2, y2


def japanese_date(day: date) -> str:
    """「2026年（令和8年）5月11日」; the first year of an era is 元年 (「2019年（令和元年）5月1日」)."""
    era = era_year_text(day)
    if era is None:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.year}年（{era}年）{day.month}月{day.day}日"


def period(start: date, end: date) -> str:
    """「2026年（令和8年）4月20日～5月11日」 within a year, both dates in full across years."""
    if start.year == end.year:
        return f"{japanese_date(start)}～{end.month}月{end.day}日"
    return f"{japanese_date(start)}～{japanese_date(end)}"


def birth_date(day: date) -> str:
    """「昭和60年4月1日生」: a birth date as certificates print it, in the era alone."""
    era = era_year_text(day)
    if era is None:
        return f"{day.year}年{day.month}月{day.day}日生"
    return f"{era}年{day.month}月{day.day}日生"


@functools.cache
def _styles(size: float) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(f"item{size}", fontName=FONT, fontSize=size, leading=size * 1.55, wordWrap="CJK",
                          textColor=INK, alignment=TA_LEFT)
    return {
        "value": base,
        "subject": ParagraphStyle(f"subject{size}", parent=base, leftIndent=size * 1.8, bulletIndent=0,
                                  bulletFontName=FONT, bulletFontSize=size, spaceAfter=size * 0.2),
        "note": ParagraphStyle("note", fontName=FONT, fontSize=9, leading=13.5, wordWrap="CJK", textColor=INK),
    }


def _font():
    font = embedded_font()
    if font is None:
        raise CertificateError("修了証に埋め込む日本語フォント（IPAexゴシック）が見つかりません。"
                               "pip install -r requirements/lock.txt で matplotlib-fontja を入れてください。")
    return font


def _check_glyphs(cert: CertificateData, font) -> None:
    """Refuse a character the font cannot draw (「𠮷」 is not in IPAexGothic): a name printed with an empty
    box is a wrong certificate, so the clerk is asked to choose the form to print instead."""
    fields = [("holder_name", "氏名", cert.holder_name), ("course_title", "研修名", cert.course_title),
              ("serial", "証明書番号", cert.serial), ("issuer_organisation", "発行者（団体名）", cert.issuer_organisation),
              ("issuer_title", "発行者（職名）", cert.issuer_title), ("issuer_person", "発行者（氏名）", cert.issuer_person),
              ("honorific", "敬称", cert.honorific),
              *[("subjects", f"科目{i}", s) for i, s in enumerate(cert.subjects, 1)]]
    cmap = font.face.charToGlyph
    for name, label, text in fields:
        for ch in drawable(text):
            if ord(ch) not in cmap:
                raise CertificateError(
                    f"{label}の「{ch}」（U+{ord(ch):04X}）は修了証のフォント（{FONT_LABEL}）にない文字のため印刷でき"
                    "ません。印刷する字体（例: 𠮷→吉）を指定してください。", field=name)


def _items(cert: CertificateData, size: float, width: float) -> tuple[list, float]:
    """The rows (label, flowables, heights) of 研修名・科目・修了日 at a font size, and their total height."""
    st = _styles(size)
    rows = [("研修名", [Paragraph(escape(drawable(cert.course_title)), st["value"])]),
            ("科目", [Paragraph(escape(drawable(s)), st["subject"], bulletText=f"{i}.")
                      for i, s in enumerate(cert.subjects, 1)]),
            ("修了日", [Paragraph(japanese_date(cert.completed_on), st["value"])])]
    if cert.started_on is not None:
        rows.insert(2, ("研修期間", [Paragraph(period(cert.started_on, cert.completed_on), st["value"])]))
    total, out = 0.0, []
    for label, paras in rows:
        heights = [p.wrap(width, H)[1] for p in paras]
        h = sum(heights) + (len(paras) - 1) * st["subject"].spaceAfter
        out.append((label, paras, h))
        total += h + size * 0.9
    return out, total


def _fit_items(cert: CertificateData) -> tuple[float, list]:
    """The largest font size (12 down to 9 points) at which the items fit their space."""
    width = RIGHT - LEFT - LABEL_W
    for size in (12, 11.5, 11, 10.5, 10, 9.5, 9):
        rows, total = _items(cert, size, width)
        if total <= ITEMS_TOP - ITEMS_BOTTOM:
            return size, rows
    raise CertificateError("研修名と科目が長すぎて1ページに収まりません。科目名を短くしてください。", field="subjects")


def _centred_line(c: Canvas, parts: list[tuple[str, float]], y: float) -> tuple[float, float]:
    """Draw text pieces of different sizes side by side, centred as one line; returns its x extent."""
    widths = [c.stringWidth(t, FONT, s) for t, s in parts]
    gap = 3 * mm
    x = (W - sum(widths) - gap * (len(parts) - 1)) / 2
    start = x
    for (text, size), w in zip(parts, widths, strict=True):
        c.setFont(FONT, size)
        c.drawString(x, y, text)
        x += w + gap
    return start, x - gap


def _frame(c: Canvas) -> None:
    c.saveState()
    c.setStrokeColor(NAVY)
    c.setLineWidth(2.4)
    c.rect(11 * mm, 11 * mm, W - 22 * mm, H - 22 * mm)
    c.setLineWidth(0.6)
    c.rect(14 * mm, 14 * mm, W - 28 * mm, H - 28 * mm)
    c.restoreState()


def _verification_box(c: Canvas, cert: CertificateData) -> None:
    x1, y1, x2, y2 = BOX
    c.saveState()
    c.setStrokeColor(colors.HexColor("#8c8c8c"))
    c.setLineWidth(0.5)
    c.roundRect(x1, y1, x2 - x1, y2 - y1, 2 * mm)
    # The QR code at the right, its quiet zone kept blank inside the box.
    qr = make_qr(cert.verification_url)
    quiet = QUIET_ZONE * QR_SIZE / len(qr.matrix)
    qx, qy = x2 - 3 * mm - quiet - QR_SIZE, y1 + (y2 - y1 - QR_SIZE) / 2
    draw_qr(c, qr, qx, qy, QR_SIZE)
    c.linkURL(cert.verification_url, (qx, qy, qx + QR_SIZE, qy + QR_SIZE), relative=0, thickness=0)
    # The text at the left.
    tx, tw = x1 + 5 * mm, qx - quiet - (x1 + 5 * mm) - 2 * mm
    note = Paragraph("この修了証が本物で有効かどうかは、右のQRコードを読み取るか、次のURLを開くと確認できます"
                     "（取り消された修了証は「無効」と表示されます）。", _styles(12)["note"])
    _, nh = note.wrap(tw, y2 - y1)
    top = y2 - 5 * mm
    note.drawOn(c, tx, top - nh)
    url = cert.verification_url
    size = 9.0
    while size > 6.5 and c.stringWidth(url, FONT, size) > tw:
        size -= 0.5
    uy = top - nh - 6 * mm
    c.setFont(FONT, size)
    c.setFillColor(LINK)
    c.drawString(tx, uy, url)
    uw = c.stringWidth(url, FONT, size)
    c.setStrokeColor(LINK)
    c.setLineWidth(0.5)
    c.line(tx, uy - 1.2, tx + uw, uy - 1.2)
    c.linkURL(url, (tx, uy - 2.5, tx + uw, uy + size), relative=0, thickness=0)
    c.setFillColor(GREY)
    c.setFont(FONT, 8.5)
    c.drawString(tx, uy - 6 * mm, f"証明書番号　{cert.serial}")
    c.restoreState()


def render_certificate(cert: CertificateData) -> bytes:
    """The 修了証 PDF. Raises CertificateError (Japanese, naming the field) for what cannot be printed."""
    check(cert)
    font = _font()
    _check_glyphs(cert, font)
    size, rows = _fit_items(cert)

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, lang="ja-JP", initialFontName=FONT)
    c.setTitle(f"修了証 {cert.serial}")
    c.setAuthor(cert.issuer)
    c.setSubject(f"{drawable(cert.course_title)} 修了証")
    c.setCreator("地域DX人材プール (dxpool)")
    c.setFillColor(INK)
    _frame(c)

    c.setFont(FONT, 10.5)
    c.drawRightString(RIGHT, H - 30 * mm, f"第 {cert.serial} 号")

    c.setFillColor(NAVY)
    c.setFont(FONT, 40)
    c.drawCentredString(W / 2, H - 66 * mm, "修　了　証")
    c.setFillColor(INK)

    # The holder: the name large, the honorific smaller, a rule under both.
    name_y = H - 96 * mm
    parts = [(drawable(cert.holder_name), 22.0)] + ([(cert.honorific, 15.0)] if cert.honorific else [])
    while parts[0][1] > 12 and sum(c.stringWidth(t, FONT, z) for t, z in parts) + 3 * mm > RIGHT - LEFT:
        parts = [(parts[0][0], parts[0][1] - 1), *parts[1:]]
    if sum(c.stringWidth(t, FONT, z) for t, z in parts) + 3 * mm > RIGHT - LEFT:
        raise CertificateError("氏名が長すぎて1行に収まりません。", field="holder_name")
    x1, x2 = _centred_line(c, parts, name_y)
    c.setStrokeColor(INK)
    c.setLineWidth(0.6)
    c.line(min(x1, W / 2 - 45 * mm), name_y - 3 * mm, max(x2, W / 2 + 45 * mm), name_y - 3 * mm)
    if cert.holder_birth_date is not None:
        c.setFont(FONT, 10.5)
        c.drawCentredString(W / 2, name_y - 10 * mm, birth_date(cert.holder_birth_date))

    c.setFont(FONT, 12.5)
    c.drawCentredString(W / 2, H - 121 * mm, "あなたは、下記の研修の全課程を修了したことを証します。")
    c.drawCentredString(W / 2, H - 132 * mm, "記")

    y = ITEMS_TOP
    for label, paras, h in rows:
        c.setFont(FONT, size)
        c.drawString(LEFT, y - size, label)
        py = y
        for p in paras:
            ph = p.height
            p.drawOn(c, LEFT + LABEL_W, py - ph)
            py -= ph + (p.style.spaceAfter or 0)
        y -= h + size * 0.9

    date_y = min(DATE_Y, y - DATE_GAP + size * 0.9)
    c.setFont(FONT, 12)
    c.drawString(LEFT, date_y, japanese_date(cert.issue_date))
    issuer = cert.issuer + (f"　{drawable(cert.issuer_person)}" if cert.issuer_person else "")
    isize = 15.0
    while isize > 10 and c.stringWidth(issuer, FONT, isize) > RIGHT - LEFT - 10 * mm:
        isize -= 0.5
    c.setFont(FONT, isize)
    c.drawRightString(RIGHT, date_y - 14 * mm, issuer)
    c.setFont(FONT, 9)
    c.setFillColor(GREY)
    c.drawRightString(RIGHT, date_y - 21 * mm, "（公印省略）")
    c.setFillColor(INK)

    _verification_box(c, cert)
    c.showPage()
    c.save()
    return buf.getvalue()
