"""Write analysed articles to the graph, many articles per unit of work (UNWIND of rows).

Each batch is one transaction on Neo4j and one MULTI/EXEC on FalkorDB. On FalkorDB its articles
are marked `status: 'writing'` by it and `'done'` by a second, small one, so a batch cut short by a
crash is found and removed by `repair()` before the next ingest, which then writes those articles
again; on Neo4j, which rolls back, both markings are in the batch's one transaction.
FalkorDB does not roll back the statements of a MULTI/EXEC before one that fails: so every row is
checked before it is sent, and a batch that fails anyway is undone (its articles removed, what
they touched recounted) before the error is raised."""
from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from dataclasses import dataclass, field

from .gazetteer import gazetteer
from .model import Analysis, Article, Claim, plain_reason
from .resources import entity_labels, extractor, schema
from .store import Store, StoreError

SOURCES_KEPT = 20  # article ids a Fact lists; `claim-sources` gives them all
# intern(x): FalkorDB keeps one copy of a string that many nodes hold (rule ids, dates, role words,
# entity names on facts, the article ids of facts' sources) instead of one per property: a fifth of
# the claims' and facts' memory. Neo4j has no such function and runs these statements without it
# (kg/store.py). Evidence is not interned: one sentence rarely gives many claims outside copies.
# an entity nothing refers to any more (Fact nodes refer through FACT_SUBJECT/FACT_OBJECT)
ORPHAN = ("NOT (e)<-[:MENTIONS]-() AND NOT (e)<-[:SUBJECT|ADDRESSEE|SPEAKER|AUTHORITY]-() "
          "AND NOT (e)<-[:FACT_SUBJECT|FACT_OBJECT]-() AND NOT (e)<-[:AGENCY_OF]-()")
# every name an entity answers to, lower-cased: what queries look names up in, through its Name nodes.
# A list, not one joined string: FalkorDB 4.16.3 crashed (SIGSEGV) when batches rewrote a string property
# computed by concatenation in the query (`reduce(s = '', x IN forms | s + ' | ' + x)`) once it grew long.
LOOKUP = ("reduce(s = [], x IN {names} | CASE WHEN toLower(x) IN s THEN s ELSE s + toLower(x) END)")
HALF_WRITTEN = "MATCH (a:Article) WHERE a.status IS NULL OR a.status <> 'done' RETURN a.id AS id ORDER BY id"

CLEAR_ARTICLES = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
OPTIONAL MATCH (a)-[:STATES]->(c:Claim)
DETACH DELETE c
"""
DELETE_MENTIONS = """
UNWIND $ids AS id
MATCH (:Article {id: id})-[m:MENTIONS]->()
DELETE m
"""
MARK_ARTICLES = """
UNWIND $articles AS row
MERGE (a:Article {id: row.id})
SET a += row, a.status = 'writing'
"""
MERGE_ENTITIES = """
UNWIND $entities AS row
MERGE (e:Entity {key: row.key})
ON CREATE SET e.id = row.id, e.name = row.name, e.type = row.type, e.known_aliases = row.known_aliases,
              e.lookup = %s, e.articles = 0
SET e.wikidata = row.wikidata, e.lists = row.lists, e:%%s
""" % LOOKUP.format(names="[row.name] + row.known_aliases")
LINK_AGENCIES = """
UNWIND $pairs AS pair
MATCH (body:Entity {key: pair.body}), (state:Entity {key: pair.country})
MERGE (body)-[:AGENCY_OF]->(state)
"""
# A mention stores no `forms` when the article used the entity's name alone (an entity's name never
# changes), no `count` when it named it once, and no `reasons` when they are only the plain ones of its
# forms (`plain_reason`): most mentions store nothing (at 20k bench articles mention properties were a
# fifth of the engine's memory, the reasons most of it). Readers take `coalesce(m.forms, [e.name])`,
# `coalesce(m.count, 1)` and `coalesce(m.reasons, PLAIN_REASONS)`.
MERGE_MENTIONS = """
UNWIND $mentions AS row
MATCH (a:Article {id: row.article}), (e:Entity {key: row.entity})
MERGE (a)-[m:MENTIONS]->(e)
SET m.forms = CASE WHEN row.forms = [e.name] THEN null ELSE row.forms END,
    m.count = CASE WHEN row.count = 1 THEN null ELSE row.count END, m.reasons = row.reasons
