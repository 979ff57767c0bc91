"""Template tags of the one form pattern (templates/includes/field.html, error_summary.html).

The logic lives in dxpool.core.forms; these tags only expose it to templates.
"""

from __future__ import annotations

from django import template
from django.forms import BoundField

from dxpool.core import forms as core_forms

register = template.Library()


@register.filter
def field_messages(field: BoundField) -> list[str]:
    """The field's error messages, each naming the field."""
    return core_forms.field_messages(field)


@register.simple_tag
def field_describedby(field: BoundField) -> str:
    """The space-separated ids (help, error) that exist for this field."""
    return core_forms.describedby(field)


@register.simple_tag
def field_widget(field: BoundField) -> str:
    """The field's input(s) with aria-describedby/aria-invalid pointing at the ids the include renders."""
    return core_forms.render_widget(field)


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms) -> dict:
    """The error summary of one or more forms rendered in one <form> element."""
    return {"items": core_forms.summary_items(*forms)}


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """「エラー: 」 when the page shows a form with errors (GOV.UK: the title says so first)."""
    return core_forms.error_title_prefix(context)
