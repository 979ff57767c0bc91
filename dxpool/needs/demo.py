"""Demo hearing records, job descriptions and needs for 長崎県.

Every one of its 21 municipalities gets a FY2025 and a FY2026 hearing record drawn from a hand-written profile
(長崎市・佐世保市 advanced with external CIO補佐官; island towns with ひとり情シス; the issue texts in the words
municipal staff use), and 21 job descriptions are drafted, checked against the acceptance checklist and
submitted, opening 21 needs — one of them joint, for the island grouping. Two more JDs stay drafts (one with two
versions). Deterministic (seeded per municipality code) and idempotent: records are looked up by their natural
keys (municipality + year; JD title) before anything is created.
"""

from __future__ import annotations

import random
from datetime import date

from dxpool.needs.reference import MEASURES, SYSTEMS, TIERS
from dxpool.standard.personas import PERSONA_CODES

YEARS = (2025, 2026)
STATUS_OF = {"n": "not_started", "i": "in_progress", "d": "done"}
MEASURE_LEVELS = ("not_started", "planning", "in_progress", "done")

# name: (staff, IT staff, DX leaders, steps 0–3 in FY2026 (n/i/d), CIO, CIO補佐官 (0 none, 1 internal, 2 external),
#        systems migrated in FY2026, maturity 0–3, issue text, support (kind, days/week, on-site days/month, months,
#        budget yen), grouping to share through or None)
PROFILES: dict[str, tuple] = {
    "長崎市": (3300, 28, 160, "dddi", True, 2, 18, 3,
              "データ連携基盤を活用したEBPMを進めたいが、保有データの可視化とオープンデータの拡充が追いついていない。"
              "庁内でデータ活用を担える職員の育成も課題。",
              ("advice", 1, 1, 12, 6_000_000), None),
    "佐世保市": (2300, 18, 90, "dddi", True, 2, 17, 3,
               "ガバメントクラウドへの移行で運用経費が増える見込みだが、ベンダーの見積が妥当か判断できる職員がいない。"
               "調達仕様書の作成やベンダーとの交渉も支援してほしい。",
               ("both", 1.5, 2, 12, 7_200_000), None),
    "島原市": (520, 4, 12, "ddin", True, 0, 10, 2,
             "情報セキュリティポリシーが平成28年から改定されておらず、三層の対策の見直しが必要。"
             "職員のDXに対する意識も低く、全庁的な機運が醸成されていない。",
             ("advice", 0.5, 1, 12, 2_400_000), None),
    "諫早市": (1000, 8, 30, "ddii", True, 1, 14, 2,
             "窓口で住民が何枚も申請書を書かなければならず、待ち時間も長い。書かない窓口を実現し、業務フローを見直したい。",
             ("hands_on", 1, 2, 12, 4_800_000), None),
    "大村市": (700, 6, 25, "ddii", True, 2, 15, 2,
             "電子申請をkintoneで拡充したいが、庁内に設定できる職員がいない。定型業務もRPAで自動化したい。",
             ("hands_on", 1, 1, 12, 3_600_000), None),
    "平戸市": (450, 3, 5, "dinn", False, 0, 8, 1,
             "DX推進計画がまだなく、何から取り組むべきか分からない。全体方針の策定について、CIO補佐官のような立場で"
             "助言してほしい。",
             ("advice", 1, 2, 12, 3_000_000), "西九州させぼ広域都市圏"),
    "松浦市": (330, 2, 3, "dinn", False, 0, 6, 1,
             "標準化対応でベンダーとの調整が追いつかず、移行スケジュールの管理ができていない。仕様書の確認も不安。",
             ("hands_on", 1, 1, 12, 2_400_000), "西九州させぼ広域都市圏"),
    "対馬市": (480, 3, 6, "ddin", True, 0, 9, 1,
             "離島で高齢者が多く、デジタルデバイド対策が課題。オンライン申請の使い方を住民に伝える仕組みと、"
             "分かりやすい画面の設計が必要。",
             ("hands_on", 1, 2, 12, 3_000_000), "離島DXシェアリング（県設定）"),
    "壱岐市": (360, 2, 4, "ddin", False, 0, 10, 1,
             "税務課・福祉課の入力作業をRPAやAI-OCRで自動化したいが、情報担当が2名で手が回らない。",
             ("hands_on", 1, 1, 12, 2_400_000), "離島DXシェアリング（県設定）"),
    "五島市": (480, 2, 5, "ddin", True, 0, 8, 1,
             "全体方針は策定したが推進体制が弱く、CIO補佐官が不在。基幹系システムの標準化とガバメントクラウドへの移行の"
             "スケジュール管理が追いついていない。",
             ("both", 1, 2, 24, 4_800_000), "離島DXシェアリング（県設定）"),
    "西海市": (330, 2, 4, "dinn", False, 0, 9, 1,
             "全庁のDXを推進してくれるCIO補佐官が欲しい。データを活用した政策立案も進めたい。",
             ("advice", 1, 2, 12, 3_000_000), "西九州させぼ広域都市圏"),
    "雲仙市": (490, 3, 8, "ddin", True, 0, 11, 2,
             "フロントヤード改革として、窓口のオンライン化と来庁者の待ち時間の短縮、業務の見直しを進めたい。",
             ("hands_on", 1, 2, 12, 3_600_000), None),
    "南島原市": (520, 3, 6, "ddin", True, 0, 7, 1,
              "基幹系システムの移行プロジェクトの進捗管理と品質管理ができる職員がおらず、スケジュールに遅れが出ている。",
              ("hands_on", 1, 1, 12, 3_000_000), None),
    "長与町": (230, 2, 6, "ddin", True, 0, 12, 2,
             "業務効率化ツールを導入したいが、どのツールが合うか判断できない。Excel作業の手入力と転記が多い。",
             ("hands_on", 0.5, 1, 12, 1_800_000), "長崎広域連携中枢都市圏"),
    "時津町": (200, 2, 5, "ddii", True, 0, 13, 2,
             "テレワーク環境の整備とWeb会議の活用を進めたい。セキュリティとの両立が不安。",
             ("advice", 0.5, 1, 6, 900_000), "長崎広域連携中枢都市圏"),
    "東彼杵町": (110, 1, 1, "dnnn", False, 0, 5, 0,
              "情報担当が1名で、いわゆるひとり情シスの状態。システム全般の相談相手がおらず、更新の判断も一人でしている。",
              ("hands_on", 0.5, 1, 12, 1_200_000), "西九州させぼ広域都市圏"),
    "川棚町": (150, 1, 2, "dinn", False, 0, 8, 1,
             "窓口のオンライン化を進めたいが、住民からホームページが分かりにくいとも言われている。",
             ("hands_on", 0.5, 1, 12, 1_200_000), "西九州させぼ広域都市圏"),
    "波佐見町": (160, 1, 2, "innn", False, 0, 9, 0,
              "職員のDXに対する意識が低く、機運が醸成されていない。何から始めるべきか、全体方針の立て方から助言が欲しい。",
              ("advice", 0.5, 1, 12, 1_200_000), "西九州させぼ広域都市圏"),
    "小値賀町": (60, 1, 1, "innn", False, 0, 4, 0,
              "人口2,300人の離島の町で、情報担当は1名（ひとり情シス）。単独での人材確保は難しく、近隣の市町と人材を"
              "共有したい。",
              ("advice", 0.5, 1, 12, 600_000), "離島DXシェアリング（県設定）"),
    "佐々町": (140, 1, 2, "dinn", False, 0, 6, 0,
             "情報システム調達の仕様書の書き方が分からず、ベンダーからの見積が妥当か判断できない。",
             ("advice", 0.5, 1, 12, 1_200_000), "西九州させぼ広域都市圏"),
    "新上五島町": (280, 1, 3, "ddnn", True, 0, 7, 1,
               "ひとり情シスの状態で、RPAやローコードによる業務の自動化を進めたいがノウハウがない。",
               ("hands_on", 0.5, 1, 12, 1_800_000), "離島DXシェアリング（県設定）"),
}