"""
# plain_reason in Cypher, over a mention `m` of entity `e`: a name no list knows has a key 'type:name'
PLAIN_REASONS = ("""[f IN coalesce(m.forms, [e.name]) | CASE WHEN e.key CONTAINS ':' THEN 'name ' + """
                 """%(q)s + ' (no list knows it)' ELSE 'gazetteer alias ' + %(q)s END]"""
                 % {"q": """(CASE WHEN f CONTAINS "'" AND NOT f CONTAINS '"' THEN '"' + f + '"' """
                         """ELSE "'" + f + "'" END)"""})
CLAIM_ROLES = ("SUBJECT", "ADDRESSEE", "SPEAKER", "AUTHORITY")  # a claim's links to the entities of its roles
# A claim's predicate, object and fact key are its Fact's, and so is its subject unless a government
# body's act counts for its state (then the claim's own SUBJECT link names the body); its modality is
# its predicate's (schema.toml), its extractor its article's, its confidence its rule's and its id a
# hash of its article, predicate, subject, object and start (model.claim_id): none is stored on the claim (schema v7), the
# exports put them back. Written after the facts and linked here to its article, its fact and the
# entities of its roles, so no statement looks a claim up. A value absent is null: not stored.
CREATE_CLAIMS = """
UNWIND $claims AS row
MATCH (a:Article {id: row.article}), (f:Fact {key: row.fact})
CREATE (a)-[:STATES]->(c:Claim)
SET c.evidence = row.evidence, c.start = row.start, c.former = row.former,
    c.rule = intern(row.rule), c.role = intern(row.role), c.date = intern(row.date),
    c.date_precision = intern(row.date_precision), c.date_text = intern(row.date_text), c.until = intern(row.until)
CREATE (c)-[:OF]->(f)
WITH c, row
UNWIND row.links AS link
MATCH (e:Entity {key: link.entity})
""" + "".join(f"FOREACH (_ IN CASE WHEN link.role = '{role}' THEN [1] ELSE [] END | CREATE (c)-[:{role}]->(e))\n"
              for role in CLAIM_ROLES)
# A Fact is one (predicate, subject, object) however many articles state it, with running counts,
# so questions over the whole graph read facts, not every claim. An authority's act counts for its
# state: the State Department's designation and the United States' are one fact.
MERGE_FACTS = """
UNWIND $facts AS row
MATCH (s:Entity {key: row.subject}), (o:Entity {key: row.object})
MERGE (f:Fact {key: row.key})
ON CREATE SET f.predicate = intern(row.predicate), f.articles = 0, f.outlets = [], f.sources = [], f.roles = [],
              f.addressees = [], f.addressee_keys = [], f.former = false,
              f.subject_name = intern(s.name), f.object_name = intern(o.name)
MERGE (f)-[:FACT_SUBJECT]->(s)
MERGE (f)-[:FACT_OBJECT]->(o)
SET f.articles = f.articles + size(row.articles),
    f.outlets = f.outlets + [x IN row.outlets WHERE NOT x IN f.outlets | intern(x)],
    f.outlet_count = size(f.outlets + [x IN row.outlets WHERE NOT x IN f.outlets]),
    f.sources = (f.sources + [x IN row.articles | intern(x)])[0..%d],
    f.first_date = CASE WHEN f.first_date IS NULL OR row.first_date < f.first_date
                        THEN intern(coalesce(row.first_date, f.first_date)) ELSE f.first_date END,
    f.first_seen = CASE WHEN f.first_seen IS NULL OR row.first_seen < f.first_seen
                        THEN intern(coalesce(row.first_seen, f.first_seen)) ELSE f.first_seen END,
    f.until = CASE WHEN f.until IS NULL OR row.until > f.until THEN intern(coalesce(row.until, f.until)) ELSE f.until END,
    f.roles = f.roles + [x IN row.roles WHERE NOT x IN f.roles | intern(x)],
    f.addressees = f.addressees + [x IN row.addressees WHERE NOT x IN f.addressees | intern(x)],
    f.addressee_keys = f.addressee_keys + [x IN row.addressee_keys WHERE NOT x IN f.addressee_keys | intern(x)],
    f.former = f.former OR row.former,
    f.evidence = coalesce(f.evidence, row.evidence)
