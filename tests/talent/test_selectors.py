"""dxpool.talent.selectors: the page selectors, the evidence read, and the pool's distance rule held to the
matching engine's."""

import random
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from dxpool.core.errors import Forbidden, NotFound
from dxpool.core.models import AuditEvent
from dxpool.engine import MatchParams, Need
from dxpool.engine.geo import haversine_km
from dxpool.engine.reference import evaluate_pair
from dxpool.matching.adapters import profile_to_engine
from dxpool.places.models import Municipality
from dxpool.talent import selectors, services
from dxpool.talent.machines import APPLICATION_MACHINE
from dxpool.talent.models import ApplicationStatus as S
from dxpool.talent.models import RoundStatus
from dxpool.talent.selectors import PseudonymousProfile
from tests.factories import talent_user
from tests.talent.conftest import TINY_PDF

pytestmark = pytest.mark.django_db


# --- rounds --------------------------------------------------------------------------------------------------

def test_round_page_lists(open_round, nagasaki_user, goto_user, applicant):
    draft = services.round_create(actor=nagasaki_user, data={
        "title": "下書き", "personas": ["engineer"], "duties": "支援", "appointment_forms": ["contract"],
        "deadline": timezone.now() + timedelta(days=5)})
    assert set(selectors.rounds_for_page(user=nagasaki_user)) == {open_round, draft}
    # Issue 12: a draft is the secretariat's alone; the municipality sees published rounds only.
    assert set(selectors.rounds_for_page(user=goto_user)) == {open_round}
    assert list(selectors.rounds_for_page(user=nagasaki_user, status=RoundStatus.DRAFT)) == [draft]
    for outsider in (applicant, SimpleNamespace(is_authenticated=False)):
        assert list(selectors.rounds_for_page(user=outsider)) == [open_round]


def test_round_detail_offers_the_machines_moves_to_the_secretariat(open_round, nagasaki_user, goto_user,
                                                                   hiroshima_user):
    detail = selectors.round_detail(user=nagasaki_user, pk=open_round.pk)
    assert detail.can_manage and [code for code, _ in detail.moves] == [RoundStatus.CLOSED]
    assert set(detail.counts) == set(S.values)
    seen = selectors.round_detail(user=goto_user, pk=open_round.pk)
    assert not seen.can_manage and seen.moves == [] and seen.counts is None
    with pytest.raises(NotFound):
        selectors.round_detail(user=hiroshima_user, pk=open_round.pk)


def test_consent_current_is_the_latest(consent):
    from dxpool.talent.models import ConsentText

    assert selectors.consent_current() == consent
    newer = ConsentText.objects.create(version="t-9", title="新", body="新", published_at=timezone.now())
    assert selectors.consent_current() == newer


# --- applications -------------------------------------------------------------------------------------------

def test_application_detail_lists_only_allowed_moves_and_audits(make_application, nagasaki_user, hiroshima_user):
    app = make_application()
    before = AuditEvent.objects.filter(action="profile.view_full").count()
    detail = selectors.application_detail(user=nagasaki_user, pk=app.pk)
    assert [code for code, _ in detail.allowed] == APPLICATION_MACHINE.allowed(S.APPLIED)
    assert dict(detail.allowed)[S.SCREENING] == "選考中"
    assert detail.profile == app.profile and [c.to_status for c in detail.changes] == [S.APPLIED]
    assert detail.decisions == [] and not detail.can_record_training
    assert AuditEvent.objects.filter(action="profile.view_full").count() == before + 1
    with pytest.raises(NotFound):
        selectors.application_detail(user=hiroshima_user, pk=app.pk)


def test_application_detail_offers_training_record_when_due(make_pool_member, nagasaki_user):
    app = make_pool_member(trained=False)
    detail = selectors.application_detail(user=nagasaki_user, pk=app.pk)
    assert detail.can_record_training
    assert [code for code, _ in detail.allowed] == [S.POOLED, S.WITHDRAWN]


def test_decision_list_is_the_secretariats(make_application, nagasaki_user, hiroshima_user):
    app = make_application()
    services.screening_decide(actor=nagasaki_user, application=app, criterion="interview", decision="pass",
                              reason="良好")
    assert [d.reason for d in selectors.decision_list(user=nagasaki_user, application_id=app.pk)] == ["良好"]
    with pytest.raises(Forbidden):
        selectors.decision_list(user=app.profile.user, application_id=app.pk)
    with pytest.raises(NotFound):
        selectors.decision_list(user=hiroshima_user, application_id=app.pk)


# --- profiles and evidence ------------------------------------------------------------------------------------

def test_own_profile_for(make_application, open_round, hiroshima_user):
    app = make_application()
    user = app.profile.user
    assert selectors.own_profile_for(user=user, prefecture=open_round.prefecture) == app.profile
    assert selectors.own_profile_for(user=user, prefecture=hiroshima_user.organisation.prefecture) is None
    assert selectors.own_profile_for(user=talent_user(), prefecture=open_round.prefecture) is None


def test_profile_detail_actions(make_application, nagasaki_user):
    app = make_application()
    mine = selectors.profile_detail(user=app.profile.user, pk=app.profile_id)
    assert mine.can_upload_evidence and mine.can_edit and mine.applications == [app]
    theirs = selectors.profile_detail(user=nagasaki_user, pk=app.profile_id)
    assert not theirs.can_upload_evidence and theirs.can_edit


