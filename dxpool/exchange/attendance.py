"""Reading online-meeting attendance reports into minutes attended per person (issue 14, item 3).

Pure Python (no Django): the training app hands the uploaded bytes to `read_attendance` and gets back an
`AttendanceReport`; it writes nothing when `report.ok` is False, so a file with one bad row changes no record.

Three formats are read, recognised from the content (never from the file name):

- Microsoft Teams' attendance report (出席者レポート), Japanese or English locale: a ``.csv`` that is
  TAB-separated, UTF-16 LE with a BOM (or UTF-8 with a BOM), in sections 「1. 要約」「2. 参加者」
  「3. 会議中のアクティビティ」 (1. Summary / 2. Participants / 3. In-Meeting Activities). Section 3 has one row
  per join/leave interval; a person's minutes are the union of their intervals (two devices at once count
  once). A person with no row in section 3 falls back to the total that section 2 states.
- Zoom's participants CSV (使用状況レポート → 参加者 → エクスポート), with or without the meeting rows above it and
  with or without 「重複しないユーザーを表示する」 (then one row per person and `Total Duration (Minutes)`): a person
  who rejoined has several rows; with join and leave times their intervals are united, without them the
  minutes are summed.
- A plain CSV with a header row: ``email,minutes`` (or ``メールアドレス,出席時間（分）``), one row per person.

People are matched by e-mail address only, normalised (NFKC, trimmed, lower case), never by display name: two
people can share a name, and a display name is whatever the participant typed. A row without an address (a Zoom
guest, a Teams anonymous participant) goes to `unmatched`, a list for a person to review, not to `errors`.
A row that cannot be read (a duration, a date or a number that is not one; leaving before joining) is a
`LineError` naming the line of the original file and the value as written. A file that is not an attendance
report at all, too large, too long or not text raises `AttendanceFileError`, and nothing else escapes.

What Teams writes was checked against public exports and the parsers written for them (tab-separated
UTF-16, sections numbered 「1. 」 to 「3. 」, durations such as ``1h 33m 39s``, ``45m 2s`` and ``38s`` and in some
builds ``1 時間 33 分 39 秒``, dates ``2026/5/11 18:29:28`` in the Japanese locale and ``5/11/26, 6:29:28 PM`` or
``15/11/22, 09:30:17`` in English ones); docs/training.md lists every header and form read.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from dxpool.exchange.japanese import JapaneseValueError, parse_number

FORMAT_TEAMS = "teams"
FORMAT_ZOOM = "zoom"
FORMAT_PLAIN = "plain"
FORMAT_LABELS = {
    FORMAT_TEAMS: "Microsoft Teams の出席者レポート",
    FORMAT_ZOOM: "Zoom の参加者レポート",
    FORMAT_PLAIN: "メールアドレスと出席時間（分）の CSV",
}

# No single row of a meeting lasts longer than a day: a larger figure is a typo or a misread column.
MAX_ROW_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Limits:
    """What a report may be: its size in bytes, its rows and the length of one physical line (characters).
    Teams' report for a 1,000-person webinar is about 0.5 MB in UTF-16 with a few thousand rows."""

    max_bytes: int = 5 * 2**20
    max_rows: int = 20_000
    max_line_chars: int = 4_000


DEFAULT = Limits()


class AttendanceFileError(ValueError):
    """The file as a whole cannot be read as an attendance report; `message` is one Japanese sentence."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class PersonAttendance:
    """One person's attendance: `seconds` is the time attended (united intervals plus any stated totals);
    `lines` are the lines of the file that made it up, so a reviewer can find them."""

    email_normalised: str
    display_name: str
    seconds: int
    intervals: tuple[Interval, ...]
    lines: tuple[int, ...]

    @property
    def minutes(self) -> int:
        """Whole minutes attended, rounded down: 59 minutes 59 seconds is not an hour."""
        return self.seconds // 60


@dataclass(frozen=True)
class UnmatchedRow:
    """A row that names nobody the system can match (no e-mail address): for a person to review."""

    line: int
    display_name: str
    reason: str
    seconds: int | None = None


@dataclass(frozen=True)
class LineError:
    """A row that cannot be read; `message` names the line and the value (「12行目: …」)."""

    line: int
    message: str


@dataclass
class AttendanceReport:
    format: str
    meeting_title: str = ""
    meeting_start: datetime | None = None
    rows: list[PersonAttendance] = field(default_factory=list)
    unmatched: list[UnmatchedRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    # Things the reader could not be sure of and a person should check (e.g. the order of day and month).
    notes: list[str] = field(default_factory=list)
    encoding: str = ""

    @property
    def ok(self) -> bool:
        """True when every row was read: only then may the caller record anything."""
        return not self.errors

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.format, self.format)

    def by_email(self) -> dict[str, PersonAttendance]:
        return {p.email_normalised: p for p in self.rows}


def attended(row: PersonAttendance, minimum_minutes: int | float | Decimal) -> bool:
    """Whether `row` meets a course's minimum: its exact seconds against the minimum in minutes."""
    return Decimal(row.seconds) >= Decimal(str(minimum_minutes)) * 60


