"""The one form pattern: fields that accept what Japanese users type, and messages that name the field.

Used by every app's forms.py and, through dxpool.core.templatetags.dxforms, by templates/includes/field.html,
includes/error_summary.html and includes/form.html (see docs/architecture.md, "Forms").

- Numbers: Japanese IMEs type full-width digits (「１２０」), full-width minus and 「3,600,000」; browsers'
  <input type="number"> refuses or silently empties those, so numeric fields render as type="text"
  inputmode="numeric" and normalise on the server (NFKC, minus variants, thousands separators).
- Limits in people's words: 「20億円以下で入力してください」, never 「0〜2e+09の範囲」.
- Dates checked for plausibility: a hearing that has not happened yet cannot have a date.
- Every error message names its field (「氏名を入力してください」), in the summary and at the field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.forms.formsets import BaseFormSet
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# ---------------------------------------------------------------------------------------------------------------
# Numbers in people's words


def human_number(value: int | float | Decimal, unit: str = "") -> str:
    """A number as a Japanese reader says it: 2000000000 → 「20億」, 3600000 → 「360万」, 1500 → 「1,500」."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, int) and abs(value) >= 10_000:
        sign = "-" if value < 0 else ""
        oku, rest = divmod(abs(value), 100_000_000)
        man, ones = divmod(rest, 10_000)
        # Only round figures get 億/万: 「1億2,345万6,789」 is harder to read than 「123,456,789」.
        if ones == 0:
            parts = []
            if oku:
                parts.append(f"{oku:,}億")
            if man:
                parts.append(f"{man:,}万")
            return f"{sign}{''.join(parts)}{unit}"
        return f"{value:,}{unit}"
    if isinstance(value, int):
        return f"{value:,}{unit}"
    text = format(Decimal(str(value)).normalize(), "f")
    return f"{text}{unit}"


def human_range(min_value: Any = None, max_value: Any = None, unit: str = "") -> str:
    """The limits as words: 「1以上100以下」, 「20億円以下」, 「0以上」."""
    if min_value is not None and max_value is not None:
        return _("%(lo)s以上%(hi)s以下") % {"lo": human_number(min_value, unit), "hi": human_number(max_value, unit)}
    if max_value is not None:
        return _("%(hi)s以下") % {"hi": human_number(max_value, unit)}
    if min_value is not None:
        return _("%(lo)s以上") % {"lo": human_number(min_value, unit)}
    return ""


def range_message(min_value: Any = None, max_value: Any = None, unit: str = "", *, value: Any = None) -> str:
    """「1以上100以下で入力してください」; a natural lower bound of 0 is left out when the value is too large."""
    lo, hi = min_value, max_value
    if value is not None and lo is not None and hi is not None and lo == 0 and value > hi:
        # 「20億円以下」 says all that matters to someone who typed too large a budget.
        lo = None
    if value is not None and lo is not None and hi is not None and value < lo and lo == 0:
        hi = None
    return _("%(range)sで入力してください") % {"range": human_range(lo, hi, unit)}


@deconstructible
class RangeValidator:
    """Min and max in one validator so the message gives the whole permitted range in words."""

    code = "out_of_range"

    def __init__(self, min_value: Any = None, max_value: Any = None, unit: str = ""):
        self.min_value, self.max_value, self.unit = min_value, max_value, unit

    def __call__(self, value: Any) -> None:
        if value is None:
            return
        if (self.min_value is not None and value < self.min_value) or (
            self.max_value is not None and value > self.max_value
        ):
            raise ValidationError(range_message(self.min_value, self.max_value, self.unit, value=value),
                                  code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RangeValidator) and (self.min_value, self.max_value, self.unit) == (
            other.min_value, other.max_value, other.unit)


# Minus signs a Japanese IME or a pasted document may produce; NFKC folds only the full-width one.
_MINUS = dict.fromkeys(map(ord, "\u2212\u2010\u2011\u2012\u2013\u2014\u2015\u30fc\ufe63\uff0d\u2796"), "-")
_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def normalise_number(text: Any) -> Any:
    """「１２，０００」 → 「12000」, 「－３」 → 「-3」, 「３．５」 → 「3.5」; anything else is left for the field to refuse."""
    if not isinstance(text, str):
        return text
    s = unicodedata.normalize("NFKC", text).translate(_MINUS)
    s = "".join(s.split())
    s = s.replace("、", ",")
    # Commas only as thousands separators: 「1,5」 stays wrong rather than becoming 15.
    if "," in s and _GROUPED.match(s):
        s = s.replace(",", "")
    return s