# (title, persona, municipality, hours/week, on-site days/month, weight, skills) — submitted, so they open needs.
DEMO_JDS = [
    ("全体方針とDX推進体制づくりの支援（CIO補佐官）", "producer", "五島市", 8, 2, 1.5, ["全体方針立案", "情報セキュリティ"]),
    ("基幹業務システム標準化の進捗管理", "project_manager", "五島市", 8, 1, 1.5, ["スケジュール管理", "委託管理"]),
    ("RPA・ローコードによる業務自動化", "engineer", "新上五島町", 8, 1, 1.6, ["デジタルツール実装"]),
    ("窓口業務のBPRと書かない窓口", "service_designer", "諫早市", 8, 2, 1.0, ["業務分析", "UX技術"]),
    ("ガバメントクラウド移行の調達支援", "project_manager", "佐世保市", 12, 2, 1.0, ["委託管理", "コスト管理"]),
    ("情報セキュリティポリシーの見直し", "producer", "島原市", 4, 1, 1.2, ["情報セキュリティ"]),
    ("オープンデータとデータ活用の推進", "service_designer", "長崎市", 8, 1, 0.8, ["データ活用"]),
    ("電子申請の拡充（kintone）", "engineer", "大村市", 8, 1, 1.0, ["デジタルツール実装", "要求分析"]),
    ("DX推進計画の策定支援", "producer", "平戸市", 8, 2, 1.3, ["全体方針立案"]),
    ("標準化対応のベンダー調整", "project_manager", "松浦市", 8, 1, 1.3, ["委託管理", "品質管理"]),
    ("離島のデジタルデバイド対策", "service_designer", "対馬市", 8, 2, 1.4, ["要求分析", "UI技術"]),
    ("庁内業務のRPA化", "engineer", "壱岐市", 8, 1, 1.4, ["デジタルツール実装"]),
    ("CIO補佐官（全庁DXの推進）", "producer", "西海市", 8, 2, 1.2, ["全体方針立案", "技術・データの活用"]),
    ("フロントヤード改革の設計", "service_designer", "雲仙市", 8, 2, 1.1, ["業務分析", "UX技術"]),
    ("基幹系移行のプロジェクト管理", "project_manager", "南島原市", 8, 1, 1.2, ["スケジュール管理"]),
    ("業務効率化ツールの導入", "engineer", "長与町", 4, 1, 1.3, ["デジタルツール実装"]),
    ("ひとり情シス支援（システム全般）", "engineer", "東彼杵町", 4, 1, 1.8, ["要求分析", "デジタルツール実装"]),
    ("DXの機運醸成と職員研修", "producer", "波佐見町", 4, 1, 1.4, ["全体方針立案", "サービスデザイン思考"]),
    ("窓口のオンライン化", "service_designer", "川棚町", 4, 1, 1.5, ["UI技術", "要求分析"]),
    ("情報システム調達の仕様書作成支援", "project_manager", "佐々町", 4, 1, 1.6, ["委託管理"]),
]
JOINT = ("離島5市町 共同CIO補佐官（シェアリング）", "producer", "離島DXシェアリング（県設定）", 16, 4, 1.8,
         ["全体方針立案", "コーディネート"])
