"""Comparing two match runs (issue 13 item 2): the pure diff of their pairs, the scoped selector, and the page."""

import pytest
from django.urls import reverse

from dxpool.core.errors import NotFound
from dxpool.matching import selectors
from dxpool.matching.models import MatchRun, Proposal, RunStatus
from dxpool.matching.selectors import PairDiff, pairs_diff
from dxpool.places.models import Municipality, Prefecture
from tests.matching.conftest import make_need

# --- the pure comparison -----------------------------------------------------------------------------------


def test_pairs_diff_sorts_needs_into_added_removed_changed_and_unchanged():
    before = {1: 10, 2: 20, 3: 30, 4: 40}
    after = {2: 20, 3: 31, 5: 50, 4: 40}
    assert pairs_diff(before=before, after=after) == PairDiff(added=(5,), removed=(1,), changed=(3,),
                                                              unchanged=(2, 4))


def test_pairs_diff_of_empty_runs():
    assert pairs_diff(before={}, after={}) == PairDiff((), (), (), ())
    assert pairs_diff(before={}, after={2: 1, 1: 1}) == PairDiff(added=(1, 2), removed=(), changed=(), unchanged=())
    assert pairs_diff(before={7: 1}, after={}) == PairDiff(added=(), removed=(7,), changed=(), unchanged=())


def test_pairs_diff_of_a_run_with_itself_changes_nothing():
    pairs = {1: 10, 2: 10}
    assert pairs_diff(before=pairs, after=pairs) == PairDiff((), (), (), (1, 2))


# --- the selector ------------------------------------------------------------------------------------------


@pytest.fixture
def what_if(world):
    """A what-if of the world's run: the single need goes to the other talent, the joint need gets nobody,
    and a third need appears."""
    third = make_need("対馬市のRPA導入", Municipality.objects.get(name="対馬市", prefecture__code="42"))
    run = MatchRun.objects.create(prefecture=world.run.prefecture, created_by=world.nagasaki, parent=world.run,
                                  status=RunStatus.DONE, progress=100)
    Proposal.objects.create(run=run, need=world.need, profile=world.other_profile, score=0.6, breakdown={})
    Proposal.objects.create(run=run, need=third, profile=world.profile, score=0.5, breakdown={})
    return run


@pytest.mark.django_db
def test_run_compare_defaults_to_the_parent_and_speaks_in_titles_and_pseudonyms(world, what_if):
    c = selectors.run_compare(user=world.nagasaki, pk=what_if.pk)
    assert c.other == world.run and c.problem == ""
    assert [(r.need_title, r.after) for r in c.added] == [("対馬市のRPA導入", "T-AAAA")]
    assert [(r.need_title, r.municipality_names, r.before) for r in c.removed] == \
        [("離島の共同CIO補佐官", "壱岐市、五島市", "T-AAAA")]
    ((changed),) = c.changed
    assert (changed.need_title, changed.before, changed.after) == ("五島市のDX推進", "T-AAAA", "T-BBBB")
    assert (changed.before_score, changed.after_score) == (0.9, 0.6)
    assert c.unchanged == 0
    assert "長崎 太郎" not in repr(c.added + c.removed + c.changed)  # pseudonyms only
    assert c.choices == [world.run]  # the run itself is not offered


@pytest.mark.django_db
def test_run_compare_the_other_way_round_swaps_added_and_removed(world, what_if):
    c = selectors.run_compare(user=world.nagasaki, pk=world.run.pk, other_pk=what_if.pk)
    assert [r.need_title for r in c.added] == ["離島の共同CIO補佐官"]
    assert [r.need_title for r in c.removed] == ["対馬市のRPA導入"]


@pytest.mark.django_db
def test_run_compare_without_a_parent_or_a_choice_compares_nothing_yet(world):
    c = selectors.run_compare(user=world.nagasaki, pk=world.run.pk)
    assert c.other is None and (c.added, c.removed, c.changed, c.unchanged) == ([], [], [], 0)


@pytest.mark.django_db
def test_run_compare_of_empty_runs_and_of_an_unfinished_one(world):
    empty = MatchRun.objects.create(prefecture=world.run.prefecture, status=RunStatus.DONE)
    c = selectors.run_compare(user=world.nagasaki, pk=empty.pk, other_pk=world.run.pk)
    assert (len(c.added), len(c.removed), len(c.changed), c.unchanged) == (0, 2, 0, 0)
    running = MatchRun.objects.create(prefecture=world.run.prefecture, status=RunStatus.RUNNING)
    c = selectors.run_compare(user=world.nagasaki, pk=running.pk, other_pk=empty.pk)
    assert c.problem and not (c.added or c.removed or c.changed)
    assert running not in selectors.run_compare(user=world.nagasaki, pk=empty.pk).choices  # only done runs


@pytest.mark.django_db
def test_a_run_of_another_prefecture_is_not_found_either_side(world):
    hiroshima_run = MatchRun.objects.create(prefecture=Prefecture.objects.get(code="34"), status=RunStatus.DONE)
    with pytest.raises(NotFound):
        selectors.run_compare(user=world.nagasaki, pk=world.run.pk, other_pk=hiroshima_run.pk)
    with pytest.raises(NotFound):
        selectors.run_compare(user=world.nagasaki, pk=hiroshima_run.pk, other_pk=world.run.pk)
    for name in ("hiroshima", "goto", "talent", "national"):
        with pytest.raises(NotFound):
            selectors.run_compare(user=getattr(world, name), pk=world.run.pk)
    assert hiroshima_run not in selectors.run_compare(user=world.nagasaki, pk=world.run.pk).choices


# --- the pages -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_compare_page_shows_the_headings_with_their_counts(world, what_if, client):
    client.force_login(world.nagasaki)
    url = reverse("matching:run_compare", args=[what_if.pk])
    html = client.get(url, {"other": world.run.pk}).content.decode()
    for heading in ("追加された提案（1件）", "なくなった提案（1件）", "人材が変わったニーズ（1件）", "変わらない提案（0件）"):
        assert heading in html
    assert "T-BBBB" in html and "長崎 太郎" not in html
    assert client.get(url).content.decode().count("人材が変わったニーズ（1件）") == 1  # the parent by default


@pytest.mark.django_db
@pytest.mark.parametrize("other", ["abc", "0", "99999999", "１"])
def test_a_junk_or_unknown_other_run_is_not_found(world, client, other):
    client.force_login(world.nagasaki)
    assert client.get(reverse("matching:run_compare", args=[world.run.pk]), {"other": other}).status_code == 404


@pytest.mark.django_db
def test_another_prefectures_run_on_the_compare_page_is_not_found(world, client):
    hiroshima_run = MatchRun.objects.create(prefecture=Prefecture.objects.get(code="34"), status=RunStatus.DONE)
    client.force_login(world.nagasaki)
    url = reverse("matching:run_compare", args=[world.run.pk])
    assert client.get(url, {"other": hiroshima_run.pk}).status_code == 404


@pytest.mark.django_db
def test_the_run_page_leads_to_the_comparison(world, what_if, client):
    client.force_login(world.nagasaki)
    html = client.get(reverse("matching:run_detail", args=[what_if.pk])).content.decode()
    assert "元の実行と比べる" in html
    assert f'{reverse("matching:run_compare", args=[what_if.pk])}?other={world.run.pk}' in html
    assert 'id="compare-other"' in html  # and a choice of any other run
    parent_html = client.get(reverse("matching:run_detail", args=[world.run.pk])).content.decode()
    assert "元の実行と比べる" not in parent_html and 'id="compare-other"' in parent_html
