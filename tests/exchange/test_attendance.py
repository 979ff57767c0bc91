"""dxpool.exchange.attendance: online-meeting attendance reports read into minutes per person (issue 14 item 3).

Fixtures are built as bytes the way the tools write them: Teams' report as tab-separated UTF-16 LE with a BOM
(and the UTF-8-with-BOM variant) in its three numbered sections, Zoom's participants CSV as UTF-8 with its
meeting rows on top, and the plain CSV a clerk types."""

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxpool.exchange.attendance import (
    DEFAULT,
    FORMAT_PLAIN,
    FORMAT_TEAMS,
    FORMAT_ZOOM,
    AttendanceFileError,
    Limits,
    attended,
    normalise_email,
    parse_duration,
    read_attendance,
)


def utf16(text: str) -> bytes:
    """What Teams writes: a UTF-16 LE byte-order mark, then the text."""
    return b"\xff\xfe" + text.encode("utf-16-le")


def utf8_bom(text: str) -> bytes:
    return text.encode("utf-8-sig")


def tsv(*rows, newline="\r\n") -> str:
    return newline.join("\t".join(r) if isinstance(r, tuple) else r for r in rows) + newline


PARTICIPANTS_HEADER = ("名前", "最初の参加", "最後の退出", "会議の長さ", "メール", "参加者 ID (UPN)", "役割")
ACTIVITIES_HEADER = ("名前", "参加時刻", "退出時刻", "期間", "メール", "役割")


def teams_ja(participants=None, activities=None, *, newline="\r\n") -> str:
    """A Japanese-locale Teams attendance report. Line numbers (1-based): the participants' rows start on line
    11, the activities' rows on line 11 + len(participants) + 3."""
    if participants is None:
        participants = [
            ("山田 太郎", "2026/5/11 18:29:28", "2026/5/11 20:03:07", "1h 33m 39s", "Taro.Yamada@pref.example.lg.jp",
             "taro.yamada@pref.example.lg.jp", "開催者"),
            ("佐藤 花子", "2026/5/11 18:30:02", "2026/5/11 19:59:40", "1h 29m 38s", "hanako.sato@example.com",
             "hanako.sato@example.com", "出席者"),
            ("鈴木 一郎 (ゲスト)", "2026/5/11 18:35:00", "2026/5/11 19:20:02", "45m 2s", "", "", "出席者"),
            ("髙橋 健", "2026/5/11 18:31:00", "2026/5/11 18:31:38", "38s", "ken.takahashi@example.jp",
             "ken.takahashi@example.jp", "出席者"),
        ]
    if activities is None:
        activities = [
            ("山田 太郎", "2026/5/11 18:29:28", "2026/5/11 20:03:07", "1h 33m 39s", "Taro.Yamada@pref.example.lg.jp",
             "開催者"),
            # 佐藤 rejoined twice, and for a while was in on her phone as well: 18:30:02–19:05:00 and
            # 19:10:00–19:59:40, i.e. 34m58s + 49m40s = 84m38s (5,078 s), the overlap counted once.
            ("佐藤 花子", "2026/5/11 18:30:02", "2026/5/11 19:00:00", "29m 58s", "hanako.sato@example.com", "出席者"),
            ("佐藤 花子", "2026/5/11 18:50:00", "2026/5/11 19:05:00", "15m", "hanako.sato@example.com", "出席者"),
            ("佐藤 花子", "2026/5/11 19:10:00", "2026/5/11 19:59:40", "49m 40s", "hanako.sato@example.com", "出席者"),
            ("鈴木 一郎 (ゲスト)", "2026/5/11 18:35:00", "2026/5/11 19:20:02", "45m 2s", "", "出席者"),
            ("髙橋 健", "2026/5/11 18:31:00", "2026/5/11 18:31:38", "38s", "ken.takahashi@example.jp", "出席者"),
        ]
    return tsv(
        "1. 要約",
        ("会議のタイトル", "行政実務研修 第1回 自治体の組織と業務"),
        ("出席者数", str(len(participants))),
        ("開始時刻", "2026/5/11 18:29:28"),
        ("終了時刻", "2026/5/11 20:03:07"),
        ("会議の長さ", "1h 33m 39s"),
        ("平均出席時間", "58m 12s"),
        "",
        "2. 参加者",
        PARTICIPANTS_HEADER,
        *participants,
        "",
        "3. 会議中のアクティビティ",
        ACTIVITIES_HEADER,
        *activities,
        newline=newline,
    )


