"""Job descriptions: drafted from a hearing in the standard's terms, versioned on every save, the acceptance
checklist gate, submission opening a need (joint for a grouping), withdrawal, print view and PDF."""

import pytest

from dxpool.core.errors import Conflict, Forbidden, ValidationError
from dxpool.needs import services
from dxpool.needs.models import JDStatus, Need, NeedStatus
from dxpool.needs.reference import CHECKLIST_CODES
from dxpool.standard.loader import load_standard
from tests.needs.builders import jd_payload, make_hearing, make_jd, municipality, tick_all

pytestmark = pytest.mark.django_db


def test_draft_from_hearing_quotes_the_standard_in_force(goto_user):
    hearing = make_hearing(goto_user)
    jd = services.jd_draft_from_hearing(actor=goto_user, hearing=hearing, persona="project_manager")
    v = jd.latest
    standard = load_standard()
    assert jd.current_version == 1 and jd.status == JDStatus.DRAFT and jd.hearing == hearing
    assert v.standard_version == standard.version
    pm = standard.persona("project_manager")
    assert v.standard_terms["qualifications"] == list(pm.qualification_text)
    assert v.standard_terms["experiences"] == [e.text for e in pm.experiences]
    assert v.standard_terms["levels"] == [lv.text for lv in pm.levels]
    assert "スケジュール管理" in v.skills  # from the suggestion for 「スケジュール管理が追いつかない」
    assert hearing.issues in v.duties and v.host_department == "企画課"
    assert v.pay_max == 300_000 and v.pay_unit == "month"  # budget 3.6M over 12 months
    assert str(v.period_from) == "2027-01-01" and str(v.period_to) == "2027-12-31"
    assert v.coi_applies  # project managers advise on procurement


def test_every_save_is_a_version_and_unchanged_saves_are_not(goto_user):
    jd = make_jd(goto_user)
    v2 = services.jd_update(actor=goto_user, jd=jd, data={"hours_per_week": 12}, change_note="時間を増やす")
    assert v2.number == 2 and float(v2.hours_per_week) == 12 and v2.title == "標準化の進捗管理"
    assert services.jd_update(actor=goto_user, jd=jd, data={"hours_per_week": 12}) is None
    jd.refresh_from_db()
    assert jd.current_version == 2 and jd.versions.count() == 2
    assert float(jd.versions.get(number=1).hours_per_week) == 8  # history is kept as it was


def test_content_validation(goto_user):
    with pytest.raises(ValidationError, match="スキル項目「データ活用」") as exc:
        make_jd(goto_user, skills=["データ活用"])  # a service designer's item, not a project manager's
    assert exc.value.field == "skills"
    with pytest.raises(ValidationError, match="下限が上限"):
        make_jd(goto_user, pay_min=50000, pay_max=40000)
    with pytest.raises(ValidationError, match="リモート勤務可"):
        make_jd(goto_user, onsite_days_per_month=0, remote_ok=False)
    with pytest.raises(ValidationError, match="任用形態"):
        make_jd(goto_user, appointment_forms=["freelance"])
    with pytest.raises(ValidationError, match="週あたり時間"):
        make_jd(goto_user, hours_per_week=60)


def test_checklist_gate_then_submit_opens_a_need(client, goto_user):
    jd = make_jd(goto_user)
    with pytest.raises(ValidationError) as exc:
        services.jd_submit(actor=goto_user, jd=jd)
    assert "5項目が未確認" in exc.value.message and "丸投げしない" in exc.value.message
    assert "当初の想定どおり" not in exc.value.message  # the sixth is asked during the dispatch
    services.jd_checklist_save(actor=goto_user, jd=jd, checked=CHECKLIST_CODES[:4])
    with pytest.raises(ValidationError, match="1項目が未確認") as exc:
        services.jd_submit(actor=goto_user, jd=jd)
    assert "企業と調整" in exc.value.message
    assert not Need.objects.exists()
    client.force_login(goto_user)
    r = client.post(f"/needs/jds/{jd.pk}/submit/", follow=True)
    assert "1項目が未確認" in r.content.decode()
    jd = tick_all(goto_user, jd)
    assert jd.checklist["ownership"]["by"] == goto_user.username
    need = services.jd_submit(actor=goto_user, jd=jd)
    jd.refresh_from_db()
    assert jd.status == JDStatus.SUBMITTED and jd.submitted_at and need.job_description == jd
    assert need.status == NeedStatus.OPEN and need.persona == "project_manager"
    assert need.municipality_codes() == [municipality("五島市").code]
    assert float(need.hours_per_week) == 8 and float(need.onsite_days_per_month) == 1 and need.weight == 1.2
    assert need.excluded_employers == ["株式会社ながさきシステム"] and need.skills == ["スケジュール管理", "委託管理"]
    assert str(need.period_from) == "2027-01-01"
    with pytest.raises(Conflict):
        services.jd_update(actor=goto_user, jd=jd, data={"hours_per_week": 4})
    with pytest.raises(Conflict):
        services.jd_submit(actor=goto_user, jd=jd)


