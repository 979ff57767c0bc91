"""The acceptance checklist as part of the JD form (issue 13): seed 001's six items kept whole in the data, the
first five ticked in the JD form and saved with it in one submit, required only to submit; the sixth (活動内容は
当初の想定どおりか) flagged for the dispatch and not asked."""

import unicodedata
from pathlib import Path

import pytest

from dxpool.core.audit import AuditAction
from dxpool.core.errors import ValidationError
from dxpool.core.models import AuditEvent
from dxpool.needs import services
from dxpool.needs.documents import jd_sections
from dxpool.needs.forms import JobDescriptionForm
from dxpool.needs.models import JDStatus, JobDescription, Need
from dxpool.needs.reference import ACCEPTANCE_CHECKLIST, ACTIVITY_CHECKLIST, CHECKLIST_CODES, JD_CHECKLIST
from tests.needs.builders import jd_payload, make_jd, municipality

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "001_77c5af8016e9d699.txt"
BULLET = "\uf0fc"  # the extraction's check-mark bullet (Wingdings) before each item


def squash(text: str) -> str:
    """NFKC without white space: the extraction wraps lines inside words and mixes widths."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def seed_items() -> list[str]:
    """Each item of 4.5(7) in seed 001 (question and explanation run together), read from the section's body."""
    if not SEED.exists():
        pytest.skip(f"seed 001 not found at {SEED} (shared/seeds is not beside the repository)")
    text = SEED.read_text(encoding="utf-8")
    title = "(7) 外部人材の受入れ準備チェックリスト"
    body = text.index(title, text.index(title) + len(title))  # the first occurrence is the table of contents
    section = text[body:text.index("(8) アドバイザー等の派遣", body)]
    return [squash(chunk) for chunk in section.split(BULLET)[1:]]


def form_post(**over) -> dict:
    """The JD form as a browser posts it: checkboxes ticked are "on", unticked ones absent."""
    data = {k: v for k, v in jd_payload(weight=1.0).items() if v is not False}  # 1.0: one of the form's choices
    data["excluded_employers"] = "\n".join(data["excluded_employers"])
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def ticks(codes=CHECKLIST_CODES) -> dict:
    return {f"checklist__{code}": "on" for code in codes}


# --- the data holds the seed's list --------------------------------------------------------------------------

def test_the_data_holds_seed_001s_six_items_in_order():
    items = seed_items()
    assert len(items) == len(ACCEPTANCE_CHECKLIST) == 6
    for seed_item, item in zip(items, ACCEPTANCE_CHECKLIST, strict=True):
        assert squash(item.question + item.explanation) == seed_item, item.code


def test_items_1_to_5_are_the_jds_and_the_sixth_is_the_dispatchs():
    assert [i.code for i in JD_CHECKLIST] == CHECKLIST_CODES == [i.code for i in ACCEPTANCE_CHECKLIST[:5]]
    assert [(i.code, i.asked_at) for i in ACTIVITY_CHECKLIST] == [("activities_as_planned", "activity")]
    assert "当初の想定どおり" in ACTIVITY_CHECKLIST[0].question


# --- the form ---------------------------------------------------------------------------------------------------

def test_the_form_asks_items_1_to_5_and_not_the_sixth():
    form = JobDescriptionForm()
    assert form.checklist_fields == [f"checklist__{code}" for code in CHECKLIST_CODES]
    assert "checklist__activities_as_planned" not in form.fields


def test_saving_a_draft_does_not_need_the_checklist(db):
    form = JobDescriptionForm(form_post(), submitting=False)
    assert form.is_valid(), form.errors
    assert form.checked() == []


def test_submitting_without_the_items_gives_an_error_on_each_naming_it(db):
    form = JobDescriptionForm(form_post(**ticks(CHECKLIST_CODES[:2])), submitting=True)
    assert not form.is_valid()
    missing = [f"checklist__{code}" for code in CHECKLIST_CODES[2:]]
    assert sorted(k for k in form.errors if k.startswith("checklist__")) == sorted(missing)
    assert "3番目「外部人材に過剰な期待をしない。」が未確認" in form.errors["checklist__realistic_expectations"][0]
    # The summary line names the item by its question (dxpool.core.forms.field_messages).
    from dxpool.core.forms import field_messages

    message = field_messages(form["checklist__realistic_expectations"])[0]
    assert message.startswith("受入れ準備チェックリストの3番目「外部人材に過剰な期待をしない。」")  # no label prefix


def test_submitting_also_requires_the_receiving_side(db):
    form = JobDescriptionForm(form_post(receiving_structure="", host_department="", **ticks()), submitting=True)
    assert not form.is_valid()
    assert set(form.errors) == {"host_department", "receiving_structure"}


# --- the page: one form, one submit -------------------------------------------------------------------------------