"""
RECOUNT_FACTS = """
UNWIND $keys AS key
MATCH (f:Fact {key: key})
OPTIONAL MATCH (f)<-[:OF]-(c:Claim)<-[:STATES]-(a:Article)
OPTIONAL MATCH (c)-[:ADDRESSEE]->(to:Entity)
WITH f, c, a, to ORDER BY a.id, c.start
WITH f, collect(DISTINCT a.id) AS ids, collect(DISTINCT coalesce(a.outlet, a.id)) AS outlets, min(c.date) AS first,
     min(a.date) AS seen, max(c.until) AS until, collect(DISTINCT c.role) AS roles,
     collect(DISTINCT to.name) AS addressees, collect(DISTINCT to.key) AS addressee_keys,
     collect(c.former) AS former, collect(c.evidence)[0] AS evidence
SET f.articles = size(ids), f.outlets = [x IN outlets | intern(x)], f.outlet_count = size(outlets),
    f.sources = [x IN ids[0..%d] | intern(x)], f.first_date = intern(first), f.first_seen = intern(seen),
    f.until = intern(until), f.roles = [x IN roles | intern(x)], f.addressees = [x IN addressees | intern(x)],
    f.addressee_keys = [x IN addressee_keys | intern(x)],
    f.former = true IN former, f.evidence = evidence
WITH f, size(ids) AS articles
WHERE articles = 0
DETACH DELETE f
"""
# A denial or revocation is `contradicted` while the designation it contradicts (same authority and
# group) is in the graph; kept as facts come and go, so `contradictions` reads marked facts only.
MARK_CONTRADICTED = """
UNWIND $rows AS row
MATCH (f:Fact {key: row.key})
OPTIONAL MATCH (other:Fact {key: row.other})
SET f.contradicted = other IS NOT NULL
"""
# A designated group's designators, as `designation-matrix` lists them, kept on the group when its
# designation facts come or go: the matrix reads one node per group, not every designation fact.
REFRESH_DESIGNATIONS = """
UNWIND $keys AS key
MATCH (g:Entity {key: key})
OPTIONAL MATCH (g)<-[:FACT_OBJECT]-(f:Fact {predicate: 'DESIGNATED_AS_TERRORIST'})-[:FACT_SUBJECT]->(d:Entity)
WITH g, d, f ORDER BY d.name
WITH g, collect(DISTINCT d.name) AS designators, toInteger(sum(f.articles)) AS statements
SET g.designators = CASE WHEN size(designators) > 0 THEN designators END,
    g.designated_by = CASE WHEN size(designators) > 0 THEN size(designators) END,
    g.designation_statements = CASE WHEN size(designators) > 0 THEN statements END
"""
# How many LEADS facts name an organisation, kept on it likewise: `leaders` lists facts in the order of
# their organisations' names, so it reads the facts of the first organisations only.
COUNT_LEADERS = """
UNWIND $keys AS key
MATCH (o:Entity {key: key})
OPTIONAL MATCH (o)<-[:FACT_OBJECT]-(f:Fact {predicate: 'LEADS'})
WITH o, count(f) AS facts
SET o.leader_facts = CASE WHEN facts > 0 THEN facts END
"""
ADD_ALIASES = """
UNWIND $rows AS row
MATCH (e:Entity {key: row.key})
UNWIND coalesce(e.aliases, []) + row.forms AS form
WITH e, row, form ORDER BY form
WITH e, row, collect(DISTINCT form) AS forms
// [null] keeps the row when there is no reason at all; collect() drops the null
UNWIND coalesce(e.merge_reasons, []) + row.reasons + CASE WHEN size(row.reasons) = 0 THEN [null] ELSE [] END AS reason
WITH e, row, forms, reason ORDER BY reason
WITH e, row, forms, collect(DISTINCT reason) AS reasons
SET e.aliases = forms, e.merge_reasons = reasons, e.lookup = %s, e.articles = e.articles + row.articles
""" % LOOKUP.format(names="[e.name] + coalesce(e.known_aliases, []) + forms")
COUNT_MENTIONS = """
UNWIND $keys AS key
MATCH (e:Entity {key: key})
OPTIONAL MATCH (e)<-[:MENTIONS]-(a:Article)
WITH e, count(a) AS articles
SET e.articles = articles
"""
# from the mentions that remain: collect() of each list, then one sorted pass over [null] + items, so
# an entity whose remaining mentions have no reasons (or no mention at all) keeps its row
REFRESH_ENTITIES = """
UNWIND $keys AS key
MATCH (e:Entity {key: key})
OPTIONAL MATCH (e)<-[m:MENTIONS]-(:Article)
WITH e, collect(m.forms) AS form_lists, count(m) AS mentions, count(m.forms) AS with_forms,
     collect(CASE WHEN m IS NULL THEN null ELSE coalesce(m.reasons, %s) END) AS reason_lists
