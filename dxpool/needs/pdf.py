"""A job description as an A4 PDF (reportlab), with its Japanese font embedded.

The font is IPAexGothic (a TrueType font with glyf outlines, which reportlab can subset and embed), shipped by
the PyPI package matplotlib-fontja (requirements/base.in) or by Debian's fonts-ipaexfont-gothic. Embedding
makes the document look the same in every reader and lets it be archived (PDF/A asks for embedded fonts), as
certificates will be. Only when neither is installed does it fall back to the CID font HeiseiKakuGo-W5, which
the reader supplies, and says so in the log.

A table row cannot be split across pages by reportlab, so a value as long as a hearing's draft duties (4,000
characters) is laid out as several rows, one per line or piece of a line (`pieces`), drawn as one cell.
"""

from __future__ import annotations

import copy
import functools
import io
import logging
import re
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# One lookup and one registration of IPAexGothic for the JD and the 修了証 (dxpool/certificates/fonts.py).
from dxpool.certificates.fonts import FONT, embedded_font
from dxpool.certificates.fonts import ipaex_font_file as _font_file
from dxpool.needs.documents import Section, jd_sections

logger = logging.getLogger(__name__)

FALLBACK_FONT = "HeiseiKakuGo-W5"

# The longest piece of a value in one table row: about ten lines of the value column, so that a row pushed to
# the next page leaves little blank space, and never more than a page holds.
MAX_PIECE = 400


@functools.cache
def font_name() -> str:
    """The registered font's name: the embedded IPAexGothic, or the CID fallback when it is not installed."""
    if _font_file() is not None and embedded_font() is not None:
        return FONT
    logger.warning("JD PDF: IPAexGothic not found (pip install matplotlib-fontja, or apt-get install "
                   "fonts-ipaexfont-gothic); using the CID font %s, which is not embedded", FALLBACK_FONT)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return FALLBACK_FONT


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font_name(), fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "body": base,
        "label": ParagraphStyle("label", parent=base, fontSize=9, textColor=colors.HexColor("#333333")),
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, spaceAfter=2 * mm),
        "meta": ParagraphStyle("meta", parent=base, fontSize=9, textColor=colors.HexColor("#555555")),
        "h2": ParagraphStyle("h2", parent=base, fontSize=11.5, leading=16, spaceBefore=4 * mm, spaceAfter=1.5 * mm,
                             textColor=colors.HexColor("#00118f")),
    }


# Code points that the Adobe-Japan1 CMap (UniJIS-UCS2-H) of the CID fallback does not map to the glyph meant, so
# a PDF reader draws an empty box: the Windows ～ (as typed in 3～4) becomes the JIS wave dash 〜, and so on.
# ASCII ~ is handled in pdf_text: in JIS-Roman it is an overline, but in Japanese text (the standard's
# 「レベル3~4」) it means a range. IPAexGothic draws all of these; the same text keeps both fonts alike.
_CMAP_SAFE = str.maketrans({"\uff5e": "\u301c", "\uff0d": "\u2212", "\u2225": "\u2016", "\uffe0": "\u00a2",
                            "\uffe1": "\u00a3", "\uffe2": "\u00ac"})

_RANGE_TILDE = re.compile(r"(?<!/)~")
# Where a long line is best cut: after a Japanese full stop or comma, or a space.
_BREAK_AFTER = "。、．，） 　"


def pdf_text(text: str) -> str:
    """Text as the CID font can draw it (see _CMAP_SAFE); a ~ after a slash (a URL's /~user) is kept."""
    return _RANGE_TILDE.sub("\u301c", text.translate(_CMAP_SAFE))


def _cut(line: str) -> list[str]:
    out = []
    while len(line) > MAX_PIECE:
        head = line[:MAX_PIECE]
        at = max(head.rfind(c) for c in _BREAK_AFTER)
        end = at + 1 if at >= MAX_PIECE // 2 else MAX_PIECE  # no good break in the second half: cut hard
        out.append(line[:end])
        line = line[end:]
    return [*out, line]


def pieces(lines: list[str]) -> list[str]:
    """A value's lines as pieces of at most MAX_PIECE characters, each one table row; every character is kept
    and in order (a long line is cut after a 。 or 、 where it can be)."""
    return [piece for line in lines for piece in _cut(line)]


