"""The Python API behind the `kg` command, for scripts and notebooks:

    from kg.api import KnowledgeGraph
    with KnowledgeGraph.open() as graph:            # embedded engine in ./.kg, or Neo4j via NEO4J_URI
        report = graph.ingest(["examples/articles"])
        rows = graph.query("designations-by-country", country="United Kingdom")
        table = graph.frame("designations-by-country")   # a pandas DataFrame (pip install 'kg[notebook]')

Every method mirrors a `kg` command; errors are `kg.errors.KgError`s that name things the Python
way (`group=`), and the language model is only loaded by `ingest`.
"""
from __future__ import annotations

import functools
import json
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from . import engine as embedded
from . import export, names, queries, write
from .clean import segment
from .config import Settings
from .content import ContentStore
from .errors import InputError
from .model import Analysis, Article
from .read import DEFAULT_MAX_BYTES, Copy, Problem, read_articles
from .resources import entity_labels, extractor, schema, schema_upgrades
from .store import FalkorStore, Neo4jStore, Rows, Store, StoreError

if TYPE_CHECKING:
    import pandas

    from .view import View

ORPHAN_ENTITIES = "MATCH (e:Entity) WHERE {orphan} RETURN e.key AS key ORDER BY key"
# entities no list knows (keyed type:name): what a new spelling in this ingest may be
KNOWN_ENTITIES = ("MATCH (e:Entity) WHERE e.key CONTAINS ':' "
                  "RETURN e.key AS key, e.type AS type, e.name AS name, e.aliases AS aliases")
INCOMPLETE = "MATCH (c:Claim) WHERE NOT (:Article)-[:STATES]->(c) OR NOT (c)-[:OF]->(:Fact)"
# a claim has no id in the graph (kg/write.py): one is named by its article and place
INCOMPLETE_CLAIMS = INCOMPLETE + """
OPTIONAL MATCH (a:Article)-[:STATES]->(c)
RETURN coalesce(a.id, '(no article)') + ' at ' + coalesce(toString(c.start), '?') AS claim ORDER BY claim
"""
FACTS_MISCOUNTED = """
MATCH (f:Fact)
OPTIONAL MATCH (f)<-[:OF]-(:Claim)<-[:STATES]-(a:Article)
WITH f, count(DISTINCT a) AS stating
WHERE stating <> f.articles
RETURN f.key AS key ORDER BY key
"""
ENTITIES_MISCOUNTED = """
MATCH (e:Entity)
OPTIONAL MATCH (e)<-[:MENTIONS]-(a:Article)
WITH e, count(a) AS mentioning
WHERE mentioning <> coalesce(e.articles, 0)
RETURN e.key AS key ORDER BY key
"""
CLAIMS_MISSING = """
MATCH (a:Article {status: 'done'})
WHERE a.claims IS NOT NULL
OPTIONAL MATCH (a)-[:STATES]->(c:Claim)
WITH a, count(c) AS stated
WHERE stated <> a.claims
RETURN a.id AS id ORDER BY id
"""
MENDS = "`kg doctor --repair` mends it"


# the pandas dtype of each column type a query header declares (dates are converted apart)
_DTYPES = {"string": "string", "int": "Int64", "float": "Float64", "bool": "boolean", "list": object, "map": object}


class GraphVersionError(StoreError):
    """The graph was written under another schema version: kg would read or extend it wrongly."""


def upgrades(recorded: int) -> list[dict] | None:
    """The steps of schema/upgrades.toml from version `recorded` to kg's, in order; None when there is no path."""
    steps, version = [], recorded
    while version < schema()["version"]:  # each step goes up (tests/test_schema.py)
        if version not in schema_upgrades():
            return None
        steps.append(schema_upgrades()[version])
        version = steps[-1]["to"]
    return steps if version == schema()["version"] else None


def version_problem(recorded: int | None) -> str | None:
    if recorded in (None, schema()["version"]):
        return None
    mend = ("`kg doctor --repair` upgrades it" if upgrades(recorded) is not None
            else "ingest the articles again into a new graph")
    return f"the graph was written with schema version {recorded}, kg uses {schema()['version']}: {mend}"


