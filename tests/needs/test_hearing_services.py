"""Hearing records: one per municipality and year, validated field by field, written by the municipality or by
its prefecture on its behalf, never by national users; database constraints back the rules."""

import pytest
from django.db import IntegrityError, transaction

from dxpool.core.errors import Forbidden, ValidationError
from dxpool.needs.models import HearingRecord
from dxpool.needs.selectors import hearing_data
from dxpool.needs.services import HearingValidationError, hearing_save
from tests.needs.builders import hearing_payload, make_hearing, municipality

pytestmark = pytest.mark.django_db


def test_save_creates_then_updates_one_record_per_year(goto_user, nagasaki_user):
    record, created = hearing_save(actor=goto_user, municipality=municipality("五島市"), fiscal_year=2026,
                                   data=hearing_payload())
    assert created and record.entered_by == goto_user
    again, created = hearing_save(actor=nagasaki_user, municipality=municipality("五島市"), fiscal_year=2026,
                                  data={"it_staff": 1})
    assert not created and again.pk == record.pk and again.entered_by == nagasaki_user  # on its behalf
    assert HearingRecord.objects.count() == 1
    again.refresh_from_db()
    assert again.hitori_joshis and again.staff_total == 480 and again.step_current == 2 and again.step_reached == 1
    assert again.systems_migrated == 1 and again.standardisation_progress == 0.05


def test_data_round_trips_through_the_service(goto_user):
    record = make_hearing(goto_user)
    data = hearing_data(record)
    assert data["measures"]["frontyard"] == {"status": "planning", "note": "書かない窓口を検討"}
    assert data["systems"]["戸籍"] == {"status": "migrating", "planned_month": "2026-12"}
    assert data["targets"] == {"leader": 48}
    again, _ = hearing_save(actor=goto_user, municipality=record.municipality, fiscal_year=2026, data=data)
    assert hearing_data(again) == data


@pytest.mark.parametrize(("over", "path", "words"), [
    ({"it_staff": 500}, "it_staff", "職員数（480人）を超えています"),
    ({"steps": {"1": {"status": "finished"}}}, "steps.1.status", "選択肢にありません"),
    ({"steps": {"9": {"status": "done"}}}, "steps.9", "ありません"),
    ({"measures": {"metaverse": {"status": "done"}}}, "measures.metaverse", "ありません"),
    ({"systems": {"戸籍": {"status": "migrated", "planned_month": "2026/13"}}}, "systems.戸籍.planned_month", "YYYY-MM"),
    ({"cio_adviser_external": True}, "cio_adviser_external", "外部人材"),
    ({"days_per_week": 8}, "days_per_week", "7以下で入力"),
    ({"support_kind": "magic"}, "support_kind", "選択肢にありません"),
    ({"appointment_forms": ["volunteer"]}, "appointment_forms", "任用形態"),
    ({"targets": {"wizards": 3}}, "targets.wizards", "類型"),
    ({"heard_on": "2026/07/01"}, "heard_on", "YYYY-MM-DD"),
    ({"heard_on": "2099-07-01"}, "heard_on", "今日以前の日付"),
])
def test_validation_names_the_field(goto_user, over, path, words):
    with pytest.raises(HearingValidationError) as exc:
        hearing_save(actor=goto_user, municipality=municipality("五島市"), fiscal_year=2026,
                     data=hearing_payload(**over))
    assert (path, ) == (exc.value.errors[0][0], ) and words in exc.value.errors[0][1]
    assert not HearingRecord.objects.exists()


def test_every_error_is_reported_at_once(goto_user):
    with pytest.raises(HearingValidationError) as exc:
        hearing_save(actor=goto_user, municipality=municipality("五島市"), fiscal_year=2026,
                     data=hearing_payload(it_staff=999, days_per_week=9, support_kind="x"))
    assert {p for p, _ in exc.value.errors} == {"it_staff", "days_per_week", "support_kind"}
    assert "ほか2件" in exc.value.message


def test_grouping_must_contain_the_municipality_and_be_shared(goto_user, iki_user, islands):
    with pytest.raises(HearingValidationError, match="近隣と共有可"):
        make_hearing(goto_user, grouping=islands.pk, shareable=False)
    record = make_hearing(goto_user, grouping=islands.pk, shareable=True)
    assert record.grouping == islands
    with pytest.raises(HearingValidationError, match="構成市町村ではありません"):
        make_hearing(iki_user, "壱岐市", grouping=islands.pk, shareable=True)


def test_writers(goto_user, iki_user, hiroshima_user, kuni_user, applicant):
    for actor in (iki_user, hiroshima_user, kuni_user, applicant):
        with pytest.raises(Forbidden):
            make_hearing(actor, "五島市")
    with pytest.raises(ValidationError, match="年度"):
        hearing_save(actor=goto_user, municipality=municipality("五島市"), fiscal_year=2019, data={})


def test_database_constraints_hold_without_the_service(goto_user):
    record = make_hearing(goto_user)
    for field, value in (("it_staff", 10_000), ("cio_adviser_external", True), ("talent_policy_status", "x"),
                         ("days_per_week", 9)):
        with pytest.raises(IntegrityError), transaction.atomic():
            HearingRecord.objects.filter(pk=record.pk).update(**{field: value})
    with pytest.raises(IntegrityError), transaction.atomic():
        HearingRecord.objects.create(municipality=record.municipality, fiscal_year=2026)


def test_web_form_create_with_errors_then_success(client, goto_user):
    client.force_login(goto_user)
    page = client.get("/needs/hearings/new/?year=2026").content.decode()
    assert "重点取組事項等の状況" in page and "児童手当の状況" in page and "<legend>" in page
    base = {"fiscal_year": 2026, "talent_policy_status": "none", "step__1": "done", "staff_total": 100,
            "it_staff": 300, "measure__bpr": "planning", "system__0": "migrating", "system__0__month": "2026-10",
            "issues": "RPAを入れたい"}
    r = client.post("/needs/hearings/new/", base)
    body = r.content.decode()
    assert r.status_code == 200 and 'role="alert"' in body and "職員数（100人）を超えています" in body
    r = client.post("/needs/hearings/new/", {**base, "it_staff": 1})
    assert r.status_code == 302
    record = HearingRecord.objects.get()
    assert record.measure_status("bpr") == "planning" and record.systems["児童手当"]["planned_month"] == "2026-10"
    assert record.hitori_joshis
    # The next year starts from this record.
    page = client.get("/needs/hearings/new/?year=2027").content.decode()
    assert "令和8年度の記録を引き継いで" in page and "RPAを入れたい" in page
