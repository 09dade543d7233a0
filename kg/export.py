"""Exports for other tools: JSON Lines of claims and entities (the contract of
../shared/eval/README.md), GraphML, and CSV files for `neo4j-admin database import`; all read
the graph a page at a time, so memory does not grow with it."""
from __future__ import annotations

import csv
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from .model import claim_id
from .resources import rule_confidence, schema
from .store import Store


def claim_ends(where: str = "") -> str:
    """Cypher binding each claim `c` with its article `a`, fact `f`, subject `s` and object `o`: its
    object is its fact's, and its subject too unless it names a body acting for that state
    (kg/write.py). `where` filters the first MATCH."""
    return f"""
MATCH (a:Article)-[:STATES]->(c:Claim)-[:OF]->(f:Fact)-[:FACT_OBJECT]->(o:Entity) {where}
MATCH (f)-[:FACT_SUBJECT]->(fs:Entity)
OPTIONAL MATCH (c)-[:SUBJECT]->(own:Entity)
WITH a, c, f, o, coalesce(own, fs) AS s
"""


CLAIMS = claim_ends() + """OPTIONAL MATCH (c)-[:ADDRESSEE]->(to:Entity)
OPTIONAL MATCH (c)-[:SPEAKER]->(by:Entity)
OPTIONAL MATCH (c)-[:AUTHORITY]->(body:Entity)
RETURN f.predicate AS predicate, s.key AS subject_key, o.key AS object_key,
       {name: s.name, type: s.type, id: s.id} AS subject, {name: o.name, type: o.type, id: o.id} AS object,
       a.id AS article, a.outlet AS outlet, c.date AS date, c.date_precision AS date_precision,
       c.date_text AS date_text, c.evidence AS evidence, c.start AS start,
       c.rule AS rule, a.extractor AS extractor, c.role AS role, coalesce(c.former, false) AS former,
       c.until AS until, f.articles AS articles_stating, size(f.outlets) AS outlets_stating,
       CASE WHEN to IS NULL THEN null ELSE {name: to.name, type: to.type, id: to.id} END AS addressee,
       CASE WHEN by IS NULL THEN null ELSE {name: by.name, type: by.type, id: by.id} END AS speaker,
       CASE WHEN body IS NULL THEN null ELSE {name: body.name, type: body.type, id: body.id} END AS authority
ORDER BY article, start, predicate, object_key, subject_key
SKIP $skip LIMIT $limit
"""
ENTITIES = """
MATCH (e:Entity)
RETURN e.id AS id, e.name AS name, e.type AS type, coalesce(e.aliases, []) AS aliases,
       e.wikidata AS wikidata, coalesce(e.merge_reasons, []) AS merge_reasons, e.articles AS articles
ORDER BY id
SKIP $skip LIMIT $limit
"""
PAGE = 5000


def _pages(store: Store, cypher: str) -> Iterator[dict]:
    """Rows in pages, so memory does not grow with the graph."""
    skip = 0
    while True:
        rows = store.read(cypher, {"skip": skip, "limit": PAGE})
        yield from rows
        if len(rows) < PAGE:
            return
        skip += PAGE


def modality(predicate: str | None) -> str | None:
    """A claim's modality: its predicate's (schema.toml), not stored on the claim."""
    return schema()["predicates"].get(predicate, {}).get("modality")


def evidence_end(claim: dict) -> int | None:
    """Where a claim's evidence ends in its article's text: not stored (kg/write.py), its start plus
    the evidence's length."""
    if claim.get("start") is None or claim.get("evidence") is None:
        return None
    return claim["start"] + len(claim["evidence"])


def claim_id_of(row: dict) -> str:
    """A claim's id, not stored (kg/write.py): from its article, predicate, subject and object keys
    and start."""
    return claim_id(row["article"], row["predicate"], row["subject_key"], row["object_key"], row["start"])


