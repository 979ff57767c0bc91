"""A job description as an A4 PDF (reportlab). Japanese uses the CID font HeiseiKakuGo-W5, which PDF readers
supply themselves (Adobe-Japan1), so no font file is embedded or downloaded."""

from __future__ import annotations

import functools
import io
import re
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dxpool.needs.documents import Section, jd_sections

FONT = "HeiseiKakuGo-W5"


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "body": base,
        "label": ParagraphStyle("label", parent=base, fontSize=9, textColor=colors.HexColor("#333333")),
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, spaceAfter=2 * mm),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9, textColor=colors.HexColor("#555555")),
        "h2": ParagraphStyle("h2", parent=base, fontSize=11.5, leading=16, spaceBefore=4 * mm, spaceAfter=1.5 * mm,
                             textColor=colors.HexColor("#00118f")),
    }


# Code points that the Adobe-Japan1 CMap (UniJIS-UCS2-H) does not map to the glyph meant, so a PDF reader draws an
# empty box: the Windows ～ (as typed in 3～4) becomes the JIS wave dash 〜, and so on. ASCII ~ is handled in
# pdf_text: in JIS-Roman it is an overline, but in Japanese text (the standard's 「レベル3~4」) it means a range.
_CMAP_SAFE = str.maketrans({"\uff5e": "\u301c", "\uff0d": "\u2212", "\u2225": "\u2016", "\uffe0": "\u00a2",
                            "\uffe1": "\u00a3", "\uffe2": "\u00ac"})

_RANGE_TILDE = re.compile(r"(?<!/)~")


def pdf_text(text: str) -> str:
    """Text as the CID font can draw it (see _CMAP_SAFE); a ~ after a slash (a URL's /~user) is kept."""
    return _RANGE_TILDE.sub("\u301c", text.translate(_CMAP_SAFE))


def _para(text: str, style) -> Paragraph:
    return Paragraph(escape(pdf_text(text)).replace("\n", "<br/>"), style)


def jd_pdf(*, jd, version, meta: str, sections: list[Section] | None = None) -> bytes:
    """The PDF of one version of a JD; `meta` is the line under the title (団体・版・状態・日付).

    `sections` are the document's content when the caller has them already (dxpool.needs.selectors.jd_document).
    """
    st = _styles()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=f"ジョブディスクリプション {version.title}",
                            author="地域DX人材プール (dxpool)", subject="ジョブディスクリプション")
    story = [_para("ジョブディスクリプション（業務内容・求める人材）", st["title"]), _para(meta, st["meta"])]
    label_w = 38 * mm
    for section in sections if sections is not None else jd_sections(jd, version):
        story.append(_para(section.title, st["h2"]))
        rows = []
        for item in section.items:
            lines = [("・" + ln if item.bullets else ln) for ln in item.lines if ln is not None]
            rows.append([_para(item.label, st["label"]), _para("\n".join(lines) or "—", st["body"])])
        table = Table(rows, colWidths=[label_w, doc.width - label_w], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#949494")),
            ("LEFTPADDING", (0, 0), (-1, -1), 2 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2 * mm), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * mm),
        ]))
        story += [table, Spacer(1, 1 * mm)]
    footer = (f"スキル標準 {version.standard_version} に基づく ／ 第{version.number}版 "
              f"{timezone.localtime(version.created_at):%Y-%m-%d} ／ 地域DX人材プール (dxpool)")

    def on_page(canvas, doc_):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(16 * mm, 10 * mm, pdf_text(footer))
        canvas.drawRightString(A4[0] - 16 * mm, 10 * mm, f"{doc_.page} ページ")
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()
