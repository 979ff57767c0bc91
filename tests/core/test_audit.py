"""dxpool.core.audit: typed actions only, and what an event records."""

import pytest

from dxpool.core.audit import AuditAction, audit_record
from dxpool.core.models import AuditEvent
from dxpool.places.models import Prefecture

pytestmark = pytest.mark.django_db


def test_free_text_actions_are_refused():
    with pytest.raises(TypeError, match="AuditAction"):
        audit_record(actor=None, action="need.status")
    assert not AuditEvent.objects.exists()


def test_an_event_records_actor_target_prefecture_detail_and_address(rf, nagasaki_user):
    pref = Prefecture.objects.get(code="42")
    request = rf.get("/", REMOTE_ADDR="192.0.2.7")
    event = audit_record(actor=nagasaki_user, action=AuditAction.HEARING_EXPORT, target=pref, prefecture=pref,
                         detail={"rows": 3}, request=request)
    event.refresh_from_db()
    assert event.action == "hearing.export" and event.actor == nagasaki_user
    assert (event.target_type, event.target_id) == ("places.prefecture", str(pref.pk))
    assert event.prefecture == pref and event.detail == {"rows": 3} and event.ip_address == "192.0.2.7"


def test_an_anonymous_or_system_actor_is_stored_as_none():
    from django.contrib.auth.models import AnonymousUser

    assert audit_record(actor=AnonymousUser(), action=AuditAction.MATCHRUN_STATUS).actor is None
    assert audit_record(actor=None, action=AuditAction.MATCHRUN_STATUS).actor is None


def test_action_values_are_unique_dotted_names_that_fit_the_column():
    values = [a.value for a in AuditAction]
    assert len(values) == len(set(values))
    max_length = AuditEvent._meta.get_field("action").max_length
    for v in values:
        assert v == v.lower() and "." in v and len(v) <= max_length, v


def test_behind_a_proxy_the_client_address_is_recorded_not_the_proxys(rf, settings):
    settings.DXPOOL_CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.DXPOOL_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.5")
    # The right-most entry is the one our proxy appended; the left one could be forged by the client.
    assert audit_record(actor=None, action=AuditAction.HEARING_EXPORT, request=request).ip_address == "203.0.113.5"