# --- values -------------------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s,;<>()\[\]\"]+@[^@\s,;<>()\[\]\"]+\.[^@\s,;<>()\[\]\".]+")


def normalise_email(text: str) -> str:
    """The form addresses are compared in: NFKC (full-width ａ＠ｂ), trimmed, lower case."""
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


def is_email(normalised: str) -> bool:
    return len(normalised) <= 254 and _EMAIL.fullmatch(normalised) is not None


def _shown(text: str) -> str:
    s = str(text).strip()
    return s if len(s) <= 40 else s[:39] + "…"


_DURATION_UNITS = re.compile(
    r"(?:(?P<h>\d{1,4}) ?(?:h|hr|hrs|時間))? ?(?:(?P<m>\d{1,4}) ?(?:m|min|分))? ?(?:(?P<s>\d{1,6}) ?(?:s|sec|秒))?")
_DURATION_CLOCK = re.compile(r"(?P<h>\d{1,3}):(?P<m>[0-5]\d):(?P<s>[0-5]\d)")


def _collapsed(text: str) -> str:
    """NFKC, lower case, runs of white space as one space: the text the date and duration patterns match.
    Spaces are kept, not removed, so 「2026/5/1 18:29」 cannot read as the 11th at 8:29."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).lower().split())


def parse_duration(text: str) -> int:
    """Seconds in a Teams duration: 「1h 33m 39s」「45m 2s」「38s」「2h」「1 時間 33 分 39 秒」「1:33:39」, full-width
    digits too. Minutes and seconds beyond 59 (「1h 93m」) are refused: Teams never writes them, so such a
    value is damaged rather than long. ValueError when it is not a duration."""
    s = _collapsed(text)
    m = _DURATION_CLOCK.fullmatch(s) or _DURATION_UNITS.fullmatch(s)
    if not s or m is None or not any(m.groupdict().values()):
        raise ValueError(text)
    h, mi, se = (int(m.group(k) or 0) for k in ("h", "m", "s"))
    if mi >= 60 or se >= 60:
        raise ValueError(text)
    return h * 3600 + mi * 60 + se


# --- dates --------------------------------------------------------------------------------------------------------

_AMPM = r"(?:am|pm|a\.m\.|p\.m\.|午前|午後)"
_TIME = (rf"(?:(?P<ampm1>{_AMPM}) ?)?(?P<H>\d{{1,2}}):(?P<M>\d{{2}})(?::(?P<S>\d{{2}}))?(?:\.\d{{1,6}})?"
         rf"(?: ?(?P<ampm2>{_AMPM}))?")
_YMD = re.compile(r"(?P<y>\d{4})(?P<sep>[/.\-])(?P<a>\d{1,2})(?P=sep)(?P<b>\d{1,2})(?:t|,? )" + _TIME)
_XYY = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2}),? " + _TIME)


@dataclass(frozen=True)
class _Stamp:
    """A date and time as written, before the order of its day and month is known."""

    y: int
    a: int
    b: int
    hour: int
    minute: int
    second: int
    year_first: bool
    twelve_hour: bool


def _stamp(text: str) -> _Stamp | None:
    s = _collapsed(text)
    m = _YMD.fullmatch(s)
    year_first = m is not None
    if m is None:
        m = _XYY.fullmatch(s)
    if m is None:
        return None
    ampm = m.group("ampm1") or m.group("ampm2")
    if m.group("ampm1") and m.group("ampm2"):
        return None
    hour, minute, second = int(m.group("H")), int(m.group("M")), int(m.group("S") or 0)
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm in ("pm", "p.m.", "午後") else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    y = int(m.group("y"))
    if len(m.group("y")) == 2:
        y += 2000
    return _Stamp(y, int(m.group("a")), int(m.group("b")), hour, minute, second, year_first, bool(ampm))


def _to_datetime(st: _Stamp, order: str) -> datetime | None:
    month, day = (st.a, st.b) if st.year_first or order == "mdy" else (st.b, st.a)
    if not 2000 <= st.y <= 2100:
        return None
    try:
        return datetime(st.y, month, day, st.hour, st.minute, st.second)
    except ValueError:
        return None


def _date_order(texts: Iterable[str], notes: list[str]) -> str:
    """The order of day and month in a file's dates that do not start with the year (English Teams, Zoom):
    a part above 12 decides; when none does and every date is the same day, either reading gives the same
    minutes and the usual one for the clock is taken (12-hour: month first), with a note; otherwise the file
    is refused rather than read with a guess."""
    day_first = month_first = twelve = False
    pairs = set()
    for text in texts:
        st = _stamp(text)
        if st is None or st.year_first:
            continue
        pairs.add((st.y, st.a, st.b))
        twelve = twelve or st.twelve_hour
        day_first = day_first or st.a > 12
        month_first = month_first or st.b > 12
    if day_first and month_first:
        raise AttendanceFileError("日付の並び（月/日と日/月）が行によって違うため、読み取れません。"
                                  "出力したままのファイルを選んでください。")
    if day_first or month_first:
        return "dmy" if day_first else "mdy"
    if len(pairs) > 1:
        raise AttendanceFileError("日付が「月/日」か「日/月」か判別できないため、読み取れません"
                                  "（日本語表示の Teams・Zoom で出力すると 2026/5/11 の形になります）。")
    if pairs:
        notes.append("日付の並び（月/日か日/月か）がファイルから判別できませんでした。出席時間は変わりませんが、"
                     "開催日は確認してください。")
    return "mdy" if twelve else "dmy"


# --- text ---------------------------------------------------------------------------------------------------------

# Control characters other than tab and line ends, and the replacement character: a text file never has them,
# random or binary data decoded by luck almost always does.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


def _decode(content: bytes) -> tuple[str, str]:
    """(text, encoding): the BOM decides; without one, UTF-16 LE is recognised by its zero bytes, then UTF-8,
    then Shift_JIS (cp932), which is what Japanese Excel writes when a clerk saves a CSV."""
    if content.startswith(b"PK\x03\x04"):
        raise AttendanceFileError("Excel 形式（.xlsx）のファイルは読めません。Teams・Zoom からダウンロードした CSV を"
                                  "そのまま選ぶか、Excel で「CSV UTF-8」として保存してください。")
    candidates: list[tuple[str, bytes]]
    if content.startswith(b"\xff\xfe"):
        candidates = [("utf-16-le", content[2:])]
    elif content.startswith(b"\xfe\xff"):
        candidates = [("utf-16-be", content[2:])]
    elif content.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8", content[3:])]
    else:
        sample = content[:4000]
        if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4 and sample[0::2].count(0) == 0:
            candidates = [("utf-16-le", content)]
        else:
            candidates = [("utf-8", content), ("cp932", content)]
    for encoding, body in candidates:
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            continue
        bad = _CONTROL.search(text)
        if bad is not None:
            line = text.count("\n", 0, bad.start()) + 1
            raise AttendanceFileError(f"{line}行目に文字として読めないデータがあります。出席レポートの CSV を"
                                      "選んでください。")
        return text.removeprefix("\ufeff"), encoding
    raise AttendanceFileError("文字コードを読み取れません（UTF-16・UTF-8・Shift_JIS に対応しています）。"
                              "出席レポートの CSV を選んでください。")


@dataclass(frozen=True)
class _Row:
    line: int
    cells: tuple[str, ...]

    def blank(self) -> bool:
        return not any(c.strip() for c in self.cells)

    def get(self, index: int | None) -> str:
        if index is None or index >= len(self.cells):
            return ""
        return self.cells[index].strip()


def _physical_lines(text: str, limits: Limits) -> Iterator[str]:
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line.rstrip("\r\n")) > limits.max_line_chars:
            raise AttendanceFileError(f"{number}行目が長すぎます（1行{limits.max_line_chars:,}文字まで）。"
                                      "出席レポートの CSV を選んでください。")
        yield line


def _rows(text: str, delimiter: str, limits: Limits) -> list[_Row]:
    """Every record with the line it starts on (a quoted cell may hold a line break)."""
    reader = csv.reader(_physical_lines(text, limits), delimiter=delimiter, strict=True)
    out: list[_Row] = []
    start = 1
    try:
        for cells in reader:
            out.append(_Row(start, tuple(cells)))
            start = reader.line_num + 1
            if len(out) > limits.max_rows:
                raise AttendanceFileError(f"行が多すぎます（{limits.max_rows:,}行まで）。会議ごとのファイルに"
                                          "分けてください。")
    except csv.Error:
        raise AttendanceFileError(f"{start}行目の区切りや引用符（\"）が崩れていて読み取れません。出力したままの"
                                  "ファイルを選んでください。") from None
    return out


def _key(header: str) -> str:
    """A header as compared: NFKC, case-folded, without spaces (「メール アドレス」「参加者 ID (UPN)」)."""
    return "".join(unicodedata.normalize("NFKC", header).casefold().split())


def _columns(header: Sequence[str], wanted: dict[str, tuple[str, ...]]) -> dict[str, int | None]:
    keys = [_key(h) for h in header]
    return {name: next((keys.index(o) for o in options if o in keys), None) for name, options in wanted.items()}


class _Collector:
    """Gathers a file's rows per person (by normalised e-mail address), its unmatched rows and its errors."""

    def __init__(self, report: AttendanceReport):
        self.report = report
        self.people: dict[str, dict] = {}

    def error(self, line: int, message: str) -> None:
        self.report.errors.append(LineError(line, f"{line}行目: {message}"))

    @property
    def error_count(self) -> int:
        return len(self.report.errors)

    def unmatched(self, line: int, name: str, reason: str, seconds: int | None = None) -> None:
        self.report.unmatched.append(UnmatchedRow(line, name, reason, seconds))

    def email(self, row: _Row, raw: str, column: str) -> str | None:
        """The normalised address of a row; None when it is empty or, after an error, malformed."""
        email = normalise_email(raw)
        if not email:
            return None
        if not is_email(email):
            self.error(row.line, f"{column}『{_shown(raw)}』はメールアドレスの形式ではありません")
            return None
        return email

    def add(self, email: str, name: str, line: int, *, seconds: int = 0, interval: Interval | None = None) -> None:
        person = self.people.setdefault(email, {"name": "", "intervals": [], "seconds": 0, "lines": []})
        if not person["name"] and name:
            person["name"] = name
        person["seconds"] += seconds
        if interval is not None:
            person["intervals"].append(interval)
        person["lines"].append(line)

    def finish(self) -> AttendanceReport:
        for email, p in self.people.items():
            merged = _union(p["intervals"])
            seconds = p["seconds"] + sum(int((b - a).total_seconds()) for a, b in merged)
            self.report.rows.append(PersonAttendance(email, p["name"], seconds, tuple(merged),
                                                     tuple(sorted(set(p["lines"])))))
        self.report.rows.sort(key=lambda r: r.lines[0])
        self.report.errors.sort(key=lambda e: e.line)
        self.report.unmatched.sort(key=lambda u: u.line)
        return self.report