# --- Teams ----------------------------------------------------------------------------------------------------


def test_teams_japanese_report_in_utf16_is_read_per_person():
    report = read_attendance(utf16(teams_ja()), filename="出席者レポート.csv")
    assert report.format == FORMAT_TEAMS and report.ok and report.encoding == "utf-16-le"
    assert report.meeting_title == "行政実務研修 第1回 自治体の組織と業務"
    assert report.meeting_start == datetime(2026, 5, 11, 18, 29, 28)
    people = report.by_email()
    assert list(people) == ["taro.yamada@pref.example.lg.jp", "hanako.sato@example.com", "ken.takahashi@example.jp"]
    yamada = people["taro.yamada@pref.example.lg.jp"]
    assert (yamada.display_name, yamada.seconds, yamada.minutes) == ("山田 太郎", 5619, 93)
    assert yamada.lines == (11, 18)


def test_teams_rejoined_person_sums_intervals_and_counts_an_overlap_once():
    sato = read_attendance(utf16(teams_ja())).by_email()["hanako.sato@example.com"]
    assert sato.seconds == 34 * 60 + 58 + 49 * 60 + 40 == 5078
    assert sato.intervals == (
        (datetime(2026, 5, 11, 18, 30, 2), datetime(2026, 5, 11, 19, 5)),
        (datetime(2026, 5, 11, 19, 10), datetime(2026, 5, 11, 19, 59, 40)),
    )
    assert sato.lines == (12, 19, 20, 21)  # her section-2 row and her three section-3 rows
    assert sato.minutes == 84 and attended(sato, 60) and not attended(sato, 85)


def test_teams_guest_without_email_is_unmatched_not_an_error():
    report = read_attendance(utf16(teams_ja()))
    assert report.ok
    [guest] = report.unmatched
    assert (guest.line, guest.display_name, guest.seconds) == (13, "鈴木 一郎 (ゲスト)", 45 * 60 + 2)
    assert "メールアドレスがありません" in guest.reason
    assert all("鈴木" not in p.display_name for p in report.rows)  # never matched by name


def test_teams_utf8_with_bom_and_lf_reads_the_same():
    a = read_attendance(utf16(teams_ja()))
    b = read_attendance(utf8_bom(teams_ja(newline="\n")))
    assert b.encoding == "utf-8" and b.format == FORMAT_TEAMS
    assert [(p.email_normalised, p.seconds, p.lines) for p in a.rows] == \
        [(p.email_normalised, p.seconds, p.lines) for p in b.rows]
    assert a.unmatched == b.unmatched


def test_teams_without_activities_uses_the_stated_totals():
    text = teams_ja(activities=[])
    report = read_attendance(utf16(text))
    assert report.ok
    assert {p.email_normalised: p.seconds for p in report.rows} == {
        "taro.yamada@pref.example.lg.jp": 5619, "hanako.sato@example.com": 5378, "ken.takahashi@example.jp": 38}
    assert all(p.intervals == () for p in report.rows)


def test_teams_section_3_saying_none_is_ignored():
    text = teams_ja().split("3. 会議中のアクティビティ")[0] + "3. 会議中のアクティビティ\r\nなし\r\n"
    report = read_attendance(utf16(text))
    assert report.ok and report.by_email()["ken.takahashi@example.jp"].seconds == 38


def test_teams_japanese_unit_durations_and_full_width_digits():
    rows = [("田中 美咲", "", "", "１ 時間 ２ 分 ３ 秒", "misaki@example.jp", "misaki@example.jp", "出席者"),
            ("中村 翔", "", "", "45分2秒", "sho@example.jp", "sho@example.jp", "出席者")]
    report = read_attendance(utf16(teams_ja(rows, [])))
    assert report.ok
    assert {p.email_normalised: p.seconds for p in report.rows} == {"misaki@example.jp": 3723, "sho@example.jp": 2702}


def test_teams_account_without_mail_is_matched_by_its_upn_but_an_external_guest_upn_is_not():
    rows = [("小林 直子", "", "", "50m", "", "Naoko.Kobayashi@pref.example.lg.jp", "出席者"),
            ("加藤 Guest", "", "", "40m", "", "kato_example.com#EXT#@pref.onmicrosoft.com", "出席者")]
    report = read_attendance(utf16(teams_ja(rows, [])))
    assert [p.email_normalised for p in report.rows] == ["naoko.kobayashi@pref.example.lg.jp"]
    assert [u.display_name for u in report.unmatched] == ["加藤 Guest"]


