"""The choices the profile form offers, read from the skill standard in force (so a new version of the
standard changes the form without code)."""

import functools
from dataclasses import dataclass

from dxpool.standard.i18n import gettext_noop
from dxpool.standard.loader import FRAMEWORKS, load_standard

# Marked for the catalogue; the form shows them through data_label (dxpool.core.templatetags.data_labels).
EXPERIENCE_LABELS = {
    "digital_strategy_lead": gettext_noop("デジタル分野の戦略の立案・推進の責任者として、チームをリードした経験"),
    "digital_dept_manager": gettext_noop("民間企業等のデジタル・情報システム部門での管理職又は同等の経験"),
    "local_government": gettext_noop("自治体で勤務した経験、又は自治体から受託した業務に従事した経験"),
    "digital_project_lead": gettext_noop("デジタル分野のプロジェクトの責任者としてメンバーをリードした経験"),
    "consumer_service_development": gettext_noop("一般消費者向けデジタルサービスを企画・設計・開発・実装した経験"),
    "digital_tool_implementation": gettext_noop("民間企業等でデジタルツールの実装を行った経験"),
}


@dataclass(frozen=True)
class StandardOptions:
    version: str
    qualifications: tuple[str, ...]
    level_fields: tuple[tuple[str, str], ...]
    experiences: tuple[tuple[str, str, bool], ...]  # (code, label, counts years)
    skill_items: tuple[tuple[str, str], ...]  # (name, description)


@functools.cache
def standard_options(version: str | None = None) -> StandardOptions:
    standard = load_standard(version)
    counted = {e.code for p in standard.personas for e in p.experiences if e.min_years}
    return StandardOptions(
        version=standard.version,
        qualifications=tuple(q.name for q in standard.qualifications),
        level_fields=tuple((fw, f) for fw in FRAMEWORKS for f in standard.fields(fw)),
        experiences=tuple((code, EXPERIENCE_LABELS.get(code, desc), code in counted)
                          for code, desc in standard.experience_codes.items()),
        skill_items=tuple((s.name, s.description) for s in standard.skill_items()),
    )
