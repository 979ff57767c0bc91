"""Reference lists of the hearing record (課題・ニーズ把握), quoted from seed 001_77c5af8016e9d699.txt
(自治体DX全体手順書 and 自治体DX推進計画) unless noted."""

# DX steps 0–3 of the procedure manual.
STEPS = [
    ("0", "ステップ0 認識共有・機運醸成"),
    ("1", "ステップ1 全体方針の決定"),
    ("2", "ステップ2 推進体制の整備"),
    ("3", "ステップ3 DXの取組の実行"),
]
STEP_STATUSES = [("not_started", "未着手"), ("in_progress", "取組中"), ("done", "完了")]

# 重点取組事項 (①–⑦) and the measures pursued alongside them (＜…あわせて取り組む…＞, with BPR and open data).
MEASURES = [
    ("frontyard", "自治体フロントヤード改革の推進"),
    ("standardisation", "自治体情報システムの標準化・共通化"),
    ("el_qr", "公金収納におけるeL-QRの活用"),
    ("mynumber", "マイナンバーカードの普及促進・利用の推進"),
    ("security", "セキュリティ対策の徹底"),
    ("ai_rpa", "自治体のAI・RPAの利用推進"),
    ("telework", "テレワークの推進"),
    ("regional_digital", "デジタル実装の取組の推進・地域社会のデジタル化"),
    ("digital_divide", "デジタルデバイド対策"),
    ("regulation_review", "デジタル原則に基づく条例等の規制の点検・見直し"),
    ("bpr", "BPRの取組の徹底"),
    ("open_data", "オープンデータの推進・官民データ活用の推進"),
]
MEASURE_STATUSES = [("not_started", "未着手"), ("planning", "計画中"), ("in_progress", "取組中"), ("done", "完了")]

# The 20 core business systems of 標準化 (17 + 3; seed 002 lists the areas).
SYSTEMS = ["児童手当", "住民基本台帳", "選挙人名簿管理", "固定資産税", "個人住民税", "法人住民税", "軽自動車税", "就学",
           "国民健康保険", "国民年金", "障害者福祉", "後期高齢者医療", "介護保険", "生活保護", "健康管理", "児童扶養手当",
           "子ども・子育て支援", "戸籍", "戸籍の附票", "印鑑登録"]
SYSTEM_STATUSES = [("not_started", "未着手"), ("preparing", "準備中"), ("migrating", "移行中"), ("migrated", "移行済み")]

# Talent tiers of the 人材育成基本方針 and the status of that policy.
TIERS = [("advanced", "高度専門人材"), ("leader", "DX推進リーダー"), ("general", "一般行政職員")]
POLICY_STATUSES = [("none", "未策定"), ("drafting", "策定中"), ("adopted", "策定済み（数値目標なし）"),
                   ("adopted_with_targets", "策定済み（数値目標あり）")]
SUPPORT_KINDS = [("advice", "助言"), ("hands_on", "実務支援"), ("both", "助言と実務支援")]


def labels(pairs) -> dict[str, str]:
    return dict(pairs)


def codes_by_label(pairs) -> dict[str, str]:
    return {label: code for code, label in pairs}