def _union(intervals: list[Interval]) -> list[Interval]:
    """Overlapping or touching intervals merged, so time in the meeting on two devices counts once."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class _Times:
    """Reads a file's dates once the order of day and month is settled (see _date_order)."""

    def __init__(self, texts: Iterable[str], notes: list[str]):
        self.order = _date_order(texts, notes)

    def read(self, text: str) -> datetime | None:
        st = _stamp(text)
        return None if st is None else _to_datetime(st, self.order)


def _interval(col: _Collector, times: _Times, row: _Row, join: tuple[str, str], leave: tuple[str, str]
              ) -> Interval | None:
    """(join, leave) of a row, or None after an error naming the column and the value."""
    (jname, jtext), (lname, ltext) = join, leave
    start, end = times.read(jtext), times.read(ltext)
    for name, text, value in ((jname, jtext, start), (lname, ltext, end)):
        if not text:
            col.error(row.line, f"{name}がありません")
        elif value is None:
            col.error(row.line, f"{name}『{_shown(text)}』が日時として読めません（例: 2026/5/11 18:29:28）")
    if start is None or end is None:
        return None
    if end < start:
        col.error(row.line, f"{lname}『{_shown(ltext)}』が{jname}『{_shown(jtext)}』より前です")
        return None
    if (end - start).total_seconds() > MAX_ROW_SECONDS:
        col.error(row.line, f"{jname}『{_shown(jtext)}』から{lname}『{_shown(ltext)}』まで24時間を超えています")
        return None
    return start, end


