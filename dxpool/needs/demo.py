"""Demo needs for 長崎県: one or two per municipality kind of issue, plus a joint need of the island grouping."""

from datetime import date

from dxpool.needs.models import Need
from dxpool.needs.services import need_create
from dxpool.places.models import Grouping

# (title, persona, municipality names, hours/week, on-site days/month, weight, skills)
DEMO_NEEDS = [
    ("全体方針とDX推進体制づくりの支援（CIO補佐官）", "producer", ["五島市"], 8, 2, 1.5, ["全体方針立案", "情報セキュリティ"]),
    ("基幹業務システム標準化の進捗管理", "project_manager", ["五島市"], 8, 1, 1.5, ["スケジュール管理", "委託管理"]),
    ("RPA・ローコードによる業務自動化", "engineer", ["新上五島町"], 8, 1, 1.6, ["デジタルツール実装"]),
    ("窓口業務のBPRと書かない窓口", "service_designer", ["諫早市"], 8, 2, 1.0, ["業務分析", "UX技術"]),
    ("ガバメントクラウド移行の調達支援", "project_manager", ["佐世保市"], 12, 2, 1.0, ["委託管理", "コスト管理"]),
    ("情報セキュリティポリシーの見直し", "producer", ["島原市"], 4, 1, 1.2, ["情報セキュリティ"]),
    ("オープンデータとデータ活用の推進", "service_designer", ["長崎市"], 8, 1, 0.8, ["データ活用"]),
    ("電子申請の拡充（kintone）", "engineer", ["大村市"], 8, 1, 1.0, ["デジタルツール実装", "要求分析"]),
    ("DX推進計画の策定支援", "producer", ["平戸市"], 8, 2, 1.3, ["全体方針立案"]),
    ("標準化対応のベンダー調整", "project_manager", ["松浦市"], 8, 1, 1.3, ["委託管理", "品質管理"]),
    ("離島のデジタルデバイド対策", "service_designer", ["対馬市"], 8, 2, 1.4, ["要求分析", "UI技術"]),
    ("庁内業務のRPA化", "engineer", ["壱岐市"], 8, 1, 1.4, ["デジタルツール実装"]),
    ("CIO補佐官（全庁DXの推進）", "producer", ["西海市"], 8, 2, 1.2, ["全体方針立案", "技術・データの活用"]),
    ("フロントヤード改革の設計", "service_designer", ["雲仙市"], 8, 2, 1.1, ["業務分析", "UX技術"]),
    ("基幹系移行のプロジェクト管理", "project_manager", ["南島原市"], 8, 1, 1.2, ["スケジュール管理"]),
    ("業務効率化ツールの導入", "engineer", ["長与町"], 4, 1, 1.3, ["デジタルツール実装"]),
    ("ひとり情シス支援（システム全般）", "engineer", ["東彼杵町"], 4, 1, 1.8, ["要求分析", "デジタルツール実装"]),
    ("DXの機運醸成と職員研修", "producer", ["波佐見町"], 4, 1, 1.4, ["全体方針立案", "サービスデザイン思考"]),
    ("窓口のオンライン化", "service_designer", ["川棚町"], 4, 1, 1.5, ["UI技術", "要求分析"]),
    ("情報システム調達の仕様書作成支援", "project_manager", ["佐々町"], 4, 1, 1.6, ["委託管理"]),
]
JOINT = ("離島5市町 共同CIO補佐官（シェアリング）", "producer", "離島DXシェアリング（県設定）", 16, 4, 1.8,
         ["全体方針立案", "コーディネート"])


ISSUES = [
    "情報担当が1名しかおらず、ひとり情シスの状態。基幹系システムの標準化とガバメントクラウド移行のスケジュール管理が追いついていない。",
    "全体方針（DX推進計画）がまだない。何から取り組むべきか整理し、CIO補佐官のような立場で助言してほしい。",
    "窓口で住民が何枚も申請書を書いている。書かない窓口を実現し、業務フローを見直したい。",
    "ＲＰＡとkintoneで税務課・福祉課の入力作業を自動化したいが、庁内にノウハウがない。",
    "調達仕様書の書き方が分からず、ベンダーからの見積が妥当か判断できない。",
    "職員のDXに対する意識が低く、全庁的な機運が醸成されていない。情報セキュリティポリシーも見直しが必要。",
    "保有データをEBPMに活かし、オープンデータも公開したい。",
]


