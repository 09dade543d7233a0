"""The graph as RDF, for triple stores and SPARQL: entities, articles and claims as resources of
the kg ontology (schema/ontology.ttl), and in quad formats each claim's statement in a named graph
of its own (nanopublication style), so a denied or merely called-for designation is never a bare
fact. N-Quads and N-Triples are written a page at a time, so memory does not grow with the graph."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from . import __version__
from .export import PAGE, claim_ends, claim_id_of, evidence_end, modality
from .errors import InputError, NotFound
from .resources import folder, rule_confidence
from .store import Store

DEFAULT_BASE = "https://kg.example.org/"
KGO = Namespace("https://kg.example.org/ontology#")
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
FORMATS = {"trig": "trig", "nquads": "nquads", "jsonld": "json-ld", "turtle": "turtle", "nt": "nt"}
ALIASES = {"ttl": "turtle", "nq": "nquads", "json-ld": "jsonld"}  # also the file extensions
EXTENSIONS = {"trig": "trig", "nq": "nquads", "nquads": "nquads", "jsonld": "jsonld", "json": "jsonld",
              "ttl": "turtle", "turtle": "turtle", "nt": "nt"}
QUAD_FORMATS = {"trig", "nquads", "jsonld"}
STREAMED = {"nquads", "nt"}
CHUNK = 2000  # statements serialised at a time when streaming

Quad = tuple[Node, Node, Node, URIRef | None]  # None: the default graph

_ENTITY_KEYS = """
MATCH (:Name {key: toLower($name)})-[:NAMES]->(e:Entity)
RETURN e.key AS key, e.id AS id
"""
# a claim's predicate and fact key are its fact's, its extractor its article's (kg/write.py)
_CLAIMS = claim_ends("WHERE $article IS NULL OR a.id = $article") + """OPTIONAL MATCH (c)-[r:ADDRESSEE|SPEAKER|AUTHORITY]->(x:Entity)
WITH a, c, f, s, o, collect({role: type(r), id: x.id, key: x.key}) AS others
WHERE $keys IS NULL OR s.key IN $keys OR o.key IN $keys OR size([x IN others WHERE x.key IN $keys]) > 0
RETURN c AS claim, f.predicate AS predicate, f.key AS fact, a.extractor AS extractor,
       a.id AS article, s.id AS subject, o.id AS object, s.key AS subject_key, o.key AS object_key, others
ORDER BY article, c.start, predicate, object_key, subject_key
SKIP $skip LIMIT $limit
"""
_ARTICLES = """
MATCH (a:Article) WHERE $ids IS NULL OR a.id IN $ids
RETURN a.id AS id, a.title AS title, a.outlet AS outlet, a.author AS author, a.date AS date,
       coalesce(a.paths, []) AS paths
ORDER BY id SKIP $skip LIMIT $limit
"""
_ENTITIES = """
MATCH (e:Entity) WHERE $ids IS NULL OR e.id IN $ids
RETURN e.id AS id, e.name AS name, e.type AS type, coalesce(e.aliases, []) AS aliases, e.wikidata AS wikidata
ORDER BY id SKIP $skip LIMIT $limit
"""
_MENTIONS = """
MATCH (a:Article)-[:MENTIONS]->(e:Entity)
WHERE ($articles IS NULL OR a.id IN $articles) AND ($ids IS NULL OR e.id IN $ids)
RETURN a.id AS article, e.id AS entity ORDER BY article, entity SKIP $skip LIMIT $limit
"""
_AGENCIES = """
MATCH (b:Entity)-[:AGENCY_OF]->(s:Entity) WHERE $ids IS NULL OR b.id IN $ids
RETURN b.id AS body, s.id AS state ORDER BY body, state SKIP $skip LIMIT $limit
"""
_ARTICLE_MENTIONS = "MATCH (:Article {id: $article})-[:MENTIONS]->(e:Entity) RETURN e.id AS id"


class RdfError(InputError):
    """The export cannot be made as asked (unknown format or base), or a file is not RDF."""


class NothingToExport(RdfError, NotFound):
    """The entity or article to export is not in the graph."""


def format_of(path: Path, fmt: str | None = None) -> str:
    """The RDF syntax to write or read: `fmt` (a name or alias) when given, else the file's extension."""
    if fmt is not None:
        fmt = ALIASES.get(fmt, fmt)
        if fmt not in FORMATS:
            raise RdfError(f"unknown RDF format {fmt!r}; choose one of {', '.join([*FORMATS, *ALIASES])}")
        return fmt
    found = EXTENSIONS.get(path.suffix.lower().lstrip("."))
    if found is None:
        raise RdfError(f"{path}: cannot tell the RDF format from the extension {path.suffix or '(none)'!r}; "
                       f"name the file .trig, .nq, .jsonld, .ttl or .nt, or give --format")
    return found


