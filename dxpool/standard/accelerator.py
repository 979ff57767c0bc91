"""Eligibility for appointment as 自治体DXアクセラレータ, checked against the planned requirements of seed 001.

Seed 001_77c5af8016e9d699.txt, 「＜自治体ＤＸアクセラレータの要件（予定）＞」 (stated twice, identically):

    次の①及び②をともに満たすこと。
    ① デジタル分野の経験・スキルとして以下のいずれかの要件を満たすこと。
      ア 民間企業、地方公共団体等におけるデジタル分野での実務経験を５年以上有すること。
      イ ＩＰＡが実施する高度試験（…）のいずれかに合格していること。
      ウ ア又はイと同視し得る知見を有すること。
    ② デジタルに関連する市町村支援業務を主たる業務として実施すること。

The system can confirm ア and イ from the profile. ウ is a judgement the national role makes when it approves
or returns a nomination, so a verdict resting on ウ is never `eligible`: it `needs_review`, with the reason the
prefecture gave. Pure: no Django, no app (the import-linter contract on dxpool.standard).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from dxpool.standard.loader import Standard, _qualification_key, load_standard

SOURCE = "001_77c5af8016e9d699.txt"

# ①イ's exams, copied from seed 001 in its order (NFKC: the seed writes ＩＴ full-width) without the word 試験
# each carries there. tests/standard/test_accelerator.py reads the seed and holds this list to it.
EXAMS = (
    "ITストラテジスト",
    "システムアーキテクト",
    "プロジェクトマネージャ",
    "ネットワークスペシャリスト",
    "データベーススペシャリスト",
    "エンベデッドシステムスペシャリスト",
    "ITサービスマネージャ",
    "システム監査技術者",
)
MIN_PRACTICAL_YEARS = 5  # ①ア 「実務経験を５年以上」
MAX_PRACTICAL_YEARS = 60  # as dxpool.standard.assess.MAX_YEARS: a working life, anything above is a typo
# ウ's reason: long enough to say something a reviewer can check (「同等」 alone is not a reason), short enough
# to read in a review list and to keep a hostile input small.
MIN_REASON_CHARS = 10
MAX_REASON_CHARS = 2000
MAX_QUALIFICATIONS = 100

Route = Literal["ア", "イ", "ウ"]

STATUS_ELIGIBLE = "要件を満たす"
STATUS_REVIEW = "要確認（同等以上の知識: 理由の審査が必要）"
STATUS_NOT_ELIGIBLE = "要件を満たさない"

_WANT_A = f"①ア: デジタル分野での実務経験{MIN_PRACTICAL_YEARS}年以上"
_WANT_B = "①イ: IPA高度試験（" + "、".join(EXAMS) + "）のいずれかに合格"
_WANT_C = "①ウ: ア又はイと同視し得る知見（理由の記入が必要）"
_WANT_MAIN_DUTY = "②: デジタルに関連する市町村支援業務を主たる業務として実施すること"


class AcceleratorInputError(ValueError):
    """An input of assess_accelerator has the wrong type or an impossible value; the message (Japanese) names
    the field, so a form or an import can show it as it is."""


@dataclass(frozen=True)
class AcceleratorVerdict:
    """The requirements checked for one person.

    `eligible`: ① by ア or イ, and ② — the system confirms it. `needs_review`: ② and ① only by ウ, which the
    national role must judge (so `eligible` stays False). `route` is the first ① route met in the seed's order
    (ア, イ, ウ; None when ① is not met), even when ② fails; `routes` are all of them. `reasons` say what was met,
    `missing` what is lacking, `unrecognised` the qualification names that count for no route.
    """

    eligible: bool
    needs_review: bool
    route: Route | None
    routes: tuple[Route, ...]
    main_duty: bool
    exams: tuple[str, ...]
    unrecognised: tuple[str, ...]
    reasons: tuple[str, ...]
    missing: tuple[str, ...]
    source: str = SOURCE

    @property
    def status(self) -> str:
        """The verdict in the words users read: 要件を満たす / 要確認（…） / 要件を満たさない."""
        if self.eligible:
            return STATUS_ELIGIBLE
        return STATUS_REVIEW if self.needs_review else STATUS_NOT_ELIGIBLE

    @property
    def may_nominate(self) -> bool:
        """Whether the prefecture may send the nomination on: confirmed, or waiting for the national review."""
        return self.eligible or self.needs_review


def _exam_index(standard: Standard) -> dict[str, str]:
    """Standard's qualification name → exam of ①イ. The standard calls システムアーキテクト 「ITアーキテクト」 and
    accepts former exam names as aliases, so going through it makes a profile's stored name count here too."""
    index = {}
    for exam in EXAMS:
        name = standard.canonical_qualification(exam)
        if name is not None:  # every exam is recognised by the current data; an older version may lack some
            index[name] = exam
    return index


