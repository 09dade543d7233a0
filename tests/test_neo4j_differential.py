"""Same answers on both engines: the queries corpus ingested into the embedded FalkorDB and into a
real Neo4j, then every canned query asked the same questions of each — with only its required
parameters, and with each optional one set in turn (limits small enough to cut lists) — must give
identical rows in the same order."""
from __future__ import annotations

import pytest

from conftest import FIXTURES
from kg.api import KnowledgeGraph
from kg.queries import Query, library
from kg.resources import schema
from kg.store import FalkorStore, Neo4jStore

pytestmark = pytest.mark.neo4j

CORPUS = FIXTURES / "queries-corpus"
UNDATED = FIXTURES / "differential"  # an article with no date: where engines could order nulls apart
NAME_PARAMS = {"entity", "group", "subject", "object", "country", "person", "organization", "addressee"}
LIMITS = [1, 2, 3, 7]


@pytest.fixture(scope="module")
def graphs(engine_home, neo4j_server):
    """(FalkorDB graph, Neo4j graph), each holding exactly the corpus and the undated article."""
    uri, user, password = neo4j_server
    stores = [FalkorStore(engine_home), Neo4jStore(uri, user, password)]
    graphs = []
    for store in stores:
        store.write([("MATCH (n) DETACH DELETE n", {})])
        store.setup_schema()
        graph = KnowledgeGraph(store)
        assert graph.ingest([CORPUS, UNDATED]).written == 8
        graphs.append(graph)
    yield graphs
    for store in stores:
        store.write([("MATCH (n) DETACH DELETE n", {})])
        store.close()


@pytest.fixture(scope="module")
def values(graphs) -> dict[str, list]:
    """What to ask, taken from the graph itself: every entity by name, one by a lower-cased alias, a
    name nobody has; every article; every predicate."""
    read = graphs[0].store.read
    names = [r["name"] for r in read("MATCH (e:Entity) RETURN e.name AS name ORDER BY name")]
    alias = read("MATCH (e:Entity) UNWIND e.aliases AS a WITH e, a WHERE a <> e.name "
                 "RETURN toLower(a) AS a ORDER BY a LIMIT 1")
    rich = [r["name"] for r in read("MATCH (e:Entity)<-[:FACT_SUBJECT|FACT_OBJECT]-(f:Fact) "
                                    "RETURN e.name AS name, count(f) AS n ORDER BY n DESC, name LIMIT 4")]
    return {
        "names": names + [a["a"] for a in alias] + ["Nobody Of That Name"],
        "rich": rich,
        "article": [r["id"] for r in read("MATCH (a:Article) RETURN a.id AS id ORDER BY id")] + ["no-such-article"],
        "predicate": list(schema()["predicates"]) + ["designated_as_terrorist"],
        "text": ["guard", "al", "i", "zz"],
    }


def domain(name: str, values: dict[str, list], rich: bool = False) -> list:
    if name in NAME_PARAMS:
        return values["rich"] if rich else values["names"]
    if name in ("article", "predicate", "text"):
        return values[name]
    return {"limit": LIMITS, "depth": [1, 2, 3], "min_outlets": [1, 2, 3]}[name]


def questions(query: Query, values: dict[str, list]) -> list[dict]:
    """Every value of the required parameters alone; then each optional parameter over its values,
    with the required ones set to the entities with most facts."""
    required = [p for p in query.params.values() if p.required]
    optional = [p for p in query.params.values() if not p.required]
    assert len(required) <= 1, "a query with several required parameters needs its own combinations"
    asked = [{r.name: v for r in required} for v in (domain(required[0].name, values) if required else [None])]
    for p in optional:
        for v in domain(p.name, values):
            bases = domain(required[0].name, values, rich=True) if required else [None]
            asked += [{**({required[0].name: b} if required else {}), p.name: v} for b in bases]
    return asked


@pytest.mark.parametrize("name", sorted(library()))
def test_both_engines_give_identical_rows(graphs, values, name):
    falkordb, neo4j = graphs
    query = library()[name]
    differing = []
    asked = questions(query, values)
    for params in asked:
        expected, got = falkordb.query(name, **params), neo4j.query(name, **params)
        if expected != got:
            differing.append((params, expected, got))
    assert not differing, (f"{len(differing)} of {len(asked)} questions differ; the first: {differing[0][0]}\n"
                           f"falkordb: {differing[0][1]}\nneo4j:    {differing[0][2]}")
    assert any(falkordb.query(name, **params) for params in asked), "no question had an answer"