// a mention without forms used the entity's name
WITH e, reduce(s = CASE WHEN with_forms < mentions THEN [e.name] ELSE [] END, x IN form_lists | s + x) AS all_forms,
     reduce(s = [], x IN reason_lists | s + x) AS all_reasons
UNWIND [null] + all_forms AS form
WITH e, all_reasons, form ORDER BY form
WITH e, all_reasons, collect(DISTINCT form) AS forms
UNWIND [null] + all_reasons AS reason
WITH e, forms, reason ORDER BY reason
WITH e, forms, collect(DISTINCT reason) AS reasons
SET e.aliases = forms, e.merge_reasons = reasons, e.lookup = %s
""" % (PLAIN_REASONS, LOOKUP.format(names="[e.name] + coalesce(e.known_aliases, []) + forms"))
# The lookup as an index both engines have: one (:Name {key}) node per lower-cased name, linked to
# every entity whose `lookup` holds it, so queries start from `(:Name {key: toLower($x)})-[:NAMES]->(e)`
# (Neo4j indexes no list elements; a Name's key is unique on both engines). Kept after every statement
# that sets `lookup`: names it lost are unlinked, a Name left with no entity removed, new ones linked.
LINK_NAMES = """
UNWIND $keys AS key
MATCH (e:Entity {key: key})
OPTIONAL MATCH (e)<-[:NAMES]-(linked:Name)
WITH e, collect(linked.key) AS linked
UNWIND [k IN e.lookup WHERE NOT k IN linked] AS k
MERGE (n:Name {key: k})
CREATE (n)-[:NAMES]->(e)
"""
# after MATCH of the (e)<-[r:NAMES]-(n:Name) links that go: grouped by name, so a Name all of whose
# entities lose it in one statement is removed, not left linked to nothing. UNLINK_NAMES finds each
# entity on its own first (`WITH e`): matched with its links in one pattern, FalkorDB scanned every
# Entity for each key (two thirds of the engine's time in an ingest of 60 articles)
_DROP_LINKS = """
WITH n, collect(r) AS gone
OPTIONAL MATCH (n)-[other:NAMES]->()
WITH n, gone, count(other) AS links
FOREACH (x IN CASE WHEN links = size(gone) THEN [n] ELSE [] END | DETACH DELETE x)
FOREACH (x IN CASE WHEN links = size(gone) THEN [] ELSE gone END | DELETE x)
"""
UNLINK_NAMES = """
UNWIND $keys AS key
MATCH (e:Entity {key: key})
WITH e
MATCH (e)<-[r:NAMES]-(n:Name)
WHERE NOT n.key IN e.lookup
""" + _DROP_LINKS
UNNAME_ORPHANS = f"""
UNWIND $keys AS key
MATCH (e:Entity {{key: key}})<-[r:NAMES]-(n:Name)
WHERE {ORPHAN}
""" + _DROP_LINKS
DELETE_ORPHANS = f"""
UNWIND $keys AS key
MATCH (e:Entity {{key: key}})
WHERE {ORPHAN}
DETACH DELETE e
"""
REFERRED_ENTITIES = """
UNWIND $ids AS id
MATCH (:Article {id: id})-[:MENTIONS|STATES]->(x)
OPTIONAL MATCH (x)-[:SUBJECT|ADDRESSEE|SPEAKER|AUTHORITY]->(y:Entity)
OPTIONAL MATCH (x)-[:OF]->(:Fact)-[:FACT_SUBJECT|FACT_OBJECT]->(z:Entity)
WITH id, x, collect(y) + collect(z) AS referred
UNWIND CASE WHEN x:Entity THEN [x] ELSE referred END AS e
WITH DISTINCT id, e
OPTIONAL MATCH (e)-[:AGENCY_OF]->(state:Entity)
RETURN DISTINCT id, e.key AS key, state.key AS state
"""
REFERRED_FACTS = """
UNWIND $ids AS id
MATCH (:Article {id: id})-[:STATES]->(:Claim)-[:OF]->(f:Fact)
RETURN DISTINCT id, f.key AS key
"""
FINISH_ARTICLES = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
SET a.status = 'done'
"""