def _minutes(col: _Collector, row: _Row, raw: str, label: str, *, whole: bool = False) -> int | None:
    """Seconds in a cell of minutes (「45」「４５」「45.5」「45分」), or None after an error."""
    if not raw:
        col.error(row.line, f"{label}がありません")
        return None
    try:
        value = parse_number(raw, units={"分": 1})
    except JapaneseValueError:
        value = None
    if value is None or (whole and value != value.to_integral_value()):
        col.error(row.line, f"{label}『{_shown(raw)}』が読めません（分を数字で書きます。例: 60）")
        return None
    if value < 0:
        col.error(row.line, f"{label}『{_shown(raw)}』がマイナスです（0以上の分で書きます）")
        return None
    if value * 60 > MAX_ROW_SECONDS:
        col.error(row.line, f"{label}『{_shown(raw)}』が24時間（1,440分）を超えています")
        return None
    return int((value * 60).to_integral_value(ROUND_HALF_UP))


# --- Teams --------------------------------------------------------------------------------------------------------

_SECTION = re.compile(r"(?P<n>[1-9])\.\s*(?P<title>.+)")
_TEAMS_SECTIONS = {
    "1": ("要約", "summary", "meetingsummary"),
    "2": ("参加者", "participants", "attendees"),
    "3": ("会議中のアクティビティ", "in-meetingactivities", "inmeetingactivities", "activities"),
}
_TEAMS_SUMMARY = {
    "title": ("会議のタイトル", "会議タイトル", "タイトル", "meetingtitle", "title"),
    "start": ("開始時刻", "開始時間", "開始日時", "会議の開始時刻", "starttime", "meetingstarttime"),
}
_NAME = ("名前", "氏名", "フルネーム", "表示名", "name", "fullname")
_EMAIL_HEADERS = ("メール", "メールアドレス", "電子メール", "email", "e-mail", "emailaddress")
_TEAMS_PARTICIPANTS = {
    "name": _NAME,
    "duration": ("会議の長さ", "会議時間", "会議中の時間", "出席時間", "滞在時間", "期間",
                 "in-meetingduration", "inmeetingduration", "duration", "attendanceduration"),
    "email": _EMAIL_HEADERS,
    "upn": ("参加者id(upn)", "参加者id", "participantid(upn)", "participantid", "upn"),
}
_TEAMS_ACTIVITIES = {
    "name": _NAME,
    "join": ("参加時刻", "参加時間", "参加日時", "jointime"),
    "leave": ("退出時刻", "退出時間", "退出日時", "leavetime"),
    "duration": ("期間", "会議の長さ", "会議時間", "duration"),
    "email": _EMAIL_HEADERS,
}
_DURATION_EXAMPLE = "（例: 1h 33m 39s、45m 2s、38s）"


