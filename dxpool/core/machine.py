"""Status machines: one helper behind every status change in dxpool.

A `Machine` is an explicit table of allowed moves for one model's status field. `Machine.transition` is the
only way a status changes: it locks the row (`select_for_update`), re-reads the state under the lock, checks
the table, stamps `<state>_at` where the model has that field, keeps a history row and writes the audit event,
all in the caller's transaction. An illegal move is refused with a Japanese message that names the states
that are allowed, so a user knows what to do next.

The tables are data, not code paths: pages ask `machine.allowed(state)` to offer only moves that will succeed,
and tests enumerate every (from, to) pair against the table (`tests/core/test_machine.py` and one test per
machine in its app).

Who may move a record is not the machine's business: services check their permission predicates first
(`dxpool.<app>.permissions`) and then call the machine, so that a system actor (the worker finishing a run,
an accepted proposal filling a need) goes through the same table as a person.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.errors import Conflict, ValidationError

# (obj, from_state, to_state, at, actor, note) → None: writes the machine's own history row.
HistoryWriter = Callable[[Any, str, str, datetime, Any, str], None]


def _no_prefecture(obj: Any) -> Any:
    return None


@dataclass(frozen=True)
class Machine:
    """One model's status machine: its table, and how a move is recorded."""

    name: str
    """Short code used in history rows and the documentation (e.g. "need")."""
    label: str
    """What the record is called in messages (e.g. 「ニーズ」)."""
    model: type[models.Model]
    choices: type[models.TextChoices]
    table: Mapping[str, frozenset[str]]
    audit_action: AuditAction
    field: str = "status"
    history: HistoryWriter | None = None
    prefecture: Callable[[Any], Any] = _no_prefecture
    """Which prefecture's audit trail a move belongs to."""
    stamps: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """Timestamp field per state when it is not `<state>_at` (e.g. {"running": "started_at"})."""

    def __post_init__(self) -> None:
        states = set(self.choices.values)
        # A table that names a state the model does not have, or forgets one, is a programming error: fail at
        # import, not when a user first meets the missing row.
        if set(self.table) != states:
            raise ValueError(f"{self.name}: table rows {sorted(self.table)} != states {sorted(states)}")
        for source, targets in self.table.items():
            unknown = set(targets) - states
            if unknown:
                raise ValueError(f"{self.name}: {source} → unknown states {sorted(unknown)}")
            if source in targets:
                raise ValueError(f"{self.name}: {source} → itself is not a move")

    # --- reading the table ------------------------------------------------------------------------------

    @property
    def states(self) -> list[str]:
        return list(self.choices.values)

    def state_label(self, state: str) -> str:
        return str(dict(self.choices.choices).get(state, state))

    def allowed(self, state: str) -> list[str]:
        """The states reachable in one move from `state`, in the order of the choices."""
        targets = self.table.get(state, frozenset())
        return [s for s in self.choices.values if s in targets]

    def can(self, source: str, target: str) -> bool:
        return target in self.table.get(source, frozenset())

    def is_final(self, state: str) -> bool:
        return not self.table.get(state)

    def as_dict(self) -> dict[str, list[str]]:
        """The table as plain data (for pages, the API and the documentation)."""
        return {s: self.allowed(s) for s in self.states}

    def check(self, source: str, target: str) -> None:
        """Raise the user-facing refusal for an illegal move; return quietly for a legal one."""
        if target not in self.choices.values:
            raise ValidationError(f"{self.label}の状態「{target}」はありません。", field=self.field)
        if not self.can(source, target):
            allowed = "、".join(self.state_label(s) for s in self.allowed(source)) or "なし（終了状態）"
            raise Conflict(f"{self.label}を「{self.state_label(source)}」から「{self.state_label(target)}」には"
                           f"変更できません。変更できる状態: {allowed}", code="IllegalTransition")

    # --- moving -------------------------------------------------------------------------------------------

    def stamp_field(self, state: str) -> str | None:
        name = self.stamps.get(state, f"{state}_at")
        try:
            self.model._meta.get_field(name)
        except Exception:  # FieldDoesNotExist: this state keeps no timestamp of its own
            return None
        return name

    def transition(self, *, obj: models.Model, to: str, actor: Any = None, note: str = "",
                   at: datetime | None = None, detail: Mapping[str, Any] | None = None,
                   guard: Callable[[Any], None] | None = None,
                   update: Mapping[str, Any] | None = None, audit: bool = True) -> Any:
        """Move `obj` to `to` and return the freshly locked, saved row.

        `guard(locked_obj)` runs under the lock after the table check, for rules beyond the table (e.g. "the
        training must be completed before pooling"); it raises a DomainError to refuse. `update` sets more
        fields in the same save (e.g. a reason or who decided). `audit=False` is for moves whose service writes
        a richer audit event itself.
        """
        with transaction.atomic():
            locked = self.model._default_manager.select_for_update().get(pk=obj.pk)
            current = getattr(locked, self.field)
            self.check(current, to)
            if guard is not None:
                guard(locked)
            now = at or timezone.now()
            setattr(locked, self.field, to)
            fields = {self.field}
            stamp = self.stamp_field(to)
            if stamp:
                setattr(locked, stamp, now)
                fields.add(stamp)
            for name, value in (update or {}).items():
                setattr(locked, name, value)
                fields.add(name)
            if _has_field(self.model, "updated_at"):
                fields.add("updated_at")
            locked.save(update_fields=sorted(fields))
            if self.history is not None:
                self.history(locked, current, to, now, actor, note)
            else:
                _generic_history(self, locked, current, to, now, actor, note)
            if audit:
                audit_record(actor=actor, action=self.audit_action, target=locked,
                             prefecture=self.prefecture(locked),
                             detail={"from": current, "to": to, **({"note": note} if note else {}),
                                     **dict(detail or {})})
        # Keep the caller's instance in step, so code holding `obj` does not act on a stale status.
        for name in fields:
            setattr(obj, name, getattr(locked, name))
        return locked


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _generic_history(machine: Machine, obj: Any, source: str, target: str, at: datetime, actor: Any,
                     note: str) -> None:
    from dxpool.core.models import StatusHistory

    StatusHistory.objects.create(machine=machine.name, target_id=str(obj.pk), from_status=source,
                                 to_status=target, at=at,
                                 actor=actor if getattr(actor, "is_authenticated", False) else None, note=note)


def table(rows: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    """Build a machine table from {state: [targets]} (values may be TextChoices members)."""
    return {str(k): frozenset(str(v) for v in vs) for k, vs in rows.items()}


def history_of(machine: Machine, obj: models.Model):
    """The generic history rows of one record, oldest first."""
    from dxpool.core.models import StatusHistory

    return StatusHistory.objects.filter(machine=machine.name, target_id=str(obj.pk)).order_by("at", "id")