def claims(store: Store) -> Iterator[dict]:
    for row in _pages(store, CLAIMS):
        row = {"id": claim_id_of(row), "predicate": row["predicate"], "modality": modality(row["predicate"]),
               **row, "confidence": rule_confidence(row["rule"])}
        row["end"] = evidence_end(row)
        del row["subject_key"], row["object_key"]
        yield {k: v for k, v in row.items() if v is not None}


def entities(store: Store) -> Iterator[dict]:
    for row in _pages(store, ENTITIES):
        row["aliases"] = sorted(set(row["aliases"]) - {row["name"]})
        yield {k: v for k, v in row.items() if v is not None}


# --- GraphML (Gephi, networkx, yEd): entities as nodes, claims and agency links as edges --------
_NODE_KEYS = {"name": "string", "type": "string", "aliases": "string", "wikidata": "string", "articles": "int"}
_EDGE_KEYS = {"predicate": "string", "modality": "string", "article": "string", "outlet": "string",
              "date": "string", "evidence": "string", "confidence": "double", "role": "string",
              "former": "boolean", "addressee": "string", "speaker": "string"}
_AGENCIES = """
MATCH (b:Entity)-[:AGENCY_OF]->(s:Entity)
RETURN b.id AS body, s.id AS state ORDER BY body, state SKIP $skip LIMIT $limit
"""
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def graphml(store: Store, out: IO[str]) -> int:
    """Write the graph as GraphML, page by page; returns the number of edges."""
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
    for kind, keys in (("node", _NODE_KEYS), ("edge", _EDGE_KEYS)):
        for key, type_ in keys.items():
            out.write(f'  <key id="{kind}-{key}" for="{kind}" attr.name="{key}" attr.type="{type_}"/>\n')
    out.write('  <graph id="kg" edgedefault="directed">\n')
    for row in entities(store):
        row["aliases"] = "; ".join(row.get("aliases", []))
        out.write(f"    <node id={_attr(row['id'])}>{_data('node', _NODE_KEYS, row)}</node>\n")
    edges = 0
    for row in claims(store):
        row["subject"], row["object"] = row["subject"]["id"], row["object"]["id"]
        row.update({role: row[role]["name"] for role in ("addressee", "speaker") if role in row})
        out.write(f"    <edge id={_attr(row['id'])} source={_attr(row['subject'])} target={_attr(row['object'])}>"
                  f"{_data('edge', _EDGE_KEYS, row)}</edge>\n")
        edges += 1
    for row in _pages(store, _AGENCIES):
        out.write(f"    <edge source={_attr(row['body'])} target={_attr(row['state'])}>"
                  f"{_data('edge', _EDGE_KEYS, {'predicate': 'AGENCY_OF'})}</edge>\n")
        edges += 1
    out.write("  </graph>\n</graphml>\n")
    return edges


def _attr(value: Any) -> str:
    return quoteattr(_XML_ILLEGAL.sub("", str(value)))


def _data(kind: str, keys: dict[str, str], row: dict) -> str:
    cells = []
    for key in keys:
        value = row.get(key)
        if value is None or value == "":
            continue
        text = str(value).lower() if isinstance(value, bool) else str(value)
        cells.append(f'<data key="{kind}-{key}">{escape(_XML_ILLEGAL.sub("", text))}</data>')
    return "".join(cells)


# --- CSV files for `neo4j-admin database import full` -------------------------------------------
_ENDS = re.compile(r"^\((\w+)\)-\[:(\w+)[^\]]*\]->\((\w+)\)")


def _admin_type(declared: str) -> str:
    """schema.toml's property description as a neo4j-admin column type."""
    first = declared.split(":")[0].strip()
    return {"int": "int", "float": "double", "bool": "boolean", "list of string": "string[]"}.get(first, "string")


def _id_space(label: str) -> str:
    return "Entity" if schema()["nodes"].get(label, {}).get("entity") else label