class NumericInput(forms.TextInput):
    """type="text" with a numeric keyboard: type="number" refuses full-width digits from Japanese IMEs."""

    def __init__(self, attrs: dict | None = None, *, decimal: bool = False):
        base = {"inputmode": "decimal" if decimal else "numeric", "autocomplete": "off", "spellcheck": "false"}
        super().__init__({**base, **(attrs or {})})


class _NumericMixin:
    """Normalise what was typed, and replace Django's min/max validators by one that speaks in words."""

    decimal_input = False

    def __init__(self, *args: Any, unit: str = "", **kwargs: Any):
        kwargs.setdefault("widget", NumericInput(decimal=self.decimal_input))
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.validators = [v for v in self.validators
                           if not isinstance(v, validators.MinValueValidator | validators.MaxValueValidator)]
        if self.min_value is not None or self.max_value is not None:
            self.validators.append(RangeValidator(self.min_value, self.max_value, unit))

    def to_python(self, value: Any) -> Any:
        return super().to_python(normalise_number(value))

    def widget_attrs(self, widget: forms.Widget) -> dict:
        # No min/max/step on a text input: they are invalid there and the server checks the range anyway.
        return forms.Field.widget_attrs(self, widget)


class IntegerField(_NumericMixin, forms.IntegerField):
    """An integer field that accepts 「１，２００」 and says its limits in words."""

    default_error_messages = {"invalid": gettext_lazy("半角または全角の整数で入力してください（例: 1200）")}


class DecimalField(_NumericMixin, forms.DecimalField):
    """A decimal field that accepts 「０．５」 and says its limits in words."""

    decimal_input = True
    default_error_messages = {"invalid": gettext_lazy("数値で入力してください（例: 2.5）")}


class FloatField(_NumericMixin, forms.FloatField):
    """A float field that accepts 「０．３」 and says its limits in words."""

    decimal_input = True
    default_error_messages = {"invalid": gettext_lazy("数値で入力してください（例: 0.3）")}


# ---------------------------------------------------------------------------------------------------------------
# Dates


def human_date(value: date) -> str:
    """「2026年4月1日」."""
    return _("%(y)d年%(m)d月%(d)d日") % {"y": value.year, "m": value.month, "d": value.day}


@deconstructible
class NotAfterTodayValidator:
    """A date of something that has already happened (a hearing, a decision) cannot be in the future."""

    code = "future_date"

    def __init__(self, label: str):
        self.label = label

    def __call__(self, value: date | None) -> None:
        if value is not None and value > timezone.localdate():
            raise ValidationError(format_lazy(gettext_lazy("{label}は今日以前の日付を入力してください"),
                                              label=self.label), code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NotAfterTodayValidator) and other.label == self.label


@deconstructible
class PlausibleDateValidator:
    """A date within years_back years before and years_ahead years after today: catches 「2062」 for 「2026」."""

    code = "implausible_date"

    def __init__(self, label: str, *, years_back: int | None = 10, years_ahead: int | None = 10):
        self.label, self.years_back, self.years_ahead = label, years_back, years_ahead

    def bounds(self) -> tuple[date | None, date | None]:
        today = timezone.localdate()

        def shift(years: int | None) -> date | None:
            if years is None:
                return None
            try:
                return today.replace(year=today.year + years)
            except ValueError:  # 29 February
                return today.replace(year=today.year + years, day=28)

        return shift(-self.years_back), shift(self.years_ahead)

    def __call__(self, value: date | None) -> None:
        if value is None:
            return
        earliest, latest = self.bounds()
        if (earliest is None or earliest <= value) and (latest is None or value <= latest):
            return
        if earliest is not None and latest is not None:
            message = format_lazy(gettext_lazy("{label}は{earliest}から{latest}までの日付を入力してください"),
                                  label=self.label, earliest=human_date(earliest), latest=human_date(latest))
        elif earliest is not None:
            message = format_lazy(gettext_lazy("{label}は{earliest}以降の日付を入力してください"),
                                  label=self.label, earliest=human_date(earliest))
        else:
            message = format_lazy(gettext_lazy("{label}は{latest}以前の日付を入力してください"),
                                  label=self.label, latest=human_date(latest))
        raise ValidationError(message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlausibleDateValidator) and (
            other.label, other.years_back, other.years_ahead) == (self.label, self.years_back, self.years_ahead)