def test_submit_needs_the_receiving_structure(goto_user):
    jd = tick_all(goto_user, make_jd(goto_user, receiving_structure=""))
    with pytest.raises(ValidationError, match="受入れ体制") as exc:
        services.jd_submit(actor=goto_user, jd=jd)
    assert exc.value.field == "receiving_structure"


def test_joint_jd_of_a_grouping_becomes_a_joint_need(nagasaki_user, goto_user, islands):
    jd = services.jd_create(actor=nagasaki_user, grouping=islands, data=jd_payload(title="離島の共同PM"))
    with pytest.raises(Forbidden):
        services.jd_update(actor=goto_user, jd=jd, data={"hours_per_week": 4})
    with pytest.raises(Forbidden):
        services.jd_create(actor=goto_user, grouping=islands, data=jd_payload())
    need = services.jd_submit(actor=nagasaki_user, jd=tick_all(nagasaki_user, jd))
    assert need.grouping == islands and len(need.municipality_codes()) == 3


def test_withdraw_closes_the_need(goto_user):
    jd = make_jd(goto_user)
    need = services.jd_submit(actor=goto_user, jd=tick_all(goto_user, jd))
    services.jd_withdraw(actor=goto_user, jd=jd, reason="予算が付かなかった")
    need.refresh_from_db()
    jd.refresh_from_db()
    assert jd.status == JDStatus.WITHDRAWN and need.status == NeedStatus.CLOSED
    with pytest.raises(Conflict):
        services.jd_withdraw(actor=goto_user, jd=jd)


def test_filled_need_cannot_be_withdrawn(goto_user):
    jd = make_jd(goto_user)
    need = services.jd_submit(actor=goto_user, jd=tick_all(goto_user, jd))
    services.need_fill(need=need, actor=goto_user)
    with pytest.raises(Conflict, match="充足"):
        services.jd_withdraw(actor=goto_user, jd=jd)


def test_pages_history_print_and_pdf(client, goto_user):
    hearing = make_hearing(goto_user)
    client.force_login(goto_user)
    r = client.post(f"/needs/hearings/{hearing.pk}/jds/", {"persona": "producer"})
    assert r.status_code == 302
    jd = hearing.job_descriptions.get()
    form = client.get(r.url).content.decode()
    assert "受入れ体制" in form and "スキル標準" in form
    data = {**jd_payload(persona="producer", skills=["全体方針立案"], weight=1.5), "excluded_employers": "A社\nB社",
            "change_note": "受入れ体制を記入"}
    data = {k: v for k, v in data.items() if v is not False}
    r = client.post(f"/needs/jds/{jd.pk}/edit/", data)
    assert r.status_code == 302, [ln for ln in r.content.decode().splitlines() if "error" in ln]
    jd.refresh_from_db()
    assert jd.current_version == 2 and jd.latest.excluded_employers == ["A社", "B社"]
    body = client.get(f"/needs/jds/{jd.pk}/").content.decode()
    assert "第2版" in body and "第1版" in body and "受入れ体制を記入" in body and "ITストラテジスト" in body
    assert "入札制限" in body and "A社、B社" in body
    assert client.get(f"/needs/jds/{jd.pk}/versions/1/").status_code == 200
    # The checklist is ticked in the JD form and submitted with it (tests/needs/test_jd_checklist.py).
    r = client.post(f"/needs/jds/{jd.pk}/edit/", {**data, "action": "submit",
                                                   **{f"checklist__{code}": "on" for code in CHECKLIST_CODES}},
                    follow=True)
    assert "都道府県に提出しました" in r.content.decode()
    printed = client.get(f"/needs/jds/{jd.pk}/print/").content.decode()
    assert "needs.css" in printed and "ジョブディスクリプション（業務内容・求める人材）" in printed
    pdf = client.get(f"/needs/jds/{jd.pk}/pdf/?version=1")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and b"IPAexGothic" in pdf.content  # embedded (test_pdf.py)


def test_api_flow(client, goto_user):
    client.force_login(goto_user)
    r = client.post("/api/v1/jds", {"municipality": municipality("五島市").code, **jd_payload()},
                    content_type="application/json")
    assert r.status_code == 201, r.json()
    jd_id = r.json()["id"]
    assert r.json()["latest"]["standard_version"] == load_standard().version
    r = client.put(f"/api/v1/jds/{jd_id}", {"weight": 2.0, "change_note": "優先度を上げる"},
                   content_type="application/json")
    assert r.json()["current_version"] == 2
    assert len(client.get(f"/api/v1/jds/{jd_id}/versions").json()) == 2
    r = client.post(f"/api/v1/jds/{jd_id}/submit")
    assert r.status_code == 400 and r.json()["error"]["field"] == "checklist"
    r = client.put(f"/api/v1/jds/{jd_id}/checklist", {"checked": CHECKLIST_CODES}, content_type="application/json")
    assert r.json()["checklist_complete"] is True
    r = client.post(f"/api/v1/jds/{jd_id}/submit")
    assert r.status_code == 201 and r.json()["weight"] == 2.0
    need_id = r.json()["id"]
    assert client.get(f"/api/v1/needs/{need_id}").json()["job_description_id"] == jd_id
    assert client.get(f"/api/v1/jds/{jd_id}").json()["need_id"] == need_id
