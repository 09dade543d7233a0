"""Never lose or corrupt the graph: ingesting is idempotent, changed articles replace their old
claims, removing articles retracts exactly what they supported, hostile strings stay data, and
`kg doctor` finds what a crash would leave behind. All through the real embedded engine."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import EXAMPLES
from kg import engine
from kg.api import KnowledgeGraph
from kg.resources import schema

IRGC = EXAMPLES / "2019-04-us-lists-irgc.txt"
VERSION = schema()["version"]


def run_kg(home, *args, env=None):
    env = {**os.environ, "KG_HOME": str(home), **(env or {})}
    env.pop("NEO4J_URI", None)
    return subprocess.run([sys.executable, "-m", "kg", *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def homes(tmp_path):
    """Data folders of embedded engines, stopped at the end of the test."""
    made = []

    def home(name="home"):
        made.append(tmp_path / name)
        return tmp_path / name

    yield home
    for h in made:
        engine.stop(h)


def ingest(home, *paths) -> None:
    with KnowledgeGraph.open(home=home) as graph:
        graph.ingest(paths)


@pytest.fixture(scope="module")
def examples_home(tmp_path_factory):
    """A graph of the example articles that tests only read (and check they did not change)."""
    home = tmp_path_factory.mktemp("examples") / "home"
    ingest(home, EXAMPLES)
    yield home
    engine.stop(home)


def snapshot(home) -> dict:
    """Everything that must not change: counts of nodes, relationships, properties, and both exports."""
    with KnowledgeGraph.open(home=home) as graph:
        read = graph.store.read
        return {
            "labels": read("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label"),
            "types": read("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type"),
            "node properties": read("MATCH (n) UNWIND keys(n) AS k RETURN count(k) AS n"),
            "relationship properties": read("MATCH ()-[r]->() UNWIND keys(r) AS k RETURN count(k) AS n"),
            "claims": list(graph.claims()),
            "entities": list(graph.entities()),
        }


def corpus(folder, extra: dict[str, str] | None = None):
    """The example articles in `folder`, plus `extra` files (name → text)."""
    shutil.copytree(EXAMPLES, folder)
    for name, text in (extra or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_ingesting_twice_leaves_the_graph_identical(examples_home):
    first = snapshot(examples_home)
    assert "0 articles written; 0 claims; 4 unchanged" in run_kg(examples_home, "ingest", str(EXAMPLES)).stdout
    assert snapshot(examples_home) == first
    assert first["claims"] and first["entities"]


def test_changed_text_replaces_the_article_as_if_ingested_fresh(tmp_path, homes):
    articles = corpus(tmp_path / "articles")
    home = homes()
    ingest(home, articles)
    # the US article now names only the designation: the Quds Force sentence and its claims go
    changed = "\n\n".join(p for p in IRGC.read_text().split("\n\n") if "Quds" not in p)
    assert changed != IRGC.read_text()
    (articles / IRGC.name).write_text(changed)
    assert "1 replaced (text changed)" in run_kg(home, "ingest", str(articles)).stdout

    fresh = homes("fresh")
    ingest(fresh, articles)
    assert snapshot(home) == snapshot(fresh)


def test_remove_retracts_claims_entities_and_corroboration(tmp_path, homes):
    second = IRGC.read_text() + "\n\nThis report was confirmed by a second newsroom.\n"
    articles = corpus(tmp_path / "articles", {"second-outlet.txt": second})
    home = homes()
    ingest(home, articles)
    corroboration = ("MATCH (a:Article)-[:STATES]->(:Claim)-[:OF]->(f:Fact) "
                     "RETURN f.key AS fact, count(DISTINCT a) AS articles ORDER BY fact")
    with KnowledgeGraph.open(home=home) as graph:
        before = {r["fact"]: r["articles"] for r in graph.store.read(corroboration)}
    shared = {fact for fact, n in before.items() if n == 2}
    assert shared, "the second outlet should corroborate the US article's claims"

    result = run_kg(home, "remove", "2020-01-commander-killed", "second-outlet")
    assert result.stdout.strip() == "kg remove: 2 articles removed"

    fresh = homes("fresh")
    for name in ("2020-01-commander-killed.txt", "second-outlet.txt"):
        (articles / name).unlink()
    ingest(fresh, articles)
    assert snapshot(home) == snapshot(fresh)  # as if those articles had never been ingested
    with KnowledgeGraph.open(home=home) as graph:
        after = {r["fact"]: r["articles"] for r in graph.store.read(corroboration)}
    assert all(after[fact] == 1 for fact in shared)


def test_removing_the_only_article_naming_a_government_body_also_removes_its_state(tmp_path, homes):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "home-office.txt").write_text("Home Office review\n\nMarch 3, 2022\n\n"
                                            "The Home Office proscribed Hamas as a terrorist organization on "
                                            "Friday, officials said.\n")
    home = homes()
    ingest(home, folder)
    with KnowledgeGraph.open(home=home) as graph:
        assert "United Kingdom" in {e["name"] for e in graph.entities()}  # brought along by the Home Office
        assert graph.remove(["home-office"]) == ["home-office"]
        assert graph.stats()["counts"]["Entity"] == 0
        assert not graph.doctor().problems


def test_remove_of_an_unknown_article_says_so_and_changes_nothing(examples_home):
    before = snapshot(examples_home)
    result = run_kg(examples_home, "remove", "no-such-article")
    assert result.returncode == 4 and "not in the graph: no-such-article" in result.stderr  # nothing by that name
    assert snapshot(examples_home) == before


HOSTILE = ["x'}) DETACH DELETE n //", 'x"}) DETACH DELETE n //', "`Entity` MATCH (n) DETACH DELETE n",
           "Ω ∑ 中文 🙂 \\' \\\""]


@pytest.mark.parametrize("value", HOSTILE)
def test_injection_through_query_parameters_changes_nothing(examples_home, value):
    before = snapshot(examples_home)
    result = run_kg(examples_home, "query", "designations-by-country", "-p", "country", value, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert snapshot(examples_home) == before


def test_injection_through_article_text_and_file_names_is_stored_as_data(tmp_path, homes):
    hostile_text = ("Ottawa `}) DETACH DELETE n //' \" lists\n\n"
                    "Canada listed the Quds Force as a terrorist entity in 2012'}) MATCH (n) DETACH DELETE n //.\n")
    folder = tmp_path / "articles"
    folder.mkdir()
    name = "quote'}) DETACH DELETE n \\ `x` 中文"
    (folder / f"{name}.txt").write_text(hostile_text)
    home = homes()
    assert run_kg(home, "ingest", str(folder)).returncode == 0
    with KnowledgeGraph.open(home=home) as graph:
        [article] = graph.store.read("MATCH (a:Article) RETURN a.id AS id")
        assert article["id"] == name and "DETACH DELETE n //" in graph.article_text(name)
        assert graph.stats()["counts"]["Entity"] > 0
    assert run_kg(home, "remove", name).stdout.strip() == "kg remove: 1 articles removed"


def test_doctor_reports_a_healthy_graph(examples_home):
    result = run_kg(examples_home, "doctor")
    assert result.returncode == 0
    assert "embedded engine running" in result.stdout and f"schema         version {VERSION} (graph: {VERSION})" in result.stdout
    assert "Article 4" in result.stdout and "no problems found" in result.stdout


def test_doctor_finds_half_written_articles_orphans_and_broken_claims(homes):
    home = homes()
    ingest(home, EXAMPLES)
    with KnowledgeGraph.open(home=home) as graph:
        graph.store.write([
            ("MATCH (a:Article {id: $id}) SET a.status = 'writing'", {"id": "2021-06-uk-debate"}),
            ("CREATE (:Entity:Person {key: 'person:nobody', id: 'nobody', name: 'Nobody', type: 'Person'})", {}),
            ("MATCH (c:Claim) WITH c ORDER BY c.start LIMIT 1 MATCH (c)-[r:OF]->() DELETE r", {}),
        ])
    result = run_kg(home, "doctor")
    assert result.returncode == 1
    problems = [line for line in result.stdout.splitlines() if line.startswith("problem:")]
    assert len(problems) == 4, result.stdout
    assert "1 half-written articles (2021-06-uk-debate)" in problems[0]
    # the claim that lost its fact no longer counts there
    assert "1 facts whose article counts disagree with their claims" in problems[1]
    assert "1 entities with no mention and no claim (person:nobody)" in problems[2]
    assert "1 claims missing their article or fact" in problems[3]
    ingest(home, EXAMPLES)  # repairs the half-written article
    assert "1 half-written" not in run_kg(home, "doctor").stdout


def test_a_graph_of_another_schema_version_is_reported_and_not_queried(homes):
    home = homes()
    ingest(home, EXAMPLES)
    with KnowledgeGraph.open(home=home) as graph:
        graph.store.write([("MATCH (s:Schema) SET s.version = 0", {})])
    result = run_kg(home, "doctor")
    assert result.returncode == 1 and f"written with schema version 0, kg uses {VERSION}" in result.stdout
    refused = run_kg(home, "query", "designations-by-country")  # its answers would be wrong, so none
    assert refused.returncode == 2 and f"written with schema version 0, kg uses {VERSION}" in refused.stderr
    assert not refused.stdout


def test_repair_upgrades_a_graph_of_schema_version_6_and_its_claims_read_back_the_same(graph):
    graph.ingest([EXAMPLES])
    before = list(graph.claims())
    graph.store.write([("MATCH (c:Claim) SET c.id = 'a v6 id', c.confidence = 0.5", {}),  # what v6 stored
                       ("MATCH (s:Schema) SET s.version = 6", {})])
    assert graph.doctor().problems == [f"the graph was written with schema version 6, kg uses {VERSION}: "
                                       "`kg doctor --repair` upgrades it"]
    assert graph.repair()[0].startswith("upgraded the graph from schema version 6 to 7")
    assert graph.doctor().problems == [] and graph.doctor().graph_schema_version == VERSION
    assert graph.store.read("MATCH (c:Claim) WHERE c.id IS NOT NULL OR c.confidence IS NOT NULL RETURN count(c) AS n") \
        == [{"n": 0}]
    assert list(graph.claims()) == before


def test_doctor_on_each_backend_records_and_checks_the_schema_version(graph):
    assert graph.doctor().graph_schema_version is None
    graph.ingest([EXAMPLES])
    health = graph.doctor()
    assert health.graph_schema_version == health.schema_version == VERSION
    assert health.counts["Article"] == 4 and health.problems == []


def test_articles_are_analysed_again_when_the_extractor_changes(graph, monkeypatch):
    first = graph.ingest([EXAMPLES])
    counts = graph.stats()["counts"]
    monkeypatch.setattr("kg.api.extractor", lambda: "kg next (gazetteer edited)")
    monkeypatch.setattr("kg.write.extractor", lambda: "kg next (gazetteer edited)")
    again = graph.ingest([EXAMPLES])
    assert again.replaced == first.written and again.unchanged == 0
    assert graph.stats()["counts"] == counts
    assert graph.ingest([EXAMPLES]).unchanged == first.written
