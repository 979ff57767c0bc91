"""Demo recruitment round for 長崎県 with 64 applicants in every state of the status machine.

Profiles are generated deterministically (random.Random(42)) and written through the services, so the
assessment, search text and status history are exactly what real use would produce.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from dxpool.accounts.models import Role
from dxpool.core.demo import demo_user
from dxpool.places.models import Municipality
from dxpool.standard.personas import PERSONA_CODES
from dxpool.talent import services
from dxpool.talent.models import (
    Application,
    AppointmentForm,
    ConsentText,
    RecruitmentRound,
    RoundStatus,
    WorkStyle,
)
from dxpool.talent.models import (
    ApplicationStatus as S,
)

CONSENT_VERSION = "2026-04"
CONSENT_BODY = """長崎県（以下「県」）は、地域DX人材プールへの応募にあたり取得する個人情報を、次のとおり取り扱います。
1. 利用目的: 応募者の選考、行政研修の実施、市町村とのマッチング・派遣調整、活動状況の把握及び国への集計報告（個人を特定しない形）に利用します。
2. 提供: マッチングの提案が市町村に受諾されるまでは、氏名・連絡先・勤務先を市町村に提供しません（仮名化したプロフィールのみ提供します）。
3. 管理: 個人情報は県が管理し、閲覧は記録されます。証明書類は選考目的以外に利用しません。
4. 開示等: 本人は自己の個人情報の開示・訂正・利用停止を求めることができます。"""

FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "松本", "井上",
          "木村", "林", "清水", "山口", "森", "池田", "橋本", "石川", "前田", "藤田", "後藤", "岡田", "長谷川", "村上"]
GIVEN = ["翔太", "美咲", "健一", "由美", "大輔", "麻衣", "直樹", "彩", "拓也", "真理子", "誠", "恵", "亮", "さくら",
         "和也", "陽子", "慎吾", "愛", "隆", "智子"]
EMPLOYERS = ["株式会社ながさきシステム", "九州データ株式会社", "合同会社アイランドDX", "株式会社西海ソフト", "フリーランス",
             "株式会社東京クラウド", "NPO法人地域デジタル支援", "株式会社福岡ITコンサルティング"]
HOME_PREFECTURES = ["42", "42", "42", "40", "41", "13", "43"]

PERSONA_TEMPLATES = {
    "producer": {
        "qualifications": [["ITストラテジスト"], ["システム監査技術者"], ["情報処理安全確保支援士"], []],
        "levels": [("ITSS", "コンサルタント"), ("UISS", "ISストラテジスト"), ("ITSS", "ITアーキテクト")],
        "experiences": ["digital_strategy_lead", "digital_dept_manager", "local_government"],
        "skills": ["全体方針立案", "サービスデザイン思考", "技術・データの活用", "情報セキュリティ", "リーダーシップ",
                   "コミュニケーション", "コーディネート"],
        "text": "事業会社の情報システム部門で部長として全社DX戦略を策定。自治体のCIO補佐官として全体方針とロードマップを作成した経験あり。",
    },
    "project_manager": {
        "qualifications": [["プロジェクトマネージャ"], ["PMP"], []],
        "levels": [("ITSS", "プロジェクトマネジメント"), ("UISS", "プログラムマネージャ")],
        "experiences": ["digital_project_lead", "digital_dept_manager", "local_government"],
        "skills": ["プロジェクト企画", "スケジュール管理", "コスト管理", "品質管理", "委託管理", "コミュニケーション"],
        "text": "基幹系システム更改プロジェクトのPMとして仕様書作成、ベンダー選定、進捗・品質管理を担当。ガバメントクラウド移行の支援経験。",
    },
    "service_designer": {
        "qualifications": [[]],
        "levels": [],
        "experiences": ["consumer_service_development", "local_government"],
        "skills": ["要求分析", "UI技術", "UX技術", "業務分析", "データ活用", "コミュニケーション"],
        "text": "消費者向けアプリのUXリサーチと画面設計を担当。窓口業務の業務フロー分析（BPR）と書かない窓口の導入支援。",
    },
    "engineer": {
        "qualifications": [["ITサービスマネージャ"], []],
        "levels": [("ITSS", "アプリケーションスペシャリスト"), ("UISS", "システムデザイナー"), ("ITSS", "ITスペシャリスト")],
        "experiences": ["digital_tool_implementation", "local_government"],
        "skills": ["要求分析", "デジタルツール実装", "コミュニケーション"],
        "text": "ＲＰＡ（WinActor）とkintoneによる業務自動化を多数実装。ローコードツールの導入研修講師。",
    },
}

# Final status of each demo applicant, cycling so every state of the machine is represented.
STATE_PLAN = ([S.APPLIED] * 10 + [S.SCREENING] * 10 + [S.SELECTED] * 6 + [S.IN_TRAINING] * 8 + [S.POOLED] * 16
              + [S.DISPATCHED] * 6 + [S.ENDED] * 2 + [S.WITHDRAWN] * 3 + [S.REJECTED] * 3)
PATH = [S.SCREENING, S.SELECTED, S.IN_TRAINING, S.POOLED, S.DISPATCHED, S.ENDED]


def _profile_data(rng: random.Random, persona: str, home: Municipality, name: str, n: int) -> dict:
    t = PERSONA_TEMPLATES[persona]
    strong = rng.random() < 0.8  # a fifth of applicants fall short of the standard on purpose
    levels = []
    if t["levels"]:
        fw, field = rng.choice(t["levels"])
        minimum = 4 if persona == "producer" else 3
        levels.append({"framework": fw, "field": field, "level": minimum + rng.randint(0, 1) if strong else minimum - 1})
    experiences = []
    for code in t["experiences"]:
        if code == "digital_dept_manager":
            need = 5 if persona == "producer" else 3
            if rng.random() < 0.6:
                experiences.append({"code": code, "years": need + rng.randint(0, 5) if strong else need - 1})
        elif code == "local_government":
            if rng.random() < 0.4:
                experiences.append({"code": code})
        elif strong or rng.random() < 0.3:
            experiences.append({"code": code})
    ratings = {s: rng.randint(2, 4) if strong else rng.randint(0, 2) for s in t["skills"]}
    start = date(2026, 4, 1) + timedelta(days=rng.randint(0, 120))
    return {
        "full_name": name,
        "full_name_kana": "",
        "email": f"applicant{n:03d}@example.jp",
        "phone": f"095-8{n:02d}-{1000 + n}",
        "employer": rng.choice(EMPLOYERS),
        "side_employers": [rng.choice(EMPLOYERS)] if rng.random() < 0.3 else [],
        "qualifications": rng.choice(t["qualifications"]) if strong else [],
        "skill_levels": levels,
        "experiences": experiences,
        "skill_ratings": ratings,
        "experience_description": t["text"],
        "hours_per_week": rng.choice([8, 12, 16, 20, 24, 32]),
        "onsite_days_per_month": rng.choice([0, 1, 2, 4, 8]),
        "available_from": start.isoformat(),
        "available_to": (start + timedelta(days=365 * rng.randint(1, 3))).isoformat(),
        "home_municipality": home.code,
        "remote_ok": rng.random() < 0.85,
        "travel_km": rng.choice([30, 50, 100, 200, 500]),
        "appointment_forms": rng.sample(AppointmentForm.values, k=rng.randint(1, 3)),
    }


def _closing_time(now, *, days: int):
    """A deadline as a secretariat sets one: 17:00 Japan time on a day `days` from now, not a time to the second
    that happened to be "now" when the demo was loaded."""
    day = timezone.localtime(now) + timedelta(days=days)
    return day.replace(hour=17, minute=0, second=0, microsecond=0)


def demo_load(ctx) -> dict:
    """Create the consent text, two rounds and the applicants (skipped when already there)."""
    now = timezone.now()
    consent, _ = ConsentText.objects.get_or_create(
        version=CONSENT_VERSION,
        defaults={"title": "個人情報の取扱いについて", "body": CONSENT_BODY, "published_at": now - timedelta(days=200)},
    )
    rnd = RecruitmentRound.objects.filter(prefecture=ctx.prefecture, title="令和8年度 長崎県地域DX人材プール 外部デジタル人材募集").first()
    if rnd is None:
        rnd = services.round_create(actor=ctx.prefecture_user, data={
            "title": "令和8年度 長崎県地域DX人材プール 外部デジタル人材募集",
            "personas": list(PERSONA_CODES),
            "role": "県内市町のDX推進を、CIO補佐官・PM・サービスデザイナー・エンジニアとして支援する",
            "duties": "市町の課題・ニーズに応じた助言及び実務支援（全体方針策定、標準化・ガバメントクラウド移行、"
                      "フロントヤード改革、RPA・ローコード導入、調達仕様書の作成支援等）。複数市町の兼務（シェアリング）あり。",
            "appointment_forms": [AppointmentForm.SPECIAL_PART_TIME, AppointmentForm.CONTRACT, AppointmentForm.SIDE_JOB],
            "pay_min": 30000, "pay_max": 60000, "pay_unit": "day", "days_per_week": 2,
            "work_style": WorkStyle.HYBRID, "period_from": date(2026, 6, 1), "period_to": date(2027, 3, 31),
            "deadline": _closing_time(now, days=60),
        })
        services.round_set_status(actor=ctx.prefecture_user, rnd=rnd, status=RoundStatus.OPEN)
    if not RecruitmentRound.objects.filter(prefecture=ctx.prefecture, title="令和8年度 第2次募集（エンジニア）").exists():
        second = services.round_create(actor=ctx.prefecture_user, data={
            "title": "令和8年度 第2次募集（エンジニア）", "personas": ["engineer"],
            "role": "離島市町のRPA・ローコード導入支援", "duties": "五島市・新上五島町・小値賀町の業務自動化の実装支援",
            "appointment_forms": [AppointmentForm.CONTRACT], "pay_min": 4000, "pay_max": 6000, "pay_unit": "hour",
            "days_per_week": 1, "work_style": WorkStyle.REMOTE, "deadline": _closing_time(now, days=90),
        })
        services.round_set_status(actor=ctx.prefecture_user, rnd=second, status=RoundStatus.OPEN)

    if rnd.applications.exists():
        return {"applications": rnd.applications.count()}
    rng = random.Random(42)
    homes = {code: list(Municipality.objects.filter(prefecture__code=code)) for code in set(HOME_PREFECTURES)}
    base = now - timedelta(days=150)
    for n, final in enumerate(STATE_PLAN):
        # Personas in the standard's order, in turn, so each gets a quarter of the applicants.
        persona = PERSONA_CODES[n % len(PERSONA_CODES)]
        name = f"{FAMILY[n % len(FAMILY)]} {GIVEN[(n * 7) % len(GIVEN)]}"
        username = "talent" if n == 0 else f"applicant{n:03d}"
        user = demo_user(username, role=Role.TALENT, display_name=name)
        home = rng.choice(homes[rng.choice(HOME_PREFECTURES)])
        if n == 0:
            # The `talent` login is a pooled person living in 五島市, so the demo has a proposal for them to
            # answer (dxpool.matching.demo sends 五島市's). Drawn above all the same, so the others are unchanged.
            final, home = S.POOLED, Municipality.objects.get(prefecture__code="42", name="五島市")
        data = _profile_data(rng, persona, home, user.display_name or name, n)
        app = services.application_submit(actor=user, rnd=rnd, persona=persona, consent_version=consent.version,
                                          profile_data=data, motivation="地域のDXに貢献したい。")
        at = base + timedelta(days=n % 20)
        Application.objects.filter(pk=app.pk).update(applied_at=at, consented_at=at)
        app.refresh_from_db()
        _walk(ctx, app, final, at, rng)
    return {"applications": rnd.applications.count()}


def _walk(ctx, app: Application, final: str, at, rng: random.Random) -> None:
    actor = ctx.prefecture_user
    if final == S.APPLIED:
        return
    if final == S.WITHDRAWN:
        services.application_transition(actor=app.profile.user, application=app, to_status=S.WITHDRAWN,
                                        note="他の業務との兼ね合いのため辞退", at=at + timedelta(days=3))
        return
    services.screening_decide(actor=actor, application=app, criterion="qualification", decision="pass",
                              reason="資格・レベルの証明書類を確認した。")
    if final == S.SCREENING:
        return
    if final == S.REJECTED:
        services.screening_decide(actor=actor, application=app, criterion="experience", decision="fail",
                                  reason="求める経験（自治体又はデジタル部門の責任者経験）が確認できなかった。")
        services.screening_decide(actor=actor, application=app, criterion="final", decision="rejected",
                                  reason="スキル標準の望ましい経験を満たさないため。")
        return
    services.screening_decide(actor=actor, application=app, criterion="experience", decision="pass",
                              reason="職務経歴書及び面談で経験を確認した。")
    services.screening_decide(actor=actor, application=app, criterion="interview", decision="pass",
                              reason="自治体業務への理解と意欲が十分。")
    services.screening_decide(actor=actor, application=app, criterion="final", decision="selected",
                              reason="スキル標準を満たし、面接評価も良好。")
    app.refresh_from_db()
    for status in PATH[2:]:
        if app.status == final:
            break
        if status == S.POOLED:
            services.training_complete(actor=actor, application=app, at=at + timedelta(days=40))
        app = services.application_transition(actor=actor, application=app, to_status=status,
                                              at=at + timedelta(days=10 * (PATH.index(status) + 1)))
