"""The QR code decodes (zxing-cpp) to the verification URL, as a PNG and as an SVG without external assets."""

import io

import zxingcpp
from PIL import Image

from dxpool.certificates.qr import qr_png, qr_svg

URL = "https://dxpool.pref.nagasaki.example.jp/verify/AbCdEfGhIjKlMnOpQrStUvWx"


def test_the_png_decodes_to_the_url():
    image = Image.open(io.BytesIO(qr_png(URL)))
    assert [b.text for b in zxingcpp.read_barcodes(image)] == [URL]


def test_the_svg_is_self_contained():
    svg = qr_svg(URL)
    assert svg.startswith("<svg") and "href" not in svg and "http://www.w3.org/2000/svg" in svg
