"""Courses as data: seed 000's curriculum read from the standard file (not copied), the other courses quoting
their seeds, and a checker that refuses bad course data with a message naming the field."""

import copy
import json
import unicodedata
from pathlib import Path

import pytest

from dxpool.standard import courses as courses_module
from dxpool.standard.courses import (
    COURSES_FILE,
    CourseError,
    course_to_dict,
    get_course,
    load_courses,
    parse_course,
    parse_courses,
    read_courses,
    sessions_total,
)
from dxpool.standard.loader import DATA_DIR, available_versions, load_standard

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not (SEEDS / "000_01556ea2d2b360de.txt").exists(),
                                 reason=f"seeds not found at {SEEDS} (shared/seeds is not beside the repository)")
# Extraction errors of seed 003 that the data corrects (../shared/DOMAIN.md, "Pitfalls of the text extractions").
SEED_CORRECTIONS = {"003_3c3f635b9b73b177.txt": {"对": "対"}}


def squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def seed_text(name: str) -> str:
    text = (SEEDS / name).read_text(encoding="utf-8")
    for wrong, right in SEED_CORRECTIONS.get(name, {}).items():
        text = text.replace(wrong, right)
    return squash(text)


def raw_file() -> dict:
    return json.loads(COURSES_FILE.read_text(encoding="utf-8"))


def test_three_courses_ship():
    assert [c.code for c in load_courses()] == ["external_talent_basics", "administrative_practice", "dx_leader"]
    assert [c.audience for c in load_courses()] == ["talent", "talent", "staff"]
    assert get_course("dx_leader").title == "DX推進リーダー育成"
    with pytest.raises(KeyError):
        get_course("nope")


# --- seed 000's curriculum: one copy, in the standard file -------------------------------------------------------

def test_seed_000_course_is_the_standard_files_curriculum():
    course, curriculum = get_course("external_talent_basics"), load_standard("mic-2022-06").curriculum
    assert course.curriculum_of == "mic-2022-06" and course.sources == (load_standard("mic-2022-06").source,)
    assert [(s.number, s.title, s.title_en, [s.min_sessions, s.max_sessions], list(s.topics))
            for s in course.subjects] == [(s["number"], s["title"], s["title_en"], s["sessions"], s["topics"])
                                          for s in curriculum["subjects"]]
    fmt = curriculum["format"]
    assert {s.minutes for s in course.subjects} == {fmt["minutes_per_session"]} == {60}
    assert (course.delivery, course.fee, course.certificate) == (fmt["delivery"], fmt["fee"], True)
    assert (course.purpose, course.target) == (curriculum["purpose"], curriculum["target"])
    assert course.ready and course.missing_settings() == ()


def test_seed_000_course_as_the_issue_states_it():
    course = get_course("external_talent_basics")
    assert len(course.subjects) == 4
    assert [(s.min_sessions, s.max_sessions) for s in course.subjects] == [(1, 1), (1, 1), (1, 1), (2, 3)]
    assert course.sessions_range == sessions_total(load_standard("mic-2022-06")) == (5, 6)  # 「5回～6回」
    assert course.delivery.startswith("オンライン") and course.fee == "無料" and course.certificate is True
    assert course.completion_rule.min_minutes_per_session == 50 and course.completion_rule.make_up_allowed
    assert "not the seed's" in course.completion_rule.basis


def test_courses_file_holds_no_copy_of_the_curriculum():
    entry = next(c for c in raw_file()["courses"] if c["code"] == "external_talent_basics")
    assert "subjects" not in entry and not {"delivery", "fee", "certificate", "purpose"} & entry.keys()
    text = COURSES_FILE.read_text(encoding="utf-8")
    for subject in load_standard("mic-2022-06").curriculum["subjects"]:
        assert subject["title"] not in text.replace("外部人材向け研修", "")


def test_a_change_in_the_standard_shows_in_the_course():
    standard = load_standard("mic-2022-06")
    changed = copy.deepcopy(dict(standard.curriculum))
    changed["subjects"][3]["sessions"] = [2, 4]

    class Edited:
        version, curriculum = standard.version, changed

    course = parse_courses(raw_file(), standard_loader=lambda v: Edited)[0]
    assert course.subjects[3].max_sessions == 4


