"""The needs selectors the views and API endpoints call: need_list (filters and scope per role, one query for the
page and the API), the hearing look-ups, the JD versions and documents, and the actions offered on a need."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from openpyxl import load_workbook

from dxpool.core.errors import NotFound, ValidationError
from dxpool.needs import selectors, services
from dxpool.needs.models import Need, NeedStatus
from tests.needs.builders import make_hearing, make_jd, municipality, tick_all

pytestmark = pytest.mark.django_db


# --- need_list ------------------------------------------------------------------------------------------------

def test_need_list_scope_per_role(needs_demo, goto_user, iki_user, nagasaki_user, hiroshima_user, kuni_user,
                                  applicant):
    everything = Need.objects.count()
    assert everything >= 21
    assert selectors.need_list(user=kuni_user).count() == 0  # national users read the roll-up (issue 12)
    assert selectors.need_list(user=nagasaki_user).count() == Need.objects.filter(prefecture__code="42").count()
    own = list(selectors.need_list(user=goto_user))
    assert len(own) == 3 and all(municipality("五島市") in n.municipalities.all() for n in own)  # two and the joint one
    assert {n.pk for n in selectors.need_list(user=iki_user)}.isdisjoint(
        {n.pk for n in own if n.grouping_id is None})
    for user in (hiroshima_user, applicant, AnonymousUser()):
        assert selectors.need_list(user=user).count() == 0


def test_need_list_filters(needs_demo, nagasaki_user):
    need = selectors.need_list(user=nagasaki_user, persona="engineer").first()
    services.need_set_status(actor=nagasaki_user, need=need, status=NeedStatus.CLOSED)
    assert list(selectors.need_list(user=nagasaki_user, status="closed")) == [need]
    assert need not in selectors.need_list(user=nagasaki_user, status="open")
    engineers = list(selectors.need_list(user=nagasaki_user, persona="engineer"))
    assert engineers and all(n.persona == "engineer" for n in engineers)
    open_engineers = selectors.need_list(user=nagasaki_user, status="open", persona="engineer")
    assert open_engineers.count() == len(engineers) - 1
    assert selectors.need_list(user=nagasaki_user, persona="wizard").count() == 0
    with pytest.raises(ValidationError) as exc:
        selectors.need_list(user=nagasaki_user, status="archived")
    assert exc.value.field == "status"


def test_page_and_api_list_the_same_needs(client, needs_demo, goto_user):
    client.force_login(goto_user)
    api = client.get("/api/v1/needs?status=open&limit=100").json()
    assert api["count"] == selectors.need_list(user=goto_user, status="open").count() == 3
    body = client.get("/needs/?status=open").content.decode()
    assert all(item["title"] in body for item in api["items"])
    r = client.get("/api/v1/needs?status=archived")
    assert r.status_code == 400 and r.json()["error"]["field"] == "status"
    r = client.get("/needs/?status=archived")
    assert r.status_code == 200 and "状態「archived」はありません" in r.content.decode()


def test_need_actions_offer_only_legal_moves_to_the_secretariat(nagasaki_user, goto_user, kuni_user):
    need = services.need_create(actor=nagasaki_user, title="RPA", persona="engineer", hours_per_week=8,
                                municipality_codes=[municipality("五島市").code])
    assert selectors.need_actions(user=nagasaki_user, need=need) == [("closed", "終了")]
    assert selectors.need_actions(user=goto_user, need=need) == []
    assert selectors.need_actions(user=kuni_user, need=need) == []
    services.need_fill(need=need, actor=goto_user)
    assert selectors.need_actions(user=nagasaki_user, need=need) == [("closed", "終了")]
    services.need_set_status(actor=nagasaki_user, need=need, status=NeedStatus.CLOSED)
    assert selectors.need_actions(user=nagasaki_user, need=need) == [("open", "募集中")]


# --- hearing records --------------------------------------------------------------------------------------------

def test_hearing_lookups_by_year(goto_user, iki_user):
    goto = municipality("五島市")
    old, new = make_hearing(goto_user, year=2025), make_hearing(goto_user, year=2026)
    assert selectors.hearing_for_year(user=goto_user, municipality=goto, fiscal_year=2026) == new
    assert selectors.hearing_for_year(user=goto_user, municipality=goto, fiscal_year=2027) is None
    assert selectors.hearing_previous(user=goto_user, municipality=goto, fiscal_year=2027) == new
    assert selectors.hearing_previous(user=goto_user, municipality=goto, fiscal_year=2026) == old
    assert selectors.hearing_previous(user=goto_user, municipality=goto, fiscal_year=2025) is None
    assert list(selectors.hearing_history(user=goto_user, municipality=goto)) == [old, new]
    # Out of scope reads as nothing.
    assert selectors.hearing_for_year(user=iki_user, municipality=goto, fiscal_year=2026) is None
    assert list(selectors.hearing_history(user=iki_user, municipality=goto)) == []


def test_hearing_list_by_prefecture(nagasaki_user, kuni_user):
    make_hearing(nagasaki_user)
    assert selectors.hearing_list(user=nagasaki_user, prefecture="42").count() == 1
    assert selectors.hearing_list(user=nagasaki_user, prefecture="34").count() == 0  # a filter, not a widening
    assert selectors.hearing_list(user=kuni_user, prefecture="42").count() == 0  # no records for national


def test_hearings_missing_is_a_to_do_list_for_writers(goto_user, nagasaki_user, kuni_user):
    make_hearing(goto_user, year=2026)
    assert selectors.hearings_missing(user=goto_user, fiscal_year=2026) == []
    assert selectors.hearings_missing(user=goto_user, fiscal_year=2027) == [municipality("五島市")]
    missing = selectors.hearings_missing(user=nagasaki_user, fiscal_year=2026)
    assert len(missing) == 20 and municipality("五島市") not in missing
    assert selectors.hearings_missing(user=kuni_user, fiscal_year=2026) == []


def test_hearing_template_workbook(goto_user, nagasaki_user, kuni_user):
    make_hearing(goto_user, year=2026)
    content, name = selectors.hearing_template_workbook(user=goto_user, fiscal_year=2027, prefill=True)
    assert name == "hearing_template_2027.xlsx"
    rows = list(load_workbook(io.BytesIO(content))["人材"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][1] == 2027 and rows[0][2] == 480  # last year's answers, this year's row
    content, name = selectors.hearing_template_workbook(user=nagasaki_user, fiscal_year=2027,
                                                        municipality=municipality("壱岐市").code)
    assert name == "hearing_壱岐市_2027.xlsx"
    with pytest.raises(NotFound):
        selectors.hearing_template_workbook(user=kuni_user, fiscal_year=2027)
    with pytest.raises(NotFound):
        selectors.hearing_template_workbook(user=goto_user, fiscal_year=2027, municipality=municipality("壱岐市").code)


# --- job descriptions -------------------------------------------------------------------------------------------

def test_jd_versions_and_their_changes(goto_user, iki_user):
    jd = make_jd(goto_user)
    services.jd_update(actor=goto_user, jd=jd, data={"hours_per_week": 12, "weight": 2.0})
    versions = selectors.jd_versions(user=goto_user, pk=jd.pk)
    assert [v.number for v in versions] == [1, 2]
    assert selectors.version_changes(versions) == {1: [], 2: ["週あたり時間", "優先度の重み"]}
    history = selectors.jd_version_history(user=goto_user, pk=jd.pk)
    assert [(v.number, changes) for v, changes in history] == [(2, ["週あたり時間", "優先度の重み"]), (1, [])]
    with pytest.raises(NotFound):
        selectors.jd_versions(user=iki_user, pk=jd.pk)


def test_jd_document(goto_user, iki_user):
    jd = make_jd(goto_user)
    services.jd_update(actor=goto_user, jd=jd, data={"hours_per_week": 12})
    latest = selectors.jd_document(user=goto_user, pk=jd.pk)
    assert latest.version.number == 2 and latest.changes == ["週あたり時間"]
    assert latest.sections[0].title == "募集する役割"
    first = selectors.jd_document(user=goto_user, pk=jd.pk, number=1)
    assert first.version.number == 1 and first.changes == []
    with pytest.raises(NotFound, match="第3版"):
        selectors.jd_document(user=goto_user, pk=jd.pk, number=3)
    with pytest.raises(NotFound):
        selectors.jd_document(user=iki_user, pk=jd.pk)


def test_jds_for_hearing(goto_user, iki_user):
    hearing = make_hearing(goto_user)
    jd = services.jd_draft_from_hearing(actor=goto_user, hearing=hearing, persona="engineer")
    make_jd(goto_user)  # not from the hearing
    assert list(selectors.jds_for_hearing(user=goto_user, hearing=hearing)) == [jd]
    assert list(selectors.jds_for_hearing(user=iki_user, hearing=hearing)) == []


def test_submitted_jd_offers_its_need(goto_user):
    jd = make_jd(goto_user)
    need = services.jd_submit(actor=goto_user, jd=tick_all(goto_user, jd))
    assert selectors.jd_get(user=goto_user, pk=jd.pk).need == need
