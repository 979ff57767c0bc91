"""The permission matrix: every route of the URL configuration and every operation of the OpenAPI document,
asked by every role — on an object of the user's own tenant and on one of another tenant — gets the answer
written in the tables below.

The tables are the rule book. A route or an API operation without a row fails
`test_every_route_declares_its_rule` / `test_every_api_operation_declares_its_rule`, so every new route must
declare its rule here; a row naming a route that no longer exists fails too. A key may carry a variant,
"needs:jd_edit#joint", to ask a route about an object with rules of its own (a joint JD, a draft round).

Each expectation is written per role, in the order of the column header

    R(anonymous, talent, officer, prefecture, national)

and, where the route names an object, either one answer for both tenants or a pair (own tenant, other
tenant). "Own" is 五島市 / 長崎県 / talent A; "other" is 広島県 / talent B — except for the municipal officer,
whose other tenant for municipal records (hearings, JDs, needs, groupings, proposals, municipality pages) is
the sibling 壱岐市 of the same prefecture (see matrix_fixtures.py).

Answers (pages):
    OK       200
    LOGIN    a redirect to the log-in page
    NO / NF  403 / 404 (404 also means "outside your scope": scope never reveals that a record exists)
    ALLOWED  the role gate let the write through: not 401/403/404, not 5xx, not a log-in redirect. Pages and
             write operations are sent an empty or minimal body, so a form re-shown with errors (200), a
             redirect with a message, or a 400/409/422 all count as allowed.
    REFUSED  a redirect with an error message: the view turned a refusal into a flash message, not a 403
    to(path) a redirect to that path (not the log-in page)
Answers (API, Bearer token): 200 / 401 / 403 / 404 exactly, or ALLOWED as above.

Pages are fetched with GET; POST-only routes and the POST side of form pages get an empty POST (the test
client does not enforce CSRF; the role gate is what is checked). API writes get the smallest body the
OpenAPI schema accepts, with the overrides in the row (e.g. the tenant's municipality code) so the request
reaches the permission check instead of stopping at schema validation.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlparse

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dxpool.core.api import api
from tests.core.matrix_fixtures import KINDS, ROLES, World, build_world

# --- answers -----------------------------------------------------------------------------------------------

OK, NO, NF, UNAUTH, NOT_ALLOWED = "200", "403", "404", "401", "405"
LOGIN, ALLOWED, REFUSED = "login", "allowed", "refused"


def to(path: str) -> str:
    """A redirect to `path` (compared without the query string)."""
    return "to:" + path


def R(anonymous, talent, officer, prefecture, national) -> tuple:  # named like the column header it stands for
    return (anonymous, talent, officer, prefecture, national)


ALL_OK = R(OK, OK, OK, OK, OK)
STAFF_OK = R(LOGIN, NO, OK, OK, OK)  # any staff role, no tenant involved (the selector scopes the list)
API_ANY = R(UNAUTH, OK, OK, OK, OK)  # any signed-in caller; lists are scoped (talent gets an empty page)


@dataclass(frozen=True)
class Page:
    """A row for a page: the object kind its URL names (None: no object), and the answers per method."""

    obj: str | None = None
    GET: tuple | None = None  # the HTTP method, as written in the table
    POST: tuple | None = None
    query: dict = field(default_factory=dict)  # "{code}", "{pk}", "{pref}" are filled from the object
    data: dict = field(default_factory=dict)  # POST body (empty unless the gate sits behind form validation)
    upload: bool = False  # POST a small PDF as "file"


@dataclass(frozen=True)
class Op:
    """A row for an API operation."""

    obj: str | None
    expect: tuple
    query: dict = field(default_factory=dict)
    body: dict = field(default_factory=dict)  # overrides on the minimal body; strings may hold placeholders


# --- the table: pages --------------------------------------------------------------------------------------

BACK = to("/talent/rounds/{pk}/")  # the round's page, where staff who open "apply" are sent with a message
SIGNUP = to("/talent/signup/")
HOME = to("/")
OWN_OK, OWN_ALLOWED = (OK, NF), (ALLOWED, NF)  # the own tenant's object; another tenant's is not found

#                                                       R(anonymous, talent, officer, prefecture, national)
PAGES: dict[str, Page] = {
    # Site shell. Django's admin is gated by is_staff, not by dxpool's roles: only its index is checked (no
    # dxpool role is staff, so everyone is sent to the admin's own log-in); its per-model routes follow the
    # admin registrations and are not walked.
    "home": Page(GET=ALL_OK),  # visitors get the public front page (open rounds only, no personal data)
    "healthz": Page(GET=ALL_OK),
    "/favicon.ico": Page(GET=R(*[to("/static/img/favicon.svg")] * 5)),
    "login": Page(GET=R(OK, HOME, HOME, HOME, HOME), POST=R(OK, HOME, HOME, HOME, HOME)),
    "logout": Page(GET=R(*[NOT_ALLOWED] * 5), POST=R(*[to("/login/")] * 5)),  # POST only: no log-out by link
    "set_language": Page(POST=R(*[HOME] * 5)),
    "admin:index": Page(GET=R(*[to("/admin/login/")] * 5)),
    "api:openapi-json": Page(GET=ALL_OK),  # the API's description is public; its operations are not
    "api:openapi-view": Page(GET=ALL_OK),
    "api:api-root": Page(GET=R(NF, NF, NF, NF, NF)),  # django-ninja's root only anchors the other paths
    # places
    "places:prefecture_list": Page(GET=R(LOGIN, NO, NO, NO, OK)),
    "places:municipality_list": Page(GET=STAFF_OK),
    "places:municipality_detail": Page("municipality", GET=R(LOGIN, NO, OWN_OK, OWN_OK, OK)),
    "places:grouping_list": Page(GET=STAFF_OK),
    "places:grouping_create": Page(GET=R(LOGIN, NO, NO, OK, NO), POST=R(LOGIN, NO, NO, ALLOWED, NO)),
    "places:grouping_detail": Page("grouping", GET=R(LOGIN, NO, OWN_OK, OWN_OK, OK)),
    "places:grouping_edit": Page("grouping", GET=R(LOGIN, NO, NO, OWN_OK, NO),
                                 POST=R(LOGIN, NO, NO, OWN_ALLOWED, NO)),
    "places:grouping_delete": Page("grouping", POST=R(LOGIN, NO, NO, OWN_ALLOWED, NO)),
    "places:grouping_delete#joint_jd": Page("jd_grouping", POST=R(LOGIN, NO, NO, OWN_ALLOWED, NO)),
    # talent: open rounds are public, a draft is its secretariat's alone (issue 12: not the municipality's,
    # not the national role's); applying takes a talent account
    "talent:round_list": Page(GET=ALL_OK),
    "talent:round_create": Page(GET=R(LOGIN, NO, NO, OK, NO), POST=R(LOGIN, NO, NO, ALLOWED, NO)),
    "talent:round_detail": Page("round", GET=R(OK, OK, OWN_OK, OWN_OK, OK)),
    "talent:round_detail#draft": Page("draft_round", GET=R(NF, NF, NF, OWN_OK, NF)),
    "talent:round_edit": Page("round", GET=R(LOGIN, NO, NO, OWN_OK, NO),
                              POST=R(LOGIN, NO, NO, OWN_ALLOWED, NO)),
    "talent:round_status": Page("round", POST=R(LOGIN, NO, NO, OWN_ALLOWED, NO)),
    "talent:apply": Page("round", GET=R(SIGNUP, OK, (BACK, NF), (BACK, NF), BACK),
                         POST=R(SIGNUP, ALLOWED, (BACK, NF), (BACK, NF), BACK)),
    "talent:apply#draft": Page("draft_round", GET=R(NF, NF, NF, (BACK, NF), NF)),
    # the empty form comes back with its errors; a signed-in user is told so (200) and nothing is created
    "talent:signup": Page(GET=ALL_OK, POST=ALL_OK),
    "talent:assess_preview": Page(POST=ALL_OK),  # a calculation on the posted form; stores nothing
    "talent:me": Page(GET=R(LOGIN, OK, NO, NO, NO)),
    "talent:me_application": Page("application", GET=R(LOGIN, OWN_OK, NO, NO, NO)),
    # GET asks first; a POST without confirm=yes asks again (200), so the empty POST is "allowed" either way
    "talent:me_withdraw": Page("application", GET=R(LOGIN, OWN_OK, NO, NO, NO),
                               POST=R(LOGIN, OWN_ALLOWED, NO, NO, NO)),
    # Full profiles are personal data: the applicant and the holding prefecture only (a municipality after an
    # accepted proposal: the #accepted rows below); national sees aggregates, never a record.
    "talent:profile_detail": Page("profile", GET=R(LOGIN, OWN_OK, NF, OWN_OK, NF)),
    "talent:profile_edit": Page("profile", GET=R(LOGIN, OWN_OK, NF, OWN_OK, NF),
                                POST=R(LOGIN, OWN_ALLOWED, NF, OWN_ALLOWED, NF)),
    # After both accepted a proposal of 五島市 (issue 13): its officer reads the full profile, but the edit form
    # is refused (403), not "not found"; another municipality's officer still finds nothing.
    "talent:profile_detail#accepted": Page("accepted_profile", GET=R(LOGIN, NF, OWN_OK, OWN_OK, NF)),
    "talent:profile_edit#accepted": Page("accepted_profile", GET=R(LOGIN, NF, (NO, NF), OWN_OK, NF),
                                         POST=R(LOGIN, NF, (NO, NF), OWN_ALLOWED, NF)),
    # Only the applicant uploads proof; the secretariat, who may see the profile, is refused with a message.
    "talent:evidence_upload": Page("profile", POST=R(LOGIN, OWN_ALLOWED, NF, (REFUSED, NF), NF),
                                   data={"label": "資格証"}, upload=True),
    "talent:evidence_download": Page("evidence", GET=R(LOGIN, OWN_OK, NF, OWN_OK, NF)),
    "talent:application_list": Page(GET=R(LOGIN, NO, NO, OK, NO)),
    "talent:application_detail": Page("application", GET=R(LOGIN, NO, NO, OWN_OK, NO),
                                      POST=R(LOGIN, NO, NO, OWN_ALLOWED, NO)),
    "talent:pool": Page(GET=R(LOGIN, NO, OK, OK, NO)),
    "talent:pool_member": Page("pool_member", GET=R(LOGIN, NO, OWN_OK, OWN_OK, NO)),
    # needs: hearing records (the officer and its prefecture read and write them; national users read the
    # aggregates only: record pages are "not found" to them, record lists send them to the national roll-up)
    "needs:hearing_list": Page(GET=R(LOGIN, NO, OK, OK, to("/needs/overview/"))),
    "needs:hearing_new": Page("municipality", query={"municipality": "{code}", "year": "2030"},
                              GET=R(LOGIN, NO, OWN_OK, OWN_OK, NO),
                              POST=R(LOGIN, NO, OWN_ALLOWED, OWN_ALLOWED, NO)),
    "needs:hearing_detail": Page("hearing", GET=R(LOGIN, NO, OWN_OK, OWN_OK, NF)),
    "needs:hearing_edit": Page("hearing", GET=R(LOGIN, NO, OWN_OK, OWN_OK, NO),
                               POST=R(LOGIN, NO, OWN_ALLOWED, OWN_ALLOWED, NO)),
    "needs:jd_from_hearing": Page("hearing", POST=R(LOGIN, NO, OWN_ALLOWED, OWN_ALLOWED, NO)),
    # The blank sheet is for those who fill it in: national is answered "not found" with a pointer.
    "needs:hearing_template": Page("municipality", query={"municipality": "{code}"},
                                   GET=R(LOGIN, NO, OWN_OK, OWN_OK, NF)),
    "needs:hearing_export": Page(GET=R(LOGIN, NO, OK, OK, NO)),  # a record export
    "needs:hearing_upload": Page(GET=R(LOGIN, NO, OK, OK, NO), POST=R(LOGIN, NO, ALLOWED, ALLOWED, NO)),
    # The hearing form's live suggestions (issue 13): those who write hearings; a fragment, no record named.
    "needs:suggestion_preview": Page(POST=R(LOGIN, NO, OK, OK, NO)),
    # Hearing imports (issue 12): the batch (a preview by the 五島市 officer) is seen by its municipality's officer
    # and its prefecture; only the uploader confirms it; the secretariat and the uploading officer undo it.
    "needs:hearing_import_list": Page(GET=R(LOGIN, NO, OK, OK, NO)),
    "needs:hearing_import_detail": Page("hearing_import", GET=R(LOGIN, NO, OWN_OK, OWN_OK, NO)),
    "needs:hearing_import_errors": Page("hearing_import", GET=R(LOGIN, NO, OWN_OK, OWN_OK, NO)),
    "needs:hearing_import_confirm": Page("hearing_import", POST=R(LOGIN, NO, OWN_ALLOWED, (NO, NF), NO)),
    "needs:hearing_import_undo": Page("hearing_import", POST=R(LOGIN, NO, OWN_ALLOWED, OWN_ALLOWED, NO)),
    "needs:overview": Page("prefecture", query={"prefecture": "{pref}"}, GET=R(LOGIN, NO, NO, OWN_OK, OK)),
    "needs:municipality_history": Page("municipality", GET=R(LOGIN, NO, OWN_OK, OWN_OK, NF)),
    # needs: job descriptions (a draft of 五島市 / 壱岐市 / 呉市)
    "needs:jd_list": Page(GET=R(LOGIN, NO, OK, OK, to("/needs/overview/"))),
    "needs:jd_new": Page("municipality", query={"municipality": "{code}"},
                         GET=R(LOGIN, NO, OWN_OK, OWN_OK, NO),
                         POST=R(LOGIN, NO, OWN_ALLOWED, OWN_ALLOWED, NO)),
    "needs:jd_detail": Page("jd", GET=R(LOGIN, NO, OWN_OK, OWN_OK, NF)),
    "needs:jd_edit": Page("jd", GET=R(LOGIN, NO, OWN_OK, OWN_OK, NO),
                          POST=R(LOGIN, NO, OWN_ALLOWED, OWN_ALLOWED, NO)),
    "needs:jd_version": Page("jd", GET=R(LOGIN, NO, OWN_OK, OWN_OK, NF)),
    "needs:jd_print": Page("jd", GET=R(LOGIN, NO, OWN_OK, OWN_OK, NF)),
    "needs:jd_pdf": Page("jd", GET=R(LOGIN, NO, OWN_OK, OWN_OK, NF)),
    "needs:jd_submit": Page("jd", POST=R(LOGIN, NO, OWN_ALLOWED, OWN_ALLOWED, NO)),
    "needs:jd_withdraw": Page("jd", POST=R(LOGIN, NO, OWN_ALLOWED, OWN_ALLOWED, NO)),
    # A joint JD (of a grouping): its member municipalities read it, only the prefecture writes it — but a
    # member officer's POSTs are refused with a message, not a 403 (the views catch the service's Forbidden
    # with the other domain errors); the edit page checks first and answers 403.
    "needs:jd_detail#joint": Page("joint_jd", GET=R(LOGIN, NO, OWN_OK, OWN_OK, NF)),
    "needs:jd_edit#joint": Page("joint_jd", GET=R(LOGIN, NO, (NO, NF), OWN_OK, NO)),
    "needs:jd_submit#joint": Page("joint_jd", POST=R(LOGIN, NO, (REFUSED, NF), OWN_ALLOWED, NO)),
    "needs:jd_withdraw#joint": Page("joint_jd", POST=R(LOGIN, NO, (REFUSED, NF), OWN_ALLOWED, NO)),
    # needs: needs (the prefecture closes and reopens them)
    "needs:need_list": Page(GET=R(LOGIN, NO, OK, OK, to("/needs/overview/"))),
    "needs:need_detail": Page("need", GET=R(LOGIN, NO, OWN_OK, OWN_OK, NF)),
    "needs:need_status": Page("need", POST=R(LOGIN, NO, NO, OWN_ALLOWED, NO)),
    # matching: runs are the prefecture's; proposals are answered by the municipality and the talent
    "matching:run_list": Page(GET=R(LOGIN, NO, NO, OK, NO), POST=R(LOGIN, NO, NO, ALLOWED, NO)),
    "matching:run_detail": Page("run", GET=R(LOGIN, NO, NO, OWN_OK, NO)),
    "matching:run_progress": Page("run", GET=R(LOGIN, NO, NO, OWN_OK, NO)),
    "matching:run_rerun": Page("run", POST=R(LOGIN, NO, NO, OWN_ALLOWED, NO)),
    "matching:run_send": Page("run", POST=R(LOGIN, NO, NO, OWN_ALLOWED, NO)),
    # the confirmation before sending (a GET): without a choice, back to the run with an error message
    "matching:run_send_confirm": Page("run", GET=R(LOGIN, NO, NO, (REFUSED, NF), NO)),
    "matching:pair_rule": Page("run", POST=R(LOGIN, NO, NO, OWN_ALLOWED, NO)),
    # comparing two runs (a GET): both must be the secretariat's own; here the run is compared with itself
    "matching:run_compare": Page("run", GET=R(LOGIN, NO, NO, OWN_OK, NO), query={"other": "{pk}"}),
    "matching:proposal_list": Page(GET=R(LOGIN, OK, OK, OK, NO)),
    "matching:proposal_answer": Page("proposal", POST=R(LOGIN, OWN_ALLOWED, OWN_ALLOWED, NO, NO)),
    # The details page: the two sides and the secretariat of the run; the withdrawal: that secretariat only
    "matching:proposal_detail": Page("proposal", GET=R(LOGIN, OWN_OK, OWN_OK, OWN_OK, NO)),
    "matching:proposal_withdraw": Page("proposal", GET=R(LOGIN, NO, NO, OWN_OK, NO),
                                       POST=R(LOGIN, NO, NO, OWN_ALLOWED, NO)),
}

# --- the table: API operations ------------------------------------------------------------------------------
# No operation is public: anonymous callers get 401. Out of scope is 404, the same as missing; in scope but
# not allowed to write is 403.
WRITE_OWN = R(UNAUTH, NF, OWN_ALLOWED, OWN_ALLOWED, NO)  # a record the officer and its prefecture write
READ_OWN = R(UNAUTH, NF, OWN_OK, OWN_OK, OK)  # … which national reads too
PREF_WRITES = R(UNAUTH, NF, (NO, NF), OWN_ALLOWED, NO)  # visible to the officer, written by the prefecture
JOINT = "joint_jd"
# Needs records (hearings, JDs, needs): national users read aggregates only, so a record is "not found" to them.
RECORD_READ = R(UNAUTH, NF, OWN_OK, OWN_OK, NF)
RECORD_WRITE = R(UNAUTH, NF, OWN_ALLOWED, OWN_ALLOWED, NF)
RECORD_PREF_WRITES = R(UNAUTH, NF, (NO, NF), OWN_ALLOWED, NF)

#                                                      R(anonymous, talent, officer, prefecture, national)
API: dict[str, Op] = {
    # places
    "GET /api/v1/prefectures": Op(None, API_ANY),
    "GET /api/v1/municipalities": Op(None, API_ANY),
    "GET /api/v1/municipalities/{code}": Op("municipality", READ_OWN),
    "GET /api/v1/groupings": Op(None, API_ANY),
    "POST /api/v1/groupings": Op(None, R(UNAUTH, NO, NO, ALLOWED, NO), body={"kind": "prefecture"}),
    "GET /api/v1/groupings/{grouping_id}": Op("grouping", READ_OWN),
    "PUT /api/v1/groupings/{grouping_id}": Op("grouping", PREF_WRITES, body={"kind": "prefecture"}),
    "DELETE /api/v1/groupings/{grouping_id}": Op("grouping", PREF_WRITES),
    "DELETE /api/v1/groupings/{grouping_id}#joint_jd": Op("jd_grouping", PREF_WRITES),
    # talent: rounds
    "GET /api/v1/rounds": Op(None, API_ANY),
    "POST /api/v1/rounds": Op(None, R(UNAUTH, NO, NO, ALLOWED, NO)),
    "GET /api/v1/rounds/{round_id}": Op("round", R(UNAUTH, OK, OWN_OK, OWN_OK, OK)),
    "GET /api/v1/rounds/{round_id}#draft": Op("draft_round", R(UNAUTH, NF, NF, OWN_OK, NF)),
    "PUT /api/v1/rounds/{round_id}": Op("round", R(UNAUTH, NO, (NO, NF), OWN_ALLOWED, NO)),
    "POST /api/v1/rounds/{round_id}/status": Op("round", R(UNAUTH, NO, (NO, NF), OWN_ALLOWED, NO)),
    "POST /api/v1/rounds/{round_id}/applications": Op("round", R(UNAUTH, ALLOWED, (NO, NF), (NO, NF), NO)),
    # talent: applications, screening, profiles (personal data: the applicant and the holding prefecture)
    "GET /api/v1/applications": Op(None, API_ANY),
    "GET /api/v1/applications/{application_id}": Op("application", R(UNAUTH, OWN_OK, NF, OWN_OK, NF)),
    "POST /api/v1/applications/{application_id}/transition": Op(
        "application", R(UNAUTH, OWN_ALLOWED, NF, OWN_ALLOWED, NF), body={"to_status": "withdrawn"}),
    "GET /api/v1/applications/{application_id}/decisions": Op(
        "application", R(UNAUTH, (NO, NF), NF, OWN_OK, NF)),
    "POST /api/v1/applications/{application_id}/decisions": Op(
        "application", R(UNAUTH, (NO, NF), NF, OWN_ALLOWED, NF)),
    "GET /api/v1/profiles/{profile_id}": Op("profile", R(UNAUTH, OWN_OK, NF, OWN_OK, NF)),
    # The applicant edits the profile; the holding prefecture may correct it.
    "PUT /api/v1/profiles/{profile_id}": Op("profile", R(UNAUTH, OWN_ALLOWED, NF, OWN_ALLOWED, NF),
                                            body={"email": "matrix@example.jp"}),
    "GET /api/v1/pool": Op(None, API_ANY),
    "POST /api/v1/assess": Op(None, R(UNAUTH, ALLOWED, ALLOWED, ALLOWED, ALLOWED)),
    # needs: hearing records
    "GET /api/v1/hearings": Op(None, API_ANY),
    "POST /api/v1/hearings": Op("municipality", WRITE_OWN,
                                body={"municipality": "{code}", "fiscal_year": 2030}),
    "GET /api/v1/hearings/{hearing_id}": Op("hearing", RECORD_READ),
    "GET /api/v1/hearings/{hearing_id}/roles": Op("hearing", RECORD_READ),
    # Free-text analysis is heavy: only the roles that write hearings (issue 12; rate-limited per user too).
    "POST /api/v1/suggestions": Op(None, R(UNAUTH, NO, ALLOWED, ALLOWED, NO)),
    # needs: job descriptions (joint ones: members read, the prefecture writes)
    "GET /api/v1/jds": Op(None, API_ANY),
    "POST /api/v1/jds": Op("municipality", WRITE_OWN, body={"municipality": "{code}"}),
    "POST /api/v1/hearings/{hearing_id}/jds": Op("hearing", RECORD_WRITE, body={"persona": "producer"}),
    "GET /api/v1/jds/{jd_id}": Op("jd", RECORD_READ),
    "GET /api/v1/jds/{jd_id}#joint": Op(JOINT, RECORD_READ),
    "PUT /api/v1/jds/{jd_id}": Op("jd", RECORD_WRITE),
    "PUT /api/v1/jds/{jd_id}#joint": Op(JOINT, RECORD_PREF_WRITES),
    "GET /api/v1/jds/{jd_id}/versions": Op("jd", RECORD_READ),
    "GET /api/v1/jds/{jd_id}/versions/{number}": Op("jd", RECORD_READ),
    "PUT /api/v1/jds/{jd_id}/checklist": Op("jd", RECORD_WRITE),
    "PUT /api/v1/jds/{jd_id}/checklist#joint": Op(JOINT, RECORD_PREF_WRITES),
    "POST /api/v1/jds/{jd_id}/submit": Op("jd", RECORD_WRITE),
    "POST /api/v1/jds/{jd_id}/submit#joint": Op(JOINT, RECORD_PREF_WRITES),
    "POST /api/v1/jds/{jd_id}/withdraw": Op("jd", RECORD_WRITE),
    "POST /api/v1/jds/{jd_id}/withdraw#joint": Op(JOINT, RECORD_PREF_WRITES),
    # needs: needs. Creating one for another tenant's municipality is refused (403), not "not found" as the
    # other creates answer: need_create checks the codes itself instead of through the scoped selector.
    "GET /api/v1/needs": Op(None, API_ANY),
    "POST /api/v1/needs": Op("municipality", R(UNAUTH, NO, (ALLOWED, NO), (ALLOWED, NO), NO),
                             body={"municipalities": ["{code}"], "persona": "engineer", "hours_per_week": 8}),
    "GET /api/v1/needs/{need_id}": Op("need", RECORD_READ),
    # The overview answers roles without it "not found" (the page answers 403).
    "GET /api/v1/hearing-overview": Op("prefecture", R(UNAUTH, NF, NF, OWN_OK, OK),
                                       query={"fiscal_year": "2026", "prefecture": "{pref}"}),
}

# Cells whose answer is a defect, not a rule: expected to fail until fixed (strictly, so the fix turns the
# cell red here and its entry must go). Keyed by the cell's test id.
KNOWN_DEFECTS: dict[str, str] = {}


# --- discovery ----------------------------------------------------------------------------------------------

@functools.cache
def _openapi() -> dict:
    """The OpenAPI document, built once (building it takes half a second)."""
    return api.get_openapi_schema()


def _operations() -> set[str]:
    return {f"{method.upper()} {path}" for path, ops in _openapi()["paths"].items() for method in ops}


def _as_openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield namespace, p.name, prefix + str(p.pattern)


def _routes() -> dict[str, str]:
    """Every page route: its full name ("needs:jd_detail"), or "/path" when it has none → its route string.

    Left out, with reasons: Django's admin below its index (gated by is_staff, not by dxpool's roles, and it
    changes with every admin registration), and the API namespace's routes that are operations of the OpenAPI
    document (the API table checks those per method, which a route name cannot).
    """
    paths = set(_openapi()["paths"])
    found = {}
    for namespace, name, route in _walk(get_resolver().url_patterns):
        top = (namespace or "").split(":")[0]
        if top == "admin" and name != "index":
            continue
        if top == "api" and _as_openapi_path(route) in paths:
            continue
        key = f"{namespace}:{name}" if namespace and name else name or "/" + route
        found[key] = route
    return found


ROUTES = _routes()
OPERATIONS = _operations()


def _base(key: str) -> str:
    """The route or operation a row is about ("needs:jd_edit#joint" → "needs:jd_edit")."""
    return key.split("#", 1)[0]


def _tenants(obj: str | None) -> tuple[str, ...]:
    return ("own", "other") if obj else ("-",)


def _cell(key: str, *rest: str):
    cell_id = "|".join((key, *rest))
    reason = KNOWN_DEFECTS.get(cell_id)
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(key, *rest, id=cell_id, marks=marks)


PAGE_CELLS = [_cell(key, method, role, tenant)
              for key, row in PAGES.items() if _base(key) in ROUTES
              for method in ("GET", "POST") if getattr(row, method)
              for role in ROLES
              for tenant in _tenants(row.obj)]
API_CELLS = [_cell(key, role, tenant)
             for key, row in API.items() if _base(key) in OPERATIONS
             for role in ROLES for tenant in _tenants(row.obj)]


# --- the table is complete and well formed ------------------------------------------------------------------

def test_every_route_declares_its_rule():
    missing = sorted(set(ROUTES) - {_base(k) for k in PAGES})
    assert not missing, ("every new route must declare its rule: add a row to PAGES in "
                         f"tests/core/test_permission_matrix.py for {', '.join(missing)}")


def test_every_page_row_names_a_route_that_exists():
    stale = sorted(k for k in PAGES if _base(k) not in ROUTES)
    assert not stale, f"PAGES has rows for routes that no longer exist: {', '.join(stale)}"


def test_every_api_operation_declares_its_rule():
    missing = sorted(OPERATIONS - {_base(k) for k in API})
    assert not missing, ("every new API operation must declare its rule: add a row to API in "
                         f"tests/core/test_permission_matrix.py for {', '.join(missing)}")


def test_every_api_row_names_an_operation_that_exists():
    stale = sorted(k for k in API if _base(k) not in OPERATIONS)
    assert not stale, f"API has rows for operations that no longer exist: {', '.join(stale)}"


def _answer_ok(answer) -> bool:
    return answer in (OK, NO, NF, UNAUTH, NOT_ALLOWED, LOGIN, ALLOWED, REFUSED) or answer.startswith("to:")


def test_table_is_well_formed():
    problems = []
    rows = [(k, r.obj, m, getattr(r, m)) for k, r in PAGES.items() for m in ("GET", "POST") if getattr(r, m)]
    rows += [(k, r.obj, "", r.expect) for k, r in API.items()]
    for key, obj, method, answers in rows:
        if obj is not None and obj not in KINDS:
            problems.append(f"{key}: unknown object kind {obj!r}")
        if len(answers) != len(ROLES):
            problems.append(f"{key} {method}: {len(answers)} answers for {len(ROLES)} roles")
        for role, answer in zip(ROLES, answers, strict=False):
            pair = answer if isinstance(answer, tuple) else (answer,)
            if isinstance(answer, tuple) and (obj is None or len(answer) != 2):
                problems.append(f"{key} {method} {role}: an (own, other) pair needs an object kind")
            problems += [f"{key} {method} {role}: unknown answer {a!r}" for a in pair if not _answer_ok(a)]
    for key, row in API.items():
        if "{" in key and row.obj is None:
            problems.append(f"{key}: the path names an object, so the row needs an object kind")
    for key, row in PAGES.items():
        if "<" in ROUTES.get(_base(key), "") and row.obj is None:
            problems.append(f"{key}: the route names an object, so the row needs an object kind")
    assert not problems, "\n".join(problems)


# --- the world and the requests -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world per module, rolled back at the end; each test runs in a savepoint of it (`db`)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # services may open durable blocks; inside a test, as under TestCase
        outer.__enter__()
        try:
            built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _expected(answers: tuple, role: str, tenant: str) -> str:
    answer = answers[ROLES.index(role)]
    if isinstance(answer, tuple):
        return answer[0] if tenant == "own" else answer[1]
    return answer


def _login_path() -> str:
    return resolve_url(settings.LOGIN_URL)


def _verdict(response, expected: str) -> str | None:
    """None when the response is the expected answer, else what it was instead."""
    status = response.status_code
    location = urlparse(response.get("Location", "")).path if 300 <= status < 400 else ""
    to_login = bool(location) and location == _login_path()
    got = f"{status}" + (f" → {location}" if location else "")
    if expected == LOGIN:
        return None if to_login else got
    if expected == ALLOWED:
        return None if status < 500 and status not in (401, 403, 404) and not to_login else got
    if expected == REFUSED:
        errors = [m for m in get_messages(response.wsgi_request) if m.level >= message_levels.ERROR]
        return None if location and not to_login and errors else got + " (without an error message)"
    if expected.startswith("to:"):
        return None if location == expected[3:] else got
    return None if str(status) == expected else got


def _user_label(world: World, role: str) -> str:
    user = world.users[role]
    return "anonymous" if user is None else f"{role} {user.username}"


def _page_url(key: str, target) -> str:
    key = _base(key)
    if key.startswith("/"):
        return key
    route = ROUTES[key]
    values = {} if target is None else {"pk": target.pk, "code": target.code, "pseudonym": target.pseudonym,
                                        "number": 1}
    kwargs = {name: values[name] for name in re.findall(r"<(?:\w+:)?(\w+)>", route)}
    return reverse(key, kwargs=kwargs)


@pytest.mark.parametrize(("key", "method", "role", "tenant"), PAGE_CELLS)
def test_page(world, client, db, key, method, role, tenant):
    row = PAGES[key]
    target = world.target(row.obj, role, tenant) if row.obj else None
    expected = _expected(getattr(row, method), role, tenant)
    if expected.startswith("to:") and target:
        expected = target.fill(expected)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    url = _page_url(key, target)
    query = {k: target.fill(v) if target else v for k, v in row.query.items()}
    if method == "GET":
        response = client.get(url, query)
    else:
        data = {**query, **row.data}  # a form posts its hidden fields too (jd_new reads them from the body)
        if row.upload:
            data["file"] = SimpleUploadedFile("proof.pdf", b"%PDF-1.4 matrix\n%%EOF\n", content_type="application/pdf")
        response = client.post(f"{url}?{urlencode(query)}" if query else url, data)
    url = f"{url}?{urlencode(query)}" if query else url
    wrong = _verdict(response, expected)
    on = f" on {target.label} ({tenant} tenant)" if target else ""
    who = _user_label(world, role)
    assert wrong is None, f"{method} {url} as {who}{on}: expected {expected}, got {wrong}"


# --- the API ------------------------------------------------------------------------------------------------

def _minimal(schema: dict, components: dict):
    """The smallest value the schema accepts: required properties only, each of the simplest valid value."""
    if "$ref" in schema:
        return _minimal(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for combo in ("anyOf", "oneOf", "allOf"):
        if combo in schema:
            options = [s for s in schema[combo] if s.get("type") != "null"]
            return _minimal(options[0], components) if options else None
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: _minimal(props.get(name, {}), components) for name in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "string":
        return {"date-time": "2030-01-01T09:00:00+09:00", "date": "2030-01-01"}.get(fmt, "x")
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return False
    return None


def _fill(value, target):
    if isinstance(value, str):
        return target.fill(value) if target else value
    if isinstance(value, list):
        return [_fill(v, target) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, target) for k, v in value.items()}
    return value


def _api_request(key: str, row: Op, target):
    method, path = _base(key).split(" ", 1)
    schema = _openapi()
    operation = schema["paths"][path][method.lower()]
    components = schema.get("components", {}).get("schemas", {})
    for name in re.findall(r"{(\w+)}", path):
        value = 1 if name == "number" else target.code if name == "code" else target.pk
        path = path.replace("{" + name + "}", str(value))
    query = {p["name"]: _minimal(p.get("schema", {}), components)
             for p in operation.get("parameters", []) if p.get("in") == "query" and p.get("required")}
    query.update(_fill(row.query, target))
    body = None
    if "requestBody" in operation:
        body_schema = operation["requestBody"]["content"]["application/json"]["schema"]
        body = _minimal(body_schema, components) or {}
        body.update(_fill(row.body, target))
    return method, path, query, body


@pytest.mark.parametrize(("key", "role", "tenant"), API_CELLS)
def test_api(world, client, db, key, role, tenant):
    row = API[key]
    target = world.target(row.obj, role, tenant) if row.obj else None
    expected = _expected(row.expect, role, tenant)
    method, path, query, body = _api_request(key, row, target)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[role]}"} if role in world.tokens else {}
    if method == "GET":
        response = client.get(path, query, **headers)
    else:
        path = f"{path}?{urlencode(query)}" if query else path
        response = client.generic(method, path, json.dumps(body) if body is not None else "",
                                  content_type="application/json", **headers)
    wrong = _verdict(response, expected)
    on = f" on {target.label} ({tenant} tenant)" if target else ""
    who, detail = _user_label(world, role), response.content[:300].decode("utf-8", "replace")
    assert wrong is None, f"{method} {path} as {who}{on}: expected {expected}, got {wrong}\n{detail}"
