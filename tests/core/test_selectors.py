"""dxpool.core.selectors: the home page's figures and each role's work list."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dxpool.core.selectors import home_summary
from dxpool.matching.models import MatchRun, Proposal, ProposalStatus, RunStatus, Side
from dxpool.needs.models import JDStatus, JobDescription, Need, NeedStatus
from dxpool.places import services as places_services
from dxpool.places.models import Municipality, Prefecture
from dxpool.talent import services as talent_services
from dxpool.talent.models import ApplicationStatus as AS
from dxpool.talent.models import ConsentText, RoundStatus
from tests.factories import talent_user
from tests.needs.builders import make_hearing, make_jd
from tests.talent.conftest import engineer_data

pytestmark = pytest.mark.django_db


def test_national_home_counts_municipalities_not_municipalities_times_groupings(kuni_user, nagasaki_user):
    # Three groupings in 長崎県 made the national home say 63 municipalities for its 21 (a join counted
    # every municipality once per grouping).
    for i, members in enumerate((["422118", "424111"], ["422011", "422029"], ["422037", "422045"])):
        places_services.grouping_create(actor=nagasaki_user, name=f"連携{i}", kind="prefecture", member_codes=members)
    summary = home_summary(user=kuni_user)
    (nagasaki,) = [p for p in summary["active_prefectures"] if p.code == "42"]
    assert (nagasaki.municipality_count, nagasaki.grouping_count) == (21, 3)


def test_national_home_reads_the_active_prefectures_in_a_fixed_number_of_queries(kuni_user, nagasaki_user,
                                                                                 hiroshima_user):
    with CaptureQueriesContext(connection) as queries:
        summary = home_summary(user=kuni_user)
        active = [p.code for p in summary["active_prefectures"]]
    assert sorted(active) == ["34", "42"]
    # The work list adds one: the prefectures with a hearing record this year.
    assert len(queries) <= 4, [q["sql"] for q in queries]


# --- work lists (issue 13, item 6) ---------------------------------------------------------------------------

FY_DAY = date(2026, 7, 1)  # in 令和8年度 (FY2026)


def _work(summary) -> dict:
    return {w.key: w for w in summary["work"]}


def _round(nagasaki_user):
    consent = ConsentText.objects.create(version="t-1", title="個人情報の取扱い", body="本文",
                                         published_at=timezone.now() - timedelta(days=1))
    rnd = talent_services.round_create(actor=nagasaki_user, data={
        "title": "テスト公募", "personas": ["engineer"], "role": "支援", "duties": "市町の支援",
        "appointment_forms": ["contract"], "deadline": timezone.now() + timedelta(days=30)})
    return talent_services.round_set_status(actor=nagasaki_user, rnd=rnd, status=RoundStatus.OPEN), consent


def _apply(rnd, consent, user=None):
    user = user or talent_user()
    return talent_services.application_submit(actor=user, rnd=rnd, persona="engineer",
                                              consent_version=consent.version, profile_data=engineer_data())


@pytest.fixture
def work_world(nagasaki_user, goto_user):
    """長崎県 with two new applications and one in screening, a draft and a submitted JD of 五島市, two open
    needs and a filled one, a hearing of 五島市 this year, and two sent proposals (one answered by 五島市)."""
    rnd, consent = _round(nagasaki_user)
    talent = talent_user()
    own = _apply(rnd, consent, talent)
    _apply(rnd, consent)
    screening = _apply(rnd, consent)
    talent_services.application_transition(actor=nagasaki_user, application=screening, to_status=AS.SCREENING)
    make_jd(goto_user)
    submitted = make_jd(goto_user, title="提出済み")
    JobDescription.objects.filter(pk=submitted.pk).update(status=JDStatus.SUBMITTED, submitted_at=timezone.now())
    make_hearing(goto_user, year=2026)
    pref = Prefecture.objects.get(code="42")
    goto = Municipality.objects.get(name="五島市", prefecture=pref)
    needs = []
    for title, status in (("A", NeedStatus.OPEN), ("B", NeedStatus.OPEN), ("C", NeedStatus.FILLED)):
        need = Need.objects.create(prefecture=pref, title=title, persona="engineer", hours_per_week=8, status=status)
        need.municipalities.set([goto])
        needs.append(need)
    run = MatchRun.objects.create(prefecture=pref, created_by=nagasaki_user, status=RunStatus.DONE, progress=100)
    Proposal.objects.create(run=run, need=needs[0], profile=own.profile, score=0.9, status=ProposalStatus.SENT)
    Proposal.objects.create(run=run, need=needs[1], profile=own.profile, score=0.8, status=ProposalStatus.SENT,
                            municipality_decision=Side.ACCEPTED)
    Proposal.objects.create(run=run, need=needs[2], profile=own.profile, score=0.7, status=ProposalStatus.ACCEPTED,
                            municipality_decision=Side.ACCEPTED, talent_decision=Side.ACCEPTED)
    return talent


def test_prefecture_work_list_counts_and_links(work_world, nagasaki_user, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        summary = home_summary(user=nagasaki_user, today=FY_DAY)
    work = _work(summary)
    assert work["applications_new"].count == 2 and work["applications_new"].url == "/talent/applications/?status=applied"
    assert work["applications_screening"].count == 1
    assert work["jds_submitted"].count == 1 and work["jds_submitted"].url == "/needs/jds/?status=submitted"
    assert work["needs_open"].count == 2 and work["needs_open"].url == "/needs/?status=open"
    assert work["proposals_waiting"].count == 2 and work["proposals_waiting"].url == "/matching/proposals/?waiting=1"
    assert work["hearings_missing"].count == 20  # 21 municipalities, 五島市 recorded
    assert work["hearings_missing"].url.startswith("/needs/hearings/?year=2026")


def test_municipality_work_list(work_world, goto_user, iki_user, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        work = _work(home_summary(user=goto_user, today=FY_DAY))
    assert work["hearing"].count == 1 and work["hearing"].url.startswith("/needs/hearings/")
    assert work["jds_draft"].count == 1 and work["jds_draft"].url == "/needs/jds/?status=draft"
    # One of the two sent proposals is answered by 五島市 already: one left to answer.
    assert work["proposals_waiting"].count == 1
    iki = _work(home_summary(user=iki_user, today=FY_DAY))
    assert iki["hearing"].count == 0 and iki["hearing"].url == "/needs/hearings/new/?year=2026"
    assert iki["jds_draft"].count == 0 and iki["proposals_waiting"].count == 0


def test_talent_work_list(work_world, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        summary = home_summary(user=work_world, today=FY_DAY)
    work = _work(summary)
    assert work["applications_active"].count == 1
    assert work["proposals_waiting"].count == 2  # the talent has answered neither
    assert work["evidence_missing"].count == 1 and work["evidence_missing"].url.endswith("#evidence")
    assert [a.get_status_display() for a in summary["applications"]] == ["応募済み"]


def test_national_work_list_counts_prefectures_without_a_hearing(work_world, kuni_user,
                                                                 django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        summary = home_summary(user=kuni_user, today=FY_DAY)
    item = _work(summary)["prefectures_without_hearing"]
    assert item.count == 46 and item.url == "/needs/overview/?year=2026&hearing=none"
    (nagasaki,) = [p for p in summary["active_prefectures"] if p.code == "42"]
    assert nagasaki.hearing_this_year is True
    next_year = _work(home_summary(user=kuni_user, today=date(2027, 4, 1)))["prefectures_without_hearing"]
    assert next_year.count == 47


def test_work_list_links_lead_to_the_filtered_lists(client, work_world, nagasaki_user, goto_user, kuni_user):
    for user in (nagasaki_user, goto_user, work_world, kuni_user):
        client.force_login(user)
        for item in home_summary(user=user, today=FY_DAY)["work"]:
            response = client.get(item.url)
            assert response.status_code == 200, (user, item.key, item.url, response.status_code)


def test_national_overview_filter_lists_only_prefectures_without_a_hearing(client, work_world, kuni_user):
    client.force_login(kuni_user)
    body = client.get("/needs/overview/?year=2026&hearing=none").content.decode()
    table = body[body.index('id="rollup-caption"'):]
    assert "ヒアリング記録がない都道府県だけ" in body
    assert "長崎県" not in table and "広島県" in table
    assert "長崎県" in client.get("/needs/overview/?year=2026").content.decode()