def _section_of(row: _Row) -> str | None:
    """The number of a Teams section title row (「2. 参加者」), "other" for another numbered title, else None."""
    if not row.cells or any(c.strip() for c in row.cells[1:]):
        return None
    m = _SECTION.fullmatch(unicodedata.normalize("NFKC", row.cells[0]).strip())
    if m is None:
        return None
    if _key(m.group("title")) in _TEAMS_SECTIONS.get(m.group("n"), ()):
        return m.group("n")
    return "other"


def _is_teams(rows: list[_Row]) -> bool:
    return any(_section_of(r) == "2" for r in rows)


def _teams(rows: list[_Row], report: AttendanceReport) -> AttendanceReport:
    sections: dict[str, list[_Row]] = {}
    current = None
    for row in rows:
        number = _section_of(row)
        if number is not None:
            current = number
            sections.setdefault(number, [])
        elif current is not None and not row.blank():
            sections[current].append(row)
    col = _Collector(report)
    participants = sections.get("2", [])
    if not participants:
        raise AttendanceFileError("「2. 参加者」に見出し行がありません。Teams からダウンロードしたままのファイルを"
                                  "選んでください。")
    head, *people = participants
    pcols = _columns(head.cells, _TEAMS_PARTICIPANTS)
    missing = [label for label, key in (("名前", "name"), ("会議の長さ", "duration"), ("メール", "email"))
               if pcols[key] is None]
    if missing:
        raise AttendanceFileError(f"「2. 参加者」の見出し行（{head.line}行目）に「{'」「'.join(missing)}」の列が"
                                  "ありません。Teams からダウンロードしたままのファイルを選んでください。")
    activities = sections.get("3", [])
    ahead = activities[0] if activities else None
    acols = _columns(ahead.cells, _TEAMS_ACTIVITIES) if ahead else {}
    if ahead is None or None in (acols["join"], acols["leave"], acols["email"]):
        activities = []  # no section 3, or one without join and leave columns (an export that says only なし)
    else:
        activities = activities[1:]
    summary: dict[str, tuple[int, str]] = {}
    for row in sections.get("1", []):
        key = _key(row.get(0))
        for name, options in _TEAMS_SUMMARY.items():
            if key in options and name not in summary:
                summary[name] = (row.line, row.get(1))
    texts = [r.get(acols.get("join")) for r in activities] + [r.get(acols.get("leave")) for r in activities]
    if "start" in summary:
        texts.append(summary["start"][1])
    times = _Times(texts, report.notes)
    report.meeting_title = summary.get("title", (0, ""))[1]
    if summary.get("start", (0, ""))[1]:
        line, text = summary["start"]
        report.meeting_start = times.read(text)
        if report.meeting_start is None:
            col.error(line, f"開始時刻『{_shown(text)}』が日時として読めません（例: 2026/5/11 18:29:28）")

    # Section 3 first: a person it lists gets the union of their intervals; the others the total of section 2.
    with_intervals: set[str] = set()
    for row in activities:
        before = col.error_count
        email = col.email(row, row.get(acols["email"]), ahead.get(acols["email"]))
        if email is None:
            continue  # an anonymous participant's row: section 2 lists them once, as unmatched
        raw_duration = row.get(acols["duration"])
        if raw_duration:
            try:
                parse_duration(raw_duration)
            except ValueError:
                col.error(row.line, f"{ahead.get(acols['duration'])}『{_shown(raw_duration)}』が読めません"
                                    + _DURATION_EXAMPLE)
        interval = _interval(col, times, row, (ahead.get(acols["join"]), row.get(acols["join"])),
                             (ahead.get(acols["leave"]), row.get(acols["leave"])))
        if interval is not None and col.error_count == before:
            col.add(email, row.get(acols["name"]), row.line, interval=interval)
            with_intervals.add(email)

    duration_label = head.get(pcols["duration"])
    for row in people:
        before = col.error_count
        name = row.get(pcols["name"])
        raw_duration = row.get(pcols["duration"])
        seconds: int | None
        try:
            seconds = parse_duration(raw_duration)
        except ValueError:
            seconds = None
            col.error(row.line, f"{duration_label}『{_shown(raw_duration)}』が読めません{_DURATION_EXAMPLE}")
        if seconds is not None and seconds > MAX_ROW_SECONDS:
            seconds = None
            col.error(row.line, f"{duration_label}『{_shown(raw_duration)}』が24時間を超えています")
        raw_email = row.get(pcols["email"])
        email = col.email(row, raw_email, head.get(pcols["email"]))
        if email is None and not raw_email:
            # An account without a mail address still has its sign-in name (UPN), an address unless it is an
            # external guest's (…#EXT#@…): it names the account, as an address does, never a display name.
            upn = normalise_email(row.get(pcols["upn"]))
            email = upn if is_email(upn) and "#" not in upn else None
            if email is None and col.error_count == before:
                col.unmatched(row.line, name, "メールアドレスがありません（ゲスト・匿名の参加者）", seconds)
                continue
        if email is None or seconds is None or col.error_count != before:
            continue
        col.add(email, name, row.line, seconds=0 if email in with_intervals else seconds)
    return col.finish()