def test_teams_bad_rows_are_reported_by_line_and_the_rest_still_read():
    participants = [
        ("山田 太郎", "", "", "1h 33m 39s", "taro@example.jp", "taro@example.jp", "開催者"),
        ("佐藤 花子", "", "", "1h 93m", "hanako@example.jp", "hanako@example.jp", "出席者"),  # line 12
        ("髙橋 健", "", "", "10m", "ken@example.jp", "ken@example.jp", "出席者"),
        ("伊藤 誠", "", "", "10m", "makoto@", "makoto@", "出席者"),  # line 14
    ]
    activities = [  # rows on lines 18 to 20
        ("髙橋 健", "2026/5/11 18:00:00", "2026/5/11 17:50:00", "", "ken@example.jp", "出席者"),
        ("髙橋 健", "2026/5/11 18:00:00", "2026/5/32 18:10:00", "10m", "ken@example.jp", "出席者"),
        ("山田 太郎", "2026/5/11 18:29:28", "2026/5/11 20:03:07", "1h 33m 39s", "taro@example.jp", "開催者"),
    ]
    report = read_attendance(utf16(teams_ja(participants, activities)))
    assert not report.ok
    assert [e.message for e in report.errors] == [
        "12行目: 会議の長さ『1h 93m』が読めません（例: 1h 33m 39s、45m 2s、38s）",
        "14行目: メール『makoto@』はメールアドレスの形式ではありません",
        "18行目: 退出時刻『2026/5/11 17:50:00』が参加時刻『2026/5/11 18:00:00』より前です",
        "19行目: 退出時刻『2026/5/32 18:10:00』が日時として読めません（例: 2026/5/11 18:29:28）",
    ]
    assert [e.line for e in report.errors] == [12, 14, 18, 19]
    # The rows that could be read are still there, for the message next to the refusal.
    assert report.by_email()["taro@example.jp"].seconds == 5619
    assert report.by_email()["ken@example.jp"].seconds == 600  # no readable interval: section 2's total
    assert report.unmatched == []


def test_teams_english_locale_day_first():
    # As Teams wrote it in a day-first English locale (the layout of a public export, names made up).
    text = tsv(
        "1. Summary",
        ("Meeting title", "Scrum Meeting"),
        ("Attended participants", "2"),
        ("Start time", "15/11/22, 09:30:17"),
        ("End time", "15/11/22, 09:41:47"),
        ("Meeting duration", "11m 31s"),
        ("Average attendance time", "9m 45s"),
        "",
        "2. Participants",
        ("Name", "First join", "Last leave", "In-meeting duration", "Email", "Participant ID (UPN)", "Role"),
        ("Jan Janssens (EXT)", "15/11/22, 09:30:47", "15/11/22, 09:41:46", "10m 59s", "jan@example.org",
         "jan@example.org", "Organizer"),
        ("Goliath, David", "15/11/22, 09:31:18", "15/11/22, 09:41:46", "4m 28s", "David@Example.ES",
         "david@example.es", "Presenter"),
        "",
        "3. In-Meeting activities",
        ("Name", "Join time", "Leave time", "Duration", "Email", "Role"),
        ("Jan Janssens (EXT)", "15/11/22, 09:30:47", "15/11/22, 09:41:46", "10m 59s", "jan@example.org", "Organizer"),
        ("Goliath, David", "15/11/22, 09:31:18", "15/11/22, 09:33:18", "2m", "David@Example.ES", "Presenter"),
        ("Goliath, David", "15/11/22, 09:39:18", "15/11/22, 09:41:46", "2m 28s", "David@Example.ES", "Presenter"),
    )
    report = read_attendance(utf16(text))
    assert report.ok and report.format == FORMAT_TEAMS
    assert report.meeting_title == "Scrum Meeting"
    assert report.meeting_start == datetime(2022, 11, 15, 9, 30, 17)
    assert {p.email_normalised: p.seconds for p in report.rows} == {"jan@example.org": 659, "david@example.es": 268}


