"""Several `kg ingest` processes writing into one Neo4j at once — how ingest scales out over
machines — give the graph of one ingest, whether their shards of the corpus overlap or not."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import EXAMPLES, FIXTURES
from kg.api import KnowledgeGraph
from kg.store import Neo4jStore, schema_statements

pytestmark = pytest.mark.neo4j

ARTICLES = sorted([*EXAMPLES.glob("*.txt"), *(FIXTURES / "queries-corpus").glob("*.txt")])


def clear(uri, user, password) -> None:
    with Neo4jStore(uri, user, password) as store:
        store.write([("MATCH (n) DETACH DELETE n", {})])


def drop_schema(uri, user, password) -> None:
    """An empty database's schema: no constraint and no index of kg's (the first run of a scale-out)."""
    with Neo4jStore(uri, user, password) as store:
        for row in store.read("SHOW CONSTRAINTS YIELD name RETURN name"):
            store._schema_statement(f"DROP CONSTRAINT {row['name']}")
        for row in store.read("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"):
            store._schema_statement(f"DROP INDEX {row['name']}")


def schema_names(uri, user, password) -> set[str]:
    with Neo4jStore(uri, user, password) as store:
        return {r["name"] for r in store.read("SHOW CONSTRAINTS YIELD name RETURN name")} | {
            r["name"] for r in store.read("SHOW INDEXES YIELD name RETURN name")}


def ingest_at_once(server, folders, tmp_path) -> None:
    uri, user, password = server
    env = {**os.environ, "KG_HOME": str(tmp_path / "home"), "NEO4J_URI": uri, "NEO4J_USER": user,
           "NEO4J_PASSWORD": password}
    processes = [subprocess.Popen([sys.executable, "-m", "kg", "ingest", str(f)], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for f in folders]
    for p in processes:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, f"kg ingest failed ({p.returncode}):\n{err}"


def snapshot(server) -> dict:
    """The graph as its users see it. A fact's lists are compared as sets: they keep the order in
    which its articles arrived, and so does its evidence (the first arrival's sentence: it must be
    one of its claims')."""
    with KnowledgeGraph(Neo4jStore(*server)) as graph:
        read = graph.store.read
        facts = read("MATCH (f:Fact) OPTIONAL MATCH (f)<-[:OF]-(c:Claim) "
                     "RETURN f AS fact, collect(c.evidence) AS sentences ORDER BY f.key")
        for row in facts:
            assert row["fact"].pop("evidence") in row["sentences"]
        return {
            "labels": read("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label"),
            "types": read("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type"),
            "facts": [{k: sorted(v) if isinstance(v, list) else v for k, v in row["fact"].items()} for row in facts],
            "claims": sorted(list(graph.claims()), key=lambda c: c["id"]),
            "entities": sorted(list(graph.entities()), key=lambda e: e["id"]),
        }


@pytest.fixture(scope="module")
def one_ingest(neo4j_server, tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("all")
    for path in ARTICLES:
        shutil.copy(path, folder)
    clear(*neo4j_server)
    ingest_at_once(neo4j_server, [folder], tmp_path_factory.mktemp("one"))
    yield snapshot(neo4j_server)
    clear(*neo4j_server)


def shards(tmp_path, processes: int, overlapping: bool) -> list:
    """`processes` folders of the articles, dealt round; overlapping ones also hold the next deal."""
    deals = [ARTICLES[i::processes] for i in range(processes)]
    folders = []
    for i in range(processes):
        folder = tmp_path / f"shard{i}"
        folder.mkdir()
        for path in deals[i] + (deals[(i + 1) % processes] if overlapping else []):
            shutil.copy(path, folder)
        folders.append(folder)
    return folders


@pytest.mark.parametrize("processes", [2, 4])
@pytest.mark.parametrize("overlapping", [False, True], ids=["disjoint", "overlapping"])
def test_concurrent_ingests_give_the_graph_of_one(neo4j_server, one_ingest, tmp_path, processes, overlapping):
    clear(*neo4j_server)
    ingest_at_once(neo4j_server, shards(tmp_path, processes, overlapping), tmp_path)
    assert snapshot(neo4j_server) == one_ingest


def test_four_ingests_starting_at_once_on_an_empty_database_all_set_up_its_schema(neo4j_server, one_ingest, tmp_path):
    clear(*neo4j_server)
    drop_schema(*neo4j_server)
    assert not {"article_id", "entity_key", "name_key"} & schema_names(*neo4j_server)
    ingest_at_once(neo4j_server, shards(tmp_path, 4, overlapping=False), tmp_path)  # every process exits 0
    declared = {s.split()[2] if s.split()[1] in ("CONSTRAINT", "INDEX") else s.split()[3]
                for s in schema_statements("neo4j")}
    assert declared <= schema_names(*neo4j_server)
    assert snapshot(neo4j_server) == one_ingest


def test_a_batch_decides_under_the_lock_which_of_its_articles_another_process_wrote_meanwhile(neo4j_server, tmp_path):
    """Two machines analysed the same articles at once; the first writes them. The second's batch,
    written next, skips those it finds in the graph as they are and replaces the one whose text it
    read differently: the graph is that of its versions alone, every count once."""
    from kg.pipeline import analyse
    from kg.read import read_article

    articles = sorted(EXAMPLES.glob("*.txt"))
    edited = tmp_path / "edited" / articles[0].name
    edited.parent.mkdir()
    edited.write_text(articles[0].read_text().rstrip() + "\n\nCanada listed the Quds Force as a terrorist entity.\n")
    ours = [analyse(read_article(path)) for path in articles]
    theirs = [analyse(read_article(edited))] + ours[1:]

    clear(*neo4j_server)
    with KnowledgeGraph(Neo4jStore(*neo4j_server), home=tmp_path / "b") as second:
        second.write_analysed(theirs)
        alone = snapshot(neo4j_server)
    clear(*neo4j_server)
    with KnowledgeGraph(Neo4jStore(*neo4j_server), home=tmp_path / "a") as first, \
            KnowledgeGraph(Neo4jStore(*neo4j_server), home=tmp_path / "b") as second:
        assert len(first.write_analysed(ours, recheck=True).articles) == len(articles)
        done = second.write_analysed(theirs, recheck=True)
        assert [r.article.id for r in done.articles] == [articles[0].stem]
        assert done.unchanged == len(articles) - 1 and list(done.replaced) == [articles[0].stem]
        assert second.doctor().problems == []
        assert second.write_analysed(theirs, recheck=True).unchanged == len(articles)  # all in, as they are
        second.content.discard(done.replaced.values())  # what an ingest does with a replaced version's text
    assert snapshot(neo4j_server) == alone
