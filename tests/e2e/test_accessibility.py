"""Automated accessibility audit (JIS X 8341-3 / WCAG 2.1 A and AA rules that a machine can check) of the
main pages of every role, with axe-core run inside Debian's chromium. Manual checks (keyboard journeys,
screen-reader wording) are not replaced by this; regressions in what axe can see are caught."""

from pathlib import Path

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e
PASSWORD = "dxpool-demo-2026"
AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# (user, pages); "first:URL" means the first link in the main table of URL (a detail page with real data).
PAGES = {
    None: ["/", "/login/", "/talent/signup/"],
    "nagasaki": ["/", "/municipalities/", "/groupings/", "/groupings/new/", "first:/groupings/",
                 "/needs/hearings/", "first:/needs/hearings/", "/needs/overview/",
                 "/needs/municipalities/422118/", "/needs/jds/", "first:/needs/jds/", "/needs/",
                 "/talent/rounds/", "/talent/rounds/new/", "first:/talent/rounds/", "/talent/applications/",
                 "first:/talent/applications/", "/talent/pool/", "/matching/", "first:/matching/",
                 "/matching/proposals/", "first:/matching/proposals/"],
    "goto": ["/", "/needs/hearings/", "/needs/hearings/new/", "/needs/jds/", "/needs/jds/new/",
             "/matching/proposals/", "/matching/proposals/?waiting=1", "first:/matching/proposals/", "/talent/pool/"],
    "talent": ["/", "/talent/me/", "/matching/proposals/?waiting=1", "/matching/proposals/",
               "first:/matching/proposals/"],
    "kuni": ["/", "/needs/overview/", "/needs/overview/?hearing=none", "/prefectures/"],
}


def _audit(page) -> list[str]:
    # Evaluated through the DevTools protocol, not added as a <script> element: the page's Content-Security-
    # Policy (script-src 'self') rightly refuses inline script, and the audit must see the page as served.
    page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} — {v['help']}" for v in result["violations"]]


@pytest.mark.parametrize("user", list(PAGES), ids=[u or "anonymous" for u in PAGES])
def test_pages_have_no_machine_detectable_wcag_violations(page, server_url, user):
    assert AXE.exists(), "axe-core missing: run `bash scripts/install-browser.sh` (make e2e does)"
    if user:
        login(page, server_url, user, PASSWORD)
    problems = {}
    for target in PAGES[user]:
        if target.startswith("first:"):
            page.goto(server_url + target[len("first:"):])
            link = page.locator("main table tbody a").first
            target = link.get_attribute("href")
        response = page.goto(server_url + target)
        assert response.status < 400, f"{target}: HTTP {response.status}"
        found = _audit(page)
        if found:
            problems[target] = found
    assert not problems, problems
