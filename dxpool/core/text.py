"""Japanese text helpers: every comparison and search goes through NFKC first."""

import unicodedata


def nfkc(text: str | None) -> str:
    """NFKC-normalise and trim; full-width ＲＰＡ becomes RPA, half-width ｶﾅ becomes カナ."""
    if not text:
        return ""
    return unicodedata.normalize("NFKC", text).strip()


def search_key(text: str | None) -> str:
    """A case- and width-insensitive key for stored search columns."""
    return " ".join(nfkc(text).casefold().split())


_HIRA_TO_KATA = {code: code + 0x60 for code in range(0x3041, 0x3097)}


def to_katakana(text: str | None) -> str:
    """Hiragana → katakana, so a reading typed either way finds the stored katakana kana."""
    return nfkc(text).translate(_HIRA_TO_KATA)