def test_subject_codes_must_match_the_standards_subjects():
    raw = raw_file()
    raw["courses"][0]["subject_codes"] = raw["courses"][0]["subject_codes"][:3]
    with pytest.raises(CourseError, match=r"^courses\[0\]\.subject_codes: .*科目数 4"):
        parse_courses(raw)
    raw = raw_file()
    raw["courses"][0]["subjects"] = []
    with pytest.raises(CourseError, match=r"subjects は書かないでください"):
        parse_courses(raw)
    raw = raw_file()
    raw["courses"][0]["curriculum_of"] = "../etc/passwd"
    with pytest.raises(CourseError, match=r"^courses\[0\]\.curriculum_of: スキル標準"):
        parse_courses(raw)


# --- the other courses quote their seeds -------------------------------------------------------------------------

@needs_seeds
def test_seed_000_subject_titles_occur_verbatim():
    seed = seed_text("000_01556ea2d2b360de.txt")
    course = get_course("external_talent_basics")
    assert squash(course.title + "のイメージ") in seed
    for s in course.subjects:
        assert squash(s.title) in seed, s.title


@needs_seeds
def test_every_japanese_text_of_the_other_courses_occurs_in_its_seeds():
    for course in load_courses():
        if course.curriculum_of:
            continue
        seeds = [seed_text(name) for name in course.sources]
        texts = [course.title, course.purpose, course.target, course.delivery, course.fee,
                 *(s.title for s in course.subjects), *(t for s in course.subjects for t in s.topics)]
        for text in filter(None, texts):
            assert any(squash(text) in seed for seed in seeds), (course.code, text)


@needs_seeds
def test_administrative_practice_names_the_subjects_of_seed_003():
    seed = seed_text("003_3c3f635b9b73b177.txt")
    course = get_course("administrative_practice")
    assert [s.title for s in course.subjects] == ["議会対応", "予算"]
    assert squash("行政実務に関する基礎知識（議会対応・予算等）") in seed
    # The extraction error is not copied into the data (the file's notes name it, on purpose).
    assert "对" not in json.dumps(course_to_dict(course), ensure_ascii=False)


def test_templates_say_what_a_prefecture_must_set():
    practice, leader = get_course("administrative_practice"), get_course("dx_leader")
    assert not practice.ready and "科目「議会対応」の必要コマ数" in practice.missing_settings()
    assert not leader.ready and leader.missing_settings()[0] == "科目" and leader.subjects == ()
    assert leader.audience == "staff" and leader.sources == ("001_77c5af8016e9d699.txt", "003_3c3f635b9b73b177.txt")
    assert practice.sessions_range is None


def test_courses_file_is_not_a_version_of_the_standard():
    assert "courses" not in available_versions()
    assert COURSES_FILE.parent != DATA_DIR and COURSES_FILE.parent.parent == DATA_DIR


def test_course_as_json():
    d = course_to_dict(get_course("external_talent_basics"))
    assert d["subjects"][3]["max_sessions"] == 3 and d["missing_settings"] == []
    json.dumps([course_to_dict(c) for c in load_courses()], ensure_ascii=False)


def test_english_siblings():
    for c in load_courses():
        assert c.title_en and all(s.title_en for s in c.subjects), c.code
    assert raw_file()["translations"]["en"]["source"] == "dxpool translation"


# --- validation --------------------------------------------------------------------------------------------------

def own_course(**changes):
    course = {"code": "kenmin_dx", "title": "県独自研修", "audience": "staff", "sources": [],
              "subjects": [{"code": "a", "title": "科目A", "min_sessions": 1, "max_sessions": 2, "minutes": 90}],
              "delivery": "会場", "fee": "無料", "certificate": True,
              "completion_rule": {"min_minutes_per_session": 80, "make_up_allowed": False}}
    course.update(changes)
    return course


def test_a_prefectures_own_course_is_accepted():
    c = parse_course(own_course())
    assert c.ready and c.sessions_range == (1, 2) and c.subjects[0].number == 1