def test_teams_english_us_locale_twelve_hour_clock():
    text = tsv(
        "1. Summary", ("Meeting title", "DX Basics"), ("Start time", "5/11/26, 6:29:28 PM"), "",
        "2. Participants",
        ("Name", "First Join", "Last Leave", "In-Meeting Duration", "Email", "Participant ID (UPN)", "Role"),
        ("Aiko Mori", "5/11/26, 6:29:28 PM", "5/11/26, 7:30:00 PM", "1h 31s", "aiko@example.com", "", "Attendee"),
        "",
        "3. In-Meeting Activities",
        ("Name", "Join Time", "Leave Time", "Duration", "Email", "Role"),
        ("Aiko Mori", "5/11/26, 6:29:28 PM", "5/11/26, 7:30:00 PM", "1h 31s", "aiko@example.com", "Attendee"),
    )
    report = read_attendance(utf16(text))
    assert report.ok
    assert report.meeting_start == datetime(2026, 5, 11, 18, 29, 28)
    assert report.rows[0].seconds == 3632
    assert report.notes  # 5/11 could be 5 November as well: the reader says so


def test_teams_quoted_title_as_teams_writes_it():
    text = teams_ja().replace("行政実務研修 第1回 自治体の組織と業務", '"""もくもく勉強会"" で会議中"')
    assert read_attendance(utf16(text)).meeting_title == '"もくもく勉強会" で会議中'


def test_teams_without_email_column_is_refused():
    text = teams_ja().replace("\tメール\t", "\tメモ\t", 1)
    with pytest.raises(AttendanceFileError, match="「メール」の列がありません"):
        read_attendance(utf16(text))


# --- Zoom -----------------------------------------------------------------------------------------------------

ZOOM = (
    "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\r\n"
    "81234567890,行政実務研修 第2回,05/18/2026 06:00:00 PM,05/18/2026 07:05:00 PM,host@pref.example.lg.jp,65,4\r\n"
    ",,,,,,\r\n"
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent\r\n"
    "県 事務局,host@pref.example.lg.jp,05/18/2026 05:58:10 PM,05/18/2026 07:05:00 PM,67,No,Y\r\n"  # line 5
    "渡辺 さくら (Sakura),sakura.watanabe@example.jp,05/18/2026 06:01:00 PM,05/18/2026 06:21:00 PM,20,Yes,Y\r\n"
    "渡辺 さくら (Sakura),sakura.watanabe@example.jp,05/18/2026 06:25:00 PM,05/18/2026 07:05:00 PM,40,Yes,Y\r\n"
    # Two devices at once (Zoom lists both): 06:30–06:40 lies inside 06:25–07:05 and adds nothing.
    "渡辺 さくら (iPhone),Sakura.Watanabe@example.jp,05/18/2026 06:30:00 PM,05/18/2026 06:40:00 PM,10,Yes,Y\r\n"
    "ゲスト 参加者,,05/18/2026 06:05:00 PM,05/18/2026 06:50:00 PM,45,Yes,\r\n"  # line 9
)


def test_zoom_participants_csv_with_meeting_rows():
    report = read_attendance(ZOOM.encode("utf-8"), filename="participants_81234567890.csv")
    assert report.format == FORMAT_ZOOM and report.ok
    assert report.meeting_title == "行政実務研修 第2回"
    assert report.meeting_start == datetime(2026, 5, 18, 18, 0)
    people = report.by_email()
    assert people["host@pref.example.lg.jp"].seconds == 66 * 60 + 50
    sakura = people["sakura.watanabe@example.jp"]
    assert sakura.seconds == 60 * 60 and sakura.lines == (6, 7, 8) and sakura.display_name == "渡辺 さくら (Sakura)"
    [guest] = report.unmatched
    assert (guest.line, guest.display_name, guest.seconds) == (9, "ゲスト 参加者", 45 * 60)
    assert guest.reason == "メールアドレスがありません（ゲスト）"


def test_zoom_unique_users_total_duration_and_rows_summed():
    text = ("Name (Original Name),User Email,Total Duration (Minutes),Guest\n"
            "木村 優,yu.kimura@example.jp,35,No\n"
            "木村 優,yu.kimura@example.jp,30,No\n"
            "Guest,,12,Yes\n")
    report = read_attendance(utf8_bom(text))
    assert report.format == FORMAT_ZOOM and report.ok
    assert report.rows[0].seconds == 65 * 60 and report.rows[0].lines == (2, 3)
    assert len(report.unmatched) == 1


