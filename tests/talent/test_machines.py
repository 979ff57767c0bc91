"""The talent app's status machines (dxpool.talent.machines), pair by pair, through the services.

Every (from, to) pair of states is tried: a move the table allows happens (status, `<state>_at`, history row,
audit event); any other is refused with a Conflict that names both states, and nothing is written. The tables
are also pinned here, so changing one is a deliberate act that shows up in a test.
"""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from dxpool.core.errors import Conflict, Forbidden, ValidationError
from dxpool.core.machine import history_of
from dxpool.core.models import AuditEvent, StatusHistory
from dxpool.talent import services
from dxpool.talent.machines import APPLICATION_MACHINE, ROUND_MACHINE
from dxpool.talent.models import Application, RecruitmentRound, RoundStatus, StatusChange
from dxpool.talent.models import ApplicationStatus as S

pytestmark = pytest.mark.django_db

APPLICATION_EXPECTED = {
    S.APPLIED: {S.SCREENING, S.WITHDRAWN, S.REJECTED},
    S.SCREENING: {S.SELECTED, S.REJECTED, S.WITHDRAWN},
    S.SELECTED: {S.IN_TRAINING, S.WITHDRAWN},
    S.IN_TRAINING: {S.POOLED, S.WITHDRAWN},
    S.POOLED: {S.DISPATCHED, S.ENDED, S.WITHDRAWN},
    S.DISPATCHED: {S.POOLED, S.ENDED},
    S.ENDED: set(),
    S.WITHDRAWN: set(),
    S.REJECTED: set(),
}
ROUND_EXPECTED = {
    RoundStatus.DRAFT: {RoundStatus.OPEN},
    RoundStatus.OPEN: {RoundStatus.CLOSED},
    RoundStatus.CLOSED: {RoundStatus.OPEN},
}
STAMPS = [f"{s}_at" for s in S.values if s != S.APPLIED]


def test_tables_are_the_documented_ones():
    assert {k: set(v) for k, v in APPLICATION_MACHINE.table.items()} == APPLICATION_EXPECTED
    assert {k: set(v) for k, v in ROUND_MACHINE.table.items()} == ROUND_EXPECTED
    # Pages read the table in the choices' order.
    assert APPLICATION_MACHINE.allowed(S.APPLIED) == [S.SCREENING, S.WITHDRAWN, S.REJECTED]


@pytest.mark.parametrize(("source", "target"), list(itertools.product(S.values, repeat=2)))
def test_application_every_pair_follows_the_table(source, target, make_application, nagasaki_user):
    app = make_application()
    # Put the application in `source` directly (test set-up, not a move), trained so the pooling guard does not
    # decide; the guard has its own test below.
    Application.objects.filter(pk=app.pk).update(status=source, training_completed_at=timezone.now(),
                                                 **{f: None for f in STAMPS})
    app.refresh_from_db()
    changes, events = StatusChange.objects.count(), AuditEvent.objects.count()
    if target in APPLICATION_EXPECTED[source]:
        moved = services.application_transition(actor=nagasaki_user, application=app, to_status=target, note="メモ")
        stored = Application.objects.get(pk=app.pk)
        assert moved.status == stored.status == target
        assert getattr(stored, f"{target}_at") is not None
        change = StatusChange.objects.latest("id")
        assert (change.application_id, change.from_status, change.to_status, change.by, change.note) == (
            app.pk, source, target, nagasaki_user, "メモ")
        assert change.at == getattr(stored, f"{target}_at")
        event = AuditEvent.objects.latest("id")
        assert event.action == "application.transition" and event.target_id == str(app.pk)
        assert (event.detail["from"], event.detail["to"]) == (source, target)
        assert event.prefecture.code == "42"
        assert StatusChange.objects.count() == changes + 1 and AuditEvent.objects.count() == events + 1
    else:
        with pytest.raises(Conflict) as info:
            services.application_transition(actor=nagasaki_user, application=app, to_status=target)
        message = info.value.message
        assert f"「{S(source).label}」から「{S(target).label}」には変更できません" in message
        stored = Application.objects.get(pk=app.pk)
        assert stored.status == source and all(getattr(stored, f) is None for f in STAMPS)
        assert StatusChange.objects.count() == changes and AuditEvent.objects.count() == events


