"""`{{ value|data_label }}`: a label that comes from data, in the reader's language.

Labels of the skill standard take their English sibling from the data files (dxpool.standard.i18n.localise), and
the assessment's reasons built from them are rebuilt in English (localise_reason);
labels written in code and marked with gettext_noop (the needs reference lists, suggestion reasons) go through
the gettext catalogue. Anything else — a user's words, a municipality's name — comes back as it is.
"""

from __future__ import annotations

from django import template
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext

from dxpool.standard.i18n import is_english, localise_reason

register = template.Library()


def data_label(value) -> str:
    """`value` in the active language (see the module docstring)."""
    text = "" if value is None else str(value)
    language = get_language()
    if not text or not is_english(language):
        return text
    english = localise_reason(text, language)  # a label of the standard, or a reason built from its labels
    return english if english != text else gettext(text)


# For module-level choices and form labels: translated when rendered, in the language of that request.
data_label_lazy = lazy(data_label, str)

register.filter("data_label", data_label)


def shown_labels(pairs) -> dict[str, str]:
    """code → label of a list of (code, label[, …]) tuples, each label in the active language (for views;
    dxpool.needs.reference.labels keeps the Japanese, which the Excel sheet carries)."""
    return {p[0]: data_label(p[1]) for p in pairs}