@dataclass
class IngestReport:
    written: int = 0
    unchanged: int = 0
    replaced: int = 0
    claims: int = 0
    copies: int = 0
    repaired: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # files not ingested, with the reason
    warnings: list[str] = field(default_factory=list)  # ingested, but with a remark

    @property
    def failed(self) -> list[Problem]:
        return [p for p in self.problems if not p.skipped]

    def summary(self) -> str:
        parts = [f"{self.written} articles written", f"{self.claims} claims", f"{self.unchanged} unchanged"]
        if self.replaced:
            parts.append(f"{self.replaced} replaced (text changed)")
        if self.copies:
            parts.append(f"{self.copies} duplicate files folded into their article")
        if self.repaired:
            parts.append(f"{len(self.repaired)} half-written articles repaired")
        skipped = len(self.problems) - len(self.failed)
        if skipped:
            parts.append(f"{skipped} files skipped")
        if self.failed:
            parts.append(f"{len(self.failed)} files FAILED")
        return "; ".join(parts)


@dataclass
class Health:
    """What `kg doctor` found: where the graph is, what it holds, and anything broken in it."""

    backend: str
    location: str
    engine: str
    schema_version: int
    graph_schema_version: int | None
    counts: dict[str, int]
    half_written: list[str]
    orphan_entities: list[str]
    incomplete_claims: list[str]  # "article at start": a claim has no id in the graph
    insecure: list[str]
    miscounted_facts: list[str] = field(default_factory=list)
    miscounted_entities: list[str] = field(default_factory=list)
    claims_missing: list[str] = field(default_factory=list)  # articles marked done without all their claims
    other_engines: list[int] = field(default_factory=list)  # servers on the data folder beside kg's own
    warnings: list[str] = field(default_factory=list)  # what the engine's log says about its files
    missing_texts: list[str] = field(default_factory=list)  # articles whose text the content store lacks
    lost_writes: list[str] = field(default_factory=list)  # a start loaded a cut append-only file, no ingest since

    @property
    def problems(self) -> list[str]:
        found = [p for p in [version_problem(self.graph_schema_version)] if p] + self.lost_writes
        found += [f"a second engine (pid {pid}) runs on this data folder and may overwrite its files: "
                  f"{MENDS} (or `kill {pid}`)" for pid in self.other_engines]
        if self.half_written:
            found.append(f"{len(self.half_written)} half-written articles ({', '.join(self.half_written[:5])}): "
                         f"the next `kg ingest` repairs them, or {MENDS}")
        if self.claims_missing:
            found.append(f"{len(self.claims_missing)} articles marked done lack some of their claims "
                         f"({', '.join(self.claims_missing[:5])}): {MENDS} (they are removed, and the next "
                         f"`kg ingest` of their files writes them again)")
        if self.miscounted_facts:
            found.append(f"{len(self.miscounted_facts)} facts whose article counts disagree with their claims "
                         f"({', '.join(self.miscounted_facts[:3])}): {MENDS}")
        if self.miscounted_entities:
            found.append(f"{len(self.miscounted_entities)} entities whose article counts disagree with their "
                         f"mentions ({', '.join(self.miscounted_entities[:5])}): {MENDS}")
        if self.orphan_entities:
            found.append(f"{len(self.orphan_entities)} entities with no mention and no claim "
                         f"({', '.join(self.orphan_entities[:5])}): {MENDS}")
        if self.incomplete_claims:
            found.append(f"{len(self.incomplete_claims)} claims missing their article or fact "
                         f"({', '.join(self.incomplete_claims[:5])}): {MENDS}")
        if self.missing_texts:
            found.append(f"{len(self.missing_texts)} articles whose text is missing from the content store "
                         f"({', '.join(self.missing_texts[:5])}): remove them and ingest their files again")
        return found + self.insecure


# (event, count): "loading" once before the language model is first needed, then "article" once
# per article (analysed or unchanged) and "claims" with each analysed article's count
Progress = Callable[[str, int], None]


def _writes(method: Callable) -> Callable:
    """Run a method that writes under the graph's writer lock, so writers never interleave."""
    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self.store.writing():
            return method(self, *args, **kwargs)
    return locked


