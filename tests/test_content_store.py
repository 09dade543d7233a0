"""Article texts live in a content store beside the graph (kg/content.py), not on Article nodes:
what queries answer is the same as when the text was on the node, and the text comes back for
evidence checks and re-analysis."""
from __future__ import annotations

import os
import shlex
import sqlite3
import subprocess
import sys

import pytest

from conftest import EXAMPLES, FIXTURES
from kg import write
from kg.api import KnowledgeGraph
from kg.content import ContentError, ContentStore, hash_of
from kg.queries import library

CORPUS = [EXAMPLES, FIXTURES / "queries-corpus"]


def cells(row: dict) -> dict:
    """A row with the lists in its cells sorted: some lists (group-profile's) come in the order the
    engine stores nodes, which a graph written again after a delete need not repeat."""
    return {k: sorted(v, key=repr) if isinstance(v, list) else v for k, v in row.items()}


def every_answer(graph: KnowledgeGraph) -> dict[str, list[dict]]:
    """Each canned query's answer (rows in order) for each example of its header, and the claims export."""
    answers = {}
    for query in library().values():
        for example in query.examples:
            words = shlex.split(example)[3:]  # after "kg query NAME"
            params = dict(zip(words[1::3], words[2::3]))
            answers[example] = [cells(r) for r in graph.query(query.name, **params)]
            if "limit" in query.params:
                answers[example + " -p limit 2"] = [cells(r) for r in graph.query(query.name, **params, limit="2")]
    answers["kg export claims"] = [cells(r) for r in graph.claims()]
    return answers


def test_every_query_and_the_claims_export_answer_as_when_the_text_was_on_the_article(graph, monkeypatch):
    report = graph.ingest(CORPUS)
    assert report.written == 11 and not report.problems
    after = every_answer(graph)
    assert graph.store.read("MATCH (a:Article) WHERE a.text IS NOT NULL RETURN count(a) AS n")[0]["n"] == 0

    graph.store.write([("MATCH (n) DETACH DELETE n", {})])
    with_text = write.article_row
    monkeypatch.setattr(write, "article_row", lambda r: {**with_text(r), "text": r.article.text})  # the old layout
    graph.ingest(CORPUS)
    assert graph.store.read("MATCH (a:Article) WHERE a.text IS NOT NULL RETURN count(a) AS n")[0]["n"] == 11
    before = every_answer(graph)

    assert sum(len(rows) for rows in after.values()) > 100  # the corpus gives every query something to say
    assert after == before


def test_every_claims_evidence_is_the_stored_text_at_its_offsets(graph):
    graph.ingest(CORPUS)
    claims = list(graph.claims())
    assert len(claims) > 20
    for claim in claims:
        assert graph.article_text(claim["article"])[claim["start"]:claim["end"]] == claim["evidence"]


def test_a_text_shared_by_two_articles_is_kept_until_both_are_removed(graph, tmp_path):
    (tmp_path / "one.txt").write_text("Canada listed the Quds Force as a terrorist entity in 2012.\n")
    (tmp_path / "two.txt").write_text("Canada listed the Quds Force as a terrorist entity in 2012.\n")
    graph.ingest([tmp_path / "one.txt"])
    graph.ingest([tmp_path / "two.txt"])  # another run: a second article with the same text
    digest = hash_of((tmp_path / "one.txt").read_text())
    graph.remove(["one"])
    assert digest in graph.content.hashes() and "Quds Force" in graph.article_text("two")
    graph.remove(["two"])
    assert digest not in graph.content.hashes()


def test_a_changed_file_replaces_its_text(graph, tmp_path):
    article = tmp_path / "listing.txt"
    article.write_text("Canada listed the Quds Force as a terrorist entity in 2012.\n")
    graph.ingest([tmp_path])
    old = hash_of(article.read_text())
    article.write_text("Japan listed the Quds Force as a terrorist entity in 2014.\n")
    assert graph.ingest([tmp_path]).replaced == 1
    assert graph.article_text("listing").startswith("Japan") and old not in graph.content.hashes()