@dataclass
class References:
    """What an article's version in the graph refers to: once it is replaced or removed, these
    facts are recounted and these entities removed if nothing else refers to them."""

    entities: set[str] = field(default_factory=set)  # mentioned or in its claims, and their states
    facts: set[str] = field(default_factory=set)

    def __add__(self, other: "References") -> "References":
        return References(self.entities | other.entities, self.facts | other.facts)


def references_of(store: Store, ids: list[str]) -> dict[str, References]:
    found: dict[str, References] = defaultdict(References)
    if not ids:
        return found
    for row in store.read(REFERRED_ENTITIES, {"ids": ids}):
        found[row["id"]].entities.update(k for k in (row["key"], row["state"]) if k)
    for row in store.read(REFERRED_FACTS, {"ids": ids}):
        found[row["id"]].facts.add(row["key"])
    return found


def _after_facts(keys: set[str]) -> list[tuple[str, dict]]:
    """What depends on these (added, recounted or removed) facts: contradiction marks, and the
    designators and leader counts kept on their objects."""
    out = _mark_contradicted(keys)
    for predicate, statement in (("DESIGNATED_AS_TERRORIST", REFRESH_DESIGNATIONS), ("LEADS", COUNT_LEADERS)):
        objects = sorted({key.split("|", 2)[2] for key in keys if key.startswith(predicate + "|")})
        if objects:
            out.append((statement, {"keys": objects}))
    return out


def _mark_contradicted(keys: set[str]) -> list[tuple[str, dict]]:
    """Re-mark the facts these facts can contradict or be contradicted by."""
    rows = []
    for key in sorted(keys):
        predicate, pair = key.split("|", 1)
        for name, spec in schema()["predicates"].items():
            if name == predicate and spec.get("contradicts"):
                rows.append({"key": key, "other": f"{spec['contradicts']}|{pair}"})
            elif spec.get("contradicts") == predicate:
                rows.append({"key": f"{name}|{pair}", "other": key})
    return [(MARK_CONTRADICTED, {"rows": rows})] if rows else []


def _delete_orphans(keys: list[str]) -> list[tuple[str, dict]]:
    """Twice: a state is an orphan only once the government bodies linked to it have gone."""
    return [(UNNAME_ORPHANS, {"keys": keys}), (DELETE_ORPHANS, {"keys": keys})] * 2


def _names(keys: list[str]) -> list[tuple[str, dict]]:
    """Bring the Name links of these entities in line with their `lookup`."""
    return [(UNLINK_NAMES, {"keys": keys}), (LINK_NAMES, {"keys": keys})] if keys else []


def _plain(key: str, forms: list[str], reasons: list[str]) -> bool:
    """Whether a mention's reasons are just the plain ones of its forms, as PLAIN_REASONS rebuilds them
    (which quotes as repr() does only for names without both kinds of quote or a backslash)."""
    quoted = all(repr(f)[1:-1] == f for f in forms)
    return quoted and set(reasons) == {plain_reason(key, f) for f in forms}


def article_row(result: Analysis) -> dict:
    a = result.article
    return {"id": a.id, "title": a.title, "outlet": a.outlet, "author": a.author, "date": a.date,
            "paths": a.paths, "content_hash": a.content_hash, "body_start": a.body_start,  # text: kg/content.py
            "body_end": a.body_end, "extractor": extractor(), "claims": len(result.claims)}


