"""The README's Neo4j Browser steps, done by headless Chromium against the server of
scripts/neo4j-local: log in, kg's style is applied on connecting, `:param group => 'IRGC'`, paste
queries/group-profile.cypher and run it, and the group's graph is drawn. The screenshot is kept in
test-artifacts/ to look at."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from conftest import EXAMPLES, NEO4J_PASSWORD, ROOT
from kg.api import KnowledgeGraph
from kg.store import Neo4jStore

pytestmark = pytest.mark.neo4j

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT = ROOT / "test-artifacts" / "neo4j-browser-group-profile.png"


def grass(text: str) -> dict[str, dict[str, str]]:
    """A Browser style sheet as {selector: {property: value}}, the form the Browser stores it in."""
    return {selector: {k: v.strip('"') for k, v in re.findall(r'([\w-]+)\s*:\s*("[^"]*"|[^;]+?)\s*;', body)}
            for selector, body in re.findall(r'([\w.]+)\s*\{((?:[^}"]|"[^"]*")*)\}', text)}


@pytest.fixture
def browser_page():
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
    if not os.path.exists(CHROMIUM):
        pytest.skip("no /usr/bin/chromium (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser.new_page(viewport={"width": 1400, "height": 900})
        browser.close()


@pytest.fixture
def examples_in_neo4j(neo4j_local):
    bolt, browser_url = neo4j_local
    store = Neo4jStore(bolt, "neo4j", NEO4J_PASSWORD)
    store.write([("MATCH (n) DETACH DELETE n", {})])
    with KnowledgeGraph(store) as graph:
        graph.ingest([EXAMPLES])
    return browser_url


def test_group_profile_is_drawn_in_kgs_style_in_the_neo4j_browser(browser_page, examples_in_neo4j):
    page = browser_page
    page.goto(examples_in_neo4j)
    page.get_by_test_id("username").fill("neo4j")
    page.get_by_test_id("password").fill(NEO4J_PASSWORD)
    page.get_by_test_id("connect").click()
    editor = page.locator("#monaco-main-editor")
    editor.wait_for()
    page.wait_for_function("() => (localStorage.getItem('neo4j.grass') || '').includes('{predicate}')",
                           timeout=30_000)

    editor.click()
    page.keyboard.insert_text(":param group => 'IRGC'")
    page.keyboard.press("Enter")
    page.get_by_text('"group": "IRGC"').wait_for()
    editor.click()
    page.keyboard.insert_text((ROOT / "queries" / "group-profile.cypher").read_text())
    page.keyboard.press("Control+Enter")
    page.locator("svg .node").first.wait_for(timeout=30_000)
    page.wait_for_timeout(2000)  # let the force layout settle for the screenshot
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    stored = json.loads(page.evaluate("localStorage.getItem('neo4j.grass')"))
    assert stored == grass((ROOT / "schema" / "browser-style.grass").read_text())
    captions = page.evaluate("Array.from(document.querySelectorAll('svg .node')).map(n => n.textContent.trim())")
    assert any(c.startswith("Islamic Revolut") for c in captions)  # the group, captioned by its name
    assert any(c.startswith("DESIG") for c in captions)  # a designation fact, captioned by its predicate
    assert page.locator("svg .relationship").count() >= 1