# Drafts that stay drafts: (title, persona, municipality, hours, on-site days, skills, checklist items ticked)
DRAFTS = [("テレワーク環境の整備", "engineer", "時津町", 4, 1, ["デジタルツール実装"], 3),
          ("生成AIの庁内活用ルールづくり", "producer", "長崎市", 4, 1, ["技術・データの活用", "情報セキュリティ"], 0)]

PERIOD = (date(2027, 1, 1), date(2028, 3, 31))


def _per_persona(values: dict) -> dict:
    """Demo values for each of the standard's personas, in its order; a persona added to or dropped from the
    standard (dxpool.standard.personas) fails here, at import, instead of leaving the demo a stale copy."""
    if set(values) != set(PERSONA_CODES):
        raise ValueError(f"demo values for {sorted(values)}, but the standard's personas are {list(PERSONA_CODES)}")
    return {code: values[code] for code in PERSONA_CODES}


PAY = _per_persona({"producer": (30_000, 50_000, "day"), "project_manager": (25_000, 40_000, "day"),
                    "service_designer": (20_000, 35_000, "day"), "engineer": (3_000, 5_000, "hour")})
FORMS = _per_persona({"producer": ["special_part_time", "contract"], "project_manager": ["contract", "side_job"],
                      "service_designer": ["contract", "side_job"], "engineer": ["contract", "regional_revitalisation"]})


