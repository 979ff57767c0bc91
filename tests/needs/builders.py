"""Builders for hearing records and job descriptions in the needs tests."""

from dxpool.needs import services
from dxpool.needs.reference import CHECKLIST_CODES
from dxpool.places.models import Municipality


def municipality(name: str, prefecture_code: str = "42") -> Municipality:
    return Municipality.objects.select_related("prefecture").get(name=name, prefecture__code=prefecture_code)


def hearing_payload(**over) -> dict:
    data = {
        "heard_on": "2026-07-01", "respondent": "企画課 係長", "interviewers": "県事務局",
        "steps": {"0": {"status": "done"}, "1": {"status": "done"}, "2": {"status": "in_progress"},
                  "3": {"status": "not_started"}},
        "policy_adopted_on": "2022-03-31", "dx_department": "企画課", "dx_department_placement": "企画部門内",
        "cio_appointed": True, "cio_adviser_appointed": False, "cio_adviser_external": False,
        "measures": {"frontyard": {"status": "planning", "note": "書かない窓口を検討"},
                     "standardisation": {"status": "in_progress"}, "ai_rpa": {"status": "not_started"}},
        "systems": {"住民基本台帳": {"status": "migrated", "planned_month": "2025-10"},
                    "戸籍": {"status": "migrating", "planned_month": "2026-12"}},
        "staff_total": 480, "it_staff": 2, "dx_leaders": 5, "targets": {"leader": 48},
        "talent_policy_status": "drafting",
        "issues": "基幹系システムの標準化のスケジュール管理が追いつかない。",
        "support_kind": "both", "support_from": "2027-01-01", "support_months": 12, "days_per_week": 1,
        "onsite_days_per_month": 2, "budget_yen": 3_600_000, "appointment_forms": ["contract"],
        "shareable": False, "grouping": None,
    }
    data.update(over)
    return data


def make_hearing(actor, name="五島市", year=2026, **over):
    record, _ = services.hearing_save(actor=actor, municipality=municipality(name), fiscal_year=year,
                                      data=hearing_payload(**over))
    return record


def jd_payload(**over) -> dict:
    data = {
        "title": "標準化の進捗管理", "persona": "project_manager", "duties": "基幹系20業務の移行の進捗を管理する。",
        "skills": ["スケジュール管理", "委託管理"], "appointment_forms": ["contract"], "pay_min": 25000,
        "pay_max": 40000, "pay_unit": "day", "days_per_week": 1, "hours_per_week": 8, "onsite_days_per_month": 1,
        "remote_ok": True, "period_from": "2027-01-01", "period_to": "2027-12-31", "host_department": "企画課",
        "receiving_structure": "企画課長が指揮命令者。DX推進リーダーが窓口。", "coi_applies": True,
        "excluded_employers": ["株式会社ながさきシステム"], "weight": 1.2,
    }
    data.update(over)
    return data


def make_jd(actor, name="五島市", **over):
    return services.jd_create(actor=actor, municipality=municipality(name), data=jd_payload(**over))


def tick_all(actor, jd):
    return services.jd_checklist_save(actor=actor, jd=jd, checked=CHECKLIST_CODES)
