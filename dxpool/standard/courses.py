"""Training courses (研修) as data: subjects with the sessions each needs, and the rule for completing them.

The shipped courses live in data/courses/courses.json (data/*.json would be read as versions of the skill
standard). The curriculum of seed 000 is not copied there: the course that names `curriculum_of` takes its
subjects, sessions, minutes, delivery, fee and certificate from the standard file's `curriculum`, so the two
cannot drift. Other courses quote their seeds; what a seed does not state is None, and such a course is a
template a prefecture completes (`Course.missing_settings()`). A prefecture's own course goes through
`parse_course`, which checks it the same way and answers bad input with a Japanese message naming the field.
Pure: no Django, no app (the import-linter contract on dxpool.standard).
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from dxpool.standard.errors import StandardError
from dxpool.standard.loader import DATA_DIR, Standard, load_standard

COURSES_FILE = DATA_DIR / "courses" / "courses.json"
AUDIENCES = {"talent": "外部デジタル人材", "staff": "市町村職員"}
Audience = Literal["talent", "staff"]
# Limits on a hand-edited or uploaded file: generous for any real course, small enough to refuse junk quickly.
MAX_FILE_BYTES = 1_000_000
MAX_COURSES = 200
MAX_SUBJECTS = 50
MAX_SESSIONS = 20
MAX_MINUTES = 480  # one working day per session
MAX_TEXT = 2000
MAX_TITLE = 200
_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_SESSIONS_TOTAL_RE = re.compile(r"(\d+)回[~〜](\d+)回")  # after NFKC, ～ is ~


class CourseError(ValueError):
    """A course's data is malformed; the message (Japanese, one line) names the file position or field."""


@dataclass(frozen=True)
class Subject:
    """One subject (科目) of a course and the sessions (コマ) it needs; None where the source states nothing."""

    code: str
    number: int
    title: str
    title_en: str
    min_sessions: int | None
    max_sessions: int | None
    minutes: int | None  # per session
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompletionRule:
    """How a session counts as attended, and whether a missed one may be made up (issue 14: a recorded session
    plus the prefecture's confirmation). `basis` says where the values come from."""

    min_minutes_per_session: int | None
    make_up_allowed: bool | None
    basis: str = ""


@dataclass(frozen=True)
class Course:
    """A course: who it is for, its subjects, how it is delivered, and its completion rule."""

    code: str
    title: str
    title_en: str
    audience: Audience
    subjects: tuple[Subject, ...]
    delivery: str | None
    fee: str | None
    certificate: bool | None
    completion_rule: CompletionRule
    sources: tuple[str, ...]  # seed file names
    purpose: str = ""
    target: str = ""
    delivery_en: str = ""
    fee_en: str = ""
    purpose_en: str = ""
    target_en: str = ""
    curriculum_of: str | None = None  # the standard version whose curriculum this course is

    @property
    def sessions_range(self) -> tuple[int, int] | None:
        """(fewest, most) sessions the whole course takes; None while a subject's sessions are unset."""
        if not self.subjects or any(s.min_sessions is None or s.max_sessions is None for s in self.subjects):
            return None
        return (sum(s.min_sessions or 0 for s in self.subjects), sum(s.max_sessions or 0 for s in self.subjects))

    def missing_settings(self) -> tuple[str, ...]:
        """What a prefecture must set before the course can run (Japanese, one line each); () when ready."""
        lacking = []
        if not self.subjects:
            lacking.append("科目")
        for s in self.subjects:
            if s.min_sessions is None or s.max_sessions is None:
                lacking.append(f"科目「{s.title}」の必要コマ数")
            if s.minutes is None:
                lacking.append(f"科目「{s.title}」の1コマあたりの時間（分）")
        if self.delivery is None:
            lacking.append("実施形態")
        if self.fee is None:
            lacking.append("費用")
        if self.certificate is None:
            lacking.append("修了証の交付の有無")
        if self.completion_rule.min_minutes_per_session is None:
            lacking.append("出席とみなす最低受講時間（分）")
        if self.completion_rule.make_up_allowed is None:
            lacking.append("欠席したコマの補講の可否")
        return tuple(lacking)

    @property
    def ready(self) -> bool:
        """True when nothing is left for the prefecture to set (a template is not ready)."""
        return not self.missing_settings()


# --- checking fields --------------------------------------------------------------------------------------