def _hearing_values(rng, m) -> dict:
    from dxpool.needs.reference import MEASURES, SYSTEMS

    big = m.type in ("中核市", "指定都市")
    staff = rng.randint(900, 3200) if big else (rng.randint(250, 800) if m.type == "市" else rng.randint(60, 220))
    it_staff = rng.randint(5, 15) if big else (rng.randint(2, 6) if m.type == "市" else rng.choice([1, 1, 2]))
    reached = rng.choice([2, 3]) if big else rng.choice([0, 1, 1, 2])
    steps = {str(i): {"status": "done" if i <= reached else ("in_progress" if i == reached + 1 else "not_started")}
             for i in range(4)}
    measures = {code: {"status": rng.choice(["not_started", "planning", "in_progress", "done"])} for code, _ in MEASURES}
    progress = rng.random() * (0.9 if big else 0.6)
    systems = {}
    for name in SYSTEMS:
        r = rng.random()
        status = "migrated" if r < progress else ("migrating" if r < progress + 0.3 else "preparing")
        systems[name] = {"status": status, "planned_month": f"2026-{rng.randint(1, 12):02d}"}
    return {
        "steps": steps, "policy_adopted_on": date(2022, 3, 31) if reached >= 1 else None,
        "dx_department": "デジタル推進課" if big else ("企画課 情報係" if m.type == "市" else "総務課"),
        "dx_department_placement": "市長直轄" if big else "総務部門内",
        "cio_appointed": big or rng.random() < 0.5, "cio_adviser_appointed": big and rng.random() < 0.8,
        "cio_adviser_external": big, "measures": measures, "systems": systems, "staff_total": staff,
        "it_staff": it_staff, "dx_leaders": rng.randint(0, 30 if big else 5),
        "targets": {"advanced": 1 if big else 0, "leader": rng.randint(5, 40), "general": staff},
        "talent_policy_status": rng.choice(["none", "drafting", "adopted", "adopted_with_targets"]),
        "issues": ISSUES[rng.randrange(len(ISSUES))] if it_staff > 1 else ISSUES[0],
        "support_kind": rng.choice(["advice", "hands_on", "both"]), "support_months": rng.choice([6, 12, 24]),
        "days_per_week": rng.choice([0.5, 1, 2]), "onsite_days_per_month": rng.choice([1, 2, 4]),
        "budget_yen": rng.choice([1_000_000, 3_000_000, 6_000_000]), "appointment_forms": ["contract"],
        "shareable": not big,
    }


def demo_load(ctx) -> dict:
    """Create the demo hearing records (every municipality of the prefecture, FY2025 and FY2026) and needs."""
    import random

    from dxpool.needs.models import HearingRecord

    rng = random.Random(7)
    for m in ctx.prefecture.municipalities.order_by("code"):
        for year in (2025, 2026):
            values = _hearing_values(rng, m)
            if not HearingRecord.objects.filter(municipality=m, fiscal_year=year).exists():
                HearingRecord.objects.create(municipality=m, fiscal_year=year, entered_by=ctx.prefecture_user,
                                             **values)
    _needs(ctx)
    return {"hearings": HearingRecord.objects.filter(municipality__prefecture=ctx.prefecture).count(),
            "needs": Need.objects.filter(prefecture=ctx.prefecture).count()}


def _needs(ctx) -> None:
    """Create the demo needs once (idempotent by title)."""
    existing = set(Need.objects.filter(prefecture=ctx.prefecture).values_list("title", flat=True))
    for title, persona, names, hours, onsite, weight, skills in DEMO_NEEDS:
        if title in existing:
            continue
        codes = list(ctx.prefecture.municipalities.filter(name__in=names).values_list("code", flat=True))
        need_create(actor=ctx.prefecture_user, title=title, persona=persona, municipality_codes=codes,
                    hours_per_week=hours, onsite_days_per_month=onsite, weight=weight, skills=skills,
                    excluded_employers=["株式会社ながさきシステム"] if persona == "project_manager" else [],
                    period_from=date(2026, 4, 1), period_to=date(2027, 3, 31))
    title, persona, grouping_name, hours, onsite, weight, skills = JOINT
    if title not in existing:
        grouping = Grouping.objects.get(prefecture=ctx.prefecture, name=grouping_name)
        need_create(actor=ctx.prefecture_user, title=title, persona=persona, grouping=grouping,
                    municipality_codes=[m.code for m in grouping.members.all()], hours_per_week=hours,
                    onsite_days_per_month=onsite, weight=weight, skills=skills,
                    period_from=date(2026, 4, 1), period_to=date(2027, 3, 31))
