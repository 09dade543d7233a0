"""One small interface to the graph, with two backends: the embedded FalkorDB engine (spoken to
with the native `falkordb` client) and any Neo4j 5 server (official `neo4j` driver).

Every value reaches Cypher as a parameter; statements come from kg's own files and code."""
from __future__ import annotations

import fcntl
import logging
import os
import re
import secrets
import socket
import sys
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import KgError
from .resources import folder, schema

GRAPH = "kg"
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

# the driver logs failed routing attempts too; kg reports them once, as a StoreError
logging.getLogger("neo4j").addHandler(logging.NullHandler())


class StoreError(KgError, RuntimeError):
    """The graph cannot be reached or refused a statement; the message says what to do."""


class Rows(list):
    """Rows as plain dicts, and the statement's column names, which an empty answer still has."""

    def __init__(self, columns: list[str], rows: list[dict[str, Any]]):
        super().__init__(rows)
        self.columns = columns


class Store(ABC):
    backend: str
    location: str
    rolls_back: bool  # a failed write() leaves nothing behind (else kg undoes what it left)
    locks_each_write = False  # every write takes the writer lock itself (else hold `writing()` around them)

    @abstractmethod
    def read(self, cypher: str, params: dict[str, Any] | None = None) -> Rows:
        """Rows of a read-only statement, values as plain Python (nodes become property dicts)."""

    @abstractmethod
    def write(self, statements: list[tuple[str, dict[str, Any]]]) -> None:
        """Run statements as one unit: one transaction on Neo4j, one MULTI/EXEC on FalkorDB
        (applied whole unless a statement fails; kg marks articles so a partial write is repaired)."""

    def write_checked(self, plan) -> None:
        """Write what `plan(reader)` decides from the graph as it is under the writer lock: it reads
        through `reader.read` and returns units of statements, each one write() (one transaction
        for them all where writes take the lock themselves). The caller holds `writing()` here."""
        for unit in plan(self):
            if unit:
                self.write(unit)

    @abstractmethod
    def writing(self) -> Iterator[None]:
        """Hold the graph's writer lock (waiting, with a message, while another kg process holds it):
        two ingests into one graph would each add the same articles to the running counts."""

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


_INTERN = re.compile(r"\bintern\(")


