"""`kg view`: what gets drawn for the sample articles, the page being self-contained, and the page
as a person sees it in a real headless Chromium."""
import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from kg import view

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def sample(graph):
    graph.ingest([EXAMPLES])
    return graph


def names(drawn: view.View) -> set[str]:
    return {n["label"] for n in drawn.nodes}


def test_whole_graph_draws_claims_as_edges_that_list_their_sources(sample):
    drawn = view.build(sample.store)
    assert {"Quds Force", "United States", "Islamic Revolutionary Guard Corps"} <= names(drawn)
    us_irgc = next(e for e in drawn.edges if e["id"] == "united-states|DESIGNATED_AS_TERRORIST|irgc")
    assert us_irgc["sources"] == ["2019-04-us-lists-irgc"]
    assert "Revolutionary Guard" in us_irgc["claims"][0]["evidence"]
    # two articles say the Quds Force is part of the IRGC: one edge, both sources
    part_of = [e for e in drawn.edges if e["from"] == "quds-force" and e["predicate"] == "PART_OF"]
    assert len(part_of) == 1 and len(part_of[0]["claims"]) == 2 and part_of[0]["label"] == "part of ×2"
    # the most connected entities are drawn biggest
    assert max(drawn.nodes, key=lambda n: n["value"])["label"] == "Quds Force"


def test_entity_neighbourhood_found_by_alias_in_any_case(sample):
    near = view.build(sample.store, entity="irgc")
    assert {"Islamic Revolutionary Guard Corps", "Iran", "Quds Force", "United States"} <= names(near)
    assert "Hamas" not in names(near)  # two claims away
    assert near.nodes[0]["label"] == "Islamic Revolutionary Guard Corps"
    farther = view.build(sample.store, entity="IRGC", depth=2)
    assert {"Hamas", "Esmail Qaani", "U.S. Department of State"} <= names(farther)


def test_unknown_entity_suggests_a_close_name(sample):
    with pytest.raises(view.ViewError, match="did you mean Quds Force"):
        view.build(sample.store, entity="Quds Forse")


def test_query_view_draws_the_entities_named_in_its_rows(sample):
    drawn = view.build(sample.store, query="designations-by-country", params={"country": "united states"})
    assert {"United States", "Islamic Revolutionary Guard Corps", "Kata'ib Hezbollah"} <= names(drawn)
    assert "Canada" not in names(drawn)  # its designation is not of this query's rows
    assert {("united-states", "irgc"), ("united-states", "kataib-hezbollah")} <= {
        (e["from"], e["to"]) for e in drawn.edges if e["predicate"] == "DESIGNATED_AS_TERRORIST"}


def test_large_graph_is_capped_and_the_page_says_so(sample):
    drawn = view.build(sample.store, limit=5)
    assert len(drawn.nodes) == 5
    assert drawn.notes == [f"showing 5 of {sample.stats()['counts']['Entity']} entities (the limit is 5); "
                           "draw less with --entity or --query, or raise --limit"]
    assert "showing 5 of" in view.render(drawn)


def test_page_is_self_contained_and_forbids_network_requests(sample):
    page = view.render(view.build(sample.store))
    assert "default-src 'none'" in page
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=", page)
    assert "vis-network" in page and len(page) > 600_000  # the library itself, inlined
    assert (Path(view.__file__).parent / "static" / "vis-network.LICENSE-MIT").is_file()


def chromium(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                           "--no-first-run", "--disable-background-networking", "--disable-component-update",
                           "--disable-sync", f"--user-data-dir={tmp_path / 'chromium'}",
                           "--virtual-time-budget=15000", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no /usr/bin/chromium (apt-get install chromium)")
def test_page_renders_the_graph_in_a_real_browser(sample, tmp_path):
    drawn = view.build(sample.store)
    page = view.write(drawn, tmp_path / "kg-view.html")
    for _ in range(3):  # a starved headless Chromium can give up before the first frame; try again
        dom = chromium("--dump-dom", page.as_uri(), tmp_path=tmp_path).stdout
        if '<body data-rendered="true">' in dom:
            break
    assert '<body data-rendered="true">' in dom  # vis-network drew the graph
    shown = re.search(r'<ul id="shown">(.*?)</ul>', dom).group(1)
    assert set(map(html.unescape, re.findall(r"<li>(.*?)</li>", shown))) == names(drawn)
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    shot = artifacts / "view.png"
    shot.unlink(missing_ok=True)
    chromium("--hide-scrollbars", f"--screenshot={shot}", "--window-size=1200,800", page.as_uri(), tmp_path=tmp_path)
    assert shot.stat().st_size > 20_000  # a drawn graph, not a blank page


def test_kg_view_command_writes_the_page_and_reports_truncation(tmp_path):
    env = {**os.environ, "KG_HOME": str(tmp_path / "home")}
    env.pop("NEO4J_URI", None)

    def kg(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "kg", *args], env=env, capture_output=True, text=True,
                              timeout=300, cwd=tmp_path)

    try:
        assert kg("ingest", str(EXAMPLES)).returncode == 0
        result = kg("view", "--limit", "3")
        assert result.returncode == 0, result.stderr
        assert "showing 3 of" in result.stderr
        assert "Quds Force" in (tmp_path / "kg-view.html").read_text()
        refused = kg("view", "--entity", "nobody at all")
        assert refused.returncode == 4 and "no entity named 'nobody at all'" in refused.stderr
        no_query = kg("view", "--query", "nosuch")
        assert no_query.returncode == refused.returncode and "no canned query named 'nosuch'" in no_query.stderr
    finally:
        kg("engine", "stop")