def _count(facts: dict[str, dict], r: Analysis, c: Claim) -> str:
    """Add claim `c` of article `r` to the batch's running Fact rows; returns the fact key."""
    rolls_up = schema()["predicates"][c.predicate].get("rolls_up", False)
    actor = (r.entities[c.subject].country if rolls_up else None) or c.subject
    key = f"{c.predicate}|{actor}|{c.object}"
    fact = facts.setdefault(key, {"key": key, "predicate": c.predicate, "subject": actor, "object": c.object,
                                  "articles": [], "outlets": [], "first_date": None, "first_seen": None,
                                  "until": None, "roles": [], "addressees": [], "addressee_keys": [],
                                  "former": False, "evidence": c.evidence})
    addressee = r.entities[c.addressee].name if c.addressee in r.entities else None
    for name, value in (("roles", c.role), ("addressees", addressee), ("articles", r.article.id),
                        ("addressee_keys", addressee and c.addressee),
                        ("outlets", r.article.outlet or r.article.id)):
        if value and value not in fact[name]:
            fact[name].append(value)
    fact["former"] = fact["former"] or c.former
    fact["until"] = max(filter(None, (fact["until"], c.until)), default=None)
    fact["first_date"] = min(filter(None, (fact["first_date"], c.date)), default=None)
    fact["first_seen"] = min(filter(None, (fact["first_seen"], r.article.date)), default=None)
    return key


def _claim_row(article: Article, c: Claim, fact: str, links: list[dict]) -> dict:
    """A claim stores no `end` (its evidence ends it: start + length) and `former` only when true:
    readers take `coalesce(c.former, false)` (two properties of every claim, ~15% of their memory)."""
    return {"article": article.id, "fact": fact, "links": links,
            "evidence": c.evidence, "start": c.start, "rule": c.rule, "role": c.role,
            "former": c.former or None, "date": c.date, "date_precision": c.date_precision,
            "date_text": c.date_text, "until": c.until}


def statements(batch: list[Analysis], replaced: References = References()) -> list[tuple[str, dict]]:
    """The write statements for a batch; `replaced` is what the old versions of these articles
    referred to: recounted, and removed if nothing refers to it any more."""
    ids = [r.article.id for r in batch]
    out: list[tuple[str, dict]] = [
        (CLEAR_ARTICLES, {"ids": ids}),
        (DELETE_MENTIONS, {"ids": ids}),
        (MARK_ARTICLES, {"articles": [article_row(r) for r in batch]}),
    ]
    gaz = gazetteer()
    entities: dict[str, dict] = {}
    agencies: set[tuple[str, str]] = set()
    for r in batch:
        for e in r.entities.values():
            known = gaz.entities.get(e.key)
            entities.setdefault(e.key, {"key": e.key, "id": e.id, "name": e.name, "type": e.type,
                                        "wikidata": e.wikidata,
                                        "known_aliases": sorted(known.aliases) if known else [],
                                        # reference data of the public lists, not a claim of the article
                                        # (current listings first, then the revoked, so marked)
                                        "lists": [str(x) for x in sorted(gaz.listings.get(e.key, []),
                                                                         key=lambda x: not x.current)]})
            if e.country:
                agencies.add((e.key, e.country))
    by_label = defaultdict(list)
    for row in entities.values():
        by_label[row["type"]].append(row)
    for label in entity_labels():  # labels cannot be parameters; these come from the schema, not input
        if by_label.get(label):
            out.append((MERGE_ENTITIES % label, {"entities": by_label[label]}))
    if agencies:
        out.append((LINK_AGENCIES, {"pairs": [{"body": b, "country": c} for b, c in sorted(agencies)]}))

    mentions, claims, facts = [], [], {}
    for r in batch:
        grouped = defaultdict(list)
        for m in r.mentions:
            grouped[m.entity].append(m.text)
        for key, forms in grouped.items():
            reasons = sorted(r.entities[key].reasons) if key in r.entities else []
            distinct = sorted(set(forms))
            mentions.append({"article": r.article.id, "entity": key, "forms": distinct, "count": len(forms),
                             "reasons": None if _plain(key, distinct, reasons) else reasons})
        for c in r.claims:
            fact = _count(facts, r, c)
            own_subject = c.subject if c.subject != facts[fact]["subject"] else None  # a body acting for its state
            links = [{"role": role, "entity": key} for role, key in zip(
                CLAIM_ROLES, (own_subject, c.addressee, c.speaker, c.authority)) if key]
            claims.append(_claim_row(r.article, c, fact, links))
    if mentions:
        out.append((MERGE_MENTIONS, {"mentions": mentions}))
    if claims:
        out.append((MERGE_FACTS % SOURCES_KEPT, {"facts": list(facts.values())}))
        out.append((CREATE_CLAIMS, {"claims": claims}))
    # new spellings and reasons are merged into each entity's sorted lists, at a cost that does not
    # grow with the number of articles mentioning it; entities that replaced or removed articles
    # mentioned are recomputed from their remaining mentions
    added = defaultdict(lambda: (set(), set(), []))  # forms, reasons, articles
    for row in mentions:
        forms, reasons, articles = added[row["entity"]]
        forms.update(row["forms"])
        reasons.update(row["reasons"] if row["reasons"] is not None
                       else (plain_reason(row["entity"], f) for f in row["forms"]))
        articles.append(row["article"])
    if added:
        out.append((ADD_ALIASES, {"rows": [{"key": k, "forms": sorted(f), "reasons": sorted(r), "articles": len(a)}
                                           for k, (f, r, a) in sorted(added.items())]}))
    if replaced.facts:
        out.append((RECOUNT_FACTS % SOURCES_KEPT, {"keys": sorted(replaced.facts)}))
    out += _after_facts(set(facts) | replaced.facts)
    if replaced.entities:
        out.append((REFRESH_ENTITIES, {"keys": sorted(replaced.entities)}))
        out.append((COUNT_MENTIONS, {"keys": sorted(replaced.entities)}))
    out += _names(sorted(set(entities) | replaced.entities))
    stale = sorted(replaced.entities - set(entities))
    if stale:
        out += _delete_orphans(stale)
    return out