def _department(m) -> tuple[str, str]:
    if m.type in ("中核市", "指定都市"):
        return "総務部 DX推進課", "市長直轄（CIO直属）"
    if m.type == "市":
        return "企画政策課 DX推進班", "企画部門内"
    return "総務課 情報係", "総務部門内"


def hearing_data_for(m, year: int) -> dict:
    """The demo hearing data of one 長崎県 municipality in FY2025 or FY2026 (service shape)."""
    (staff, it, leaders, steps, cio, adviser, migrated, maturity, issues,
     (kind, days, onsite, months, budget), grouping) = PROFILES[m.name]
    rng = random.Random(f"{m.code}-{year}")
    behind = year < 2026
    step_codes = [STATUS_OF[c] for c in steps]
    if behind:  # a year earlier, the furthest step started was one notch back
        started = [i for i, s in enumerate(step_codes) if s != "not_started"]
        if started:
            last = started[-1]
            step_codes[last] = "in_progress" if step_codes[last] == "done" else "not_started"
        migrated = max(0, migrated - rng.randint(4, 8))
        maturity = max(0, maturity - 1)
    systems = {}
    order = list(SYSTEMS)
    rng.shuffle(order)
    for i, name in enumerate(order):
        if i < migrated:
            systems[name] = {"status": "migrated", "planned_month": f"{year - 1}-{rng.randint(1, 12):02d}"}
        else:
            status = rng.choice(["migrating", "migrating", "preparing", "not_started"] if not behind
                                else ["migrating", "preparing", "preparing", "not_started"])
            systems[name] = {"status": status, "planned_month": f"{year + rng.randint(0, 1)}-{rng.randint(1, 12):02d}"}
    measures = {}
    for code, _, group in MEASURES:
        level = max(0, min(3, maturity + rng.choice([-1, 0, 0, 1]) - (1 if group == "optional" else 0)))
        measures[code] = {"status": MEASURE_LEVELS[level]}
    measures["standardisation"] = {"status": "done" if migrated == 20 else "in_progress",
                                   "note": f"20業務中{migrated}業務が移行済み"}
    dept, placement = _department(m)
    policy = ("adopted_with_targets" if maturity >= 3 else "adopted" if maturity == 2 else
              "drafting" if maturity == 1 else "none")
    adviser_on = adviser > 0 and not (behind and adviser == 1)
    return {
        "heard_on": date(year, rng.choice([6, 7, 8]), rng.randint(1, 28)),
        "respondent": f"{dept}（係長）", "interviewers": "長崎県 地域DX人材プール事務局・デジタル専門人材",
        "steps": {str(i): {"status": s} for i, s in enumerate(step_codes)},
        "policy_adopted_on": date(2022, 3, 31) if step_codes[1] == "done" else None,
        "dx_department": dept, "dx_department_placement": placement, "cio_appointed": cio,
        "cio_adviser_appointed": adviser_on, "cio_adviser_external": adviser_on and adviser == 2,
        "measures": measures, "systems": systems,
        "staff_total": staff, "it_staff": it, "dx_leaders": max(0, leaders - (rng.randint(1, 5) if behind else 0)),
        "targets": {"advanced": 1 if staff > 1000 else 0, "leader": max(leaders, staff // 10),
                    "general": staff} if policy == "adopted_with_targets" else {},
        "talent_policy_status": policy, "issues": issues,
        "support_kind": kind, "support_from": date(year + 1, 1, 1) if not behind else date(year, 10, 1),
        "support_months": months, "days_per_week": days, "onsite_days_per_month": onsite, "budget_yen": budget,
        "appointment_forms": ["special_part_time", "contract"] if adviser == 0 else ["contract"],
        "shareable": grouping is not None, "grouping_name": grouping,
    }


def synthetic_hearing_data(rng: random.Random, m, year: int) -> dict:
    """A plausible random hearing record for any municipality (benchmarks): valid for the importer."""
    big = m.type in ("中核市", "指定都市", "特別区")
    staff = rng.randint(900, 9000) if big else (rng.randint(250, 1200) if m.type == "市" else rng.randint(40, 300))
    it = rng.randint(5, 40) if big else (rng.randint(2, 8) if m.type == "市" else rng.choice([1, 1, 2, 3]))
    reached = rng.choice([2, 3]) if big else rng.choice([0, 1, 1, 2])
    steps = {str(i): {"status": "done" if i < reached else ("in_progress" if i == reached else "not_started")}
             for i in range(4)}
    progress = rng.random()
    systems = {name: {"status": "migrated" if rng.random() < progress else rng.choice(["migrating", "preparing"]),
                      "planned_month": f"{year}-{rng.randint(1, 12):02d}"} for name in SYSTEMS}
    adviser = big and rng.random() < 0.8
    dept, placement = _department(m)
    return {
        "heard_on": date(year, rng.randint(5, 9), rng.randint(1, 28)), "respondent": f"{dept}（係長）",
        "interviewers": "事務局", "steps": steps, "policy_adopted_on": date(2022, 3, 31) if reached > 1 else None,
        "dx_department": dept, "dx_department_placement": placement, "cio_appointed": big or rng.random() < 0.5,
        "cio_adviser_appointed": adviser, "cio_adviser_external": adviser and rng.random() < 0.7,
        "measures": {code: {"status": rng.choice(MEASURE_LEVELS), "note": "" if rng.random() < 0.8 else "検討中"}
                     for code, _, _ in MEASURES},
        "systems": systems, "staff_total": staff, "it_staff": it, "dx_leaders": rng.randint(0, staff // 10),
        "targets": {code: rng.randint(0, 50) for code, _ in TIERS},
        "talent_policy_status": rng.choice(["none", "drafting", "adopted", "adopted_with_targets"]),
        "issues": rng.choice([p[8] for p in PROFILES.values()]), "support_kind": rng.choice(["advice", "hands_on", "both"]),
        "support_from": date(year + 1, 4, 1), "support_months": rng.choice([6, 12, 24]),
        "days_per_week": rng.choice([0.5, 1, 2]), "onsite_days_per_month": rng.choice([0, 1, 2, 4]),
        "budget_yen": rng.choice([1_000_000, 3_000_000, 6_000_000]), "appointment_forms": ["contract"],
        "shareable": False, "grouping_name": None,
    }


def _jd_data(title, persona, hearing, hours, onsite, weight, skills, *, owner_name) -> dict:
    from dxpool.needs.services import COI_PERSONAS
    from dxpool.needs.standard_terms import persona_terms

    terms = persona_terms(persona)
    pay_min, pay_max, unit = PAY[persona]
    duties = "\n".join(f"・{r}" for r in terms["roles"][:3])
    if hearing is not None and hearing.issues:
        duties += "\n\n【団体の課題】\n" + hearing.issues
    dept = hearing.dx_department if hearing is not None else "長崎県 地域DX人材プール事務局（各市町のDX担当課）"
    return {
        "title": title, "persona": persona, "duties": duties, "skills": skills, "appointment_forms": FORMS[persona],
        "pay_min": pay_min, "pay_max": pay_max, "pay_unit": unit, "days_per_week": max(0.5, hours / 8),
        "hours_per_week": hours, "onsite_days_per_month": onsite, "remote_ok": True,
        "period_from": PERIOD[0], "period_to": PERIOD[1], "host_department": dept,
        "receiving_structure": f"{dept}の課長が指揮命令者となり、DX推進リーダーの職員が日常の窓口となります。"
                               f"人事担当課が任用手続と庁内研修を支援し、執務スペースと庁内端末を用意します。"
                               f"着任当初は県の職員が同行します（{owner_name}）。",
        "coi_applies": persona in COI_PERSONAS,
        "excluded_employers": ["株式会社ながさきシステム"] if persona == "project_manager" else [],
        "weight": weight,
    }


def demo_load(ctx) -> dict:
    """Create the demo hearing records (every municipality, FY2025 and FY2026), JDs and needs."""
    from dxpool.core.demo import DEMO_GROUPINGS
    from dxpool.core.text import nfkc
    from dxpool.needs import services
    from dxpool.needs.models import HearingRecord, JobDescription, JobDescriptionVersion, Need
    from dxpool.needs.reference import CHECKLIST_CODES
    from dxpool.places.models import Grouping

    prefecture = ctx.prefecture
    for name, kind, members in DEMO_GROUPINGS:  # normally made by dxpool.core.demo already
        grouping, created = Grouping.objects.get_or_create(prefecture=prefecture, name=name,
                                                           defaults={"kind": kind, "note": "デモデータ"})
        if created:
            grouping.members.set(prefecture.municipalities.filter(name__in=members))
    municipalities = {m.name: m for m in prefecture.municipalities.order_by("code")}
    existing = set(HearingRecord.objects.filter(municipality__prefecture=prefecture)
                   .values_list("municipality_id", "fiscal_year"))
    for m in municipalities.values():
        if m.name not in PROFILES:
            continue
        for year in YEARS:
            if (m.pk, year) not in existing:
                actor = ctx.municipality_user if m.pk == ctx.municipality_user.municipality_id_scope else ctx.prefecture_user
                services.hearing_save(actor=actor, municipality=m, fiscal_year=year, data=hearing_data_for(m, year))
    hearings = {h.municipality.name: h for h in HearingRecord.objects.filter(
        municipality__prefecture=prefecture, fiscal_year=YEARS[-1]).select_related("municipality")}

    titles = set(JobDescriptionVersion.objects.filter(jd__prefecture=prefecture).values_list("title", flat=True))
    titles |= set(Need.objects.filter(prefecture=prefecture).values_list("title", flat=True))

    def actor_for(m):
        return ctx.municipality_user if m.pk == ctx.municipality_user.municipality_id_scope else ctx.prefecture_user

    for title, persona, name, hours, onsite, weight, skills in DEMO_JDS:
        if nfkc(title) in titles:  # stored titles are NFKC-normalised
            continue
        m, h = municipalities[name], hearings.get(name)
        actor = actor_for(m)
        jd = services.jd_create(actor=actor, municipality=m, hearing=h, change_note="ヒアリング記録の提案から作成",
                                data=_jd_data(title, persona, h, hours, onsite, weight, skills, owner_name=name))
        services.jd_checklist_save(actor=actor, jd=jd, checked=CHECKLIST_CODES)
        services.jd_submit(actor=actor, jd=jd)
    title, persona, grouping_name, hours, onsite, weight, skills = JOINT
    if nfkc(title) not in titles:
        grouping = Grouping.objects.get(prefecture=prefecture, name=grouping_name)
        jd = services.jd_create(actor=ctx.prefecture_user, grouping=grouping, change_note="県が共同募集として作成",
                                data=_jd_data(title, persona, None, hours, onsite, weight, skills,
                                              owner_name=grouping_name))
        services.jd_checklist_save(actor=ctx.prefecture_user, jd=jd, checked=CHECKLIST_CODES)
        services.jd_submit(actor=ctx.prefecture_user, jd=jd)
    for title, persona, name, hours, onsite, skills, ticked in DRAFTS:
        if nfkc(title) in titles:  # stored titles are NFKC-normalised
            continue
        m, h = municipalities[name], hearings.get(name)
        actor = actor_for(m)
        data = _jd_data(title, persona, h, hours, onsite, 1.0, skills, owner_name=name)
        jd = services.jd_create(actor=actor, municipality=m, hearing=h, data=data, change_note="作成")
        # A second version, so the history page has something to compare.
        services.jd_update(actor=actor, jd=jd, change_note="週あたり時間と受入れ体制を見直し",
                           data={"hours_per_week": hours + 4, "days_per_week": (hours + 4) / 8,
                                 "receiving_structure": data["receiving_structure"] + "月1回、県と三者で振り返りを行います。"})
        services.jd_checklist_save(actor=actor, jd=jd, checked=CHECKLIST_CODES[:ticked])
    return {"hearings": HearingRecord.objects.filter(municipality__prefecture=prefecture).count(),
            "job_descriptions": JobDescription.objects.filter(prefecture=prefecture).count(),
            "needs": Need.objects.filter(prefecture=prefecture).count()}