# --- Zoom ---------------------------------------------------------------------------------------------------------

_ZOOM_PARTICIPANTS = {
    "name": ("name(originalname)", "名前(元の名前)", "name", "名前"),
    "email": ("useremail", "ユーザーメール", "email", "メール", "メールアドレス"),
    "join": ("jointime", "参加時刻", "参加時間"),
    "leave": ("leavetime", "退出時刻", "退出時間"),
    "duration": ("duration(minutes)", "totalduration(minutes)", "所要時間(分)", "合計所要時間(分)",
                 "時間(分)", "期間(分)", "合計期間(分)", "継続時間(分)", "合計継続時間(分)"),
    "guest": ("guest", "ゲスト"),
}
_ZOOM_MEETING = {
    "topic": ("topic", "トピック", "meetingtopic"),
    "start": ("starttime", "開始時刻", "開始時間"),
}
_YES = ("yes", "y", "はい", "true")


def _zoom_header(rows: list[_Row]) -> int | None:
    """The index of the participants' header row (it follows the meeting rows when Zoom adds them)."""
    for i, row in enumerate(rows[:10]):
        keys = {_key(c) for c in row.cells}
        if keys & {"name(originalname)", "名前(元の名前)"} and keys & set(_ZOOM_PARTICIPANTS["email"]):
            return i
    return None


