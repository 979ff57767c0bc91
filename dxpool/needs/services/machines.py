"""The status machines of needs and job descriptions: every status change in dxpool.needs goes through these.

Need: a need is open for matching, filled when both sides accept a proposal (`need_fill`, never by hand),
closed by the prefecture's secretariat or when its JD is withdrawn, and reopened from closed. A filled need
may still be closed (the dispatch ended early); a closed need is never filled: an acceptance that arrives after
the secretariat closed the need is refused, and the secretariat reopens it first if the match still stands.

JD: a draft is submitted (opening its need) or withdrawn; a submitted JD may be withdrawn (closing its need);
a withdrawn JD is final.
"""

from __future__ import annotations

from dxpool.core.audit import AuditAction
from dxpool.core.machine import Machine, table
from dxpool.needs.models import JDStatus, JobDescription, Need, NeedStatus

NEED_MACHINE = Machine(
    name="need", label="ニーズ", model=Need, choices=NeedStatus,
    table=table({
        NeedStatus.OPEN: [NeedStatus.CLOSED, NeedStatus.FILLED],
        NeedStatus.FILLED: [NeedStatus.CLOSED],
        NeedStatus.CLOSED: [NeedStatus.OPEN],
    }),
    audit_action=AuditAction.NEED_STATUS, prefecture=lambda need: need.prefecture,
)

JD_MACHINE = Machine(
    name="jd", label="ジョブディスクリプション", model=JobDescription, choices=JDStatus,
    table=table({
        JDStatus.DRAFT: [JDStatus.SUBMITTED, JDStatus.WITHDRAWN],
        JDStatus.SUBMITTED: [JDStatus.WITHDRAWN],
        JDStatus.WITHDRAWN: [],
    }),
    # jd_submit and jd_withdraw move with audit=False and write their own, richer events (JD_SUBMIT with the
    # version and the need, JD_WITHDRAW with the reason); JD_STATUS is for any other caller.
    audit_action=AuditAction.JD_STATUS, prefecture=lambda jd: jd.prefecture,
)

# The tables as plain data, under the names the services module used to export.
NEED_TRANSITIONS = NEED_MACHINE.table
JD_TRANSITIONS = JD_MACHINE.table
