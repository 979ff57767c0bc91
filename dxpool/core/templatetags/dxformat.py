"""Display filters: Japanese fiscal years and dates in 和暦, and the skill-standard assessment as people read it.

`{% load dxformat %}` then `{{ 2026|fiscal_year }}` → 「令和8年度」 (English: "FY2026"),
`{{ 2026|fiscal_year:"long" }}` → 「令和8年度（2026年度）」 where the Western year is typed next to it,
`{{ some_date|wareki_month }}` → 「令和4年6月」 ("June 2022"), and
`{% assessment_display assessment as view %}` (see dxpool.standard.display).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import translation

from dxpool.exchange import japanese
from dxpool.standard.display import AssessmentView, assessment_view

register = template.Library()

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


def era_of(day: date) -> tuple[str, int]:
    """The era and its year on that day: 2019-05-01 → ("令和", 1); 2019-04-30 → ("平成", 31) (the eras are
    dxpool.exchange.japanese's, the same the Excel import reads)."""
    era = japanese.era_of(day)
    if era is None:
        raise ValueError(f"{day.isoformat()} is before 昭和")
    return era.name, japanese.wareki_year(era, day.year)


def fiscal_year_of(day: date) -> int:
    """The Japanese fiscal year (April to March) a day falls in, by its starting year: 2027-03-31 → 2026."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_label(year: int, *, english: bool = False, long: bool = False) -> str:
    """The fiscal year starting in April of `year`, as Japanese offices write it: 2026 → 「令和8年度」.

    A fiscal year is named in the era that holds most of it, so FY2019 (April 2019, still 平成31年, to March 2020)
    is 「令和元年度」, as the government styles it; FY2018 is 「平成30年度」. `long` adds the Western year
    (「令和8年度（2026年度）」); in English it is "FY2026".
    """
    if english:
        return f"FY{year}"
    label = f"{japanese.era_year_text(date(year, 12, 31))}年度"
    return f"{label}（{year}年度）" if long else label


def _english() -> bool:
    return (translation.get_language() or "ja").startswith("en")


@register.filter
def fiscal_year(value: Any, style: str = "") -> str:
    """`{{ year|fiscal_year }}` → 「令和8年度」; `{{ year|fiscal_year:"long" }}` → 「令和8年度（2026年度）」.

    A value that is not a year is shown as it is (a blank stays blank)."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return "" if value is None else str(value)
    if not 1927 <= year <= 9998:
        return str(value)
    return fiscal_year_label(year, english=_english(), long=style == "long")


@register.filter
def wareki_month(value: Any) -> str:
    """A date as 「令和4年6月」 (English "June 2022"); an ISO text date is accepted; anything else unchanged."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        return "" if value is None else str(value)
    if _english():
        return f"{MONTHS_EN[value.month - 1]} {value.year}"
    era = japanese.era_year_text(value)
    return f"{era or value.year}年{value.month}月"


@register.simple_tag(takes_context=True)
def assessment_display(context: template.Context, assessment: Any, applied: Any = None) -> AssessmentView | None:
    """The assessment as shown (dxpool.standard.display.assessment_view), the persona applied for first.

    `applied` is a persona code or a list of them; without it, the page's own context says: the application
    on a screening page (`application.persona`), the applications on a profile page, or the persona chosen on
    the application form while the live preview is asked for (the form is posted with it)."""
    if applied is None:
        application = context.get("application")
        applications = context.get("applications")
        request = context.get("request")
        if getattr(application, "persona", None):
            applied = [application.persona]
        elif applications:
            applied = [a.persona for a in applications if getattr(a, "persona", None)]
        elif request is not None and request.method == "POST":
            applied = [request.POST.get("persona", "")]
    if isinstance(applied, str):
        applied = [applied]
    return assessment_view(assessment, applied=applied or ())
