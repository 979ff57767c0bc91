"""The status machines of needs and job descriptions: every (from, to) pair against the table the issue sets
out, the services that move along them (close/reopen, fill, submit, withdraw), timestamps, history and audit."""

import itertools

import pytest
from django.utils import timezone

from dxpool.core.errors import Conflict, DomainError, Forbidden
from dxpool.core.machine import history_of
from dxpool.core.models import AuditEvent
from dxpool.needs import services
from dxpool.needs.models import JDStatus, JobDescription, Need, NeedStatus
from dxpool.needs.services.machines import JD_MACHINE, NEED_MACHINE
from tests.needs.builders import make_jd, municipality, tick_all

pytestmark = pytest.mark.django_db

# Written out here rather than read from the machines, so a change of either shows up as a failing test.
NEED_TABLE = {
    NeedStatus.OPEN: {NeedStatus.CLOSED, NeedStatus.FILLED},
    NeedStatus.FILLED: {NeedStatus.CLOSED},
    NeedStatus.CLOSED: {NeedStatus.OPEN},
}
JD_TABLE = {
    JDStatus.DRAFT: {JDStatus.SUBMITTED, JDStatus.WITHDRAWN},
    JDStatus.SUBMITTED: {JDStatus.WITHDRAWN},
    JDStatus.WITHDRAWN: set(),
}
NEED_PAIRS = list(itertools.product(NeedStatus.values, repeat=2))
JD_PAIRS = list(itertools.product(JDStatus.values, repeat=2))


def make_need(actor, status=NeedStatus.OPEN) -> Need:
    need = services.need_create(actor=actor, title="RPA", persona="engineer", hours_per_week=8,
                                municipality_codes=[municipality("五島市").code])
    Need.objects.filter(pk=need.pk).update(status=status)
    need.refresh_from_db()
    return need


def test_tables_are_the_documented_ones():
    assert {s: set(t) for s, t in NEED_MACHINE.table.items()} == NEED_TABLE
    assert {s: set(t) for s, t in JD_MACHINE.table.items()} == JD_TABLE
    assert NEED_MACHINE.as_dict() == {"open": ["filled", "closed"], "filled": ["closed"], "closed": ["open"]}
    assert JD_MACHINE.is_final(JDStatus.WITHDRAWN)


@pytest.mark.parametrize(("source", "target"), NEED_PAIRS)
def test_need_machine_every_pair(source, target, nagasaki_user):
    need = make_need(nagasaki_user, source)
    if target in NEED_TABLE[source]:
        NEED_MACHINE.transition(obj=need, to=target, actor=nagasaki_user)
        assert Need.objects.get(pk=need.pk).status == target == need.status
        (row,) = history_of(NEED_MACHINE, need)
        assert (row.from_status, row.to_status, row.actor) == (source, target, nagasaki_user)
        stamp = {NeedStatus.FILLED: "filled_at", NeedStatus.CLOSED: "closed_at"}.get(target)
        if stamp:
            assert getattr(Need.objects.get(pk=need.pk), stamp) is not None
    else:
        with pytest.raises(Conflict):
            NEED_MACHINE.transition(obj=need, to=target, actor=nagasaki_user)
        assert Need.objects.get(pk=need.pk).status == source
        assert not history_of(NEED_MACHINE, need).exists()


@pytest.mark.parametrize(("source", "target"), JD_PAIRS)
def test_jd_machine_every_pair(source, target, goto_user):
    jd = make_jd(goto_user)
    JobDescription.objects.filter(pk=jd.pk).update(
        status=source, submitted_at=timezone.now() if source == JDStatus.SUBMITTED else None)
    jd.refresh_from_db()
    if target in JD_TABLE[source]:
        JD_MACHINE.transition(obj=jd, to=target, actor=goto_user)
        moved = JobDescription.objects.get(pk=jd.pk)
        assert moved.status == target
        stamp = {JDStatus.SUBMITTED: "submitted_at", JDStatus.WITHDRAWN: "withdrawn_at"}.get(target)
        if stamp:
            assert getattr(moved, stamp) is not None
        assert AuditEvent.objects.filter(action="jd.status", target_id=str(jd.pk)).count() == 1
    else:
        with pytest.raises(Conflict):
            JD_MACHINE.transition(obj=jd, to=target, actor=goto_user)
        assert JobDescription.objects.get(pk=jd.pk).status == source


@pytest.mark.parametrize(("source", "target"), NEED_PAIRS)
def test_need_set_status_every_pair_but_never_filled_by_hand(source, target, nagasaki_user):
    need = make_need(nagasaki_user, source)
    allowed = NEED_TABLE[source] - {NeedStatus.FILLED}
    if target in allowed:
        services.need_set_status(actor=nagasaki_user, need=need, status=target)
        assert Need.objects.get(pk=need.pk).status == target
        event = AuditEvent.objects.filter(action="need.status").latest("id")
        assert (event.detail["from"], event.detail["to"]) == (source, target)
    else:
        with pytest.raises(Conflict):
            services.need_set_status(actor=nagasaki_user, need=need, status=target)
        assert Need.objects.get(pk=need.pk).status == source


