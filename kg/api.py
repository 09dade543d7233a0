"""The Python API behind the `kg` command, for scripts and notebooks:

    from kg.api import KnowledgeGraph
    with KnowledgeGraph.open() as graph:            # embedded engine in ./.kg, or Neo4j via NEO4J_URI
        report = graph.ingest(["examples/articles"])
        rows = graph.query("designations-by-country", country="United Kingdom")
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from . import export, queries, write
from .clean import segment
from .config import Settings
from .content import ContentStore
from .model import Analysis, Article
from .pipeline import analyse_all
from .read import DEFAULT_MAX_BYTES, Copy, Problem, read_articles
from .resources import entity_labels, extractor, schema
from .store import FalkorStore, Neo4jStore, Store, StoreError

ORPHAN_ENTITIES = f"MATCH (e:Entity) WHERE {write.ORPHAN} RETURN e.key AS key ORDER BY key"
INCOMPLETE_CLAIMS = """
MATCH (c:Claim)
WHERE NOT (c)-[:SUBJECT]->(:Entity) OR NOT (c)-[:OBJECT]->(:Entity) OR NOT (:Article)-[:STATES]->(c)
RETURN c.id AS id ORDER BY id
"""


class GraphVersionError(StoreError):
    """The graph was written under another schema version: kg would read or extend it wrongly."""


def version_problem(recorded: int | None) -> str | None:
    if recorded in (None, schema()["version"]):
        return None
    return (f"the graph was written with schema version {recorded}, kg uses {schema()['version']}: "
            f"ingest the articles again into a new graph")


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
    incomplete_claims: list[str]
    insecure: list[str]
    missing_texts: list[str] = field(default_factory=list)  # articles whose text the content store lacks

    @property
    def problems(self) -> list[str]:
        found = [p for p in [version_problem(self.graph_schema_version)] if p]
        if self.half_written:
            found.append(f"{len(self.half_written)} half-written articles ({', '.join(self.half_written[:5])}): "
                         f"the next `kg ingest` repairs them")
        if self.orphan_entities:
            found.append(f"{len(self.orphan_entities)} entities with no mention and no claim "
                         f"({', '.join(self.orphan_entities[:5])})")
        if self.incomplete_claims:
            found.append(f"{len(self.incomplete_claims)} claims missing their article, subject or object "
                         f"({', '.join(self.incomplete_claims[:5])})")
        if self.missing_texts:
            found.append(f"{len(self.missing_texts)} articles whose text is missing from the content store "
                         f"({', '.join(self.missing_texts[:5])}): remove them and ingest their files again")
        return found + self.insecure


Progress = Callable[[str, int], None]  # (event, count): "article" once per article, "claims" with a count


class KnowledgeGraph:
    def __init__(self, store: Store, content: ContentStore | None = None):
        """`content` holds the article texts; by default the store's own (see kg/content.py)."""
        self.store = store
        self.content = content or ContentStore.beside(store, Settings.from_env().home)
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
        return cls(store, ContentStore.beside(store, settings.home))

    def close(self) -> None:
        self.content.close()
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- ingest ---------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], workers: int = 1, batch_size: int = 32,
               max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None) -> IngestReport:
        """Read, analyse and write every article under `paths`. Unchanged articles are skipped;
        changed ones, and those analysed by another extractor version, are replaced; bad files are
        reported in the result and the rest still ingested."""
        self._check_version()
        report = IngestReport()
        self.store.write([("MERGE (s:Schema) ON CREATE SET s.version = $version", {"version": schema()["version"]})])
        report.repaired = write.repair(self.store)
        copies: list[Copy] = []
        replaced: dict[str, write.References] = {}  # what the old version of each replaced article referred to
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
                    "UNWIND $ids AS id MATCH (a:Article {id: id}) "
                    "RETURN a.id AS id, a.content_hash AS hash, a.extractor AS extractor",
                    {"ids": [a.id for a in articles]})}
                current = {a.id: (a.content_hash, extractor()) for a in articles}
                changed = [i for i in current if i in known and known[i] != current[i]]
                if changed:
                    report.replaced += len(changed)
                    replaced.update(write.references_of(self.store, changed))
                    old_texts.update(known[i][0] for i in changed)
                for a in articles:
                    report.warnings += [f"{a.path}: {w}" for w in a.warnings]
                    if known.get(a.id) == current[a.id]:
                        report.unchanged += 1
                        if progress:
                            progress("article", 1)
                    else:
                        yield a

        analysed = analyse_all(fresh(read_articles(paths, max_bytes)), workers=workers)
        self._write_all(analysed, batch_size, report, progress, replaced)
        self._forget_texts(old_texts)
        if copies:
            self.store.write([(
                "UNWIND $copies AS row MATCH (a:Article {id: row.id}) "
                "SET a.paths = CASE WHEN row.path IN a.paths THEN a.paths ELSE a.paths + row.path END",
                {"copies": [{"id": c.article_id, "path": c.path} for c in copies]})])
            report.copies = len(copies)
        return report

    def reanalyse(self, article_ids: list[str] | None = None, workers: int = 1, batch_size: int = 32,
                  progress: Progress | None = None) -> IngestReport:
        """Analyse articles again from their stored texts (no files needed) and replace them:
        the given ids, or every article written by another extractor version than this one."""
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

        self._write_all(analyse_all(stored(), workers=workers), batch_size, report, progress, replaced)
        return report

    def write_analysed(self, batch: list[Analysis], replaced: write.References = write.References()) -> None:
        """Write analysed articles: their texts to the content store first (idempotent, by hash),
        then the graph batch, whose `done` marking says the articles are in."""
        self.content.put(r.article.text for r in batch)
        write.write_batch(self.store, batch, replaced)

    def _write_all(self, analysed: Iterable[Analysis], batch_size: int, report: IngestReport,
                   progress: Progress | None, replaced: dict[str, write.References]) -> None:
        """Write batches in order, each while the next is analysed (the engine works in its own
        process, so one core parses while the other writes); a failed write stops the ingest."""
        def written(batch: list[Analysis]) -> None:
            report.written += len(batch)
            report.claims += sum(len(r.claims) for r in batch)
            if progress:
                progress("article", len(batch))
                progress("claims", sum(len(r.claims) for r in batch))

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer") as writer:
            pending: tuple[Future, list[Analysis]] | None = None
            for batch in _chunks(analysed, batch_size):
                old = sum((replaced.pop(r.article.id, write.References()) for r in batch), write.References())
                if pending:
                    pending[0].result()
                    written(pending[1])
                pending = writer.submit(self.write_analysed, batch, old), batch
            if pending:
                pending[0].result()
                written(pending[1])

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
    def query(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run a canned query of queries/ by name with checked parameters."""
        q = queries.get(name)
        bound = q.bind(params)
        self._check_version()
        return self.store.read(q.cypher, bound)

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

    def stats(self) -> dict[str, Any]:
        counts = {}
        for label in ["Article", "Entity", *entity_labels(), "Claim"]:
            counts[label] = self.store.read(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"]
        counts["relationships"] = self.store.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
        by_predicate = {r["p"]: r["n"] for r in self.store.read(
            "MATCH (c:Claim) RETURN c.predicate AS p, count(c) AS n ORDER BY p")}
        return {"backend": self.store.backend, "location": self.store.location, "counts": counts,
                "claims_by_predicate": by_predicate}

    def doctor(self) -> Health:
        """Check the graph for what a crash, a bug or an old kg version could have left behind."""
        counts = self.stats()["counts"]
        insecure = []
        if isinstance(self.store, FalkorStore):
            e = self.store.engine
            engine = f"embedded engine running (pid {e.pid}, 127.0.0.1:{e.port})"
            mode = (e.home / "password").stat().st_mode & 0o777
            if mode & 0o077:
                insecure.append(f"{e.home / 'password'} is readable by others (mode {mode:o}): chmod 600 it")
        else:
            engine = "Neo4j server reachable"
        return Health(
            backend=self.store.backend, location=self.store.location, engine=engine,
            schema_version=schema()["version"], graph_schema_version=self._recorded_version(),
            counts=counts,
            half_written=[r["id"] for r in self.store.read(write.HALF_WRITTEN)],
            orphan_entities=[r["key"] for r in self.store.read(ORPHAN_ENTITIES)],
            incomplete_claims=[r["id"] for r in self.store.read(INCOMPLETE_CLAIMS)],
            insecure=insecure, missing_texts=self._missing_texts())

    def _missing_texts(self) -> list[str]:
        stored = self.content.hashes()
        return [r["id"] for r in self.store.read(
            "MATCH (a:Article) WHERE a.status = 'done' RETURN a.id AS id, a.content_hash AS hash ORDER BY id")
            if r["hash"] not in stored]


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