class KnowledgeGraph:
    def __init__(self, store: Store, home: Path | None = None, content: ContentStore | None = None):
        """`home` is where the user's judgements.toml lives; `content` holds the article texts, by
        default the store's own (see kg/content.py)."""
        self.store = store
        self.home = home or Settings.from_env().home
        self.content = content or ContentStore.beside(store, self.home)
        self._version_checked = False
        store.setup_schema()  # constraints and indexes; also creates an empty graph, so reading a new one works

    @classmethod
    def open(cls, **overrides: Any) -> "KnowledgeGraph":
        """Neo4j if a URI is configured (argument or NEO4J_URI), else the embedded engine in KG_HOME."""
        settings = Settings.from_env(**overrides)
        if settings.neo4j_uri:
            store: Store = Neo4jStore(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password or "",
                                      settings.neo4j_database)
        else:
            store = FalkorStore(settings.home)
        return cls(store, settings.home)

    def close(self) -> None:
        self.content.close()
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- ingest ---------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], workers: int = 1, batch_size: int = 32,
               max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None,
               follow_links: bool = False) -> IngestReport:
        """Read, analyse and write every article under `paths`. Unchanged articles are skipped;
        changed ones, and those analysed by another extractor version, are replaced; bad files are
        reported in the result and the rest still ingested. Symbolic links leading outside the
        folders given are refused unless `follow_links`.

        Where each write takes the writer lock itself (Neo4j), the lock is held per batch write,
        not for the whole ingest: several processes or machines analyse at once and their batches
        take turns, each deciding under the lock which of its articles are new or replaced. The
        embedded engine's ingest holds its lock throughout (one machine, one writer)."""
        with self._whole_ingest():
            return self._ingest(paths, workers, batch_size, max_bytes, progress, follow_links)

    def _whole_ingest(self):
        """The writer lock for a whole ingest, where writes do not take it each (FalkorDB)."""
        from contextlib import nullcontext

        return nullcontext() if self.store.locks_each_write else self.store.writing()

    def _step(self):
        """The writer lock for one step of an ingest that reads before it writes (repair, forgetting
        texts): the lease on Neo4j; held already for the whole ingest elsewhere."""
        from contextlib import nullcontext

        return self.store.writing() if self.store.locks_each_write else nullcontext()

    def _ingest(self, paths, workers, batch_size, max_bytes, progress, follow_links) -> IngestReport:
        """`ingest` without taking the writer lock, for methods that hold it already (`judge`)."""
        from .pipeline import analyse_all
        from .resolve import Linker

        self._check_version()
        report = IngestReport()
        self.store.write([("MERGE (s:Schema {id: 'kg'}) ON CREATE SET s.version = $version", {"version": schema()["version"]})])
        with self._step():
            report.repaired = write.repair(self.store)
        copies: list[Copy] = []
        loading: list[str] = []  # the first article to analyse, once the model is about to load
        old_texts: set[str] = set()  # content hashes of the replaced versions

        def fresh(items: Iterator[Article | Copy | Problem]) -> Iterator[Article]:
            for chunk in _chunks(items, batch_size):
                articles = [a for a in chunk if isinstance(a, Article)]
                for item in chunk:
                    if isinstance(item, Problem):
                        report.problems.append(item)
                    elif isinstance(item, Copy):
                        copies.append(item)
                known = {r["id"]: (r["hash"], r["extractor"]) for r in self.store.read(
                    write.KNOWN_ARTICLES, {"ids": [a.id for a in articles]})}
                # a first look, to skip analysing what is in the graph as it is; which articles are
                # new or replaced is decided again when each batch is written, under the writer lock
                current = {a.id: (a.content_hash, extractor()) for a in articles}
                for a in articles:
                    report.warnings += [f"{a.path}: {w}" for w in a.warnings]
                    if known.get(a.id) == current[a.id]:
                        report.unchanged += 1
                        if progress:
                            progress("article", 1)
                    else:
                        if progress and not loading:
                            loading.append(a.id)
                            progress("loading", 0)
                        yield a

        names.use_judgements(self.home / "judgements.toml")
        names.judgements()  # a bad judgements file stops the ingest before anything is written
        linker = Linker.seeded(self.store.read(KNOWN_ENTITIES))  # names no list knows meet earlier spellings
        analysed = analyse_all(fresh(read_articles(paths, max_bytes, follow_links)), workers=workers)
        link = None
        if self.store.locks_each_write:  # other processes write meanwhile: link under the lock, as it is then
            link = _linking_under_lock(linker)
        else:
            analysed = map(linker.link, analysed)
        self._write_all(analysed, batch_size, report, progress, {}, recheck=True, old_texts=old_texts, link=link)
        if old_texts:
            with self._step():
                self._forget_texts(old_texts)
        if copies:
            self.store.write([(
                "UNWIND $copies AS row MATCH (a:Article {id: row.id}) "
                "SET a.paths = CASE WHEN row.path IN a.paths THEN a.paths ELSE a.paths + row.path END",
                {"copies": [{"id": c.article_id, "path": c.path} for c in copies]})])
            report.copies = len(copies)
        if isinstance(self.store, FalkorStore) and report.written:  # what a cut log lost may be written again
            embedded.written_again(self.store.engine.home)
        return report

    @_writes
    def judge(self, verdict: str, name: str, other: str) -> IngestReport:
        """Record that two names are one entity ("same") or two ("different") in KG_HOME/judgements.toml,
        consulted before any comparison of spellings, and analyse again the articles that mention
        either name (from their files), so the graph follows the judgement."""
        verdict = verdict.lower()
        if verdict not in (names.SAME, names.DIFFERENT):
            raise names.JudgementError(f"a judgement is {names.SAME!r} or {names.DIFFERENT!r}, not {verdict!r}")
        path = self.home / "judgements.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f'\n[[judgement]]\nverdict = "{verdict}"\nnames = {json.dumps([name, other], ensure_ascii=False)}\n')
        names.use_judgements(path)
        names.judgements.cache_clear()
        rows = self.store.read("UNWIND $names AS n MATCH (:Name {key: n})-[:NAMES]->(e:Entity)<-[:MENTIONS]-(a:Article) "
                               "RETURN DISTINCT a.id AS id, a.paths AS paths", {"names": [name.lower(), other.lower()]})
        readable = {r["id"]: [p for p in r["paths"] or [] if Path(p).is_file()] for r in rows}
        again = sorted(i for i, paths in readable.items() if paths)
        if again:
            write.remove_articles(self.store, again)
        return self._ingest([readable[i][0] for i in again], 1, 32, DEFAULT_MAX_BYTES, None, False)

    @_writes
    def reanalyse(self, article_ids: list[str] | None = None, workers: int = 1, batch_size: int = 32,
                  progress: Progress | None = None) -> IngestReport:
        """Analyse articles again from their stored texts (no files needed) and replace them:
        the given ids, or every article written by another extractor version than this one."""
        from .pipeline import analyse_all
        from .resolve import Linker

        self._check_version()
        rows = self.store.read(
            "MATCH (a:Article) WHERE ($ids IS NULL AND a.extractor <> $extractor) OR a.id IN coalesce($ids, []) "
            "RETURN a.id AS id, a.paths AS paths, a.content_hash AS hash ORDER BY id",
            {"ids": article_ids, "extractor": extractor()})
        missing = sorted(set(article_ids or []) - {r["id"] for r in rows})
        if missing:
            raise StoreError(f"{self.store.location}: no article {', '.join(map(repr, missing))} in the graph")
        report = IngestReport()
        replaced = write.references_of(self.store, [r["id"] for r in rows])

        def stored() -> Iterator[Article]:
            for r in rows:
                paths = r["paths"] or []
                yield segment(Article(id=r["id"], path=paths[0] if paths else r["id"], paths=paths,
                                      text=self.content.get(r["hash"]), content_hash=r["hash"]))

        linker = Linker.seeded(self.store.read(KNOWN_ENTITIES))
        self._write_all(map(linker.link, analyse_all(stored(), workers=workers)), batch_size, report, progress, replaced)
        return report

    def write_analysed(self, batch: list[Analysis], replaced: write.References = write.References(),
                       recheck: bool = False, link=None) -> write.Written:
        """Write analysed articles: their texts to the content store (first, idempotent by hash; in
        the batch's own transaction on Neo4j), then the graph batch, whose `done` marking says the
        articles are in. `recheck` and `link`: see write.write_batch."""
        texts = self.content.writes(r.article.text for r in batch)
        return write.write_batch(self.store, batch, replaced, recheck=recheck, also=texts, link=link)

    def _write_all(self, analysed: Iterable[Analysis], batch_size: int, report: IngestReport,
                   progress: Progress | None, replaced: dict[str, write.References], recheck: bool = False,
                   old_texts: set[str] | None = None, link=None) -> None:
        """Write batches in order, each while the next is analysed (the engine works in its own
        process, so one core parses while the other writes); a failed write stops the ingest.
        `old_texts` gathers the content hashes of the versions replaced."""
        def written(done: write.Written) -> None:
            report.written += len(done.articles)
            report.claims += sum(len(r.claims) for r in done.articles)
            report.unchanged += done.unchanged
            report.replaced += len(done.replaced)
            if old_texts is not None:
                old_texts.update(done.replaced.values())

        def counted(results: Iterable[Analysis]) -> Iterator[Analysis]:
            for result in results:
                if progress:
                    progress("article", 1)
                    progress("claims", len(result.claims))
                yield result

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer") as writer:
            pending: Future | None = None
            for analysed_batch in _chunks(counted(analysed), batch_size):
                batch = []  # what can be sent: FalkorDB would keep half of a batch with a bad row
                for r in analysed_batch:
                    reason = write.refusal(r)
                    if reason:
                        report.problems.append(Problem(r.article.path, reason))
                    else:
                        batch.append(r)
                old = sum((replaced.pop(r.article.id, write.References()) for r in batch), write.References())
                if pending:
                    written(pending.result())
                pending = writer.submit(self.write_analysed, batch, old, recheck, link)
            if pending:
                written(pending.result())

    @_writes
    def remove(self, article_ids: list[str]) -> list[str]:
        """Retract articles, and their texts unless another article has the same; returns the ids that
        were in the graph."""
        hashes = {r["hash"] for r in self.store.read(
            "UNWIND $ids AS id MATCH (a:Article {id: id}) RETURN a.content_hash AS hash", {"ids": article_ids})}
        found = write.remove_articles(self.store, article_ids)
        self._forget_texts(hashes)
        return found

    def _forget_texts(self, hashes: set[str]) -> None:
        """Drop from the content store those of these texts no article in the graph has any more."""
        if hashes:
            kept = {r["hash"] for r in self.store.read(
                "UNWIND $hashes AS h MATCH (a:Article {content_hash: h}) RETURN DISTINCT h AS hash",
                {"hashes": sorted(hashes)})}
            self.content.discard(hashes - kept)

    def article_text(self, article_id: str) -> str:
        """The full text of an article, as analysed (offsets of its claims point into it)."""
        found = self.store.read("MATCH (a:Article {id: $id}) RETURN a.content_hash AS hash", {"id": article_id})
        if not found:
            raise StoreError(f"{self.store.location}: no article {article_id!r} in the graph")
        return self.content.get(found[0]["hash"])

    # --- read -----------------------------------------------------------------------------
    def query(self, name: str, **params: Any) -> Rows:
        """Run a canned query of queries/ by name with checked parameters; the rows (a list of
        dicts) also know their `columns`, which an empty answer has too."""
        q = queries.get(name)
        bound = q.bind(params)
        self._check_version()
        return self.store.read(q.cypher, bound)

    def cypher(self, text: str, **params: Any) -> Rows:
        """Run your own read-only Cypher, values as parameters (`$name` in the text); a header of
        `// param:` lines, as in queries/, types and checks them. Writes are refused."""
        q = queries.adhoc(text)
        self._check_version()
        return self.store.read(q.cypher, q.bind(params) if q.params else params)

    def frame(self, name: str, **params: Any) -> "pandas.DataFrame":
        """A canned query's answer as a pandas DataFrame, each column's dtype the one its query
        declares (`// columns:`), whatever the rows hold, so an empty answer or a column with no
        value has them too: counts `Int64`, text `string`, flags `boolean` (missing: <NA>), dates
        `datetime64` (missing: NaT; a year or month alone is its first day), lists kept as lists."""
        try:
            import pandas
        except ImportError as exc:
            raise InputError("KnowledgeGraph.frame needs pandas: pip install 'kg[notebook]'") from exc
        rows = self.query(name, **params)
        declared = queries.get(name).columns
        data = {}
        for column in rows.columns:
            values = pandas.Series([row[column] for row in rows], dtype=object)
            kind = declared.get(column)
            if kind == "date":
                data[column] = pandas.to_datetime(values.astype("string"), format="ISO8601").astype("datetime64[ns]")
            elif kind in _DTYPES:
                data[column] = values.astype(_DTYPES[kind])
            else:  # a column the header does not declare: the dtype its values suggest
                data[column] = values.convert_dtypes()
        return pandas.DataFrame(data, columns=rows.columns)

    def unmatched(self, name: "str | queries.Query", **params: Any) -> list[tuple[str, str, str]]:
        """The (parameter, value, type) of each entity name or article id given to a canned query
        that matches nothing in the graph: why an answer is empty, when it is. `name` may also be
        a query of your own (`queries.adhoc(text)`), whose header types its parameters."""
        q = name if isinstance(name, queries.Query) else queries.get(name)
        found = []
        for key, value in q.bind(params).items():
            kind = q.params[key].type
            if value is None or kind not in ("entity", "article"):
                continue
            if kind == "entity":
                n = self.store.read("MATCH (:Name {key: toLower($v)})-[:NAMES]->(e:Entity) RETURN count(e) AS n", {"v": value})
            else:
                n = self.store.read("MATCH (a:Article {id: $v}) RETURN count(a) AS n", {"v": value})
            if not n[0]["n"]:
                found.append((key, value, kind))
        return found

    def _check_version(self) -> None:
        """Once per KnowledgeGraph: a graph's schema version only changes when it is written anew."""
        if self._version_checked:
            return
        problem = version_problem(self._recorded_version())
        if problem:
            raise GraphVersionError(f"{self.store.location}: {problem}")
        self._version_checked = True

    def _recorded_version(self) -> int | None:
        recorded = self.store.read("MATCH (s:Schema) RETURN s.version AS version")
        return recorded[0]["version"] if recorded else None

    def claims(self) -> Iterator[dict]:
        return export.claims(self.store)

    def entities(self) -> Iterator[dict]:
        return export.entities(self.store)

    def export_rdf(self, out: IO[str], fmt: str = "trig", base: str | None = None, article: str | None = None,
                   entity: str | None = None) -> int:
        """Write the graph (or one article's, one entity's claims) as RDF to a text stream; `fmt`
        is trig, nquads (nq), jsonld, turtle (ttl) or nt. Returns the number of statements."""
        from . import rdf

        return rdf.write(self.store, out, fmt, base or rdf.DEFAULT_BASE, article, entity)

    def export_graphml(self, out: IO[str]) -> int:
        """Write the graph as GraphML (Gephi, networkx, yEd); returns the number of edges."""
        return export.graphml(self.store, out)

    @_writes
    def export_neo4j_csv(self, folder: str | Path) -> export.CsvFiles:
        """Write CSV files for `neo4j-admin database import full` into `folder`: what it wrote,
        with the command that imports it. Under the writer lock: the files name claims by the
        engine's ids, which a concurrent write could give to other nodes between two files."""
        return export.neo4j_csv(self.store, Path(folder))

    def view(self, out: str | Path | None = None, entity: str | None = None, query: str | None = None,
             params: dict[str, Any] | None = None, depth: int = 1, limit: int = 300,
             claims_only: bool = False) -> "View":
        """Draw part of the graph (see `kg view`); writes the HTML page to `out` when given."""
        from . import view

        drawn = view.build(self.store, entity=entity, query=query, params=params, depth=depth, limit=limit,
                           claims_only=claims_only)
        if out is not None:
            view.write(drawn, Path(out))
        return drawn

    def stats(self) -> dict[str, Any]:
        counts = {}
        for label in ["Article", "Entity", *entity_labels(), "Claim"]:
            counts[label] = self.store.read(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"]
        counts["relationships"] = self.store.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
        by_predicate = {r["p"]: r["n"] for r in self.store.read(
            "MATCH (c:Claim)-[:OF]->(f:Fact) RETURN f.predicate AS p, count(c) AS n ORDER BY p")}
        return {"backend": self.store.backend, "location": self.store.location, "counts": counts,
                "claims_by_predicate": by_predicate}

    def doctor(self) -> Health:
        """Check the graph for what a crash, a bug or an old kg version could have left behind."""
        counts = self.stats()["counts"]
        insecure, others, warnings, lost = [], [], [], []
        if isinstance(self.store, FalkorStore):
            e = self.store.engine
            engine = f"embedded engine running (pid {e.pid}, 127.0.0.1:{e.port})"
            insecure = [f"{path} can be read by others (mode {path.stat().st_mode & 0o777:o}): {MENDS} (chmod "
                        f"{'700' if path.is_dir() else '600'})" for path in embedded.exposed(e.home)]
            others = [pid for pid in embedded.engines_on(e.home) if pid != e.pid]
            warnings = embedded.troubles(e)
            lost = [note for note in [embedded.lost_writes(e.home)] if note]
        else:
            engine = "Neo4j server reachable"
        read = self.store.read
        return Health(
            backend=self.store.backend, location=self.store.location, engine=engine,
            schema_version=schema()["version"], graph_schema_version=self._recorded_version(),
            counts=counts,
            half_written=[r["id"] for r in read(write.HALF_WRITTEN)],
            orphan_entities=[r["key"] for r in read(ORPHAN_ENTITIES.format(orphan=write.ORPHAN))],
            incomplete_claims=[r["claim"] for r in read(INCOMPLETE_CLAIMS)],
            insecure=insecure,
            miscounted_facts=[r["key"] for r in read(FACTS_MISCOUNTED)],
            miscounted_entities=[r["key"] for r in read(ENTITIES_MISCOUNTED)],
            claims_missing=[r["id"] for r in read(CLAIMS_MISSING)],
            other_engines=others, warnings=warnings, missing_texts=self._missing_texts(), lost_writes=lost)

    def _missing_texts(self) -> list[str]:
        stored = self.content.hashes()
        return [r["id"] for r in self.store.read(
            "MATCH (a:Article) WHERE a.status = 'done' RETURN a.id AS id, a.content_hash AS hash ORDER BY id")
            if r["hash"] not in stored]

    @_writes
    def repair(self) -> list[str]:
        """Mend what `doctor` finds: stop other engines on the data folder, make its files private,
        remove half-written articles and those missing claims (the next ingest writes them again)
        and claims missing their ends, recount every fact and entity from the claims and mentions,
        and remove orphans. Returns one line per thing done."""
        done = []
        health = self.doctor()
        for step in upgrades(health.graph_schema_version or schema()["version"]) or []:
            self.store.write([(statement, {}) for statement in step["statements"]]
                             + [("MATCH (s:Schema) SET s.version = $to", {"to": step["to"]})])
            done.append(f"upgraded the graph from schema version {step['from']} to {step['to']}: {step['reason']}")
        if done:
            health = self.doctor()
        if isinstance(self.store, FalkorStore):
            for pid in health.other_engines:
                os.kill(pid, signal.SIGKILL)  # its copy of the data diverged: nothing of it is to be kept
                done.append(f"stopped the second engine (pid {pid})")
            done += [f"made {path} private" for path in embedded.private(self.store.engine.home)]
        broken = write.remove_articles(self.store, health.half_written + health.claims_missing)
        if broken:
            done.append(f"removed {len(broken)} half-written articles ({', '.join(broken[:5])}): "
                        f"`kg ingest` their files to write them again")
        if health.incomplete_claims:
            self.store.write([(INCOMPLETE + " DETACH DELETE c", {})])
            done.append(f"removed {len(health.incomplete_claims)} claims missing their article or fact")
        facts = [r["key"] for r in self.store.read("MATCH (f:Fact) RETURN f.key AS key ORDER BY key")]
        entities = [r["key"] for r in self.store.read("MATCH (e:Entity) RETURN e.key AS key ORDER BY key")]
        write.recount(self.store, facts, entities)
        fixed = len(health.miscounted_facts) + len(health.miscounted_entities) + len(health.orphan_entities)
        if fixed:
            done.append(f"recounted {len(facts)} facts and {len(entities)} entities from their claims and "
                        f"mentions ({len(health.miscounted_facts)} facts and {len(health.miscounted_entities)} "
                        f"entities were wrong, {len(health.orphan_entities)} orphans)")
        return done


def evaluate(gold: str | Path, paths: Iterable[str | Path], workers: int = 1, out: str | Path | None = None):
    """Score extraction on annotated articles (`kg eval`): see kg/evaluate.py."""
    from .evaluate import evaluate as run

    return run(Path(gold), [Path(p) for p in paths], workers=workers, out=Path(out) if out else None)


def explain(text: str, date: str | None = None):
    """The claims of one text with their rules and roles (`kg explain`)."""
    from .extract.explain import explain as run

    return run(text, date)


def why_not(text: str, subject: str, object_: str, date: str | None = None):
    """The rules that came close to a claim between `subject` and `object_` in `text`, and what failed."""
    from .extract.explain import why_not as run

    return run(text, subject, object_, date)


def rules():
    """Every extraction rule (`kg rules`)."""
    from .extract.rules import rules as load

    return load()


def _linking_under_lock(linker) -> Callable:
    """Link a batch inside its locked write, after learning the entities other processes wrote."""
    import copy

    def link(reader, batch: list[Analysis]) -> list[Analysis]:
        linker.extend(reader.read(KNOWN_ENTITIES))
        return [linker.link(copy.deepcopy(r)) for r in batch]
    return link


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
