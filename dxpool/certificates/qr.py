"""The verification QR code (segno), drawn as vector squares into a PDF or written as a PNG for a web page.

Error correction M (15 % of the symbol may be damaged: a crease or a stamp on a framed sheet) and segno's
`boost_error`, which raises it when the URL fits anyway. The quiet zone of 4 modules that readers need is the
caller's blank space around the symbol (`QUIET_ZONE`); the PDF keeps it clear.
"""

from __future__ import annotations

import io

import segno

QUIET_ZONE = 4


def make_qr(url: str) -> segno.QRCode:
    return segno.make_qr(url, error="m", boost_error=True)


def draw_qr(canvas, qr: segno.QRCode, x: float, y: float, size: float) -> None:
    """Draw a QR code with its lower left corner at (x, y), `size` points wide (no quiet zone).

    Each row's runs of dark modules are one rectangle, in module units under one transformation, written as
    one fill: a few hundred short operators instead of thousands of squares, which keeps the PDF small and fast
    to write and to render. Runs overlap their neighbours by a fiftieth of a module so that no renderer shows
    hairline seams between rows.
    """
    matrix = qr.matrix
    n = len(matrix)
    ops = []
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                ops.append(f"{start} {n - 1 - r} {c - start}.02 1.02 re")
            else:
                c += 1
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / n, size / n)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.addLiteral("\n".join(ops) + "\nf")
    canvas.restoreState()


def qr_png(url: str, *, scale: int = 8) -> bytes:
    """The QR code as a PNG with its quiet zone (for the certificate's web page)."""
    buf = io.BytesIO()
    make_qr(url).save(buf, kind="png", scale=scale, border=QUIET_ZONE)
    return buf.getvalue()


def qr_svg(url: str, *, scale: int = 4) -> str:
    """The QR code as an SVG document (self-contained; no external asset)."""
    buf = io.BytesIO()
    make_qr(url).save(buf, kind="svg", scale=scale, border=QUIET_ZONE, xmldecl=False)
    return buf.getvalue().decode("utf-8")