def test_a_failed_batch_leaves_no_article_without_its_text(graph, tmp_path, monkeypatch):
    """FalkorDB's texts are stored before the graph batch; Neo4j's are in the batch's transaction."""
    (tmp_path / "listing.txt").write_text("Canada listed the Quds Force as a terrorist entity in 2012.\n")

    def crash(store, batch, replaced, **kwargs):
        raise RuntimeError("the engine went away")

    monkeypatch.setattr(write, "write_batch", crash)
    with pytest.raises(RuntimeError):
        graph.ingest([tmp_path])
    stored = hash_of((tmp_path / "listing.txt").read_text()) in graph.content.hashes()
    assert stored == (graph.store.backend == "falkordb")
    monkeypatch.undo()
    assert graph.ingest([tmp_path]).written == 1  # written again, the stored text reused
    assert graph.doctor().missing_texts == []


def test_reanalysis_reads_the_stored_texts_without_the_files(graph, tmp_path):
    (tmp_path / "listing.txt").write_text("Canada listed the Quds Force as a terrorist entity in 2012.\n")
    graph.ingest([tmp_path])
    before = list(graph.claims())
    (tmp_path / "listing.txt").unlink()
    graph.store.write([("MATCH (a:Article) SET a.extractor = 'kg-0.0'", {})])  # as if an older kg wrote it
    report = graph.reanalyse()
    assert report.written == 1 and report.claims == len(before) > 0
    assert list(graph.claims()) == before
    assert graph.reanalyse().written == 0  # nothing left from another extractor


def test_a_damaged_text_is_reported_with_the_store_and_the_hash(tmp_path):
    store = ContentStore(tmp_path / "content.sqlite")
    store.put(["Canada listed the Quds Force."])
    digest = hash_of("Canada listed the Quds Force.")
    store.close()
    with sqlite3.connect(tmp_path / "content.sqlite") as db:
        db.execute("UPDATE texts SET zlib = ? WHERE hash = ?", (b"not zlib", digest))
    with pytest.raises(ContentError, match=f"content.sqlite: the text with hash {digest} is damaged"):
        ContentStore(tmp_path / "content.sqlite").get(digest)


@pytest.mark.neo4j
def test_a_second_machine_reads_the_texts_the_first_ingested_into_one_neo4j(neo4j_server, tmp_path):
    """Two KG_HOMEs (two machines) against one Neo4j: the texts are in the database, not a machine's."""
    uri, user, password = neo4j_server
    env = {**os.environ, "NEO4J_URI": uri, "NEO4J_USER": user, "NEO4J_PASSWORD": password}

    def kg(home, *args):
        done = subprocess.run([sys.executable, "-m", "kg", *args], env={**env, "KG_HOME": str(tmp_path / home)},
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        return done.stdout

    with KnowledgeGraph.open(home=tmp_path / "machine-a", neo4j_uri=uri, neo4j_user=user,
                             neo4j_password=password) as graph:
        graph.store.write([("MATCH (n) DETACH DELETE n", {})])
    kg("machine-a", "ingest", str(EXAMPLES))
    assert "no problems found" in kg("machine-b", "doctor")
    with KnowledgeGraph.open(home=tmp_path / "machine-b", neo4j_uri=uri, neo4j_user=user,
                             neo4j_password=password) as graph:
        claims = list(graph.claims())
        assert len(claims) > 10 and graph.doctor().missing_texts == []
        for claim in claims:
            assert graph.article_text(claim["article"])[claim["start"]:claim["end"]] == claim["evidence"]
        graph.store.write([("MATCH (n) DETACH DELETE n", {})])
    assert not (tmp_path / "machine-a" / "content").exists()  # nothing kept on the first machine


@pytest.mark.neo4j
def test_texts_an_older_kg_kept_on_this_machine_are_copied_into_neo4j(neo4j_server, tmp_path):
    uri, user, password = neo4j_server
    text = "Canada listed the Quds Force as a terrorist entity in 2012."
    name = "Neo4j_at_" + uri.replace("://", "_").replace(":", "_") + "-default.sqlite"
    old = ContentStore(tmp_path / "home" / "content" / name)  # where kg kept a Neo4j graph's texts
    old.put([text])
    old.close()
    with KnowledgeGraph.open(home=tmp_path / "home", neo4j_uri=uri, neo4j_user=user, neo4j_password=password) as graph:
        assert graph.content.get(hash_of(text)) == text
        graph.store.write([("MATCH (n) DETACH DELETE n", {})])
    assert (tmp_path / "home" / "content" / (name + ".copied")).exists()
