"""The schema files agree with schema.toml, the one source of truth."""
import re
import tomllib

from kg.resources import folder, schema_upgrades
from kg.store import schema_statements

SCHEMA = tomllib.loads((folder("schema") / "schema.toml").read_text())


def _wanted():
    """Keys and indexes of schema.toml."""
    keys, indexes = set(), set()
    for label, node in SCHEMA["nodes"].items():
        for prop in [node.get("key") if node.get("key_indexed", True) else None] + node.get("unique", []):
            if prop:
                keys.add((label, prop))
        for prop in node.get("indexed", []):
            indexes.add((label, prop))
    return keys, indexes


def test_neo4j_statements_cover_every_key_and_index():
    keys, indexes = _wanted()
    text = "\n".join(schema_statements("neo4j"))
    found_keys = set(re.findall(r"FOR \(n:(\w+)\) REQUIRE n\.(\w+) IS UNIQUE", text))
    found_indexes = set(re.findall(r"CREATE INDEX \w+ IF NOT EXISTS FOR \(n:(\w+)\) ON \(n\.(\w+)\)", text))
    assert found_keys == keys
    assert found_indexes == indexes


def test_falkordb_statements_cover_every_key_and_index():
    keys, indexes = _wanted()
    text = "\n".join(schema_statements("falkordb"))
    found_keys = set(re.findall(r"UNIQUE NODE (\w+) PROPERTIES 1 (\w+)", text))
    found_indexes = set(re.findall(r"CREATE INDEX FOR \(n:(\w+)\) ON \(n\.(\w+)\)", text))
    assert found_keys == keys
    assert found_indexes == indexes | keys  # FalkorDB needs an index under each constraint


def test_every_browser_caption_names_a_property_its_label_has():
    style = (folder("schema") / "browser-style.grass").read_text()
    for label, caption in re.findall(r"node\.(\w+)\s*\{[^}]*caption:\s*\"\{(\w+)\}\"", style):
        node = SCHEMA["nodes"][label]
        properties = SCHEMA["nodes"]["Entity"]["properties"] if node.get("entity") else node["properties"]
        assert caption in properties, f"node.{label} is captioned by {caption}, which it does not have"


def test_every_upgrade_step_goes_up_to_at_most_the_current_version():
    for step in schema_upgrades().values():
        assert step["from"] < step["to"] <= SCHEMA["version"] and step["statements"], step
