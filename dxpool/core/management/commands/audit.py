"""`dxpool audit`: read the audit trail — who did what to which record, when — one JSON object per line.

Actions are the typed AuditAction values (`dxpool audit --list-actions` prints them), so a report can filter
on them without guessing spellings; an unknown action is refused (exit 2) rather than silently matching
nothing.
"""

import json
from datetime import date

from dxpool.core.audit import AuditAction
from dxpool.core.commands import DxpoolCommand, InputError
from dxpool.core.selectors import audit_events

LIMIT_MAX = 100_000


def _date(value: str, flag: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{flag} takes a date as YYYY-MM-DD, not {value!r}") from None


class Command(DxpoolCommand):
    help = "監査ログを表示します (Show the audit trail as JSON lines, newest first)."

    def add_arguments(self, parser):
        parser.add_argument("--action", action="append", default=[],
                            help='an action (e.g. need.status) or a prefix ending in "." (e.g. "need."); repeatable')
        parser.add_argument("--prefecture", help="2-digit prefecture code (e.g. 42)")
        parser.add_argument("--since", help="first day, YYYY-MM-DD")
        parser.add_argument("--until", help="last day, YYYY-MM-DD")
        parser.add_argument("--limit", type=int, default=100, help=f"at most this many events (1–{LIMIT_MAX:,})")
        parser.add_argument("--list-actions", action="store_true", help="print every action name and exit")

    def handle(self, *args, **o):
        if o["list_actions"]:
            for action in AuditAction:
                self.stdout.write(action.value)
            return
        known = {a.value for a in AuditAction}
        prefixes = {a.value.split(".")[0] + "." for a in AuditAction} | {
            a.value.rsplit(".", 1)[0] + "." for a in AuditAction}
        for a in o["action"]:
            if a not in known and a not in prefixes:
                raise InputError(f"unknown audit action {a!r} (see `dxpool audit --list-actions`)")
        if not 1 <= o["limit"] <= LIMIT_MAX:
            raise InputError(f"--limit must be between 1 and {LIMIT_MAX:,}")
        pref = o.get("prefecture")
        if pref is not None and not (pref.isdigit() and 1 <= int(pref) <= 47):
            raise InputError(f"--prefecture takes a code from 01 to 47, not {pref!r}")
        events = audit_events(
            actions=o["action"], prefecture_code=pref.zfill(2) if pref else None,
            since=_date(o["since"], "--since") if o.get("since") else None,
            until=_date(o["until"], "--until") if o.get("until") else None, limit=o["limit"])
        for e in events:
            self.stdout.write(json.dumps({
                "at": e.at.isoformat(), "action": e.action, "actor": e.actor.username if e.actor else None,
                "target": f"{e.target_type}:{e.target_id}" if e.target_type else None,
                "prefecture": e.prefecture.code if e.prefecture else None, "detail": e.detail,
                "ip": e.ip_address,
            }, ensure_ascii=False, default=str))
