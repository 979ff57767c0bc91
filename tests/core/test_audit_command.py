"""`dxpool audit`: the trail as JSON lines, filtered on typed actions; bad input is one line and exit 2."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dxpool.core.audit import AuditAction, audit_record
from dxpool.places.models import Prefecture

pytestmark = pytest.mark.django_db


def _run(*args) -> list[dict]:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.fixture
def trail(nagasaki_user, hiroshima_user):
    nagasaki, hiroshima = Prefecture.objects.get(code="42"), Prefecture.objects.get(code="34")
    audit_record(actor=nagasaki_user, action=AuditAction.NEED_STATUS, target=nagasaki, prefecture=nagasaki,
                 detail={"from": "open", "to": "closed"})
    audit_record(actor=nagasaki_user, action=AuditAction.NEED_CREATE, prefecture=nagasaki)
    audit_record(actor=hiroshima_user, action=AuditAction.HEARING_EXPORT, prefecture=hiroshima)


def test_filters_by_action_prefix_and_prefecture(trail):
    assert [e["action"] for e in _run()] == ["hearing.export", "need.create", "need.status"]
    assert [e["action"] for e in _run("--action", "need.")] == ["need.create", "need.status"]
    (event,) = _run("--action", "need.status")
    assert event["detail"] == {"from": "open", "to": "closed"} and event["prefecture"] == "42"
    assert event["target"].startswith("places.prefecture:")
    assert [e["action"] for e in _run("--prefecture", "34")] == ["hearing.export"]
    assert len(_run("--limit", "1")) == 1


def test_list_actions_prints_every_typed_action():
    out = StringIO()
    call_command("audit", "--list-actions", stdout=out)
    assert out.getvalue().split() == [a.value for a in AuditAction]


@pytest.mark.parametrize("args", [["--action", "need.stauts"], ["--since", "2026/01/01"], ["--limit", "0"],
                                  ["--prefecture", "99"]])
def test_bad_input_is_refused_with_exit_code_2(args):
    with pytest.raises(CommandError) as info:
        call_command("audit", *args)
    assert info.value.returncode == 2