def _unfit(value) -> str | None:
    """Why a value cannot be sent to the graph as it is, or None."""
    if isinstance(value, str):
        if "\x00" in value:
            return "it holds a NUL byte"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "it holds text that is not valid Unicode"
    elif isinstance(value, float) and not math.isfinite(value):
        return f"it holds the number {value}"
    elif isinstance(value, dict):
        return next(filter(None, map(_unfit, [*value.keys(), *value.values()])), None)
    elif isinstance(value, (list, tuple, set, frozenset)):
        return next(filter(None, map(_unfit, value)), None)
    return None


def refusal(result: Analysis) -> str | None:
    """Why an analysed article cannot be written (checked before its batch is sent), or None."""
    reason = _unfit(dataclasses.asdict(result))
    return f"cannot be written to the graph: {reason}" if reason else None


def _touched(out: list[tuple[str, dict]]) -> References:
    """The entities and facts a batch's statements merge into: what undoing it must recount."""
    entities = {row["key"] for _, params in out for row in params.get("entities", [])}
    entities |= {pair["country"] for _, params in out for pair in params.get("pairs", [])}
    facts = {row["key"] for _, params in out for row in params.get("facts", [])}
    return References(entities, facts)


KNOWN_ARTICLES = ("UNWIND $ids AS id MATCH (a:Article {id: id}) "
                  "RETURN a.id AS id, a.content_hash AS hash, a.extractor AS extractor")


@dataclass
class Written:
    """What a batch write did: the articles it wrote, those it found in the graph as they are
    (another ingest wrote them meanwhile) and the replaced ones, with their old content hashes."""

    articles: list[Analysis] = field(default_factory=list)
    unchanged: int = 0
    replaced: dict[str, str] = field(default_factory=dict)