def _shown(value: object) -> str:
    text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _check_years(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise AcceleratorInputError(f"実務経験年数：整数（年）で入力してください（入力: {_shown(value)}）")
    if not 0 <= value <= MAX_PRACTICAL_YEARS:
        raise AcceleratorInputError(f"実務経験年数：0以上{MAX_PRACTICAL_YEARS}以下で入力してください（入力: {value}）")
    return value


def _check_qualifications(value: object) -> list[object]:
    # A bare string is iterable too and would be read letter by letter: refuse it rather than guess.
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise AcceleratorInputError("保有資格：資格名の一覧で渡してください（1つでも一覧にします）")
    items = []
    for item in value:
        items.append(item)
        if len(items) > MAX_QUALIFICATIONS:
            raise AcceleratorInputError(f"保有資格：{MAX_QUALIFICATIONS}件以下にしてください")
    return items


def _check_reason(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise AcceleratorInputError(f"同等以上の知見の理由：文章で入力してください（入力: {_shown(value)}）")
    text = unicodedata.normalize("NFKC", value).strip()
    if len(text) > MAX_REASON_CHARS:
        raise AcceleratorInputError(f"同等以上の知見の理由：{MAX_REASON_CHARS}文字以下で入力してください"
                                    f"（{len(text)}文字）")
    return text


def assess_accelerator(
    *,
    practical_years: int | None,
    qualifications: Iterable[str],
    equivalent_reason: str = "",
    main_duty_is_municipal_support: bool,
    standard: Standard | None = None,
) -> AcceleratorVerdict:
    """Check the planned 自治体DXアクセラレータ requirements (seed 001) for one person.

    `practical_years`: years of practical digital work (None: not stated); `qualifications`: names as a profile
    holds them or as typed (NFKC, spacing, 試験/(IPA), former names and the standard's aliases are accepted);
    `equivalent_reason`: the prefecture's reason for ウ (blank: ウ not claimed); `main_duty_is_municipal_support`:
    ②. Wrong types or impossible values raise AcceleratorInputError naming the field; unknown names do not
    (they are returned in `unrecognised`, since a profile may hold qualifications no rule here counts).
    """
    years = _check_years(practical_years)
    held = _check_qualifications(qualifications)
    reason = _check_reason(equivalent_reason)
    if not isinstance(main_duty_is_municipal_support, bool):
        raise AcceleratorInputError("主たる業務が市町村支援か：はい又はいいえで指定してください")
    standard = standard or load_standard()
    exam_of = standard.memo("accelerator_exams", _exam_index)

    routes: list[Route] = []
    reasons: list[str] = []
    missing: list[str] = []

    if years is not None and years >= MIN_PRACTICAL_YEARS:
        routes.append("ア")
        reasons.append(f"①ア: デジタル分野での実務経験 {years}年（基準: {MIN_PRACTICAL_YEARS}年以上）")
    elif years is None:
        missing.append(f"{_WANT_A}（年数が未入力）")
    else:
        missing.append(f"{_WANT_A}（{years}年: {MIN_PRACTICAL_YEARS - years}年不足）")

    exams: list[str] = []
    unrecognised: list[str] = []
    for item in held:
        canonical = standard.canonical_qualification(item) if isinstance(item, str) else None
        exam = exam_of.get(canonical) if canonical else None
        if exam is None:
            shown = _shown(item)
            if shown and shown not in unrecognised:
                unrecognised.append(shown)
            continue
        if exam in exams:
            continue
        exams.append(exam)
        # Cite what was typed when it is another name of the exam (a former name), so a reviewer sees it.
        typed = _shown(item)
        same = _qualification_key(typed) in (_qualification_key(exam), _qualification_key(canonical))
        reasons.append(f"①イ: {exam}試験に合格" + ("" if same else f"（入力: {typed}）"))
    if exams:
        routes.append("イ")
    else:
        missing.append(_WANT_B)
    if unrecognised:
        missing.append("①イの対象外の資格: " + "、".join(unrecognised))

    if len(reason) >= MIN_REASON_CHARS:
        routes.append("ウ")
        reasons.append(f"①ウ: 同等以上の知見（理由: {reason}）— {STATUS_REVIEW}")
    elif reason:
        missing.append(f"{_WANT_C}（理由が短すぎます: {MIN_REASON_CHARS}文字以上で、何が同等かを書いてください）")
    elif not routes:
        missing.append(_WANT_C)

    if main_duty_is_municipal_support:
        reasons.append("②: デジタルに関連する市町村支援業務を主たる業務として実施")
    else:
        missing.append(_WANT_MAIN_DUTY)

    confirmed = "ア" in routes or "イ" in routes
    eligible = confirmed and main_duty_is_municipal_support
    needs_review = not confirmed and "ウ" in routes and main_duty_is_municipal_support
    if confirmed:
        # ① is met: the other ways ① could have been met are not lacking; only an unmet ② is.
        missing = [m for m in missing if not m.startswith("①")]
    return AcceleratorVerdict(
        eligible=eligible,
        needs_review=needs_review,
        route=routes[0] if routes else None,
        routes=tuple(routes),
        main_duty=main_duty_is_municipal_support,
        exams=tuple(exams),
        unrecognised=tuple(unrecognised),
        reasons=tuple(reasons),
        missing=tuple(missing),
    )


def verdict_to_dict(v: AcceleratorVerdict) -> dict:
    """The JSON shape for the API and stored nominations (Japanese text as the verdict holds it)."""
    return {
        "eligible": v.eligible,
        "needs_review": v.needs_review,
        "status": v.status,
        "route": v.route,
        "routes": list(v.routes),
        "main_duty": v.main_duty,
        "exams": list(v.exams),
        "unrecognised": list(v.unrecognised),
        "reasons": list(v.reasons),
        "missing": list(v.missing),
        "source": v.source,
    }