def _shown(value: Any) -> str:
    text = repr(unicodedata.normalize("NFKC", value)) if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _fail(where: str, message: str) -> CourseError:
    return CourseError(f"{where}: {message}")


def _text(raw: Mapping, key: str, where: str, *, required: bool = False, limit: int = MAX_TEXT,
          nullable: bool = False) -> str | None:
    value = raw.get(key)
    if value is None:
        if required:
            raise _fail(f"{where}.{key}", "入力してください")
        return None if nullable else ""
    if not isinstance(value, str):
        raise _fail(f"{where}.{key}", f"文字列にしてください（入力: {_shown(value)}）")
    # Stored as written (the seed's full-width brackets stay): NFKC is for comparing, not for keeping.
    value = value.strip()
    if required and not value:
        raise _fail(f"{where}.{key}", "入力してください")
    if len(value) > limit:
        raise _fail(f"{where}.{key}", f"{limit}文字以下にしてください（{len(value)}文字）")
    return value


def _int(raw: Mapping, key: str, where: str, low: int, high: int, unit: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(f"{where}.{key}", f"{low}以上{high}以下の整数（{unit}）にしてください（入力: {_shown(value)}）")
    return value


def _bool(raw: Mapping, key: str, where: str) -> bool | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, bool):
        raise _fail(f"{where}.{key}", f"true 又は false にしてください（入力: {_shown(value)}）")
    return value