def _zoom(rows: list[_Row], header: int, report: AttendanceReport) -> AttendanceReport:
    col = _Collector(report)
    head = rows[header]
    cols = _columns(head.cells, _ZOOM_PARTICIPANTS)
    if cols["duration"] is None:
        raise AttendanceFileError(f"見出し行（{head.line}行目）に「Duration (Minutes)」の列がありません。"
                                  "Zoom からエクスポートしたままのファイルを選んでください。")
    people = [r for r in rows[header + 1:] if not r.blank()]
    meeting_start: tuple[int, str] | None = None
    for i in range(header - 1):
        mcols = _columns(rows[i].cells, _ZOOM_MEETING)
        if mcols["topic"] is not None:
            values = rows[i + 1]
            report.meeting_title = values.get(mcols["topic"])
            meeting_start = (values.line, values.get(mcols["start"]))
            break
    timed = cols["join"] is not None and cols["leave"] is not None
    texts = [r.get(cols["join"]) for r in people] + [r.get(cols["leave"]) for r in people] if timed else []
    if meeting_start:
        texts.append(meeting_start[1])
    times = _Times(texts, report.notes)
    if meeting_start and meeting_start[1]:
        report.meeting_start = times.read(meeting_start[1])
        if report.meeting_start is None:
            col.error(meeting_start[0], f"開始時刻『{_shown(meeting_start[1])}』が日時として読めません")
    for row in people:
        before = col.error_count
        name = row.get(cols["name"])
        seconds = _minutes(col, row, row.get(cols["duration"]), head.get(cols["duration"]), whole=True)
        raw_email = row.get(cols["email"])
        email = col.email(row, raw_email, head.get(cols["email"]))
        if email is None and not raw_email:
            if col.error_count == before:
                guest = _key(row.get(cols["guest"])) in _YES
                col.unmatched(row.line, name, "メールアドレスがありません（ゲスト）" if guest
                              else "メールアドレスがありません", seconds)
            continue
        join, leave = (row.get(cols["join"]), row.get(cols["leave"])) if timed else ("", "")
        interval = None
        if join or leave:
            interval = _interval(col, times, row, (head.get(cols["join"]), join), (head.get(cols["leave"]), leave))
        if email is None or seconds is None or col.error_count != before:
            continue
        if interval is not None:
            col.add(email, name, row.line, interval=interval)
        else:
            col.add(email, name, row.line, seconds=seconds)
    return col.finish()


# --- plain CSV ----------------------------------------------------------------------------------------------------

