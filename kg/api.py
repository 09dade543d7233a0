"""The Python API behind the `kg` command, for scripts and notebooks:

    from kg.api import KnowledgeGraph
    with KnowledgeGraph.open() as graph:            # embedded engine in ./.kg, or Neo4j via NEO4J_URI
        report = graph.ingest(["examples/articles"])
        rows = graph.query("designations-by-country", country="United Kingdom")
"""
from __future__ import annotations

import functools
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from . import engine as embedded
from . import export, queries, write
from .config import Settings
from .model import Article
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
    miscounted_facts: list[str] = field(default_factory=list)
    miscounted_entities: list[str] = field(default_factory=list)
    claims_missing: list[str] = field(default_factory=list)  # articles marked done without all their claims
    other_engines: list[int] = field(default_factory=list)  # servers on the data folder beside kg's own
    warnings: list[str] = field(default_factory=list)  # what the engine's log says about its files

    @property
    def problems(self) -> list[str]:
        found = [p for p in [version_problem(self.graph_schema_version)] if p]
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
            found.append(f"{len(self.incomplete_claims)} claims missing their article, subject or object "
                         f"({', '.join(self.incomplete_claims[:5])}): {MENDS}")
        return found + self.insecure


Progress = Callable[[str, int], None]  # (event, count): "article" once per article, "claims" with a count


def _writes(method: Callable) -> Callable:
    """Run a method that writes under the graph's writer lock, so writers never interleave."""
    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self.store.writing():
            return method(self, *args, **kwargs)
    return locked


class KnowledgeGraph:
    def __init__(self, store: Store):
        self.store = store
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
        return cls(store)

    def close(self) -> None:
        self.store.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- ingest ---------------------------------------------------------------------------
    @_writes
    def ingest(self, paths: Iterable[str | Path], workers: int = 1, batch_size: int = 32,
               max_bytes: int = DEFAULT_MAX_BYTES, progress: Progress | None = None,
               follow_links: bool = False) -> IngestReport:
        """Read, analyse and write every article under `paths`. Unchanged articles are skipped;
        changed ones, and those analysed by another extractor version, are replaced; bad files are
        reported in the result and the rest still ingested. Symbolic links leading outside the
        folders given are refused unless `follow_links`."""
        self._check_version()
        report = IngestReport()
        self.store.write([("MERGE (s:Schema) ON CREATE SET s.version = $version", {"version": schema()["version"]})])
        report.repaired = write.repair(self.store)
        copies: list[Copy] = []
        replaced: dict[str, write.References] = {}  # what the old version of each replaced article referred to

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
                for a in articles:
                    report.warnings += [f"{a.path}: {w}" for w in a.warnings]
                    if known.get(a.id) == current[a.id]:
                        report.unchanged += 1
                        if progress:
                            progress("article", 1)
                    else:
                        yield a

        analysed = analyse_all(fresh(read_articles(paths, max_bytes, follow_links)), workers=workers)
        for analysed_batch in _chunks(analysed, batch_size):
            batch = []  # what can be sent: FalkorDB would keep half of a batch with a bad row
            for r in analysed_batch:
                reason = write.refusal(r)
                if reason:
                    report.problems.append(Problem(r.article.path, reason))
                else:
                    batch.append(r)
            old = sum((replaced.pop(r.article.id, write.References()) for r in batch), write.References())
            write.write_batch(self.store, batch, old)
            report.written += len(batch)
            report.claims += sum(len(r.claims) for r in batch)
            if progress:
                progress("article", len(analysed_batch))
                progress("claims", sum(len(r.claims) for r in batch))
        if copies:
            self.store.write([(
                "UNWIND $copies AS row MATCH (a:Article {id: row.id}) "
                "SET a.paths = CASE WHEN row.path IN a.paths THEN a.paths ELSE a.paths + row.path END",
                {"copies": [{"id": c.article_id, "path": c.path} for c in copies]})])
            report.copies = len(copies)
        return report

    @_writes
    def remove(self, article_ids: list[str]) -> list[str]:
        """Retract articles; returns the ids that were in the graph."""
        return write.remove_articles(self.store, article_ids)

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
        insecure, others, warnings = [], [], []
        if isinstance(self.store, FalkorStore):
            e = self.store.engine
            engine = f"embedded engine running (pid {e.pid}, 127.0.0.1:{e.port})"
            insecure = [f"{path} can be read by others (mode {path.stat().st_mode & 0o777:o}): {MENDS} (chmod "
                        f"{'700' if path.is_dir() else '600'})" for path in embedded.exposed(e.home)]
            others = [pid for pid in embedded.engines_on(e.home) if pid != e.pid]
            warnings = embedded.troubles(e)
        else:
            engine = "Neo4j server reachable"
        read = self.store.read
        return Health(
            backend=self.store.backend, location=self.store.location, engine=engine,
            schema_version=schema()["version"], graph_schema_version=self._recorded_version(),
            counts=counts,
            half_written=[r["id"] for r in read(write.HALF_WRITTEN)],
            orphan_entities=[r["key"] for r in read(ORPHAN_ENTITIES)],
            incomplete_claims=[r["id"] for r in read(INCOMPLETE_CLAIMS)],
            insecure=insecure,
            miscounted_facts=[r["key"] for r in read(FACTS_MISCOUNTED)],
            miscounted_entities=[r["key"] for r in read(ENTITIES_MISCOUNTED)],
            claims_missing=[r["id"] for r in read(CLAIMS_MISSING)],
            other_engines=others, warnings=warnings)

    @_writes
    def repair(self) -> list[str]:
        """Mend what `doctor` finds: stop other engines on the data folder, make its files private,
        remove half-written articles and those missing claims (the next ingest writes them again)
        and claims missing their ends, recount every fact and entity from the claims and mentions,
        and remove orphans. Returns one line per thing done."""
        done = []
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
            self.store.write([("UNWIND $ids AS id MATCH (c:Claim {id: id}) DETACH DELETE c",
                               {"ids": health.incomplete_claims})])
            done.append(f"removed {len(health.incomplete_claims)} claims missing their article, subject or object")
        facts = [r["key"] for r in self.store.read("MATCH (f:Fact) RETURN f.key AS key ORDER BY key")]
        entities = [r["key"] for r in self.store.read("MATCH (e:Entity) RETURN e.key AS key ORDER BY key")]
        write.recount(self.store, facts, entities)
        fixed = len(health.miscounted_facts) + len(health.miscounted_entities) + len(health.orphan_entities)
        if fixed:
            done.append(f"recounted {len(facts)} facts and {len(entities)} entities from their claims and "
                        f"mentions ({len(health.miscounted_facts)} facts and {len(health.miscounted_entities)} "
                        f"entities were wrong, {len(health.orphan_entities)} orphans)")
        return done


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
