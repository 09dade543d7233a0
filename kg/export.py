"""JSON Lines exports of claims and entities (the contract of ../shared/eval/README.md)."""
from __future__ import annotations

from collections.abc import Iterator

from .store import Store

CLAIMS = """
MATCH (a:Article)-[:STATES]->(c:Claim)-[:SUBJECT]->(s:Entity), (c)-[:OBJECT]->(o:Entity)
OPTIONAL MATCH (c)-[:ADDRESSEE]->(to:Entity)
OPTIONAL MATCH (c)-[:SPEAKER]->(by:Entity)
OPTIONAL MATCH (c)-[:AUTHORITY]->(body:Entity)
OPTIONAL MATCH (c)-[:OF]->(f:Fact)
RETURN c.id AS id, c.predicate AS predicate, c.modality AS modality,
       {name: s.name, type: s.type, id: s.id} AS subject, {name: o.name, type: o.type, id: o.id} AS object,
       a.id AS article, a.outlet AS outlet, c.date AS date, c.date_precision AS date_precision,
       c.date_text AS date_text, c.evidence AS evidence, c.start AS start, c.end AS end,
       c.confidence AS confidence, c.rule AS rule, c.extractor AS extractor, c.role AS role, c.former AS former,
       c.until AS until, f.articles AS articles_stating, size(f.outlets) AS outlets_stating,
       CASE WHEN to IS NULL THEN null ELSE {name: to.name, type: to.type, id: to.id} END AS addressee,
       CASE WHEN by IS NULL THEN null ELSE {name: by.name, type: by.type, id: by.id} END AS speaker,
       CASE WHEN body IS NULL THEN null ELSE {name: body.name, type: body.type, id: body.id} END AS authority
ORDER BY article, start, predicate, id
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


def claims(store: Store) -> Iterator[dict]:
    for row in _pages(store, CLAIMS):
        yield {k: v for k, v in row.items() if v is not None}


def entities(store: Store) -> Iterator[dict]:
    for row in _pages(store, ENTITIES):
        row["aliases"] = sorted(set(row["aliases"]) - {row["name"]})
        yield {k: v for k, v in row.items() if v is not None}