def test_pooling_needs_the_training_guard(make_application, nagasaki_user):
    app = make_application()
    Application.objects.filter(pk=app.pk).update(status=S.IN_TRAINING)
    app.refresh_from_db()
    changes, events = StatusChange.objects.count(), AuditEvent.objects.count()
    with pytest.raises(Conflict, match="研修を修了していない"):
        services.application_transition(actor=nagasaki_user, application=app, to_status=S.POOLED)
    assert Application.objects.get(pk=app.pk).status == S.IN_TRAINING
    assert (StatusChange.objects.count(), AuditEvent.objects.count()) == (changes, events)


def test_unknown_state_and_other_prefecture_write_nothing(make_application, nagasaki_user, hiroshima_user):
    app = make_application()
    changes, events = StatusChange.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="ありません"):
        services.application_transition(actor=nagasaki_user, application=app, to_status="astronaut")
    with pytest.raises(Forbidden):
        services.application_transition(actor=hiroshima_user, application=app, to_status=S.SCREENING)
    assert (StatusChange.objects.count(), AuditEvent.objects.count()) == (changes, events)


def _round(actor, status: str) -> RecruitmentRound:
    rnd = services.round_create(actor=actor, data={
        "title": "機械の公募", "personas": ["engineer"], "duties": "支援", "appointment_forms": ["contract"],
        "deadline": timezone.now() + timedelta(days=10)})
    RecruitmentRound.objects.filter(pk=rnd.pk).update(status=status)
    rnd.refresh_from_db()
    return rnd


@pytest.mark.parametrize(("source", "target"), list(itertools.product(RoundStatus.values, repeat=2)))
def test_round_every_pair_follows_the_table(source, target, nagasaki_user):
    rnd = _round(nagasaki_user, source)
    events = AuditEvent.objects.count()
    if target in ROUND_EXPECTED[source]:
        services.round_set_status(actor=nagasaki_user, rnd=rnd, status=target)
        assert rnd.status == RecruitmentRound.objects.get(pk=rnd.pk).status == target
        # Rounds keep no per-state timestamp field, so the history row is where the time of the move lives.
        assert ROUND_MACHINE.stamp_field(target) is None
        (row,) = history_of(ROUND_MACHINE, rnd)
        assert (row.from_status, row.to_status, row.actor) == (source, target, nagasaki_user)
        event = AuditEvent.objects.latest("id")
        assert event.action == "round.status" and event.target_id == str(rnd.pk)
        assert (event.detail["from"], event.detail["to"]) == (source, target)
        assert event.prefecture.code == "42" and AuditEvent.objects.count() == events + 1
    else:
        with pytest.raises(Conflict) as info:
            services.round_set_status(actor=nagasaki_user, rnd=rnd, status=target)
        assert (f"「{RoundStatus(source).label}」から「{RoundStatus(target).label}」には変更できません"
                in info.value.message)
        assert RecruitmentRound.objects.get(pk=rnd.pk).status == source
        assert not history_of(ROUND_MACHINE, rnd).exists() and AuditEvent.objects.count() == events


def test_round_opens_only_before_its_deadline(nagasaki_user):
    rnd = _round(nagasaki_user, RoundStatus.CLOSED)
    RecruitmentRound.objects.filter(pk=rnd.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    rnd.refresh_from_db()
    events, history = AuditEvent.objects.count(), StatusHistory.objects.count()
    with pytest.raises(ValidationError, match="応募締切が過ぎています") as info:
        services.round_set_status(actor=nagasaki_user, rnd=rnd, status=RoundStatus.OPEN)
    assert info.value.field == "deadline"
    assert RecruitmentRound.objects.get(pk=rnd.pk).status == RoundStatus.CLOSED
    assert (AuditEvent.objects.count(), StatusHistory.objects.count()) == (events, history)


def test_round_moves_are_the_secretariats(nagasaki_user, hiroshima_user, goto_user):
    rnd = _round(nagasaki_user, RoundStatus.DRAFT)
    for other in (hiroshima_user, goto_user):
        with pytest.raises(Forbidden):
            services.round_set_status(actor=other, rnd=rnd, status=RoundStatus.OPEN)
    assert RecruitmentRound.objects.get(pk=rnd.pk).status == RoundStatus.DRAFT
