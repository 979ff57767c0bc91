"""Reference lists of the hearing record (課題・ニーズ把握) and the job description, quoted from seed
001_77c5af8016e9d699.txt (総務省「自治体DX全体手順書」) unless noted. Codes are stable identifiers stored in the
database and the API; labels are what users see and what the Excel hearing sheet carries.
"""

from typing import NamedTuple

from dxpool.standard.i18n import gettext_noop

# Labels are marked for makemessages and stay Japanese here: the Excel hearing sheet carries them as they are.
# Screens translate them where they are shown (`data_label` in dxpool.core.templatetags.data_labels).

# DX steps 0–3 (手順書 1.2「全体手順書で示す一連の手順」). Step 0 is continuous through the whole period.
STEPS = [
    ("0", gettext_noop("ステップ0：DXの認識共有・機運醸成")),
    ("1", gettext_noop("ステップ1：全体方針の決定")),
    ("2", gettext_noop("ステップ2：推進体制の整備")),
    ("3", gettext_noop("ステップ3：DXの取組の実行")),
]
STEP_STATUSES = [
    ("not_started", gettext_noop("未着手")),
    ("in_progress", gettext_noop("取組中")),
    ("done", gettext_noop("完了")),
]

# Measures, in the seed's three groups:
#   ＜自治体DXの重点取組事項＞ ①–⑦ (参考3.3-②),
#   ＜自治体DXの取組とあわせて取り組むデジタル社会の実現に向けた取組＞ ①–③,
#   ＜各団体において必要に応じ実施を検討する取組＞ (BPR, open data).
MEASURE_GROUPS = [
    ("priority", gettext_noop("自治体DXの重点取組事項")),
    ("alongside", gettext_noop("自治体DXの取組とあわせて取り組むデジタル社会の実現に向けた取組")),
    ("optional", gettext_noop("各団体において必要に応じ実施を検討する取組")),
]
MEASURES = [
    ("frontyard", gettext_noop("自治体フロントヤード改革の推進"), "priority"),
    ("standardisation", gettext_noop("自治体情報システムの標準化・共通化"), "priority"),
    ("el_qr", gettext_noop("公金収納におけるeL-QRの活用"), "priority"),
    ("mynumber", gettext_noop("マイナンバーカードの普及促進・利用の推進"), "priority"),
    ("security", gettext_noop("セキュリティ対策の徹底"), "priority"),
    ("ai_rpa", gettext_noop("自治体のAI・RPAの利用推進"), "priority"),
    ("telework", gettext_noop("テレワークの推進"), "priority"),
    ("regional_digital", gettext_noop("デジタル実装の取組の推進・地域社会のデジタル化"), "alongside"),
    ("digital_divide", gettext_noop("デジタルデバイド対策"), "alongside"),
    ("regulation_review", gettext_noop("デジタル原則に基づく条例等の規制の点検・見直し"), "alongside"),
    ("bpr", gettext_noop("BPRの取組の徹底"), "optional"),
    ("open_data", gettext_noop("オープンデータの推進・官民データ活用の推進"), "optional"),
]
MEASURE_STATUSES = [
    ("not_started", gettext_noop("未着手")),
    ("planning", gettext_noop("計画中")),
    ("in_progress", gettext_noop("取組中")),
    ("done", gettext_noop("完了")),
]

# The 20 core business systems of 標準化 (参考3.3-②「基幹系20業務システム」; seed 002 lists the areas).
SYSTEMS = [
    gettext_noop("児童手当"),
    gettext_noop("住民基本台帳"),
    gettext_noop("選挙人名簿管理"),
    gettext_noop("固定資産税"),
    gettext_noop("個人住民税"),
    gettext_noop("法人住民税"),
    gettext_noop("軽自動車税"),
    gettext_noop("就学"),
    gettext_noop("国民健康保険"),
    gettext_noop("国民年金"),
    gettext_noop("障害者福祉"),
    gettext_noop("後期高齢者医療"),
    gettext_noop("介護保険"),
    gettext_noop("生活保護"),
    gettext_noop("健康管理"),
    gettext_noop("児童扶養手当"),
    gettext_noop("子ども・子育て支援"),
    gettext_noop("戸籍"),
    gettext_noop("戸籍の附票"),
    gettext_noop("印鑑登録"),
]
SYSTEM_STATUSES = [
    ("not_started", gettext_noop("未着手")),
    ("preparing", gettext_noop("準備中")),
    ("migrating", gettext_noop("移行中")),
    ("migrated", gettext_noop("移行済み")),
]

# Talent tiers (4.3「人材像の類型」) with numeric targets, and the status of the 人材育成基本方針 that should hold
# them (「令和７年中を目途に方針を策定」).
TIERS = [
    ("advanced", gettext_noop("高度専門人材")),
    ("leader", gettext_noop("DX推進リーダー")),
    ("general", gettext_noop("一般行政職員")),
]
POLICY_STATUSES = [
    ("none", gettext_noop("未策定")),
    ("drafting", gettext_noop("策定中")),
    ("adopted", gettext_noop("策定済み（数値目標なし）")),
    ("adopted_with_targets", gettext_noop("策定済み（数値目標あり）")),
]