def term(name: str) -> URIRef:
    """The ontology term of a schema.toml name: labels as they are, relationship types and
    predicates in lower camel case (AGENCY_OF -> kgo:agencyOf)."""
    if name[:1].isupper() and not name.isupper():
        return KGO[name]
    first, *rest = name.lower().split("_")
    return KGO[first + "".join(w.capitalize() for w in rest)]


@dataclass(frozen=True)
class Iris:
    """Where each resource lives under the base; ids are percent-encoded so any name is safe."""
    base: str = DEFAULT_BASE

    def _under(self, kind: str, ident: str) -> URIRef:
        return URIRef(f"{self.base}{kind}/{quote(str(ident), safe='')}")

    def entity(self, ident: str) -> URIRef:
        return self._under("entity", ident)

    def article(self, ident: str) -> URIRef:
        return self._under("article", ident)

    def claim(self, ident: str) -> URIRef:
        return self._under("claim", ident)

    def assertion(self, ident: str) -> URIRef:
        return self._under("assertion", ident)

    def activity(self) -> URIRef:
        return self._under("activity", f"kg-{__version__}")


def _date(value: str) -> Literal:
    """An ISO date string to its precision, typed so SPARQL can compare it."""
    for pattern, datatype in ((r"\d{4}", XSD.gYear), (r"\d{4}-\d{2}", XSD.gYearMonth), (r"\d{4}-\d{2}-\d{2}", XSD.date)):
        if re.fullmatch(pattern, value):
            return Literal(value, datatype=datatype)
    return Literal(value)


def quads(store: Store, base: str = DEFAULT_BASE, article: str | None = None, entity: str | None = None) -> Iterator[Quad]:
    """Every statement of the export, page by page. With `article` or `entity` only that article's
    (or entity's) claims, with the articles, entities and agencies they need."""
    iris = Iris(base)
    keys = None
    ids: set[str] | None = None
    if entity is not None:
        found = store.read(_ENTITY_KEYS, {"name": entity})
        if not found:
            raise NothingToExport(f"no entity named {entity!r} in the graph (name or alias, any case); "
                                  f"`kg query find-entity -p text …` lists the names kg knows")
        keys = [r["key"] for r in found]
        ids = {r["id"] for r in found}
    if article is not None:
        if not store.read("MATCH (a:Article {id: $id}) RETURN a.id AS id", {"id": article}):
            raise NothingToExport(f"no article {article!r} in the graph")
        ids = {r["id"] for r in store.read(_ARTICLE_MENTIONS, {"article": article})} | (ids or set())
    articles: set[str] | None = None if ids is None else ({article} if article else set())
    activity = iris.activity()
    yield activity, RDF.type, PROV.Activity, None
    yield activity, RDFS.label, Literal(f"kg {__version__} claim extraction"), None
    yield activity, KGO.version, Literal(__version__), None

    params = {"article": article, "keys": keys}
    for row in _pages_with(store, _CLAIMS, params):
        yield from _claim(iris, row)
        if ids is not None:
            articles.add(row["article"])
            ids.update([row["subject"], row["object"]] + [x["id"] for x in row["others"] if x["id"]])
    if ids is not None:  # the countries that filtered bodies act for, so queries can roll up
        ids.update(r["state"] for r in store.read(
            "MATCH (b:Entity)-[:AGENCY_OF]->(s:Entity) WHERE b.id IN $ids RETURN s.id AS state", {"ids": sorted(ids)}))
    id_list = None if ids is None else sorted(ids)
    article_list = None if articles is None else sorted(articles)
    for row in _pages_with(store, _ARTICLES, {"ids": article_list}):
        yield from _article(iris, row)
    for row in _pages_with(store, _ENTITIES, {"ids": id_list}):
        yield from _entity(iris, row)
    for row in _pages_with(store, _MENTIONS, {"articles": article_list, "ids": id_list}):
        yield iris.article(row["article"]), KGO.mentions, iris.entity(row["entity"]), None
    for row in _pages_with(store, _AGENCIES, {"ids": id_list}):
        yield iris.entity(row["body"]), KGO.agencyOf, iris.entity(row["state"]), None


