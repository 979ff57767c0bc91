"""Reference lists of the hearing record (課題・ニーズ把握) and the job description, quoted from seed
001_77c5af8016e9d699.txt (総務省「自治体DX全体手順書」) unless noted. Codes are stable identifiers stored in the
database and the API; labels are what users see and what the Excel hearing sheet carries.
"""

# DX steps 0–3 (手順書 1.2「全体手順書で示す一連の手順」). Step 0 is continuous through the whole period.
STEPS = [
    ("0", "ステップ0：DXの認識共有・機運醸成"),
    ("1", "ステップ1：全体方針の決定"),
    ("2", "ステップ2：推進体制の整備"),
    ("3", "ステップ3：DXの取組の実行"),
]
STEP_STATUSES = [("not_started", "未着手"), ("in_progress", "取組中"), ("done", "完了")]

# Measures, in the seed's three groups:
#   ＜自治体DXの重点取組事項＞ ①–⑦ (参考3.3-②),
#   ＜自治体DXの取組とあわせて取り組むデジタル社会の実現に向けた取組＞ ①–③,
#   ＜各団体において必要に応じ実施を検討する取組＞ (BPR, open data).
MEASURE_GROUPS = [
    ("priority", "自治体DXの重点取組事項"),
    ("alongside", "自治体DXの取組とあわせて取り組むデジタル社会の実現に向けた取組"),
    ("optional", "各団体において必要に応じ実施を検討する取組"),
]
MEASURES = [
    ("frontyard", "自治体フロントヤード改革の推進", "priority"),
    ("standardisation", "自治体情報システムの標準化・共通化", "priority"),
    ("el_qr", "公金収納におけるeL-QRの活用", "priority"),
    ("mynumber", "マイナンバーカードの普及促進・利用の推進", "priority"),
    ("security", "セキュリティ対策の徹底", "priority"),
    ("ai_rpa", "自治体のAI・RPAの利用推進", "priority"),
    ("telework", "テレワークの推進", "priority"),
    ("regional_digital", "デジタル実装の取組の推進・地域社会のデジタル化", "alongside"),
    ("digital_divide", "デジタルデバイド対策", "alongside"),
    ("regulation_review", "デジタル原則に基づく条例等の規制の点検・見直し", "alongside"),
    ("bpr", "BPRの取組の徹底", "optional"),
    ("open_data", "オープンデータの推進・官民データ活用の推進", "optional"),
]
MEASURE_STATUSES = [("not_started", "未着手"), ("planning", "計画中"), ("in_progress", "取組中"), ("done", "完了")]

# The 20 core business systems of 標準化 (参考3.3-②「基幹系20業務システム」; seed 002 lists the areas).
SYSTEMS = ["児童手当", "住民基本台帳", "選挙人名簿管理", "固定資産税", "個人住民税", "法人住民税", "軽自動車税", "就学",
           "国民健康保険", "国民年金", "障害者福祉", "後期高齢者医療", "介護保険", "生活保護", "健康管理", "児童扶養手当",
           "子ども・子育て支援", "戸籍", "戸籍の附票", "印鑑登録"]
SYSTEM_STATUSES = [("not_started", "未着手"), ("preparing", "準備中"), ("migrating", "移行中"), ("migrated", "移行済み")]

# Talent tiers (4.3「人材像の類型」) with numeric targets, and the status of the 人材育成基本方針 that should hold
# them (「令和７年中を目途に方針を策定」).
TIERS = [("advanced", "高度専門人材"), ("leader", "DX推進リーダー"), ("general", "一般行政職員")]
POLICY_STATUSES = [("none", "未策定"), ("drafting", "策定中"), ("adopted", "策定済み（数値目標なし）"),
                   ("adopted_with_targets", "策定済み（数値目標あり）")]

# The support a municipality asks for (seed 003: 「アドバイザー等による助言や、市区町村業務に従事するような継続的な
# 支援など、ニーズは様々」).
SUPPORT_KINDS = [("advice", "助言"), ("hands_on", "実務支援"), ("both", "助言と実務支援")]

PAY_UNITS = [("hour", "時間"), ("day", "日"), ("month", "月"), ("year", "年")]

# 外部人材の受入れ準備チェックリスト (4.5(7)), quoted. The sixth is asked again during the dispatch.
ACCEPTANCE_CHECKLIST = [
    ("purpose_shared",
     "首長や職員が、外部人材の受入れ意義や狙い、外部人材に期待する役割や業務について、十分整理・共有できているか。",
     "外部人材の受入れ意義や狙い、外部人材に期待する役割や業務を整理することは勿論、一部の職員だけでなく、"
     "広く共有されていることが必要。"),
    ("ownership",
     "職員の主体性はあるか。外部人材に丸投げしない。",
     "外部人材に要望を伝えてDXを進めた気になってはいけない。外部人材の力を借りて主体性を持ってDXを推進することが必要。"),
    ("realistic_expectations",
     "外部人材に過剰な期待をしない。",
     "デジタル人材には、それぞれ専門や得意とする分野がある。DXのことなら何でもできるというような過剰な期待は禁物である。"),
    ("support_structure",
     "外部人材のサポート体制を構築できているか。",
     "外部人材は、慣れない環境で孤立するおそれもある。外部人材が力を発揮するためには、受入れ部門や人事・研修担当部門の"
     "サポートが必要。また、自治体の意思決定の仕組みや予算立案・執行のルールやスケジュールなどについて、十分に説明する"
     "ことが重要。"),
    ("employer_coordination",
     "企業に属する外部人材を受け入れる場合、十分に企業と調整できているか。",
     "企業に属する外部人材を受け入れる場合、任用形態、勤務条件などについて、十分に調整しておくことが必要。"),
    ("activities_as_planned",
     "外部人材の活動内容は、当初の想定どおりとなっているか。",
     "募集時に想定した外部人材の活動イメージと実際の活動が一致しないことも想定される。その場合、自治体にとっても外部人材"
     "にとっても納得できる活動内容となるよう、外部人材との間で十分に対話を行うことが重要である。"),
]
CHECKLIST_SOURCE = "総務省「自治体DX全体手順書」4.5(7) 外部人材の受入れ準備チェックリスト"
CHECKLIST_CODES = [code for code, _, _ in ACCEPTANCE_CHECKLIST]

# Conflict of interest (4.5(4)「CIO補佐官等の任用に当たっての注意事項」): the rule every JD carries.
COI_RULE = (
    "兼業先・出向元などの所属企業等が本団体の調達に参加し得る人材は、仕様書の作成や業者の選定等の業務に従事しない。"
    "また、本人が仕様書の作成等に関与した調達について、その所属企業等の入札への参加を制限する（入札制限）。"
)
COI_SOURCE = (
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