# The support a municipality asks for (seed 003: 「アドバイザー等による助言や、市区町村業務に従事するような継続的な
# 支援など、ニーズは様々」).
SUPPORT_KINDS = [
    ("advice", gettext_noop("助言")),
    ("hands_on", gettext_noop("実務支援")),
    ("both", gettext_noop("助言と実務支援")),
]

PAY_UNITS = [
    ("hour", gettext_noop("時間")),
    ("day", gettext_noop("日")),
    ("month", gettext_noop("月")),
    ("year", gettext_noop("年")),
]


class ChecklistItem(NamedTuple):
    """One item of the acceptance checklist, with when it is asked."""

    code: str
    question: str
    explanation: str
    # "jd": confirmed on the job description, before it is submitted; "activity": asked during the dispatch.
    asked_at: str = "jd"


# 外部人材の受入れ準備チェックリスト (4.5(7)), quoted whole, in the seed's order (tests/needs/test_jd_checklist.py
# holds it to the seed). The sixth item asks whether the activities are as first imagined: only a running
# dispatch can answer that, so it is flagged for the dispatch and not asked on the JD.
ACCEPTANCE_CHECKLIST = [
    ChecklistItem("purpose_shared",
                  gettext_noop("首長や職員が、外部人材の受入れ意義や狙い、外部人材に期待する役割や業務について、十分整理・共有できているか。"),
                  gettext_noop("外部人材の受入れ意義や狙い、外部人材に期待する役割や業務を整理することは勿論、一部の職員だけでなく、"
                  "広く共有されていることが必要。")),
    ChecklistItem("ownership",
                  gettext_noop("職員の主体性はあるか。外部人材に丸投げしない。"),
                  gettext_noop("外部人材に要望を伝えてDXを進めた気になってはいけない。外部人材の力を借りて主体性を持ってDXを推進することが必要。")),
    ChecklistItem("realistic_expectations",
                  gettext_noop("外部人材に過剰な期待をしない。"),
                  gettext_noop("デジタル人材には、それぞれ専門や得意とする分野がある。DXのことなら何でもできるというような過剰な期待は禁物である。")),
    ChecklistItem("support_structure",
                  gettext_noop("外部人材のサポート体制を構築できているか。"),
                  gettext_noop("外部人材は、慣れない環境で孤立するおそれもある。外部人材が力を発揮するためには、受入れ部門や人事・研修担当部門の"
                  "サポートが必要。また、自治体の意思決定の仕組みや予算立案・執行のルールやスケジュールなどについて、十分に説明する"
                  "ことが重要。")),
    ChecklistItem("employer_coordination",
                  gettext_noop("企業に属する外部人材を受け入れる場合、十分に企業と調整できているか。"),
                  gettext_noop("企業に属する外部人材を受け入れる場合、任用形態、勤務条件などについて、十分に調整しておくことが必要。")),
    ChecklistItem("activities_as_planned",
                  gettext_noop("外部人材の活動内容は、当初の想定どおりとなっているか。"),
                  gettext_noop("募集時に想定した外部人材の活動イメージと実際の活動が一致しないことも想定される。その場合、自治体にとっても"
                  "外部人材にとっても納得できる活動内容となるよう、外部人材との間で十分に対話を行うことが重要である。"),
                  asked_at="activity"),
]
CHECKLIST_SOURCE = gettext_noop("総務省「自治体DX全体手順書」4.5(7) 外部人材の受入れ準備チェックリスト")
# The items confirmed on the JD (1–5): all of them are required to submit it.
JD_CHECKLIST = [item for item in ACCEPTANCE_CHECKLIST if item.asked_at == "jd"]
CHECKLIST_CODES = [item.code for item in JD_CHECKLIST]
# Asked during the dispatch (issue 15), not before anyone is proposed.
ACTIVITY_CHECKLIST = [item for item in ACCEPTANCE_CHECKLIST if item.asked_at == "activity"]

# Conflict of interest (4.5(4)「CIO補佐官等の任用に当たっての注意事項」): the rule every JD carries.
COI_RULE = gettext_noop(
    "兼業先・出向元などの所属企業等が本団体の調達に参加し得る人材は、仕様書の作成や業者の選定等の業務に従事しない。"
    "また、本人が仕様書の作成等に関与した調達について、その所属企業等の入札への参加を制限する（入札制限）。"
)
COI_SOURCE = gettext_noop(
    "「当該人材の兼業先企業等について入札への参加を制限する規定や、当該人材に仕様書の作成や業者の選定等の業務に従事"
    "することを制限する規定等を設けている」（自治体DX全体手順書 4.5(4)）"
)


def labels(pairs) -> dict[str, str]:
    """code → label of a list of (code, label[, …]) tuples (lazy translations made plain strings)."""
    return {p[0]: str(p[1]) for p in pairs}


def codes_by_label(pairs) -> dict[str, str]:
    """label → code of a list of (code, label[, …]) tuples."""
    return {str(p[1]): p[0] for p in pairs}


def codes(pairs) -> list[str]:
    return [p[0] for p in pairs]