@pytest.mark.parametrize("changes, message", [
    ({"code": "県"}, r"^course\.code: 英小文字"),
    ({"code": None}, r"^course\.code: "),
    ({"title": "  "}, r"^course\.title: 入力してください"),
    ({"title": 3}, r"^course\.title: 文字列にしてください"),
    ({"title": "あ" * 201}, r"^course\.title: 200文字以下"),
    ({"audience": "everyone"}, r"^course\.audience: talent 又は staff"),
    ({"certificate": "yes"}, r"^course\.certificate: true 又は false"),
    ({"subjects": {"code": "a"}}, r"^course\.subjects: 配列"),
    ({"subjects": [{"code": "a", "title": "A"}] * 51}, r"^course\.subjects: 50件以下"),
    ({"subjects": ["科目A"]}, r"^course\.subjects\[0\]: オブジェクト"),
    ({"subjects": [{"code": "a", "title": "A", "min_sessions": 3, "max_sessions": 2}]},
     r"^course\.subjects\[0\]\.min_sessions: max_sessions（2）以下"),
    ({"subjects": [{"code": "a", "title": "A", "min_sessions": 1}]}, r"^course\.subjects\[0\]: min_sessions と max"),
    ({"subjects": [{"code": "a", "title": "A", "min_sessions": 0, "max_sessions": 1}]},
     r"^course\.subjects\[0\]\.min_sessions: 1以上20以下の整数（コマ）"),
    ({"subjects": [{"code": "a", "title": "A", "minutes": 1.5}]}, r"^course\.subjects\[0\]\.minutes: 1以上480以下"),
    ({"subjects": [{"code": "a", "title": "A", "minutes": True}]}, r"^course\.subjects\[0\]\.minutes: "),
    ({"subjects": [{"code": "a", "title": "A"}, {"code": "a", "title": "B"}]},
     r"^course\.subjects\[1\]\.code: 科目コード a が重複"),
    ({"completion_rule": {"min_minutes_per_session": 91}},
     r"^course\.completion_rule\.min_minutes_per_session: 科目「科目A」の1コマの時間（90分）以下"),
    ({"completion_rule": {"make_up_allowed": 1}}, r"^course\.completion_rule\.make_up_allowed: true 又は false"),
    ({"completion_rule": []}, r"^course\.completion_rule: オブジェクト"),
])
def test_bad_course_data_is_refused_naming_the_field(changes, message):
    with pytest.raises(CourseError, match=message):
        parse_course(own_course(**changes))


def test_course_codes_are_unique_and_format_is_checked():
    raw = raw_file()
    raw["courses"].append(own_course(code="dx_leader"))
    with pytest.raises(CourseError, match=r"^courses\[3\]\.code: 研修コード dx_leader が重複"):
        parse_courses(raw)
    with pytest.raises(CourseError, match=r"^format: 1 にしてください"):
        parse_courses({"courses": []})
    with pytest.raises(CourseError, match=r"^courses\.json: オブジェクト"):
        parse_courses([])


@pytest.mark.parametrize("content, message", [
    (b'{"format": 1,\n "courses": [\n  {"code": }\n]}', r"^c\.json 3行目 12文字目: JSON として読めません"),
    ("{\"format\": 1}".encode("cp932") + "\x82\xa0".encode("latin-1"), r"^c\.json: UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, r"^c\.json: (入れ子が深すぎます|JSON)"),
    (json.dumps({"format": 1, "courses": [own_course(title="")]}).encode(), r"^c\.json courses\[0\]\.title: 入力"),
])
def test_bad_files_are_reported_by_line_or_field(tmp_path, content, message):
    path = tmp_path / "c.json"
    path.write_bytes(content)
    with pytest.raises(CourseError, match=message):
        read_courses(path)


def test_oversized_and_missing_files_are_refused(tmp_path, monkeypatch):
    path = tmp_path / "c.json"
    path.write_text(" " * 200, encoding="utf-8")
    monkeypatch.setattr(courses_module, "MAX_FILE_BYTES", 100)
    with pytest.raises(CourseError, match=r"^c\.json: ファイルが大きすぎます"):
        read_courses(path)
    with pytest.raises(CourseError, match=r"^nope\.json: 読み込めません"):
        read_courses(tmp_path / "nope.json")


def test_a_bom_is_accepted(tmp_path):
    path = tmp_path / "c.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"format": 1, "courses": [own_course()]}).encode())
    assert read_courses(path)[0].code == "kenmin_dx"