def _para(text: str, style) -> Paragraph:
    return Paragraph(escape(pdf_text(text)).replace("\n", "<br/>") or "&nbsp;", style)


class _SectionTable(Table):
    """A section's table whose part on a new page names the item it continues (「業務内容（続き）」)."""

    continues: list[str | None] = []  # per row: the label of the item it continues, None for an item's first row
    label_style: ParagraphStyle | None = None

    def split(self, availWidth, availHeight):
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2 and self.continues:
            rest = parts[1]
            rest.continues, rest.label_style = self.continues[len(parts[0]._cellvalues):], self.label_style
            label = rest.continues[0] if rest.continues else None
            if label is not None:
                # New lists and styles: the rows are shared with the table split, which may be laid out again.
                rest._cellvalues[0] = [_para(f"{label}（続き）", self.label_style), *rest._cellvalues[0][1:]]
                rest._cellStyles[0] = [copy.copy(c) for c in rest._cellStyles[0]]
                for c in rest._cellStyles[0]:
                    c.topPadding = 1.2 * mm
        return parts


def _section_table(section: Section, st: dict, label_w: float, value_w: float) -> Table:
    rows, continues, style = [], [], [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
        ("BOX", (0, 0), (-1, -1), 0.4, colors.HexColor("#949494")),
        ("LINEAFTER", (0, 0), (0, -1), 0.4, colors.HexColor("#949494")),
        ("LEFTPADDING", (0, 0), (-1, -1), 2 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
    for item in section.items:
        lines = [("・" + ln if item.bullets else ln) for ln in item.lines if ln is not None]
        parts = pieces(lines) or ["—"]
        first, last = len(rows), len(rows) + len(parts) - 1
        rows += [[_para(item.label, st["label"]) if i == 0 else "", _para(part, st["body"])]
                 for i, part in enumerate(parts)]
        continues += [None] + [item.label] * (len(parts) - 1)
        # The rows of one item read as one cell: padding above its first and below its last row, a rule below.
        style += [("TOPPADDING", (0, first), (-1, first), 1.2 * mm),
                  ("BOTTOMPADDING", (0, last), (-1, last), 1.5 * mm),
                  ("LINEBELOW", (0, last), (-1, last), 0.4, colors.HexColor("#949494"))]
    table = _SectionTable(rows, colWidths=[label_w, value_w], hAlign="LEFT")
    table.setStyle(TableStyle(style))
    table.continues, table.label_style = continues, st["label"]
    return table


def jd_pdf(*, jd, version, meta: str, sections: list[Section] | None = None) -> bytes:
    """The PDF of one version of a JD; `meta` is the line under the title (団体・版・状態・日付).

    `sections` are the document's content when the caller has them already (dxpool.needs.selectors.jd_document).
    """
    st = _styles()
    font = font_name()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=f"ジョブディスクリプション {version.title}",
                            author="地域DX人材プール (dxpool)", subject="ジョブディスクリプション")
    story = [_para("ジョブディスクリプション（業務内容・求める人材）", st["title"]), _para(meta, st["meta"])]
    label_w = 38 * mm
    for section in sections if sections is not None else jd_sections(jd, version):
        story += [_para(section.title, st["h2"]), _section_table(section, st, label_w, doc.width - label_w),
                  Spacer(1, 1 * mm)]
    footer = (f"スキル標準 {version.standard_version} に基づく ／ 第{version.number}版 "
              f"{timezone.localtime(version.created_at):%Y-%m-%d} ／ 地域DX人材プール (dxpool)")

    class FooterCanvas(Canvas):
        """Draws the footer once the page count is known, so each page says 「2 / 5 ページ」: a clerk who
        prints the JD can tell a missing sheet. Pages are kept until save() and then drawn in order."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.saveState()
                self.setFont(font, 8)
                self.setFillColor(colors.HexColor("#555555"))
                self.drawString(16 * mm, 10 * mm, pdf_text(footer))
                self.drawRightString(A4[0] - 16 * mm, 10 * mm, page_label(self._pageNumber, total))
                self.restoreState()
                super().showPage()
            super().save()

    doc.build(story, canvasmaker=FooterCanvas)
    return buf.getvalue()


def page_label(page: int, total: int) -> str:
    """The footer's page number with the total (「2 / 5 ページ」)."""
    return f"{page} / {total} ページ"
