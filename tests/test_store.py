"""The store contract: both backends behave the same for what kg asks of them."""
import pytest

from kg.store import StoreError


def test_write_then_read_round_trips_values(store):
    store.write([("CREATE (:Entity:Person {key: $key, id: $id, name: $name, aliases: $aliases})",
                  {"key": "k1", "id": "p1", "name": "Qasem Soleimani", "aliases": ["Soleimani", "Suleimani"]})])
    rows = store.read("MATCH (e:Entity {key: $key}) RETURN e.name AS name, e.aliases AS aliases, e AS node",
                      {"key": "k1"})
    assert rows == [{"name": "Qasem Soleimani", "aliases": ["Soleimani", "Suleimani"],
                     "node": {"key": "k1", "id": "p1", "name": "Qasem Soleimani",
                              "aliases": ["Soleimani", "Suleimani"], "_labels": ["Entity", "Person"]}}]


def test_values_with_quotes_and_cypher_reach_the_graph_as_data(store):
    nasty = "x'}) DETACH DELETE n // `tick` \"q\" \u062d\u0645\u0627\u0633"
    store.write([("CREATE (:Entity {key: $key, name: $name})", {"key": "k", "name": nasty})])
    store.write([("CREATE (:Entity {key: $key, name: $name})", {"key": "k2", "name": "other"})])
    assert store.read("MATCH (e:Entity) RETURN e.name AS name ORDER BY name") == [{"name": "other"}, {"name": nasty}]


def test_uniqueness_constraint_refuses_a_second_node_with_the_same_key(store):
    store.write([("CREATE (:Entity {key: 'same'})", {})])
    with pytest.raises(StoreError):
        store.write([("CREATE (:Entity {key: 'same'})", {})])
    assert store.read("MATCH (e:Entity {key: 'same'}) RETURN count(e) AS n") == [{"n": 1}]


def test_a_refused_statement_is_reported_with_the_engine_message(store):
    with pytest.raises(StoreError, match="refused"):
        store.read("MATCH (n RETURN n")