def test_zoom_japanese_locale_headers():
    text = ("名前 (元の名前),ユーザーメール,参加時刻,退出時刻,所要時間（分）,ゲスト\r\n"
            "山本 陽菜,hina@example.jp,2026/5/18 18:00,2026/5/18 18:45,45,いいえ\r\n"
            "山本 陽菜,hina@example.jp,2026/5/18 18:50,2026/5/18 19:05,15,いいえ\r\n")
    report = read_attendance(utf8_bom(text))
    assert report.format == FORMAT_ZOOM and report.ok
    assert report.rows[0].seconds == 60 * 60


def test_zoom_bad_rows_by_line():
    text = ("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
            "井上 蓮,ren@example.jp,05/18/2026 06:00:00 PM,05/18/2026 06:30:00 PM,abc,No\n"
            "林 葵,aoi@example.jp,05/18/2026 06:30:00 PM,05/18/2026 06:00:00 PM,30,No\n"
            "森 大和,yamato@example.jp,05/18/2026 06:00:00 PM,05/18/2026 06:30:00 PM,-5,No\n"
            "清水 結衣,yui@example.jp,05/18/2026 06:00:00 PM,05/18/2026 06:30:00 PM,30,No\n")
    report = read_attendance(text.encode())
    assert [e.message for e in report.errors] == [
        "2行目: Duration (Minutes)『abc』が読めません（分を数字で書きます。例: 60）",
        "3行目: Leave Time『05/18/2026 06:00:00 PM』がJoin Time『05/18/2026 06:30:00 PM』より前です",
        "4行目: Duration (Minutes)『-5』がマイナスです（0以上の分で書きます）",
    ]
    assert [p.email_normalised for p in report.rows] == ["yui@example.jp"]


# --- plain CSV ------------------------------------------------------------------------------------------------


def test_plain_csv_email_minutes():
    report = read_attendance(b"email,minutes\r\ntaro@example.jp,60\r\nHANAKO@example.jp,45.5\r\n")
    assert report.format == FORMAT_PLAIN and report.ok
    assert {p.email_normalised: p.seconds for p in report.rows} == {"taro@example.jp": 3600,
                                                                    "hanako@example.jp": 2730}


def test_plain_csv_japanese_headers_in_shift_jis_as_excel_saves_it():
    text = "氏名,メールアドレス,出席時間（分）\r\n山田 太郎,ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ,６０\r\n佐藤 花子,,30\r\n" \
           "山田 太郎,taro@example.jp,15分\r\n"
    report = read_attendance(text.encode("cp932"))
    assert report.encoding == "cp932" and report.ok
    [taro] = report.rows
    assert (taro.email_normalised, taro.display_name, taro.seconds, taro.lines) == \
        ("taro@example.jp", "山田 太郎", 75 * 60, (2, 4))
    assert [(u.line, u.display_name) for u in report.unmatched] == [(3, "佐藤 花子")]


def test_plain_csv_bad_rows_by_line():
    text = "メールアドレス,出席時間（分）\n" \
           "a@example.jp,六十\n" \
           "b@example.jp,-10\n" \
           "c@example.jp,\n" \
           "d@example,30\n" \
           "e@example.jp,2000\n" \
           "f@example.jp,60\n"
    report = read_attendance(utf8_bom(text))
    assert [e.message for e in report.errors] == [
        "2行目: 出席時間（分）『六十』が読めません（分を数字で書きます。例: 60）",
        "3行目: 出席時間（分）『-10』がマイナスです（0以上の分で書きます）",
        "4行目: 出席時間（分）がありません",
        "5行目: メールアドレス『d@example』はメールアドレスの形式ではありません",
        "6行目: 出席時間（分）『2000』が24時間（1,440分）を超えています",
    ]
    assert [p.email_normalised for p in report.rows] == ["f@example.jp"] and not report.ok


def test_plain_csv_needs_its_header():
    with pytest.raises(AttendanceFileError, match="形式を判別できません"):
        read_attendance(b"taro@example.jp,60\n")


def test_plain_tsv_is_read_too():
    report = read_attendance(b"email\tminutes\ntaro@example.jp\t60\n")
    assert report.format == FORMAT_PLAIN and report.rows[0].seconds == 3600


