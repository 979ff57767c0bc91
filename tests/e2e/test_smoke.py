"""Smoke journey: each demo role logs in and sees its own home page; assets are served locally."""

import pytest

from dxpool.core.demo import DEMO_LOGINS
from tests.e2e.conftest import login, screenshot

pytestmark = pytest.mark.e2e

HOME_TEXT = {
    "national": "全国の状況",
    "prefecture": "長崎県の人材プール",
    "municipality": "五島市",
    "talent": "外部デジタル人材の皆さまへ",
}


@pytest.mark.parametrize("demo", DEMO_LOGINS, ids=[d.role for d in DEMO_LOGINS])
def test_each_role_logs_in(page, server_url, demo):
    external = []
    page.on("request", lambda req: external.append(req.url) if not req.url.startswith(server_url) else None)
    login(page, server_url, demo.username, demo.password)
    assert page.get_by_role("heading", level=1).is_visible()
    assert HOME_TEXT[demo.role] in page.inner_text("main")
    # The stylesheet is served by the app and applied (the skip link is moved off-screen by it).
    assert page.locator(".skip-link").bounding_box()["x"] < 0
    screenshot(page, f"home-{demo.role}")
    assert external == []
    page.get_by_role("button", name="ログアウト").click()
    page.wait_for_url(server_url + "/login/")


def test_skip_link_and_keyboard(page, server_url):
    page.goto(server_url + "/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") in ("main", "id_username")


def test_municipality_officer_cannot_open_other_municipality(page, server_url):
    login(page, server_url, "goto", "dxpool-demo-2026")
    response = page.goto(server_url + "/municipalities/422100/")  # 壱岐市
    assert response.status == 404
    assert "見つかりません" in page.inner_text("main")


def test_api_docs_render_from_local_assets_under_the_policy(page, server_url):
    # Swagger UI is django-ninja's own copy served by the app (municipal networks reach no CDN), and it runs
    # under the same Content-Security-Policy as every page (the page fixture fails on any violation).
    external = []
    page.on("request", lambda req: external.append(req.url) if not req.url.startswith(server_url) else None)
    login(page, server_url, "nagasaki", "dxpool-demo-2026")
    response = page.goto(server_url + "/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".swagger-ui .opblock").first.wait_for(timeout=15000)
    assert page.locator(".swagger-ui .opblock").count() > 10
    screenshot(page, "api-docs")
    assert external == []


def test_live_parts_work_without_eval(page, server_url):
    # htmx runs with allowEval off: the match run's progress polling and the assessment preview still swap.
    login(page, server_url, "talent", "dxpool-demo-2026")
    assert page.evaluate("htmx.config.allowEval") is False
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.locator("style").count() == 0  # htmx injected none
