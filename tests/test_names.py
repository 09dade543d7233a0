"""Name lookups start from (:Name {key})-[:NAMES]->(:Entity), an index both engines have: the writer
keeps one Name per lower-cased name or alias, linked to every entity whose `lookup` holds it, through
new entities and spellings, removals, orphans and `kg doctor --repair`."""
from conftest import EXAMPLES


def out_of_step(graph) -> dict[str, list]:
    """Entities whose linked Names are not their lookup, and Names linked to no entity."""
    rows = graph.store.read("MATCH (e:Entity) OPTIONAL MATCH (e)<-[:NAMES]-(n:Name) "
                            "RETURN e.key AS key, e.lookup AS lookup, collect(n.key) AS names")
    loose = graph.store.read("MATCH (n:Name) WHERE NOT (n)-[:NAMES]->() RETURN n.key AS key")
    return {"entities": sorted(r["key"] for r in rows if sorted(r["lookup"]) != sorted(r["names"])),
            "loose names": [r["key"] for r in loose]}


def names_of(graph, key: str) -> list[str]:
    return [r["name"] for r in graph.store.read(
        "MATCH (n:Name)-[:NAMES]->(:Entity {key: $key}) RETURN n.key AS name ORDER BY name", {"key": key})]


def test_every_name_and_alias_of_an_ingested_entity_is_a_name_linked_to_it(graph):
    graph.ingest([EXAMPLES])
    assert out_of_step(graph) == {"entities": [], "loose names": []}
    distinct = graph.store.read("MATCH (e:Entity) UNWIND e.lookup AS k RETURN count(DISTINCT k) AS n")[0]["n"]
    assert graph.store.read("MATCH (n:Name) RETURN count(n) AS n")[0]["n"] == distinct > 10


def test_a_spelling_only_a_removed_article_gave_is_unlinked_and_its_name_removed(graph, tmp_path):
    (tmp_path / "first.txt").write_text("Harbor Ledger\n\nThe Tigris Brigades held a rally in the capital "
                                        "on Monday, a spokesman of the Tigris Brigades said.\n")
    (tmp_path / "second.txt").write_text("Daily Meridian\n\nThe Tigris Brigade, as one witness called "
                                         "the Tigris Brigades, marched again on Tuesday.\n")
    graph.ingest([tmp_path])
    (key,) = [r["key"] for r in graph.store.read(
        "MATCH (:Name {key: 'tigris brigade'})-[:NAMES]->(e:Entity) RETURN e.key AS key")]
    assert "tigris brigades" in names_of(graph, key)
    graph.remove(["second"])
    assert "tigris brigade" not in names_of(graph, key) and "tigris brigades" in names_of(graph, key)
    assert not graph.store.read("MATCH (n:Name {key: 'tigris brigade'}) RETURN n")
    assert out_of_step(graph) == {"entities": [], "loose names": []}


def test_removing_every_article_leaves_no_name(graph):
    graph.ingest([EXAMPLES])
    ids = [r["id"] for r in graph.store.read("MATCH (a:Article) RETURN a.id AS id")]
    graph.remove(ids)
    assert graph.store.read("MATCH (n:Name) RETURN count(n) AS n")[0]["n"] == 0


def test_doctor_repair_links_names_again(graph):
    graph.ingest([EXAMPLES])
    graph.store.write([("MATCH (n:Name) WHERE n.key STARTS WITH 'i' DETACH DELETE n", {}),
                       ("CREATE (:Name {key: 'nobody at all'})", {})])
    assert out_of_step(graph)["entities"]
    graph.repair()
    assert out_of_step(graph) == {"entities": [], "loose names": []}