# --- refusals -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("content, words", [
    (b"", "空です"),
    (b"\xff\xfe", "空です"),
    (b"\x00\x01\x02binary\x00", "文字として読めない"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "文字として読めない"),
    (b"PK\x03\x04\x14\x00", "Excel 形式"),
    (b"\xff\xfe\x00\xd8", "文字コードを読み取れません"),  # a lone surrogate in UTF-16
    (b"\xff\xfeab\x00", "文字コードを読み取れません"),  # an odd number of bytes
    ("こんにちは\n".encode(), "形式を判別できません"),
    (b'email,minutes\n"taro@example.jp,60\n', "引用符"),
])
def test_garbage_is_refused_with_a_reason(content, words):
    with pytest.raises(AttendanceFileError) as e:
        read_attendance(content)
    assert words in e.value.message


def test_oversize_is_refused_before_reading():
    with pytest.raises(AttendanceFileError, match="大きすぎます（上限5 MB）"):
        read_attendance(b"email,minutes\n" + b"a@example.jp,1\n" * 400_000, filename="big.csv")


def test_too_many_rows_and_too_long_lines_are_refused():
    limits = Limits(max_rows=100)
    with pytest.raises(AttendanceFileError, match="行が多すぎます（100行まで）"):
        read_attendance(b"email,minutes\n" + b"a@example.jp,1\n" * 100, limits=limits)
    read_attendance(b"email,minutes\n" + b"a@example.jp,1\n" * 99, limits=limits)
    with pytest.raises(AttendanceFileError, match="2行目が長すぎます"):
        read_attendance(b"email,minutes\n" + b"a" * (DEFAULT.max_line_chars + 1) + b"\n")


def test_ambiguous_dates_over_several_days_are_refused_not_guessed():
    text = ("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
            "A,a@example.jp,05/06/2026 23:30:00,05/06/2026 23:59:00,29,No\n"
            "A,a@example.jp,06/06/2026 00:00:00,06/06/2026 00:30:00,30,No\n")
    with pytest.raises(AttendanceFileError, match="判別できない"):
        read_attendance(text.encode())


# --- values ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, seconds", [
    ("1h 33m 39s", 5619), ("45m 2s", 2702), ("38s", 38), ("2h", 7200), ("1h 7s", 3607), ("0s", 0),
    ("1h33m39s", 5619), (" 1H 33M 39S ", 5619), ("１ｈ　３３ｍ　３９ｓ", 5619),
    ("1 時間 33 分 39 秒", 5619), ("33分39秒", 2019), ("1時間", 3600), ("1:33:39", 5619), ("0:00:38", 38),
])
def test_durations_teams_writes(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", [
    "", "h", "1h 93m", "75m", "1h 33m 60s", "3s 2h", "1h 1h", "12", "about 1h", "1:93:00", "1.5h", "-5m",
    "1 5s", "1h 33m 39s extra",
])
def test_not_durations(text):
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize("raw, normalised", [
    ("Taro.Yamada@Pref.Example.LG.JP", "taro.yamada@pref.example.lg.jp"),
    ("  ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ\u3000", "taro@example.jp"),
])
def test_email_normalisation(raw, normalised):
    assert normalise_email(raw) == normalised


@pytest.mark.parametrize("minimum, expected", [(0, True), (84, True), (84.6, True), (85, False), ("84.7", False)])
def test_attended_compares_exact_seconds(minimum, expected):
    sato = read_attendance(utf16(teams_ja())).by_email()["hanako.sato@example.com"]  # 84m38s
    assert attended(sato, minimum) is expected


# --- properties -----------------------------------------------------------------------------------------------


def _only_refusals(content: bytes) -> None:
    try:
        report = read_attendance(content, limits=Limits(max_bytes=20_000, max_rows=500, max_line_chars=2_000))
    except AttendanceFileError as e:
        assert e.message
        return
    assert report.ok == (not report.errors)
    for p in report.rows:
        assert p.seconds >= 0 and p.lines


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise_anything_but_a_refusal(content):
    _only_refusals(content)


_cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=25)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_cell, _cell, _cell, _cell, _cell, _cell), max_size=6), st.booleans())
def test_random_cells_in_every_layout_never_crash(cells, sixteen):
    rows = [tuple(c.replace("\t", " ") for c in r) for r in cells]
    for text in (
        teams_ja([(*r, "出席者") for r in rows], [r for r in rows]),
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
        + "".join(",".join(c.replace(",", " ").replace('"', "") for c in r) + "\n" for r in rows),
        "email,minutes\n" + "".join(f'"{r[0].replace(chr(34), "")}","{r[1].replace(chr(34), "")}"\n' for r in rows),
    ):
        _only_refusals(utf16(text) if sixteen else utf8_bom(text))