def test_ticks_are_saved_with_a_draft_in_the_same_submit(client, goto_user):
    jd = make_jd(goto_user)
    client.force_login(goto_user)
    r = client.post(f"/needs/jds/{jd.pk}/edit/", {**form_post(), **ticks(CHECKLIST_CODES[:3]), "action": "save"})
    assert r.status_code == 302
    jd.refresh_from_db()
    assert sorted(jd.checklist) == sorted(CHECKLIST_CODES[:3]) and jd.status == JDStatus.DRAFT
    assert jd.checklist["purpose_shared"]["by"] == goto_user.username
    # Shown ticked when the form opens again, with nothing else to press.
    page = client.get(f"/needs/jds/{jd.pk}/edit/").content.decode()
    assert 'name="checklist__purpose_shared" id="id_checklist__purpose_shared" checked' in page.replace(
        ' aria-describedby="id_checklist__purpose_shared_help"', "")
    assert "当初の想定どおり" in page  # named once, as not asked here
    assert 'name="checklist__activities_as_planned"' not in page


def test_submit_for_review_in_one_submit_from_a_new_jd(client, goto_user):
    client.force_login(goto_user)
    code = municipality("五島市").code
    r = client.post("/needs/jds/new/", {**form_post(), **ticks(), "municipality": code, "action": "submit"},
                    follow=True)
    assert "都道府県に提出しました" in r.content.decode()
    jd = JobDescription.objects.get()
    assert jd.status == JDStatus.SUBMITTED and sorted(jd.checklist) == sorted(CHECKLIST_CODES)
    assert Need.objects.get().job_description == jd


def test_a_refused_submit_keeps_nothing_and_shows_the_errors_on_the_form(client, goto_user):
    jd = make_jd(goto_user)
    client.force_login(goto_user)
    r = client.post(f"/needs/jds/{jd.pk}/edit/", {**form_post(title="新しい件名"), **ticks(CHECKLIST_CODES[:4]),
                                                   "action": "submit"})
    assert r.status_code == 200
    body = r.content.decode()
    assert "error-summary" in body and "5番目「企業に属する" in body and "企業と調整" in body
    assert 'value="新しい件名"' in body  # what was typed is kept on the page
    jd.refresh_from_db()
    assert jd.status == JDStatus.DRAFT and jd.checklist == {} and jd.current_version == 1
    assert not Need.objects.exists()


def test_a_refusal_by_the_service_rolls_back_the_ticks_too(goto_user):
    jd = make_jd(goto_user, host_department="")
    with pytest.raises(ValidationError, match="受入れ部署"):
        services.jd_save(actor=goto_user, jd=jd, data={}, checked=CHECKLIST_CODES, submit=True)
    jd.refresh_from_db()
    assert jd.checklist == {} and jd.status == JDStatus.DRAFT


def test_an_unchanged_checklist_is_no_audit_event(goto_user):
    jd = make_jd(goto_user)
    services.jd_save(actor=goto_user, jd=jd, data={}, checked=CHECKLIST_CODES[:2])
    services.jd_save(actor=goto_user, jd=jd, data={}, checked=CHECKLIST_CODES[:2])
    assert AuditEvent.objects.filter(action=AuditAction.JD_CHECKLIST).count() == 1


def test_the_sixth_item_is_refused_and_an_old_tick_of_it_is_kept(goto_user):
    jd = make_jd(goto_user)
    with pytest.raises(ValidationError, match="派遣中に確認する項目"):
        services.jd_checklist_save(actor=goto_user, jd=jd, checked=["activities_as_planned"])
    # A tick stored before the sixth item moved to the dispatch is neither erased nor counted.
    old = {"by": "goto", "by_name": "五島", "by_role": "municipality", "at": "2026-04-01T00:00:00+09:00"}
    JobDescription.objects.filter(pk=jd.pk).update(checklist={"activities_as_planned": old})
    jd.refresh_from_db()
    jd = services.jd_checklist_save(actor=goto_user, jd=jd, checked=CHECKLIST_CODES)
    assert jd.checklist["activities_as_planned"] == old and jd.checklist_ticked == 5 and jd.checklist_complete


def test_the_checklist_is_shown_once_on_the_jd_page(client, goto_user):
    jd = make_jd(goto_user)
    client.force_login(goto_user)
    body = client.get(f"/needs/jds/{jd.pk}/").content.decode()
    assert body.count("丸投げしない") == 1  # the document's section; no separate form, no second status list
    assert "当初の想定どおり" not in body
    assert f"/needs/jds/{jd.pk}/edit/#checklist" in body and "/checklist/" not in body
    lines = [item for s in jd_sections(jd, jd.latest) for item in s.items if item.label == "確認状況"][0].lines
    assert len(lines) == 5


def test_the_separate_checklist_url_is_gone(client, goto_user):
    jd = make_jd(goto_user)
    client.force_login(goto_user)
    assert client.post(f"/needs/jds/{jd.pk}/checklist/", ticks()).status_code == 404
