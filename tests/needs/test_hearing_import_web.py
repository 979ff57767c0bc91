"""The import pages: upload → preview (old → new in the sheet's words) → 「この内容で取り込む（N件の変更）」 →
batch page with 「取り消す」, every step a real form POST; who sees and does what."""

import io

import pytest

from dxpool.needs.excel import HearingEntry, write_workbook
from dxpool.needs.models import HearingImportBatch, HearingRecord
from tests.needs.builders import make_hearing

pytestmark = pytest.mark.django_db


def sheet(record, data, name="hearing_五島市.xlsx"):
    m = record.municipality
    f = io.BytesIO(write_workbook([HearingEntry(m.code, m.name, m.prefecture.name, 2026, data)]))
    f.name = name
    return f


def test_upload_preview_confirm_undo(client, nagasaki_user):
    record = make_hearing(nagasaki_user)
    client.force_login(nagasaki_user)
    assert "値を消すときは、そのセルに「（削除）」と入力してください" in client.get("/needs/hearings/upload/").content.decode()
    r = client.post("/needs/hearings/upload/", {"files": [sheet(record, {"it_staff": 3,
                                                                         "systems": {"戸籍": {"status": "migrated"}}})]})
    assert r.status_code == 302
    preview = client.get(r["Location"]).content.decode()
    for text in ("取り込む内容の確認", "五島市", "情報担当職員数", "戸籍（状況）", "移行中", "移行済み",
                 "この内容で取り込む（2件の変更）", "空欄のため"):
        assert text in preview, text
    record.refresh_from_db()
    assert record.it_staff == 2  # the preview wrote nothing
    r = client.post(r["Location"] + "confirm/", follow=True)
    page = r.content.decode()
    assert "取り込みました" in page and "この取り込みを取り消す（2件の変更を元に戻す）" in page
    record.refresh_from_db()
    assert record.it_staff == 3 and record.systems["戸籍"]["status"] == "migrated"
    batch = HearingImportBatch.objects.get()
    assert f"#{batch.pk}" in client.get("/needs/hearings/imports/").content.decode()
    r = client.post(f"/needs/hearings/imports/{batch.pk}/undo/", follow=True)
    assert "取り込みを取り消し、2件の変更を元に戻しました" in r.content.decode()
    record.refresh_from_db()
    assert record.it_staff == 2 and record.systems["戸籍"]["status"] == "migrating"


def test_a_stale_confirm_is_refused_with_the_record_named(client, nagasaki_user):
    from dxpool.needs import services

    record = make_hearing(nagasaki_user)
    client.force_login(nagasaki_user)
    location = client.post("/needs/hearings/upload/", {"files": [sheet(record, {"it_staff": 3})]})["Location"]
    services.hearing_save(actor=nagasaki_user, municipality=record.municipality, fiscal_year=2026,
                          data={"it_staff": 4})
    r = client.post(location + "confirm/", follow=True)
    assert "確認した後に次の記録が変更された" in r.content.decode() and "五島市" in r.content.decode()
    record.refresh_from_db()
    assert record.it_staff == 4


def test_who_may_do_what(client, nagasaki_user, goto_user, iki_user, hiroshima_user, kuni_user):
    record = make_hearing(nagasaki_user)
    client.force_login(goto_user)
    location = client.post("/needs/hearings/upload/", {"files": [sheet(record, {"it_staff": 3})]})["Location"]
    pk = HearingImportBatch.objects.get().pk
    for user, status in ((nagasaki_user, 200), (goto_user, 200), (iki_user, 404), (hiroshima_user, 404),
                         (kuni_user, 403)):
        client.force_login(user)
        assert client.get(location).status_code == status, user
    client.force_login(nagasaki_user)
    assert client.post(f"/needs/hearings/imports/{pk}/confirm/").status_code == 403  # not the uploader
    page = client.get(location).content.decode()
    assert "この内容で取り込む" not in page
    client.force_login(goto_user)
    assert client.post(f"/needs/hearings/imports/{pk}/confirm/").status_code == 302
    assert HearingRecord.objects.get(pk=record.pk).it_staff == 3


def test_the_upload_page_links_its_errors(client, nagasaki_user):
    record = make_hearing(nagasaki_user)
    client.force_login(nagasaki_user)
    bad = sheet(record, {"it_staff": "たくさん"})
    r = client.post("/needs/hearings/upload/", {"files": [bad]})
    body = r.content.decode()
    assert r.status_code == 400 and 'href="#import-errors"' in body and 'href="#files"' in body
    assert "たくさん" in body and "errors.csv" in body
    r = client.post("/needs/hearings/upload/", {})
    assert r.status_code == 400 and "ファイルを選んでください" in r.content.decode()
