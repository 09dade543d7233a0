"""One small interface to the graph, with two backends: the embedded FalkorDB engine (spoken to
with the native `falkordb` client) and any Neo4j 5 server (official `neo4j` driver).

Every value reaches Cypher as a parameter; statements come from kg's own files and code."""
from __future__ import annotations

import logging
import re
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from .resources import folder

GRAPH = "kg"
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

# the driver logs failed routing attempts too; kg reports them once, as a StoreError
logging.getLogger("neo4j").addHandler(logging.NullHandler())


class StoreError(RuntimeError):
    """The graph cannot be reached or refused a statement; the message says what to do."""


class Store(ABC):
    backend: str
    location: str

    @abstractmethod
    def read(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a read-only statement, values as plain Python (nodes become property dicts)."""

    @abstractmethod
    def write(self, statements: list[tuple[str, dict[str, Any]]]) -> None:
        """Run statements as one unit: one transaction on Neo4j, one MULTI/EXEC on FalkorDB
        (applied whole unless a statement fails; kg marks articles so a partial write is repaired)."""

    @abstractmethod
    def _schema_statement(self, statement: str) -> None:
        """Run one statement of schema/<backend>.cypher; an existing index or constraint is fine."""

    @abstractmethod
    def close(self) -> None: ...

    def setup_schema(self) -> None:
        for statement in schema_statements(self.backend):
            self._schema_statement(statement)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def schema_statements(backend: str) -> list[str]:
    text = (folder("schema") / f"{backend}.cypher").read_text()
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return [s.strip() for s in text.split(";") if s.strip()]


def _plain(value: Any) -> Any:
    """Driver values as plain Python, the same for both backends."""
    if hasattr(value, "labels") and hasattr(value, "properties"):  # falkordb Node
        return {**value.properties, "_labels": sorted(value.labels)}
    if hasattr(value, "labels") and hasattr(value, "items"):  # neo4j Node
        return {**dict(value.items()), "_labels": sorted(value.labels)}
    if hasattr(value, "relation") and hasattr(value, "properties"):  # falkordb Edge
        return {**value.properties, "_type": value.relation}
    if hasattr(value, "type") and hasattr(value, "items") and hasattr(value, "start_node"):  # neo4j Relationship
        return {**dict(value.items()), "_type": value.type}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class FalkorStore(Store):
    backend = "falkordb"

    def __init__(self, home: Path):
        from falkordb import FalkorDB

        from .engine import start

        self.engine = start(home)
        self.location = f"embedded engine in {self.engine.home} (127.0.0.1:{self.engine.port})"
        self.db = FalkorDB(host=self.engine.host, port=self.engine.port, password=self.engine.password)
        self.graph = self.db.select_graph(GRAPH)

    def read(self, cypher, params=None):
        import redis

        try:
            result = self.graph.ro_query(cypher, params or {})
        except redis.ConnectionError as exc:
            raise StoreError(f"lost the {self.location}: {exc}; run `kg engine status`") from exc
        except redis.ResponseError as exc:
            raise StoreError(f"FalkorDB refused the query: {exc}") from exc
        names = [h[1] for h in result.header]
        return [dict(zip(names, map(_plain, row))) for row in result.result_set]

    def write(self, statements):
        from falkordb.helpers import stringify_param_value

        pipe = self.db.connection.pipeline(transaction=True)
        for cypher, params in statements:
            header = "CYPHER " + " ".join(f"{k}={stringify_param_value(v)}" for k, v in params.items()) + " "
            pipe.execute_command("GRAPH.QUERY", GRAPH, header + cypher, "--compact")
        for reply in pipe.execute(raise_on_error=False):
            if isinstance(reply, Exception):
                raise StoreError(f"FalkorDB refused a write: {reply}")

    def _schema_statement(self, statement):
        import redis

        try:
            if statement.startswith("GRAPH.CONSTRAINT"):
                words = statement.split()
                self.db.connection.execute_command(*words[:2], GRAPH, *words[2:])
            else:
                self.graph.query(statement)
        except redis.ResponseError as exc:
            if not re.search(r"already (indexed|exists)|already exist", str(exc), re.I):
                raise StoreError(f"cannot apply schema statement {statement!r}: {exc}") from exc

    def close(self):
        self.db.connection.close()


WRITE_LOCK = "MERGE (lock:WriteLock {name: 'writer'}) SET lock.at = timestamp()"


class Neo4jStore(Store):
    backend = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str | None = None):
        import neo4j
        from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

        self.location = f"Neo4j at {uri}"
        self.database = database
        scheme = uri.partition("://")[0].lower() if "://" in uri else ""
        if scheme not in BOLT_SCHEMES:
            raise StoreError(f"{uri!r} is not a Bolt URI: give the database's address, e.g. bolt://localhost:7687 "
                             f"or neo4j://HOST:7687 (the Browser's http:// address is not it)")
        try:
            self.driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
            self.driver.verify_connectivity()
        except AuthError as exc:
            raise StoreError(f"Neo4j at {uri} refused the user name or password: set NEO4J_USER and "
                             f"NEO4J_PASSWORD (or --neo4j-user/--neo4j-password) to the server's") from exc
        except (ServiceUnavailable, ConfigurationError, ValueError, OSError) as exc:
            raise StoreError(f"cannot reach Neo4j at {uri}: is it running (`docker compose up -d --wait` "
                             f"or `scripts/neo4j-local start`) and is the URI right? ({type(exc).__name__})") from exc

    def read(self, cypher, params=None):
        from neo4j.exceptions import Neo4jError

        try:
            records, _, keys = self.driver.execute_query(cypher, params or {}, database_=self.database,
                                                         routing_="r")
        except Neo4jError as exc:
            raise StoreError(f"Neo4j refused the query: {exc.message}") from exc
        return [{k: _plain(r[k]) for k in keys} for r in records]

    def write(self, statements):
        from neo4j.exceptions import Neo4jError

        def work(tx):
            # every write first locks the one WriteLock node (unique by a constraint, so MERGE makes
            # only one), so writes of several processes or machines apply one after another; a
            # deadlock or a leader switch is transient and execute_write runs the whole unit again
            tx.run(WRITE_LOCK).consume()
            for cypher, params in statements:
                tx.run(cypher, params).consume()

        try:
            with self.driver.session(database=self.database) as session:
                session.execute_write(work)
        except Neo4jError as exc:
            raise StoreError(f"Neo4j refused a write: {exc.message}") from exc

    def _schema_statement(self, statement):
        with self.driver.session(database=self.database) as session:
            session.run(statement).consume()

    def close(self):
        self.driver.close()