_PLAIN_COLUMNS = {
    "email": ("email", "e-mail", "mail", "emailaddress", "メールアドレス", "メール", "電子メール", "電子メールアドレス"),
    "minutes": ("minutes", "出席時間(分)", "出席時間", "出席分数", "受講時間(分)", "時間(分)", "分"),
    "name": ("name", "氏名", "名前"),
}


def _plain_header(rows: list[_Row]) -> _Row | None:
    first = next((r for r in rows if not r.blank()), None)
    if first is None:
        return None
    cols = _columns(first.cells, _PLAIN_COLUMNS)
    return first if cols["email"] is not None and cols["minutes"] is not None else None


def _plain(rows: list[_Row], head: _Row, report: AttendanceReport) -> AttendanceReport:
    col = _Collector(report)
    cols = _columns(head.cells, _PLAIN_COLUMNS)
    for row in rows:
        if row.line <= head.line or row.blank():
            continue
        before = col.error_count
        name = row.get(cols["name"])
        raw_email = row.get(cols["email"])
        email = col.email(row, raw_email, head.get(cols["email"]))
        seconds = _minutes(col, row, row.get(cols["minutes"]), head.get(cols["minutes"]))
        if email is None and not raw_email:
            if col.error_count == before:
                col.unmatched(row.line, name, "メールアドレスがありません", seconds)
            continue
        if email is None or seconds is None or col.error_count != before:
            continue
        col.add(email, name, row.line, seconds=seconds)
    return col.finish()


# --- entry point --------------------------------------------------------------------------------------------------

_UNKNOWN = ("出席レポートの形式を判別できません。Teams の出席者レポート（.csv）、Zoom の参加者レポート（.csv）、"
            "または見出し行が「メールアドレス,出席時間（分）」の CSV を選んでください。")


def _split(text: str, delimiter: str, limits: Limits) -> tuple[list[_Row] | None, AttendanceFileError | None]:
    """The rows for one delimiter, or the reason they cannot be read with it (the other may still work)."""
    try:
        return _rows(text, delimiter, limits), None
    except AttendanceFileError as e:
        return None, e


def read_attendance(content: bytes, *, filename: str = "", limits: Limits = DEFAULT) -> AttendanceReport:
    """The attendance in an uploaded report (see the module docstring). Raises only AttendanceFileError,
    for a file that is too large, not text or not an attendance report; a bad row is in `errors`."""
    if not isinstance(content, (bytes, bytearray, memoryview)):
        raise AttendanceFileError("ファイルの内容を読み取れません。")
    content = bytes(content[: limits.max_bytes + 1])
    if len(content) > limits.max_bytes:
        shown = f"「{filename}」" if filename else ""
        raise AttendanceFileError(f"ファイル{shown}が大きすぎます（上限{limits.max_bytes / 2**20:,.0f} MB）。"
                                  "会議ごとの出席レポートを選んでください。")
    text, encoding = _decode(content)
    if not text.strip():
        raise AttendanceFileError("ファイルが空です。")
    # Teams separates with tabs; Zoom and a plain CSV with commas (a plain one saved as TSV is read too).
    tab_rows, tab_error = _split(text, "\t", limits) if "\t" in text else (None, None)
    comma_rows, comma_error = _split(text, ",", limits)
    for rows in (tab_rows, comma_rows):
        if rows is not None and _is_teams(rows):
            return _teams(rows, AttendanceReport(FORMAT_TEAMS, encoding=encoding))
    for rows in (comma_rows, tab_rows):
        header = _zoom_header(rows) if rows is not None else None
        if header is not None:
            return _zoom(rows, header, AttendanceReport(FORMAT_ZOOM, encoding=encoding))
    first = next(line for line in text.splitlines() if line.strip())
    prefer_tab = first.count("\t") > first.count(",")
    for rows in ((tab_rows, comma_rows) if prefer_tab else (comma_rows, tab_rows)):
        head = _plain_header(rows) if rows is not None else None
        if head is not None:
            return _plain(rows, head, AttendanceReport(FORMAT_PLAIN, encoding=encoding))
    raise (tab_error if prefer_tab and tab_error else comma_error or tab_error or AttendanceFileError(_UNKNOWN))