@dataclass
class CsvFiles:
    """What `neo4j_csv` wrote: rows per file, node files and relationship files apart."""

    folder: Path
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)

    def import_command(self, database: str = "neo4j") -> str:
        """The neo4j-admin (Neo4j 5) command that loads these files into a new database: the
        database name right after `full`, since --nodes and --relationships take every word after
        them that is not an option."""
        return shlex.join(["neo4j-admin", *self.import_arguments(database)])

    def import_arguments(self, database: str = "neo4j") -> list[str]:
        """The arguments after `neo4j-admin` (those of AdminTool, its Java entry point)."""
        files = [f"--nodes={self.folder / f}" for f in self.nodes]
        files += [f"--relationships={self.folder / f}" for f in self.relationships]
        return ["database", "import", "full", database, "--multiline-fields=true", *files]


def neo4j_csv(store: Store, folder: Path) -> CsvFiles:
    """One CSV file per node label and relationship type of schema.toml, in neo4j-admin's import
    format (`:ID(space)`, `:START_ID`, typed columns, `;` between list items), written page by
    page. Article texts keep their line breaks, hence --multiline-fields."""
    folder.mkdir(parents=True, exist_ok=True)
    written = CsvFiles(folder)
    for label, node in schema()["nodes"].items():
        if node.get("entity") or not node.get("properties"):
            continue
        columns = list(node["properties"])
        key = node.get("key")
        header = [f"{c}:ID({label})" if c == key else f"{c}:{_admin_type(node['properties'][c])}" for c in columns]
        if not key:
            header = [f":ID({label})", *header]
        rows = _pages(store, f"MATCH (n:{label}) RETURN n AS node, labels(n) AS labels, {_ref(label, 'n')} AS ref "
                             f"ORDER BY ref SKIP $skip LIMIT $limit")
        written.nodes[f"{label.lower()}.csv"] = _csv(folder / f"{label.lower()}.csv", [*header, ":LABEL"], (
            ([] if key else [node_["ref"]]) + [node_["node"].get(c) for c in columns]
            + [";".join(sorted(node_["labels"]))] for node_ in rows))
    for rel, spec in schema()["relationships"].items():
        ends = _ENDS.match(spec["description"])
        start, end = (_id_space(ends.group(1)), _id_space(ends.group(3))) if ends else ("Entity", "Entity")
        start_ref, end_ref = _ref(start, "a"), _ref(end, "b")
        props = [r["k"] for r in store.read(f"MATCH ()-[r:{rel}]->() UNWIND keys(r) AS k RETURN DISTINCT k ORDER BY k")]
        sample = store.read(f"MATCH ()-[r:{rel}]->() RETURN r LIMIT 1")
        types = [_value_type(sample[0]["r"].get(p)) if sample else "string" for p in props]
        header = [f":START_ID({start})", f":END_ID({end})", *(f"{p}:{t}" for p, t in zip(props, types)), ":TYPE"]
        rows = _pages(store, f"MATCH (a:{start})-[r:{rel}]->(b:{end}) RETURN {start_ref} AS from_id, "
                             f"{end_ref} AS to_id, r ORDER BY from_id, to_id SKIP $skip LIMIT $limit")
        written.relationships[f"{rel.lower()}.csv"] = _csv(folder / f"{rel.lower()}.csv", header, (
            [row["from_id"], row["to_id"], *(row["r"].get(p) for p in props), rel] for row in rows))
    return written


def _ref(label: str, var: str) -> str:
    """How the files name a node: by its key, or, for a node without one (a claim), by the engine's id,
    which names it in the files only (a `:ID` column without a name is not imported as a property)."""
    key = schema()["nodes"][label].get("key")
    return f"{var}.{key}" if key else f"id({var})"


def _value_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "double"
    return "string[]" if isinstance(value, list) else "string"


def _csv(path: Path, header: list[str], rows: Iterator[list]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_admin_cell(v) for v in row])
            count += 1
    return count


def _admin_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)