class DateField(forms.DateField):
    """A date field that reads 「２０２６／４／１」 as typed with a Japanese IME."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).strip()
        return super().to_python(value)


# ---------------------------------------------------------------------------------------------------------------
# Messages that name their field, and the ids the include renders


def _is_choice(field: forms.BoundField) -> bool:
    widget = field.field.widget
    return isinstance(widget, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple) or isinstance(
        field.field, forms.ChoiceField | forms.ModelChoiceField)


def _required_message(field: forms.BoundField) -> str:
    label = str(field.label)
    if field.widget_type == "checkbox":
        return _("%(label)sにチェックを入れてください") % {"label": label}
    if isinstance(field.field, forms.FileField):
        return _("%(label)sのファイルを選んでください") % {"label": label}
    if _is_choice(field):
        return _("%(label)sを選んでください") % {"label": label}
    return _("%(label)sを入力してください") % {"label": label}


def field_messages(field: forms.BoundField) -> list[str]:
    """The field's errors, each naming the field: 「氏名を入力してください」, 「予算（円）：20億円以下で…」."""
    form = field.form
    if not form.is_bound or field.name not in form.errors:
        return []
    label = str(field.label or field.name)
    numeric = isinstance(field.field, _NumericMixin)
    out: list[str] = []
    for error in form.errors.as_data().get(field.name, []):
        if error.code == "required":
            out.append(_required_message(field))
            continue
        for message in error.messages:
            message = str(message)
            if label in message:
                out.append(message)
            elif numeric and error.code in ("out_of_range", "invalid"):
                # Our own number messages read as a sentence after 「…は」: 「予算は20億円以下で入力してください」.
                out.append(_("%(label)sは%(message)s") % {"label": label, "message": message})
            else:
                out.append(_("%(label)s：%(message)s") % {"label": label, "message": message})
    return out


def anchor_id(field: forms.BoundField) -> str:
    """The id of the input a summary link should focus: the first radio or checkbox of a group."""
    if field.id_for_label:
        return field.id_for_label
    for sub in field.subwidgets:
        if sub.id_for_label:
            return sub.id_for_label
    return field.auto_id or ""


def describedby(field: forms.BoundField) -> str:
    """Exactly the ids includes/field.html renders for this field: help then error."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_help")
    if field_messages(field):
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


def render_widget(field: forms.BoundField) -> SafeString:
    """The field's input(s); aria-describedby set here so Django's own `_helptext` id is never referenced."""
    attrs = {}
    ids = describedby(field)
    if ids and not field.use_fieldset:
        attrs["aria-describedby"] = ids
    html = field.as_widget(attrs=attrs)
    if not field.use_fieldset and not ids and "aria-describedby" in html:  # pragma: no cover - defensive
        html = SafeString(re.sub(r'\saria-describedby="[^"]*"', "", html))
    return html


@dataclass(frozen=True)
class SummaryItem:
    href: str
    message: str


def _forms_of(obj: Any) -> list[forms.BaseForm]:
    if isinstance(obj, BaseFormSet):
        return list(obj.forms)
    if isinstance(obj, forms.BaseForm):
        return [obj]
    return []


def summary_items(*objs: Any) -> list[SummaryItem]:
    """The error summary's lines for the given forms or formsets: form-wide errors first, then fields in order."""
    items: list[SummaryItem] = []
    for obj in objs:
        if isinstance(obj, BaseFormSet) and obj.is_bound:
            items.extend(SummaryItem("", str(m)) for m in obj.non_form_errors())
        for form in _forms_of(obj):
            if not form.is_bound or not form.errors:
                continue
            items.extend(SummaryItem("", str(m)) for m in form.non_field_errors())
            for field in form:
                href = "" if field.is_hidden else anchor_id(field)
                items.extend(SummaryItem(href, m) for m in field_messages(field))
    return items


def has_errors(*objs: Any) -> bool:
    """True when any of the given forms or formsets was submitted with errors."""
    for obj in objs:
        if isinstance(obj, BaseFormSet) and obj.is_bound and (obj.non_form_errors() or any(
                f.errors for f in obj.forms)):
            return True
        if isinstance(obj, forms.BaseForm) and obj.is_bound and obj.errors:
            return True
    return False


def error_title_prefix(context: Any) -> str:
    """「エラー: 」 for the page <title> when the page shows a submitted form with errors (or sets has_errors)."""
    values = context.flatten().values() if hasattr(context, "flatten") else dict(context).values()
    if any(v is True for v in [context.get("has_errors")]) or has_errors(*values):
        return _("エラー: ")
    return ""