def _pages_with(store: Store, cypher: str, params: dict) -> Iterator[dict]:
    """Rows in pages (with the filter parameters), so memory does not grow with the graph."""
    skip = 0
    while True:
        rows = store.read(cypher, {**params, "skip": skip, "limit": PAGE})
        yield from rows
        if len(rows) < PAGE:
            return
        skip += PAGE


def _claim(iris: Iris, row: dict) -> Iterator[Quad]:
    c = {**row["claim"], "predicate": row["predicate"], "modality": modality(row["predicate"]),
         "fact": row["fact"], "extractor": row["extractor"], "former": row["claim"].get("former", False),
         "id": claim_id_of({**row, "start": row["claim"].get("start")}), "confidence": rule_confidence(row["claim"].get("rule"))}
    c["end"] = evidence_end(c)
    node, graph = iris.claim(c["id"]), iris.assertion(c["id"])
    subject, predicate, object_ = iris.entity(row["subject"]), term(c["predicate"]), iris.entity(row["object"])
    yield subject, predicate, object_, graph
    yield node, RDF.type, KGO.Claim, None
    yield node, DCTERMS.identifier, Literal(c["id"]), None
    yield node, KGO.predicate, predicate, None
    yield node, KGO.subject, subject, None
    yield node, KGO.object, object_, None
    yield node, KGO.assertion, graph, None
    yield iris.article(row["article"]), KGO.states, node, None
    yield node, PROV.wasDerivedFrom, iris.article(row["article"]), None
    yield node, PROV.wasGeneratedBy, iris.activity(), None
    for other in row["others"]:
        if other["id"]:
            yield node, term(other["role"]), iris.entity(other["id"]), None
    if c.get("date"):
        yield node, KGO.date, _date(c["date"]), None
    for key, prop in (("modality", KGO.modality), ("fact", KGO.fact), ("evidence", KGO.evidence),
                      ("date_precision", KGO.datePrecision), ("date_text", KGO.dateText), ("role", KGO.role),
                      ("until", KGO.until), ("extractor", KGO.extractor)):
        if c.get(key) is not None:
            yield node, prop, Literal(str(c[key])), None
    for key, prop in (("start", KGO.start), ("end", KGO.end)):
        if c.get(key) is not None:
            yield node, prop, Literal(int(c[key])), None
    if c.get("former") is not None:
        yield node, KGO.former, Literal(bool(c["former"])), None
    if c.get("confidence") is not None:
        yield node, KGO.confidence, Literal(str(round(float(c["confidence"]), 4)), datatype=XSD.decimal), None


def _article(iris: Iris, row: dict) -> Iterator[Quad]:
    node = iris.article(row["id"])
    yield node, RDF.type, KGO.Article, None
    yield node, DCTERMS.identifier, Literal(row["id"]), None
    for key, prop in (("title", DCTERMS.title), ("outlet", KGO.outlet), ("author", DCTERMS.creator)):
        if row.get(key):
            yield node, prop, Literal(row[key]), None
    if row.get("date"):
        yield node, DCTERMS.date, _date(row["date"]), None
    for path in row["paths"]:
        yield node, KGO.path, Literal(path), None


def _entity(iris: Iris, row: dict) -> Iterator[Quad]:
    node = iris.entity(row["id"])
    yield node, RDF.type, KGO.Entity, None
    if row.get("type"):
        yield node, RDF.type, KGO[row["type"]], None
    yield node, DCTERMS.identifier, Literal(row["id"]), None
    yield node, RDFS.label, Literal(row["name"]), None
    for alias in sorted(set(row["aliases"]) - {row["name"]}):
        yield node, SKOS.altLabel, Literal(alias), None
    if row.get("wikidata"):
        yield node, OWL.sameAs, WIKIDATA[row["wikidata"]], None


def _bind(graph: Graph) -> None:
    for prefix, namespace in (("kgo", KGO), ("prov", PROV), ("skos", SKOS), ("dcterms", DCTERMS), ("owl", OWL),
                              ("wd", WIKIDATA)):
        graph.bind(prefix, namespace)