def without_intern(cypher: str) -> str:
    """A write statement for Neo4j: FalkorDB's intern(x), one copy of a string many nodes hold (see
    kg/write.py), becomes (x): Neo4j has no such function."""
    return _INTERN.sub("(", cypher)


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
    rolls_back = False  # a MULTI/EXEC keeps the statements before one that fails

    def __init__(self, home: Path):
        from falkordb import FalkorDB

        from .engine import start

        self.engine = start(home)
        self.location = f"embedded engine in {self.engine.home} (127.0.0.1:{self.engine.port})"
        self.db = FalkorDB(host=self.engine.host, port=self.engine.port, password=self.engine.password)
        self.graph = self.db.select_graph(GRAPH)

    @contextmanager
    def writing(self):
        fd = os.open(self.engine.home / "writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            # a POSIX lock, which analysis worker processes forked meanwhile do not inherit
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                other = os.pread(fd, 100, 0).decode(errors="replace").strip() or "another kg process"
                print(f"kg: {other} is writing to this graph; waiting for it to finish", file=sys.stderr)
                fcntl.lockf(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"kg process {os.getpid()}".encode(), 0)
            yield
        finally:
            os.close(fd)  # releases the lock, also when the process is killed

    def read(self, cypher, params=None):
        import redis

        try:
            result = self.graph.ro_query(cypher, params or {})
        except redis.ConnectionError as exc:
            raise StoreError(f"lost the {self.location}: {exc}; run `kg engine status`") from exc
        except redis.ResponseError as exc:
            raise StoreError(f"FalkorDB refused the query: {exc}") from exc
        names = [h[1] for h in result.header]
        return Rows(names, [dict(zip(names, map(_plain, row))) for row in result.result_set])

    def write(self, statements):
        import redis
        from falkordb.helpers import stringify_param_value

        pipe = self.db.connection.pipeline(transaction=True)
        for cypher, params in statements:
            header = "CYPHER " + " ".join(f"{k}={stringify_param_value(v)}" for k, v in params.items()) + " "
            pipe.execute_command("GRAPH.QUERY", GRAPH, header + cypher, "--compact")
        try:
            replies = pipe.execute(raise_on_error=False)
        except redis.ResponseError as exc:  # refused whole, e.g. MISCONF when the log cannot be written
            raise StoreError(self._unwritten() or f"FalkorDB refused a write: {exc}") from exc
        for reply in replies:
            if isinstance(reply, Exception):
                raise StoreError(f"FalkorDB refused a write: {reply}")
        # with appendfsync everysec the engine answers even when writing its log failed (a full disk)
        problem = self._unwritten()
        if problem:
            raise StoreError(problem)

    def _unwritten(self) -> str | None:
        """Why the engine cannot write its append-only file, or None when it can."""
        info = self.db.connection.info("persistence")
        if info.get("aof_last_write_status", "ok") == "ok":
            return None
        data = self.engine.home / "data"
        return (f"the embedded engine could not write its append-only file in {data} (is the disk full? see "
                f"{self.engine.home / 'engine.log'}); the last batch is not saved: free disk space, then run "
                f"`kg ingest` again")

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


# Neo4j's writer lock is a lease on the (:Schema) node. SET first takes the node's write lock, so the
# lease is read and taken by one transaction at a time. A holder renews it from a heartbeat thread
# (RENEW_LEASE every quarter lease) and in every write; a killed holder's lease lapses.
TAKE_LEASE = """
MERGE (s:Schema {id: 'kg'}) ON CREATE SET s.version = $version
SET s.writer_lock = true
REMOVE s.writer_lock
WITH s, s.writer IS NULL OR s.writer = $token OR s.writer_until < timestamp() AS free
SET s.writer = CASE WHEN free THEN $token ELSE s.writer END,
    s.writer_until = CASE WHEN free THEN timestamp() + $lease ELSE s.writer_until END
RETURN s.writer AS writer
"""
RENEW_LEASE = """
MATCH (s:Schema {writer: $token})
SET s.writer_until = timestamp() + $lease
RETURN count(s) AS held
"""
# The first statement of every Neo4j write: the Schema node's write lock, held to the commit, so
# writes never interleave (an ingest's batches from several processes take turns, one transaction at
# a time), and the lease: renewed when this process holds it, else `other` names a live holder
# (a `kg remove`, `repair`, `judge` or `reanalyse`) to wait for. No Schema node: nothing kg wrote yet.
GUARD = """
OPTIONAL MATCH (s:Schema {id: 'kg'})
SET s.writer_lock = true
REMOVE s.writer_lock
WITH s, s.writer = $token AS mine
SET s.writer_until = CASE WHEN mine THEN timestamp() + $lease ELSE s.writer_until END
RETURN s.writer AS writer,
       CASE WHEN s.writer IS NOT NULL AND NOT mine AND s.writer_until >= timestamp() THEN s.writer END AS other
"""
LEASE_MS = 120_000  # a killed writer's lease lapses after this


class _Busy(Exception):
    """Another kg process holds the graph's writer lease: this write waits for it."""


class _InTransaction:
    """`read` inside a write transaction, for the decisions a write makes under the lock."""

    def __init__(self, tx):
        self.tx = tx

    def read(self, cypher, params=None):
        result = self.tx.run(cypher, params or {})
        keys = list(result.keys())
        return Rows(keys, [{k: _plain(r[k]) for k in keys} for r in result])


class Neo4jStore(Store):
    backend = "neo4j"
    rolls_back = True
    locks_each_write = True
    lease: str | None = None  # this process's writer token while it holds the lease
    lost = False  # the heartbeat found the lease taken by another process

    def __init__(self, uri: str, user: str, password: str, database: str | None = None,
                 lease_ms: int = LEASE_MS):
        """`lease_ms`: how long the writer lease lasts unrenewed (a killed holder's lapses after it)."""
        import neo4j
        from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable

        self.location = f"Neo4j at {uri}"
        self.database = database
        self.lease_ms = lease_ms
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
        return Rows(list(keys), [{k: _plain(r[k]) for k in keys} for r in records])

    @contextmanager
    def writing(self):
        """Hold the lease for a whole command; a process holding it already (`judge`, which ingests
        again) just goes on. A heartbeat thread renews it until it is released."""
        if self.lease:
            yield
            return
        token = f"kg process {os.getpid()} on {socket.gethostname()} ({secrets.token_hex(3)})"
        said = False
        while True:
            [row] = self._run_write(TAKE_LEASE, {"version": schema()["version"], "token": token,
                                                 "lease": self.lease_ms})
            if row["writer"] == token:
                break
            if not said:
                print(f"kg: {row['writer']} is writing to this graph; waiting for it to finish", file=sys.stderr)
                said = True
            time.sleep(1)
        self.lease, self.lost = token, False
        stop = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(token, stop), name="kg-lease", daemon=True)
        beat.start()
        try:
            yield
        finally:
            stop.set()
            beat.join()
            self.lease = None
            self._run_write("MATCH (s:Schema {writer: $token}) REMOVE s.writer, s.writer_until", {"token": token})

    def _heartbeat(self, token: str, stop: threading.Event) -> None:
        """Renew the lease every quarter of its length while it is held, however long between writes."""
        from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

        while not stop.wait(self.lease_ms / 4000):
            try:
                held = self._run_write(RENEW_LEASE, {"token": token, "lease": self.lease_ms})[0]["held"]
            except (ServiceUnavailable, SessionExpired, TransientError):  # a moment's outage: the next beat tries again
                continue
            if not held:
                self.lost = True
                return

    def _run_write(self, cypher, params):
        with self.driver.session(database=self.database) as session:
            return session.execute_write(lambda tx: [r.data() for r in tx.run(cypher, params)])

    def write(self, statements):
        self.write_checked(lambda reader: [statements])

    def write_checked(self, plan):
        """One transaction under the writer lock: `plan` reads the graph as it is once the lock is
        held (through the reader it is given) and returns the statements to run, in units (all one
        transaction here). Run again when the transaction is retried, and while another process
        holds the lease."""
        from neo4j.exceptions import Neo4jError

        def work(tx):
            [guard] = tx.run(GUARD, {"token": self.lease or "", "lease": self.lease_ms}).data()
            if self.lease and (self.lost or guard["writer"] != self.lease):
                raise StoreError(f"{self.location}: this kg process lost the graph's writer lock (its lease of "
                                 f"{self.lease_ms // 1000}s lapsed unrenewed); run the command again")
            if guard["other"]:
                raise _Busy(guard["other"])
            for unit in plan(_InTransaction(tx)):
                for cypher, params in unit:
                    tx.run(without_intern(cypher), params).consume()

        said = False
        while True:
            try:
                with self.driver.session(database=self.database) as session:
                    return session.execute_write(work)
            except _Busy as busy:
                if not said:
                    print(f"kg: {busy} is writing to this graph; waiting for it to finish", file=sys.stderr)
                    said = True
                time.sleep(1)
            except Neo4jError as exc:
                raise StoreError(f"Neo4j refused a write: {exc.message}") from exc

    def setup_schema(self):
        """Create what schema/neo4j.cypher declares and the database lacks. Several kg processes may
        start at once on an empty database (the first run of a scale-out): each statement is a
        managed transaction (a deadlock between them is retried) and a constraint or index another
        process created meanwhile is fine."""
        try:
            have = {r["name"] for r in self.read("SHOW CONSTRAINTS YIELD name RETURN name")}
            have |= {r["name"] for r in self.read("SHOW INDEXES YIELD name RETURN name")}
        except StoreError:
            have = set()  # a user who may not list the schema: every statement is tried
        for statement in schema_statements(self.backend):
            named = re.match(r"CREATE\s+(?:\w+\s+)?(?:CONSTRAINT|INDEX)\s+(\w+)", statement, re.I)
            if not (named and named[1] in have):
                self._schema_statement(statement)

    def _schema_statement(self, statement):
        from neo4j.exceptions import Neo4jError

        try:
            with self.driver.session(database=self.database) as session:
                session.execute_write(lambda tx: tx.run(statement).consume())
        except Neo4jError as exc:
            # IF NOT EXISTS checks before the commit: one created by another process meanwhile is refused
            # as EquivalentSchemaRuleAlreadyExists (or IndexAlreadyExists, ConstraintAlreadyExists, ...)
            if not (exc.code or "").startswith("Neo.ClientError.Schema.") or "AlreadyExists" not in exc.code:
                raise StoreError(f"Neo4j refused the schema statement {statement!r}: {exc.message}") from exc

    def close(self):
        self.driver.close()
