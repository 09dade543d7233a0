"""On Neo4j every canned query that starts from a name finds it through the unique index on
Name.key (Neo4j indexes no list elements, so `toLower($x) IN e.lookup` would scan every entity):
read from the plan Neo4j makes for the query."""
from __future__ import annotations

import pytest

from kg.api import KnowledgeGraph
from kg.queries import library
from kg.store import Neo4jStore

from conftest import FIXTURES

pytestmark = pytest.mark.neo4j

NAME_START = "(:Name {key: toLower("
BY_NAME = sorted(name for name, q in library().items() if NAME_START in q.cypher)


@pytest.fixture(scope="module")
def neo4j(neo4j_server, tmp_path_factory):
    """A Neo4j holding the queries corpus: the planner picks its plans from the graph's counts, so the
    plans are read on a graph with entities, names and facts in it, as a user's would be. A new
    server's index samples still describe the empty indexes the schema made (Neo4j resamples them in
    the background, later): they are resampled now, as they would be on a graph in use."""
    uri, user, password = neo4j_server
    store = Neo4jStore(uri, user, password)
    store.write([("MATCH (n) DETACH DELETE n", {})])
    graph = KnowledgeGraph(store, home=tmp_path_factory.mktemp("neo4j-plans"))
    graph.ingest([FIXTURES / "queries-corpus"])
    store.driver.execute_query("CALL db.resampleOutdatedIndexes()")
    store.driver.execute_query("CALL db.awaitIndexes(300)")
    yield store
    store.write([("MATCH (n) DETACH DELETE n", {})])
    store.close()


def operators(plan: dict) -> list[tuple[str, str]]:
    """(operator, details) of every step of a plan, its own first."""
    found = [(plan["operatorType"].split("@")[0], str(plan.get("args", {}).get("Details", "")))]
    for child in plan.get("children", []):
        found += operators(child)
    return found


def test_queries_look_names_up_from_name_nodes():
    assert {"group-profile", "mentions", "designations-by-country", "calls-for-designation"} <= set(BY_NAME)


@pytest.mark.parametrize("name", BY_NAME)
def test_a_name_lookup_is_a_seek_of_the_name_index(neo4j, name):
    q = library()[name]
    params = q.bind({p: "IRGC" for p, spec in q.params.items() if spec.type == "entity"})
    # planned afresh: a plan cached before the resampling would still hold the old estimates
    summary = neo4j.driver.execute_query("EXPLAIN CYPHER replan=force " + q.cypher, params).summary
    steps = operators(summary.plan)
    seeks = [d for op, d in steps if op == "NodeUniqueIndexSeek" and ":Name(key)" in d]
    assert len(seeks) == q.cypher.count(NAME_START), steps
    scans = [(op, d) for op, d in steps if op in ("AllNodesScan", "NodeByLabelScan") and ("Entity" in d or "Name" in d)]
    assert not scans