def write(store: Store, out: IO[str], fmt: str = "trig", base: str = DEFAULT_BASE, article: str | None = None,
          entity: str | None = None) -> int:
    """Write the export to a text stream; returns the number of statements. Triple formats
    (turtle, nt) leave out the claims' named graphs: the claim resources still carry
    subject, predicate and object."""
    fmt = format_of(Path(), fmt)
    if not base.endswith(("/", "#")):
        base += "/"
    statements = quads(store, base, article, entity)
    if fmt not in QUAD_FORMATS:
        statements = (q for q in statements if q[3] is None)
    count = 0
    if fmt in STREAMED:
        chunk: list[Quad] = []
        for quad in statements:
            chunk.append(quad)
            if len(chunk) == CHUNK:
                count += _write_chunk(out, chunk, fmt)
                chunk = []
        return count + _write_chunk(out, chunk, fmt)
    data: Graph = Dataset() if fmt in QUAD_FORMATS else Graph()
    _bind(data)
    for s, p, o, g in statements:
        data.add((s, p, o, g) if g is not None and isinstance(data, Dataset) else (s, p, o))
        count += 1
    text = data.serialize(format=FORMATS[fmt])
    out.write(_default_graph_at_top(text) if fmt == "jsonld" else text)
    return count


def _default_graph_at_top(text: str) -> str:
    """rdflib writes a dataset's default graph as a graph object without an @id, which readers
    take for a blank-node named graph: put its nodes at the top level instead, beside the named
    graphs, in one document whose only key is @graph, which JSON-LD reads as the default graph."""
    top = []
    for item in json.loads(text):
        if "@graph" in item and "@id" not in item:
            top.extend(item["@graph"])
        else:
            top.append(item)
    return json.dumps({"@graph": top}, indent=2, ensure_ascii=False) + "\n"


def _write_chunk(out: IO[str], chunk: list[Quad], fmt: str) -> int:
    if not chunk:
        return 0
    if fmt == "nquads":
        data: Graph = Dataset()
        for s, p, o, g in chunk:
            data.add((s, p, o, g) if g is not None else (s, p, o))
    else:
        data = Graph()
        for s, p, o, _ in chunk:
            data.add((s, p, o))
    out.write(data.serialize(format=FORMATS[fmt]))
    return len(chunk)


def read(path: Path, fmt: str) -> Dataset:
    """Parse an RDF file; one that does not parse is an RdfError naming the file, the line and
    what the parser found there."""
    from rdflib.exceptions import ParserError
    from rdflib.plugins.parsers.notation3 import BadSyntax

    data = Dataset()
    try:
        data.parse(path, format=FORMATS[fmt])
    except BadSyntax as exc:  # Turtle, TriG: lines counted from 0
        raise RdfError(f"{path}:{exc.lines + 1}: {exc._why}") from None
    except ParserError as exc:  # N-Triples, N-Quads: one statement a line, so find the line it means
        raise RdfError(f"{path}:{_bad_line(path, fmt)}: {str(exc).splitlines()[0].rstrip(':')}") from None
    except json.JSONDecodeError as exc:
        raise RdfError(f"{path}:{exc.lineno}: not JSON ({exc.msg})") from None
    except (AssertionError, IndexError) as exc:  # rdflib's Turtle/TriG parser on a file cut short, mid-literal
        why = str(exc).split(" at ^ in ")[0].strip() if isinstance(exc, AssertionError) else ""
        why = why or f"the text ends inside a statement ({type(exc).__name__}: {exc})"
        raise RdfError(f"{path}:{_parser_line(exc, path)}: {why}") from None
    except Exception as exc:  # whatever else a parser raises on a file it cannot read
        raise RdfError(f"{path}: not {fmt} ({type(exc).__name__}: {exc})") from None
    return data


def _parser_line(exc: BaseException, path: Path) -> int:
    """The line rdflib's notation3 parser had reached when it failed (it counts them from 0 as
    it goes), else the last line of the file, where a file cut short ends."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        parser = tb.tb_frame.f_locals.get("self")
        if isinstance(getattr(parser, "lines", None), int):
            line = parser.lines + 1
        tb = tb.tb_next
    if line is None:
        line = max(1, len(path.read_text(encoding="utf-8", errors="replace").splitlines()))
    return line


def _bad_line(path: Path, fmt: str) -> int | str:
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        try:
            Dataset().parse(data=line, format=FORMATS[fmt])
        except Exception:
            return number
    return "?"


@dataclass
class Validation:
    conforms: bool
    report: str


def validate(path: Path, fmt: str | None = None) -> Validation:
    """Check an RDF file against schema/shapes.ttl. Every graph of a quad file is validated as
    one union, since claim resources and their statements live in different graphs."""
    from pyshacl import validate as shacl

    data = read(path, format_of(path, fmt))
    union = Graph()
    for s, p, o, _ in data.quads((None, None, None, None)):
        union.add((s, p, o))
    shapes = Graph().parse(folder("schema") / "shapes.ttl", format="turtle")
    conforms, _, text = shacl(union, shacl_graph=shapes, ont_graph=None, inference="none")
    return Validation(bool(conforms), text)
