"""Marking strings for translation without Django, so pure modules can hold translatable labels."""


def gettext_noop(message: str) -> str:
    """The message unchanged; `makemessages` extracts the strings of gettext_noop calls into dxpool/locale.

    Pure modules hold plain Japanese strings marked with this; the Django side wraps them in gettext_lazy where
    they are shown (talent.models), and the catalogue keeps their translations.
    """
    return message