def write_batch(store: Store, batch: list[Analysis], replaced: References = References(), recheck: bool = False,
                also: list[tuple[str, dict]] = (), link=None) -> Written:
    """Write a batch whole, or undo what a failed batch left and raise StoreError. `also` are more
    statements for its transaction (the texts, on Neo4j). With `recheck`, which of its articles are
    new, unchanged or replaced is decided under the writer lock, from the graph as it is then: on
    Neo4j several processes' batches take turns, and an article another process wrote meanwhile is
    skipped when its text and extractor are the same, replaced (its old version's references
    recounted) when not, so no interleaving counts an article twice. `link(reader, articles)`, when
    given, links the articles to be written there too, against the entities in the graph then (it
    returns linked copies: a retried transaction links again)."""
    if not batch:
        return Written()
    done, touched = Written(batch), References()

    def plan(reader) -> list[list[tuple[str, dict]]]:
        nonlocal done, touched
        fresh, gone, done = batch, replaced, Written(batch)
        if recheck:
            known = {r["id"]: (r["hash"], r["extractor"]) for r in reader.read(
                KNOWN_ARTICLES, {"ids": [r.article.id for r in batch]})}
            fresh = [r for r in batch if known.get(r.article.id) != (r.article.content_hash, extractor())]
            changed = [r.article.id for r in fresh if r.article.id in known]
            gone = sum(references_of(reader, changed).values(), replaced)
            done = Written(fresh, len(batch) - len(fresh), {i: known[i][0] for i in changed})
        if link and fresh:
            fresh = done.articles = link(reader, fresh)
        out = [*also, *statements(fresh, gone)] if fresh else []
        touched = gone + _touched(out)
        # the `done` marking is its own unit: a MULTI/EXEC goes on after a statement that fails
        return [out, [(FINISH_ARTICLES, {"ids": [r.article.id for r in fresh]})]] if fresh else []

    try:
        store.write_checked(plan)
    except StoreError:
        if not store.rolls_back and done.articles:
            _undo(store, [r.article.id for r in done.articles], touched)
        raise
    return done


def _undo(store: Store, ids: list[str], touched: References) -> None:
    """Remove a failed batch's articles and recount what it touched (FalkorDB kept the statements
    before the failing one). If this fails too, the articles stay marked `writing` for `repair()`."""
    try:
        _retract(store, ids, sum(references_of(store, ids).values(), touched))
    except StoreError:
        pass


def _retract(store: Store, ids: list[str], gone: References) -> None:
    keys = sorted(gone.entities)
    store.write([(CLEAR_ARTICLES, {"ids": ids}), (DELETE_MENTIONS, {"ids": ids}),
                 ("UNWIND $ids AS id MATCH (a:Article {id: id}) DETACH DELETE a", {"ids": ids}),
                 (RECOUNT_FACTS % SOURCES_KEPT, {"keys": sorted(gone.facts)}), *_after_facts(gone.facts),
                 *_delete_orphans(keys), (REFRESH_ENTITIES, {"keys": keys}), (COUNT_MENTIONS, {"keys": keys}),
                 *_names(keys)])


def remove_articles(store: Store, ids: list[str]) -> list[str]:
    """Retract articles: their claims, their mentions, then entities nothing else refers to.
    Returns the ids that were in the graph."""
    found = [r["id"] for r in store.read("UNWIND $ids AS id MATCH (a:Article {id: id}) RETURN a.id AS id",
                                         {"ids": ids})]
    if not found:
        return []
    _retract(store, found, sum(references_of(store, found).values(), References()))
    return found


def recount(store: Store, facts: list[str], entities: list[str], chunk: int = 500) -> None:
    """Recompute facts and entities from the claims and mentions there are, removing those that
    nothing refers to any more (`kg doctor --repair`)."""
    for start in range(0, max(len(facts), len(entities)), chunk):
        keys = entities[start:start + chunk]
        store.write([(RECOUNT_FACTS % SOURCES_KEPT, {"keys": facts[start:start + chunk]}),
                     *_after_facts(set(facts[start:start + chunk])),
                     (REFRESH_ENTITIES, {"keys": keys}), (COUNT_MENTIONS, {"keys": keys}), *_names(keys)])
    # twice, over the whole graph: a state is an orphan only once the bodies linked to it have gone
    store.write([(f"MATCH (e:Entity)<-[r:NAMES]-(n:Name) WHERE {ORPHAN}" + _DROP_LINKS, {}),
                 (f"MATCH (e:Entity) WHERE {ORPHAN} DETACH DELETE e", {})] * 2
                + [("MATCH (n:Name) WHERE NOT (n)-[:NAMES]->() DELETE n", {})])


def repair(store: Store) -> list[str]:
    """Remove articles a crashed ingest left half-written; they are written again on the next ingest."""
    broken = [r["id"] for r in store.read(HALF_WRITTEN)]
    return remove_articles(store, broken) if broken else []
