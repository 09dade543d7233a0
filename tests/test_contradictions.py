"""The writer keeps contradictions current as articles come, change and go: a denial or
revocation is marked while the designation it contradicts is in the graph, and the
`contradictions` query reads only marked facts."""
from __future__ import annotations

from kg.api import KnowledgeGraph

LISTING = "The United States designated the Houthis as a terrorist organization in January 2021.\n"
REVERSAL = "The United States revoked the designation of the Houthis in February 2021.\n"


def contradictions(graph: KnowledgeGraph) -> list[tuple[str, str, str]]:
    return [(r["authority"], r["group"], r["contrary"]) for r in graph.query("contradictions")]


def marked(graph: KnowledgeGraph) -> list[str]:
    return [r["key"] for r in graph.store.read("MATCH (f:Fact {contradicted: true}) RETURN f.key AS key")]


def test_a_revocation_becomes_a_contradiction_when_the_designation_arrives_later(graph, tmp_path):
    (tmp_path / "reversal.txt").write_text(REVERSAL)
    graph.ingest([tmp_path / "reversal.txt"])
    assert contradictions(graph) == []
    (tmp_path / "listing.txt").write_text(LISTING)
    graph.ingest([tmp_path / "listing.txt"])
    assert contradictions(graph) == [("United States", "Houthis", "REVOKED_DESIGNATION")]
    assert marked(graph) == ["REVOKED_DESIGNATION|united-states|houthis"]
    assert graph.query("contradictions", group="houthis")[0]["designation_sources"] == ["listing"]


def test_a_contradiction_ends_when_the_designation_is_removed(graph, tmp_path):
    (tmp_path / "listing.txt").write_text(LISTING)
    (tmp_path / "reversal.txt").write_text(REVERSAL)
    graph.ingest([tmp_path])
    assert contradictions(graph) == [("United States", "Houthis", "REVOKED_DESIGNATION")]
    graph.remove(["listing"])
    assert contradictions(graph) == [] and marked(graph) == []


def test_a_contradiction_ends_when_the_designating_article_is_changed(graph, tmp_path):
    (tmp_path / "listing.txt").write_text(LISTING)
    (tmp_path / "reversal.txt").write_text(REVERSAL)
    graph.ingest([tmp_path])
    (tmp_path / "listing.txt").write_text(LISTING.replace("Houthis", "Quds Force"))
    assert graph.ingest([tmp_path]).replaced == 1
    assert contradictions(graph) == [] and marked(graph) == []
