"""The one form pattern in the browser: a failed application submit shows the error summary, focus moves to
it, and each of its links focuses the field it names (issue 13, "forms that help")."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def _open_apply_form(page, server_url):
    login(page, server_url, "talent", "dxpool-demo-2026")
    page.goto(server_url + "/talent/rounds/")
    page.get_by_role("link", name="第2次募集").click()
    page.get_by_role("link", name="この公募に応募する").click()


def test_failed_application_submit_shows_the_summary_and_moves_focus(page, server_url):
    _open_apply_form(page, server_url)
    # 氏名 is required: emptied, the form cannot be accepted whatever else the applicant chose.
    page.locator("#id_full_name").fill("")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("load")

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="入力内容に問題があります")).to_be_visible()
    assert page.title().startswith("エラー: ")
    # The script is deferred: wait until it has run rather than racing it.
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")

    # Every line of the summary links to an input that exists, and names its field.
    hrefs = summary.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith("#id_") for h in hrefs)
    for href in hrefs:
        assert page.locator(href).count() == 1, href
    assert "このフィールドは必須です" not in page.inner_text("main")

    link = summary.get_by_role("link", name="氏名を入力してください")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("#id_full_name")).to_be_focused()
    field = page.locator("#id_full_name")
    assert field.get_attribute("aria-invalid") == "true"
    error_id = "id_full_name_error"
    assert error_id in (field.get_attribute("aria-describedby") or "").split()
    expect(page.locator(f"#{error_id}")).to_contain_text("氏名を入力してください")


def test_every_described_by_id_exists_on_the_failed_form(page, server_url):
    _open_apply_form(page, server_url)
    page.locator("#id_full_name").fill("")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("load")
    missing = page.locator("[aria-describedby]").evaluate_all(
        "els => els.flatMap(e => e.getAttribute('aria-describedby').split(/\\s+/)"
        ".filter(id => id && !document.getElementById(id)))")
    assert missing == []


def test_numbers_typed_in_full_width_are_accepted(page, server_url):
    """A Japanese IME types 「１６」: the field takes it (type=text, inputmode=numeric) and the server reads it."""
    _open_apply_form(page, server_url)
    hours = page.locator("#id_hours_per_week")
    assert hours.get_attribute("type") == "text" and hours.get_attribute("inputmode") == "numeric"
    hours.fill("１００")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page.locator("#id_hours_per_week_error")).to_contain_text("週あたり稼働可能時間は80時間以下で入力してください")
    expect(page.locator("[data-error-summary]")).to_contain_text("週あたり稼働可能時間")


def test_summary_screenshot(page, server_url):
    _open_apply_form(page, server_url)
    page.locator("#id_full_name").fill("")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("load")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    path = ROOT / "docs" / "screenshots" / "form-error-summary.png"
    page.screenshot(path=str(path), full_page=True)