def _code(raw: Mapping, key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not _CODE_RE.match(value):
        raise _fail(f"{where}.{key}", "英小文字で始まる40文字以下の英小文字・数字・_ にしてください"
                    f"（入力: {_shown(value)}）")
    return value


def _mapping(value: Any, where: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise _fail(where, f"オブジェクト（{{…}}）にしてください（入力: {_shown(value)}）")
    return value


def _list(value: Any, where: str, limit: int) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(where, f"配列（[…]）にしてください（入力: {_shown(value)}）")
    if len(value) > limit:
        raise _fail(where, f"{limit}件以下にしてください（{len(value)}件）")
    return value


def _subject(raw: Any, where: str, number: int) -> Subject:
    raw = _mapping(raw, where)
    subject = Subject(
        code=_code(raw, "code", where),
        number=number,
        title=_text(raw, "title", where, required=True, limit=MAX_TITLE) or "",
        title_en=_text(raw, "title_en", where, limit=MAX_TITLE) or "",
        min_sessions=_int(raw, "min_sessions", where, 1, MAX_SESSIONS, "コマ"),
        max_sessions=_int(raw, "max_sessions", where, 1, MAX_SESSIONS, "コマ"),
        minutes=_int(raw, "minutes", where, 1, MAX_MINUTES, "分"),
        topics=tuple(_text({"t": t}, "t", f"{where}.topics[{i}]", required=True) or ""
                     for i, t in enumerate(_list(raw.get("topics"), f"{where}.topics", 50))),
    )
    if (subject.min_sessions is None) != (subject.max_sessions is None):
        raise _fail(where, "min_sessions と max_sessions は両方とも指定するか、両方とも空にしてください")
    if subject.min_sessions is not None and subject.max_sessions is not None \
            and subject.min_sessions > subject.max_sessions:
        raise _fail(f"{where}.min_sessions", f"max_sessions（{subject.max_sessions}）以下にしてください"
                    f"（入力: {subject.min_sessions}）")
    return subject


def _from_standard(raw: Mapping, where: str, standard: Standard) -> dict:
    """The fields of a course that is the standard's curriculum, read from the standard file (not copied)."""
    cur = _mapping(standard.curriculum, f"{standard.version}.json curriculum")
    subjects = _list(cur.get("subjects"), f"{standard.version}.json curriculum.subjects", MAX_SUBJECTS)
    fmt = _mapping(cur.get("format") or {}, f"{standard.version}.json curriculum.format")
    if not subjects:
        raise _fail(f"{where}.curriculum_of", f"スキル標準 {standard.version} にカリキュラムがありません")
    codes = _list(raw.get("subject_codes"), f"{where}.subject_codes", MAX_SUBJECTS)
    if len(codes) != len(subjects):
        raise _fail(f"{where}.subject_codes", f"標準（{standard.version}）のカリキュラムの科目数 {len(subjects)} と"
                    f"同じ数のコードにしてください（{len(codes)}件）")
    minutes = fmt.get("minutes_per_session")
    built = []
    for i, (code, s) in enumerate(zip(codes, subjects, strict=True)):
        # The standard's loader does not check its curriculum, so a hand-edited one is checked here.
        here = f"{standard.version}.json curriculum.subjects[{i}]"
        s = _mapping(s, here)
        sessions = s.get("sessions")
        if not (isinstance(sessions, list) and len(sessions) == 2):
            raise _fail(f"{here}.sessions", f"[最少, 最多] にしてください（入力: {_shown(sessions)}）")
        number = s.get("number", i + 1)
        if isinstance(number, bool) or not isinstance(number, int):
            raise _fail(f"{here}.number", f"整数にしてください（入力: {_shown(number)}）")
        built.append(_subject({"code": code, "title": s.get("title"), "title_en": s.get("title_en"),
                               "min_sessions": sessions[0], "max_sessions": sessions[1], "minutes": minutes,
                               "topics": s.get("topics")}, f"{where}.subject_codes[{i}]", number))
    return {
        "subjects": tuple(built),
        "delivery": fmt.get("delivery"), "delivery_en": fmt.get("delivery_en", ""),
        "fee": fmt.get("fee"), "fee_en": fmt.get("fee_en", ""),
        "certificate": bool(fmt.get("certificate")),
        "purpose": cur.get("purpose", ""), "purpose_en": cur.get("purpose_en", ""),
        "target": cur.get("target", ""), "target_en": cur.get("target_en", ""),
        "curriculum_of": standard.version,
    }


def parse_course(raw: Any, *, where: str = "course",
                 standard_loader: Callable[[str], Standard] = load_standard) -> Course:
    """Check one course given as a JSON-like mapping and build it; CourseError naming the field otherwise.

    A course with `curriculum_of` takes its subjects and format from that version of the standard and only
    names its subject codes (`subject_codes`, one per subject of the standard, in order).
    """
    raw = _mapping(raw, where)
    audience = raw.get("audience")
    if audience not in AUDIENCES:
        raise _fail(f"{where}.audience", f"{' 又は '.join(AUDIENCES)} にしてください（入力: {_shown(audience)}）")
    sources = tuple(_text({"s": s}, "s", f"{where}.sources[{i}]", required=True, limit=MAX_TITLE) or ""
                    for i, s in enumerate(_list(raw.get("sources"), f"{where}.sources", 10)))
    rule_raw = raw.get("completion_rule")
    rule_raw = _mapping({} if rule_raw is None else rule_raw, f"{where}.completion_rule")
    rule = CompletionRule(
        min_minutes_per_session=_int(rule_raw, "min_minutes_per_session", f"{where}.completion_rule", 1,
                                     MAX_MINUTES, "分"),
        make_up_allowed=_bool(rule_raw, "make_up_allowed", f"{where}.completion_rule"),
        basis=_text(rule_raw, "basis", f"{where}.completion_rule") or "",
    )
    fields: dict[str, Any]
    version = raw.get("curriculum_of")
    if version is not None:
        if "subjects" in raw:
            raise _fail(f"{where}.subjects", "curriculum_of の科目は標準のデータから読みます。subjects は書かないでください")
        try:
            standard = standard_loader(str(version))
        except StandardError as exc:
            raise _fail(f"{where}.curriculum_of", f"スキル標準 {_shown(version)} を読めません（{exc}）") from None
        fields = _from_standard(raw, where, standard)
    else:
        subjects = tuple(_subject(s, f"{where}.subjects[{i}]", i + 1)
                         for i, s in enumerate(_list(raw.get("subjects"), f"{where}.subjects", MAX_SUBJECTS)))
        fields = {
            "subjects": subjects,
            "delivery": _text(raw, "delivery", where, nullable=True),
            "delivery_en": _text(raw, "delivery_en", where) or "",
            "fee": _text(raw, "fee", where, nullable=True, limit=MAX_TITLE),
            "fee_en": _text(raw, "fee_en", where, limit=MAX_TITLE) or "",
            "certificate": _bool(raw, "certificate", where),
            "purpose": _text(raw, "purpose", where) or "", "purpose_en": _text(raw, "purpose_en", where) or "",
            "target": _text(raw, "target", where) or "", "target_en": _text(raw, "target_en", where) or "",
        }
    course = Course(
        code=_code(raw, "code", where),
        title=_text(raw, "title", where, required=True, limit=MAX_TITLE) or "",
        title_en=_text(raw, "title_en", where, limit=MAX_TITLE) or "",
        audience=audience,
        completion_rule=rule,
        sources=sources,
        **fields,
    )
    seen: set[str] = set()
    for i, s in enumerate(course.subjects):
        if s.code in seen:
            raise _fail(f"{where}.subjects[{i}].code", f"科目コード {s.code} が重複しています")
        seen.add(s.code)
    minimum = rule.min_minutes_per_session
    for s in course.subjects:
        if minimum is not None and s.minutes is not None and minimum > s.minutes:
            raise _fail(f"{where}.completion_rule.min_minutes_per_session",
                        f"科目「{s.title}」の1コマの時間（{s.minutes}分）以下にしてください（入力: {minimum}）")
    return course


def parse_courses(raw: Any, *, standard_loader: Callable[[str], Standard] = load_standard) -> tuple[Course, ...]:
    """Check a whole courses file (already parsed JSON) and build its courses; course codes must be unique."""
    raw = _mapping(raw, "courses.json")
    if raw.get("format") != 1:
        raise _fail("format", f"1 にしてください（入力: {_shown(raw.get('format'))}）")
    items = _list(raw.get("courses"), "courses", MAX_COURSES)
    courses = tuple(parse_course(c, where=f"courses[{i}]", standard_loader=standard_loader)
                    for i, c in enumerate(items))
    seen: set[str] = set()
    for i, c in enumerate(courses):
        if c.code in seen:
            raise _fail(f"courses[{i}].code", f"研修コード {c.code} が重複しています")
        seen.add(c.code)
    return courses


def read_courses(path: Path, *, standard_loader: Callable[[str], Standard] = load_standard) -> tuple[Course, ...]:
    """Read and check a courses file; CourseError with the file name and, for bad JSON, its line and column."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CourseError(f"{path.name}: ファイルが大きすぎます（{size:,}バイト、上限 {MAX_FILE_BYTES:,}バイト）")
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CourseError(f"{path.name}: 読み込めません（{exc.strerror or exc}）") from None
    except UnicodeDecodeError:
        raise CourseError(f"{path.name}: UTF-8 のテキストとして読めません") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CourseError(f"{path.name} {exc.lineno}行目 {exc.colno}文字目: JSON として読めません（{exc.msg}）") from None
    except RecursionError:
        raise CourseError(f"{path.name}: 入れ子が深すぎます") from None
    try:
        return parse_courses(raw, standard_loader=standard_loader)
    except CourseError as exc:
        raise CourseError(f"{path.name} {exc}") from None


@functools.cache
def load_courses() -> tuple[Course, ...]:
    """The courses dxpool ships (data/courses/courses.json), checked and cached for the life of the process."""
    return read_courses(COURSES_FILE)


def get_course(code: str) -> Course:
    """A shipped course by code; KeyError when there is none."""
    for c in load_courses():
        if c.code == code:
            return c
    raise KeyError(code)


def course_to_dict(c: Course) -> dict:
    """The JSON shape for the API and the training app's seeding of its Course rows."""
    return {
        "code": c.code, "title": c.title, "title_en": c.title_en, "audience": c.audience,
        "subjects": [{"code": s.code, "number": s.number, "title": s.title, "title_en": s.title_en,
                      "min_sessions": s.min_sessions, "max_sessions": s.max_sessions, "minutes": s.minutes,
                      "topics": list(s.topics)} for s in c.subjects],
        "delivery": c.delivery, "delivery_en": c.delivery_en, "fee": c.fee, "fee_en": c.fee_en,
        "certificate": c.certificate,
        "completion_rule": {"min_minutes_per_session": c.completion_rule.min_minutes_per_session,
                            "make_up_allowed": c.completion_rule.make_up_allowed,
                            "basis": c.completion_rule.basis},
        "sources": list(c.sources), "purpose": c.purpose, "purpose_en": c.purpose_en,
        "target": c.target, "target_en": c.target_en, "curriculum_of": c.curriculum_of,
        "missing_settings": list(c.missing_settings()),
    }


def sessions_total(standard: Standard) -> tuple[int, int] | None:
    """The (fewest, most) sessions the standard's curriculum text states (「5回～6回」), for checking the subjects'
    sum against it; None when the text states none."""
    text = unicodedata.normalize("NFKC", str((standard.curriculum.get("format") or {}).get("sessions", "")))
    m = _SESSIONS_TOTAL_RE.search(text)
    return (int(m.group(1)), int(m.group(2))) if m else None