def test_need_set_status_is_the_secretariats_and_refuses_unknown_states(nagasaki_user, hiroshima_user, goto_user):
    need = make_need(nagasaki_user)
    for actor in (hiroshima_user, goto_user):
        with pytest.raises(Forbidden):
            services.need_set_status(actor=actor, need=need, status=NeedStatus.CLOSED)
    with pytest.raises(DomainError):
        services.need_set_status(actor=nagasaki_user, need=need, status="archived")
    assert Need.objects.get(pk=need.pk).status == NeedStatus.OPEN


@pytest.mark.parametrize("source", NeedStatus.values)
def test_need_fill_only_from_open(source, nagasaki_user, goto_user):
    need = make_need(nagasaki_user, source)
    if source == NeedStatus.OPEN:
        filled = services.need_fill(need=need, actor=goto_user)
        assert filled.status == need.status == NeedStatus.FILLED and filled.filled_at is not None
        (row,) = history_of(NEED_MACHINE, need)
        assert (row.from_status, row.to_status) == (NeedStatus.OPEN, NeedStatus.FILLED)
    else:
        with pytest.raises(Conflict):
            services.need_fill(need=need, actor=goto_user)
        assert Need.objects.get(pk=need.pk).status == source


def test_a_closed_need_is_never_filled(nagasaki_user, goto_user):
    """The defect of issue 11: a need closed after its proposals were sent became FILLED on acceptance."""
    need = make_need(nagasaki_user)
    services.need_set_status(actor=nagasaki_user, need=need, status=NeedStatus.CLOSED)
    with pytest.raises(Conflict, match="このニーズは終了しているため、提案を受諾できません") as exc:
        services.need_fill(need=need, actor=goto_user)
    assert "再開を依頼" in exc.value.message
    assert Need.objects.get(pk=need.pk).status == NeedStatus.CLOSED
    # Reopened by the secretariat, the same acceptance goes through.
    services.need_set_status(actor=nagasaki_user, need=need, status=NeedStatus.OPEN)
    assert services.need_fill(need=need, actor=goto_user).status == NeedStatus.FILLED


def test_submit_and_withdraw_go_through_both_machines(goto_user, nagasaki_user):
    jd = make_jd(goto_user)
    need = services.jd_submit(actor=goto_user, jd=tick_all(goto_user, jd))
    jd.refresh_from_db()
    assert jd.status == JDStatus.SUBMITTED and jd.submitted_by == goto_user and jd.submitted_at
    assert [(h.from_status, h.to_status) for h in history_of(JD_MACHINE, jd)] == [("draft", "submitted")]
    services.jd_withdraw(actor=goto_user, jd=jd, reason="予算")
    need.refresh_from_db()
    jd.refresh_from_db()
    assert need.status == NeedStatus.CLOSED and need.closed_at is not None and jd.withdrawn_at is not None
    assert [(h.from_status, h.to_status) for h in history_of(NEED_MACHINE, need)] == [("open", "closed")]
    assert [h.note for h in history_of(JD_MACHINE, jd)] == ["", "予算"]
    assert AuditEvent.objects.filter(action="need.status", target_id=str(need.pk)).count() == 1
    assert AuditEvent.objects.filter(action="jd.withdraw", target_id=str(jd.pk)).count() == 1


def test_withdrawing_a_jd_whose_need_was_closed_leaves_it_closed(goto_user, nagasaki_user):
    jd = make_jd(goto_user)
    need = services.jd_submit(actor=goto_user, jd=tick_all(goto_user, jd))
    services.need_set_status(actor=nagasaki_user, need=need, status=NeedStatus.CLOSED)
    services.jd_withdraw(actor=goto_user, jd=jd)
    assert JobDescription.objects.get(pk=jd.pk).status == JDStatus.WITHDRAWN
    assert [(h.from_status, h.to_status) for h in history_of(NEED_MACHINE, need)] == [("open", "closed")]


def test_withdrawn_jd_is_final(goto_user):
    jd = tick_all(goto_user, make_jd(goto_user))
    services.jd_withdraw(actor=goto_user, jd=jd)
    with pytest.raises(Conflict, match="取下げ"):
        services.jd_withdraw(actor=goto_user, jd=jd)
    with pytest.raises(Conflict, match="なし（終了状態）"):  # the table is checked before the checklist
        services.jd_submit(actor=goto_user, jd=jd)
    assert not Need.objects.exists()
