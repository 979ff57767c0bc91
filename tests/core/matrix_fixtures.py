"""A small two-prefecture world for the permission matrix (tests/core/test_permission_matrix.py).

Three tenants, each with one object of every kind a URL can name:

- "A": 長崎県 with 五島市 — the tenant of the acting users (officer of 五島市, secretariat of 長崎県, talent A).
- "S": 壱岐市, a sibling municipality in the same prefecture — a hearing, a JD, a need, a grouping and a joint
  JD without 五島市, and a proposal for its need. It is the "other tenant" of the municipal officer: a
  prefecture-wide rule leaking to officers shows up here, where another prefecture's objects would hide it.
- "B": 広島県 with 呉市 and talent B — the "other tenant" of everyone else (and of the officer for objects that
  belong to a prefecture or a talent, not to a municipality: rounds, applications, profiles, runs …).

Besides the plain objects, kinds with rules of their own: a joint JD (of a grouping, written by the
prefecture only) with its grouping, and a draft round (not public).

The world is built once per module inside a transaction that is rolled back at the end; each test runs in a
savepoint of it (pytest-django's `db`), so writes made by a test (a POST that deletes a grouping) are undone
before the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dxpool.accounts.models import User
from dxpool.accounts.services import api_token_create
from dxpool.matching.models import MatchRun, Proposal, ProposalStatus, RunStatus
from dxpool.needs import services as needs_services
from dxpool.needs.excel import HearingEntry, write_workbook
from dxpool.needs.models import Need
from dxpool.places import services as places_services
from dxpool.places.models import Municipality
from dxpool.talent import services as talent_services
from dxpool.talent.models import Application, ApplicationStatus, ConsentText, RoundStatus
from tests.factories import municipality_officer, national_user, prefecture_user, talent_user
from tests.needs.builders import hearing_payload, jd_payload

ROLES = ("anonymous", "talent", "officer", "prefecture", "national")

# Kinds of object a URL can name, and the tenant that is "other" for each role and kind. Only the officer
# differs: for what belongs to a municipality, its other tenant is the sibling municipality 壱岐市.
MUNICIPAL_KINDS = ("municipality", "hearing", "hearing_import", "jd", "joint_jd", "need", "grouping", "jd_grouping", "proposal")
KINDS = (*MUNICIPAL_KINDS, "prefecture", "round", "draft_round", "application", "profile", "evidence", "run",
         "pool_member", "accepted_profile")


def other_tenant(role: str, kind: str) -> str:
    return "S" if role == "officer" and kind in MUNICIPAL_KINDS else "B"


@dataclass(frozen=True)
class Target:
    """What a URL needs from one object: its id, municipality and prefecture codes, pseudonym; and a label."""

    label: str
    pk: int | None = None
    code: str = ""  # municipality code
    pref: str = ""  # prefecture code
    pseudonym: str = ""

    def fill(self, text: str) -> str:
        return text.format(pk=self.pk, code=self.code, pref=self.pref, pseudonym=self.pseudonym)


@dataclass
class World:
    users: dict[str, User | None]
    tokens: dict[str, str]
    objects: dict[tuple[str, str], Target]  # (tenant, kind) → target

    def target(self, kind: str, role: str, tenant: str) -> Target:
        return self.objects[("A" if tenant == "own" else other_tenant(role, kind), kind)]


def _municipality(name: str, pref: str) -> Municipality:
    return Municipality.objects.select_related("prefecture").get(name=name, prefecture__code=pref)


def _round(actor: User):
    rnd = talent_services.round_create(actor=actor, data={
        "title": "マトリクス公募", "personas": ["producer", "engineer"], "role": "支援", "duties": "市町の支援",
        "appointment_forms": ["contract"], "deadline": timezone.now() + timedelta(days=30)})
    return talent_services.round_set_status(actor=actor, rnd=rnd, status=RoundStatus.OPEN)


def _application(actor: User, rnd, consent: ConsentText, home: Municipality) -> Application:
    app = talent_services.application_submit(
        actor=actor, rnd=rnd, persona="engineer", consent_version=consent.version, profile_data={
            "full_name": f"試験 {actor.username}", "email": f"{actor.username}@example.jp",
            "phone": "000-0000-0000", "employer": "A社", "qualifications": ["ITサービスマネージャ"],
            "skill_levels": [{"framework": "ITSS", "field": "ITスペシャリスト", "level": 3}],
            "experiences": [{"code": "digital_tool_implementation"}], "skill_ratings": {"デジタルツール実装": 4},
            "experience_description": "業務を自動化した。", "hours_per_week": 16, "onsite_days_per_month": 2,
            "home_municipality": home.code, "remote_ok": True, "travel_km": 100,
            "appointment_forms": ["contract"]})
    # Straight to the pool (the status machine is tested elsewhere): pool pages list pooled talent only.
    Application.objects.filter(pk=app.pk).update(status=ApplicationStatus.POOLED,
                                                 training_completed_at=timezone.now())
    app.refresh_from_db()
    return app


def _need(actor: User, municipality: Municipality, title: str) -> Need:
    return needs_services.need_create(actor=actor, title=title, persona="engineer",
                                      municipality_codes=[municipality.code], hours_per_week=8,
                                      appointment_forms=["contract"])


def _proposal(run: MatchRun, need, profile) -> Proposal:
    return Proposal.objects.create(run=run, need=need, profile=profile, score=1.0, breakdown={},
                                   status=ProposalStatus.SENT, sent_at=timezone.now())


def build_world() -> World:
    """Users of every role, API tokens for them, and one object of every kind in tenants A, S and B."""
    goto, iki, kure = _municipality("五島市", "42"), _municipality("壱岐市", "42"), _municipality("呉市", "34")
    tsushima = _municipality("対馬市", "42")
    sec_a, sec_b = prefecture_user("42"), prefecture_user("34")
    users = {"anonymous": None, "talent": talent_user(), "officer": municipality_officer("五島市"),
             "prefecture": sec_a, "national": national_user()}
    talent_b = talent_user()
    tokens = {role: api_token_create(user=user, name="matrix")[1] for role, user in users.items() if user}

    consent = ConsentText.objects.create(version="matrix-1", title="個人情報の取扱い", body="本文",
                                         published_at=timezone.now() - timedelta(days=1))
    objects: dict[tuple[str, str], Target] = {}
    for tenant, municipality in (("A", goto), ("S", iki), ("B", kure)):
        objects[(tenant, "municipality")] = Target(municipality.name, code=municipality.code,
                                                   pref=municipality.prefecture.code)
    objects[("A", "prefecture")] = Target("長崎県", pref="42")
    objects[("B", "prefecture")] = Target("広島県", pref="34")

    needs: dict[str, Need] = {}
    for tenant, actor, municipality in (("A", sec_a, goto), ("S", sec_a, iki), ("B", sec_b, kure)):
        name = municipality.name
        hearing, _ = needs_services.hearing_save(actor=actor, municipality=municipality, fiscal_year=2026,
                                                 data=hearing_payload())
        objects[(tenant, "hearing")] = Target(f"{name}のヒアリング記録", pk=hearing.pk, code=municipality.code)
        # A previewed (not yet confirmed) import of the municipality's own sheet, made by its officer.
        officer = users["officer"] if tenant == "A" else municipality_officer(name, municipality.prefecture.code)
        sheet = write_workbook([HearingEntry(municipality.code, name, municipality.prefecture.name, 2026,
                                             {"staff_total": 999})])
        batch = needs_services.hearing_import_preview(actor=officer, files=[("matrix.xlsx", sheet)])
        objects[(tenant, "hearing_import")] = Target(f"{name}のヒアリングシート取り込み", pk=batch.pk)
        jd = needs_services.jd_create(actor=actor, municipality=municipality, data=jd_payload())
        objects[(tenant, "jd")] = Target(f"{name}のJD（下書き）", pk=jd.pk, code=municipality.code)
        needs[tenant] = _need(actor, municipality, f"{name}のニーズ")
        objects[(tenant, "need")] = Target(f"{name}のニーズ", pk=needs[tenant].pk, code=municipality.code)
    groupings = {
        "A": places_services.grouping_create(actor=sec_a, name="五島・壱岐", kind="prefecture",
                                             member_codes=[goto.code, iki.code]),
        "S": places_services.grouping_create(actor=sec_a, name="壱岐・対馬", kind="prefecture",
                                             member_codes=[iki.code, tsushima.code]),
        "B": places_services.grouping_create(actor=sec_b, name="呉・江田島", kind="prefecture",
                                             member_codes=[kure.code, _municipality("江田島市", "34").code]),
    }
    for tenant, g in groupings.items():
        objects[(tenant, "grouping")] = Target(f"広域連携「{g.name}」", pk=g.pk)
    # Joint JDs, on groupings of their own (a grouping with a JD is a different case for deletion): their
    # member municipalities may read them, only the prefecture writes them.
    for tenant, actor, name, members in (
            ("A", sec_a, "五島・新上五島", [goto, _municipality("新上五島町", "42")]),
            ("S", sec_a, "壱岐・対馬・小値賀", [iki, tsushima, _municipality("小値賀町", "42")]),
            ("B", sec_b, "呉・東広島", [kure, _municipality("東広島市", "34")])):
        g = places_services.grouping_create(actor=actor, name=name, kind="prefecture",
                                            member_codes=[m.code for m in members])
        joint = needs_services.jd_create(actor=actor, grouping=g, data=jd_payload(title=f"{name}の共同JD"))
        objects[(tenant, "joint_jd")] = Target(f"{name}の共同JD（下書き）", pk=joint.pk)
        objects[(tenant, "jd_grouping")] = Target(f"共同JDのある広域連携「{name}」", pk=g.pk)

    runs, profiles = {}, {}
    for tenant, actor, talent, home in (("A", sec_a, users["talent"], goto), ("B", sec_b, talent_b, kure)):
        rnd = _round(actor)
        draft = talent_services.round_create(actor=actor, data={
            "title": "準備中の公募", "personas": ["producer"], "duties": "未公開", "appointment_forms": ["contract"],
            "deadline": timezone.now() + timedelta(days=60)})
        objects[(tenant, "draft_round")] = Target(f"{rnd.prefecture.name}の公募（下書き）", pk=draft.pk)
        app = _application(talent, rnd, consent, home)
        profile = profiles[tenant] = app.profile
        evidence = talent_services.evidence_upload(
            actor=talent, profile=profile, label="資格証",
            uploaded=SimpleUploadedFile("cert.pdf", b"%PDF-1.4 matrix\n%%EOF\n", content_type="application/pdf"))
        runs[tenant] = MatchRun.objects.create(prefecture=rnd.prefecture, created_by=actor,
                                               status=RunStatus.DONE, progress=100)
        who = "talent A" if tenant == "A" else "talent B"
        objects[(tenant, "round")] = Target(f"{rnd.prefecture.name}の公募", pk=rnd.pk)
        objects[(tenant, "application")] = Target(f"{who}の応募", pk=app.pk)
        objects[(tenant, "profile")] = Target(f"{who}のプロフィール", pk=profile.pk)
        objects[(tenant, "pool_member")] = Target(f"{who}（プール）", pseudonym=profile.pseudonym)
        objects[(tenant, "evidence")] = Target(f"{who}の証明書類", pk=evidence.pk)
        objects[(tenant, "run")] = Target(f"{rnd.prefecture.name}のマッチング実行", pk=runs[tenant].pk)

    # Proposals sent for each tenant's need: 壱岐市's goes to talent A too, from 長崎県's run.
    for tenant, run_of, talent_of in (("A", "A", "A"), ("S", "A", "A"), ("B", "B", "B")):
        p = _proposal(runs[run_of], needs[tenant], profiles[talent_of])
        objects[(tenant, "proposal")] = Target(f"{needs[tenant].title}への提案", pk=p.pk)
    # A profile whose proposal 五島市 (A) / 呉市 (B) and the talent both accepted: the municipality may now see it
    # in full, but never edit it (issue 13).
    for tenant, actor, home in (("A", sec_a, goto), ("B", sec_b, kure)):
        accepted = _application(talent_user(), _round(actor), consent, home).profile
        filled = _need(actor, home, f"{home.name}の受諾済みニーズ")
        Proposal.objects.create(run=runs[tenant], need=filled, profile=accepted, score=1.0, breakdown={},
                                status=ProposalStatus.ACCEPTED, municipality_decision="accepted",
                                talent_decision="accepted", sent_at=timezone.now(), decided_at=timezone.now())
        objects[(tenant, "accepted_profile")] = Target(f"{home.name}と双方受諾した人材のプロフィール", pk=accepted.pk)
    return World(users=users, tokens=tokens, objects=objects)
