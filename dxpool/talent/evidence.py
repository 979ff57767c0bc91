"""What an uploaded proof really is, decided from its bytes alone.

The browser's content type and the file's name are the uploader's to choose, so neither is trusted. A file
must have the structure of a PDF, PNG or JPEG — not only its first bytes: `%PDF-` followed by HTML is a
polyglot that a browser would render as a page if it were ever served under its own name or sniffed. Markup in
the first kilobyte is refused for every type, because that is where browsers look when they sniff.
"""

from __future__ import annotations

import re
import struct
import zlib

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg"}

SNIFF_WINDOW = 1024
# Tags that make a browser's sniffer take bytes for HTML (WHATWG MIME sniffing), plus script and SVG. None of
# them can start a PDF token ("<<" dictionaries, "<hex>" strings) or a PNG/JPEG header.
_MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|iframe|svg|object|embed|meta|title)",
                     re.IGNORECASE)

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def evidence_type(data: bytes) -> str | None:
    """The content type of a well-formed PDF, PNG or JPEG, or None for anything else (including polyglots)."""
    if _MARKUP.search(data[:SNIFF_WINDOW]):
        return None
    if data.startswith(b"%PDF-"):
        return PDF if _is_pdf(data) else None
    if data.startswith(_PNG_SIGNATURE):
        return PNG if _is_png(data) else None
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG if _is_jpeg(data) else None
    return None


def _is_pdf(data: bytes) -> bool:
    # A version number after the header, and the end-of-file marker near the end (writers may add a newline
    # or a little padding after it; incremental updates append whole sections, each ending in %%EOF).
    return re.match(rb"%PDF-\d\.\d", data) is not None and b"%%EOF" in data[-SNIFF_WINDOW:]


def _is_png(data: bytes) -> bool:
    """Chunks from IHDR to IEND, each inside the file and with a correct CRC."""
    pos, first = len(_PNG_SIGNATURE), True
    while pos + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 8 + length
        if end + 4 > len(data) or not kind.isalpha():
            return False
        if first and (kind != b"IHDR" or length != 13):
            return False
        (crc,) = struct.unpack(">I", data[end:end + 4])
        if zlib.crc32(data[pos + 4:end]) != crc:
            return False
        if kind == b"IEND":
            return end + 4 == len(data)
        pos, first = end + 4, False
    return False


def _is_jpeg(data: bytes) -> bool:
    """Marker segments from SOI to a frame header and the start of scan, and EOI at the end."""
    pos, frame = 2, False
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return False
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        if length < 2 or pos + 2 + length > len(data):
            return False
        if marker in _JPEG_SOF:
            frame = True
        if marker == 0xDA:  # start of scan: entropy-coded data follows, up to EOI
            return frame and data.rstrip(b"\x00\r\n ").endswith(b"\xff\xd9")
        pos += 2 + length
    return False
