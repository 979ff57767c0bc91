"""Where the embedded Japanese font is, for every PDF the project writes (the JD and the 修了証).

IPAexGothic is a TrueType font with glyf outlines, which reportlab can subset and embed. It ships with the PyPI
package matplotlib-fontja (requirements/base.in), so `pip install -r requirements/lock.txt` installs it; Debian's
fonts-ipaexfont-gothic is the second place looked at. The package is found without importing it (importing it
would import matplotlib). A font that is only referenced (a CID font such as HeiseiKakuGo-W5) makes Adobe
Reader ask for a font pack and cannot be archived as PDF/A, which is why both PDFs embed this one.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

FONT = "IPAexGothic"
FONT_LABEL = "IPAexゴシック"
_DEBIAN_FONTS = (Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
                 Path("/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf"))


def ipaex_font_file() -> Path | None:
    """The IPAexGothic file: matplotlib-fontja's copy, then Debian's; None when neither is installed."""
    spec = importlib.util.find_spec("matplotlib_fontja")
    candidates = [Path(p) / "fonts" / "ipaexg.ttf" for p in (spec.submodule_search_locations or [])] if spec else []
    return next((p for p in [*candidates, *_DEBIAN_FONTS] if p.is_file()), None)


@functools.cache
def embedded_font():
    """IPAexGothic registered with reportlab under FONT (once per process: parsing the 6 MB file is the slow
    part), or None when it is not installed. Returns the TTFont, whose character map callers check against."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = ipaex_font_file()
    if path is None:
        return None
    try:
        font = pdfmetrics.getFont(FONT)
    except KeyError:
        font = None
    if not isinstance(font, TTFont):
        font = TTFont(FONT, str(path))
        pdfmetrics.registerFont(font)
    return font