def test_evidence_get_and_audited_download(make_application, nagasaki_user, hiroshima_user, goto_user):
    app = make_application()
    evidence = services.evidence_upload(actor=app.profile.user, profile=app.profile, label="合格証",
                                        uploaded=SimpleUploadedFile("c.pdf", TINY_PDF, content_type="application/pdf"))
    assert selectors.evidence_get(user=nagasaki_user, pk=evidence.pk) == evidence
    assert selectors.evidence_get(user=app.profile.user, pk=evidence.pk) == evidence
    before = AuditEvent.objects.count()
    for outsider in (hiroshima_user, goto_user, talent_user()):
        with pytest.raises(NotFound):
            selectors.evidence_get(user=outsider, pk=evidence.pk)
        with pytest.raises(NotFound):
            services.evidence_download(actor=outsider, pk=evidence.pk)
    with pytest.raises(NotFound):
        selectors.evidence_get(user=nagasaki_user, pk=evidence.pk + 1000)
    assert AuditEvent.objects.count() == before  # the selector reads; refusals write nothing
    assert services.evidence_download(actor=nagasaki_user, pk=evidence.pk) == evidence
    view, download = AuditEvent.objects.order_by("-id")[:2][::-1]
    assert (view.action, view.target_id) == ("profile.view_full", str(app.profile_id))
    assert (download.action, download.target_id) == ("evidence.download", str(evidence.pk))
    assert download.actor == nagasaki_user and download.prefecture.code == "42"


# --- the pool --------------------------------------------------------------------------------------------------

def test_pool_list_full_for_secretariat_pseudonymised_for_municipality(make_pool_member, nagasaki_user, goto_user):
    app = make_pool_member()
    full = selectors.pool_list(user=nagasaki_user, filters=selectors.PoolFilters())
    assert full.full and [p.pk for p in full.rows] == [app.profile_id]
    seen = selectors.pool_list(user=goto_user, filters=selectors.PoolFilters())
    assert not seen.full and [type(r) for r in seen.rows] == [PseudonymousProfile]
    assert seen.rows[0].pseudonym == app.profile.pseudonym
    api = selectors.pool_pseudonymous(user=nagasaki_user, filters=selectors.PoolFilters())
    assert [r.pseudonym for r in api] == [app.profile.pseudonym]


def test_reachable_is_the_engines_rule(make_pool_member, nagasaki_user, goto_user):
    """Generated people (homes across Kyushu and Tokyo, travel ranges, remote or not) searched from several
    sites: the pool's "can work on site there" keeps exactly the pairs the matching engine finds within
    distance, for on-site work and for work that may be fully remote."""
    rng = random.Random(20260401)
    homes = list(Municipality.objects.filter(prefecture__code__in=["42", "40", "41", "13"]).order_by("code"))
    sites = list(Municipality.objects.filter(prefecture__code="42").order_by("code"))
    for _ in range(24):
        make_pool_member(home_municipality=rng.choice(homes).code, remote_ok=rng.random() < 0.5,
                         travel_km=rng.choice([0, 10, 30, 60, 100, 200, 1000]))
    profiles = selectors.pool_search(user=nagasaki_user, filters=selectors.PoolFilters())
    outcomes = set()
    for site in rng.sample(sites, 5):
        for remote in (False, True):
            found = {p.pk for p in selectors.pool_search(user=nagasaki_user, filters=selectors.PoolFilters(
                near_municipality=site.code, reachable=True, include_remote=remote))}
            for p in profiles:
                talent = profile_to_engine(p, trained=True, max_assignments=1)
                need = Need(id="N", municipalities=(site.code,), persona="engineer", hours_per_week=1.0,
                            onsite_days_per_month=0.0 if remote else 2.0)
                home = p.home_municipality
                coords = {site.code: (site.lat, site.lng), home.code: (home.lat, home.lng)}
                engine_ok = "distance" not in evaluate_pair(need, talent, coords, MatchParams()).fails
                assert (p.pk in found) == engine_ok, (site.code, home.code, p.travel_km, p.remote_ok, remote)
                outcomes.add(engine_ok)
    assert outcomes == {True, False}  # the generated cases exercise both answers


def test_reachable_without_a_home(make_pool_member, nagasaki_user):
    remote = make_pool_member(home_municipality=None, remote_ok=True)
    make_pool_member(home_municipality=None, remote_ok=False)

    def found(include_remote):
        return [p.pk for p in selectors.pool_search(user=nagasaki_user, filters=selectors.PoolFilters(
            near_municipality="422011", reachable=True, include_remote=include_remote))]

    assert found(False) == [] and found(True) == [remote.profile_id]
    # Without `reachable` the municipality only orders the list (people without a home last).
    listed = selectors.pool_search(user=nagasaki_user, filters=selectors.PoolFilters(near_municipality="422011"))
    assert len(listed) == 2 and all(p.distance_km is None for p in listed)


def _place(code, lat, lng):
    return SimpleNamespace(code=code, lat=lat, lng=lng)


@settings(max_examples=200, deadline=None)
@given(st.floats(24.0, 45.5), st.floats(122.5, 153.9), st.floats(24.0, 45.5), st.floats(122.5, 153.9),
       st.integers(0, 3000), st.booleans(), st.booleans())
def test_site_reach_matches_the_stated_rule(lat_a, lng_a, lat_b, lng_b, travel_km, remote_ok, remote):
    site, home = _place("000001", lat_a, lng_a), _place("000002", lat_b, lng_b)
    reach = selectors.site_reach(site=site, home=home, travel_km=travel_km, remote_ok=remote_ok, remote=remote)
    distance = haversine_km((lat_b, lng_b), (lat_a, lng_a))
    assert reach.distance_km == distance
    assert reach.ok == (distance <= travel_km or (remote and remote_ok))
