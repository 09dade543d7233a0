"""Article texts, keyed by content hash, kept apart from what queries read: beside the graph for
the embedded engine (FalkorDB keeps its graph in memory), in the database itself for Neo4j.

- FalkorDB: one SQLite file in the engine's data folder (a kept, documented format: table `texts`,
  column `hash` the SHA-256 of the text, column `zlib` the UTF-8 text compressed with zlib). Writes
  happen before the graph batch that names the hashes and are idempotent, so a crash between the
  two leaves at worst a text no article refers to yet; the graph's `writing` → `done` marking stays
  the truth of what was ingested.
- Neo4j: one `(:Text {hash, zlib})` node per distinct text (same hash, same compressed bytes; not
  part of the graph model, reached by no relationship), written in the transaction of the batch
  whose articles name it. Neo4j keeps its store on disk, and every machine ingesting into one
  database reads every text, whichever machine ingested it. A Neo4j graph written by an older kg
  kept its texts in `$KG_HOME/content/<server>-<database>.sqlite`: they are copied into the
  database the first time this kg opens it, and the file is renamed `….sqlite.copied`."""
from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import zlib
from collections.abc import Iterable
from pathlib import Path

from .store import FalkorStore, Neo4jStore, Store, StoreError

FILE = "content.sqlite"
PUT_TEXTS = "UNWIND $texts AS row MERGE (t:Text {hash: row.hash}) ON CREATE SET t.zlib = row.zlib"
TEXT_CONSTRAINT = "CREATE CONSTRAINT text_hash IF NOT EXISTS FOR (n:Text) REQUIRE n.hash IS UNIQUE"


class ContentError(StoreError):
    """The content store cannot be opened or holds a text that is missing or damaged."""


class ContentStore:
    def __init__(self, path: Path):
        self.path = path
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))  # the texts are private, as the engine's files
            os.chmod(path, 0o600)
            self.db = sqlite3.connect(path, check_same_thread=False)  # ingest writes from its writer thread
            self.db.execute("CREATE TABLE IF NOT EXISTS texts (hash TEXT PRIMARY KEY, zlib BLOB NOT NULL)")
            self.db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise ContentError(f"{path}: cannot open the content store ({exc})") from exc

    @classmethod
    def beside(cls, store: Store, home: Path) -> "ContentStore":
        """The content store that belongs to this graph: in the embedded engine's data folder, or
        for Neo4j the database itself (what an older kg kept under `home`, KG_HOME, copied in)."""
        if isinstance(store, FalkorStore):
            return cls(store.engine.home / "data" / FILE)
        if isinstance(store, Neo4jStore):
            texts = Neo4jTexts(store)
            name = re.sub(r"[^A-Za-z0-9.-]+", "_", f"{store.location}-{store.database or 'default'}")
            texts.copy_in(home / "content" / f"{name}.sqlite")
            return texts
        raise ContentError(f"no content store for a {type(store).__name__}")

    def writes(self, texts: Iterable[str]) -> list[tuple[str, dict]]:
        """Store texts before the graph batch that names them; returns the statements to add to that
        batch's transaction instead, where the texts live in the graph's database (none here)."""
        self.put(texts)
        return []

    def put(self, texts: Iterable[str]) -> None:
        """Store texts (one transaction); a text already stored is left as it is."""
        rows = [(hash_of(t), zlib.compress(t.encode())) for t in texts]
        try:
            with self.db:
                self.db.executemany("INSERT OR IGNORE INTO texts (hash, zlib) VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            raise ContentError(f"{self.path}: cannot store article texts ({exc})") from exc

    def get(self, content_hash: str) -> str:
        """The text with this hash, checked against it."""
        row = self.db.execute("SELECT zlib FROM texts WHERE hash = ?", (content_hash,)).fetchone()
        if row is None:
            raise ContentError(f"{self.path}: no text with hash {content_hash}: ingest its article again")
        return self._checked(content_hash, row[0])

    def _checked(self, content_hash: str, data: bytes) -> str:
        """The text the compressed bytes hold, checked against its hash."""
        try:
            text = zlib.decompress(data).decode()
        except (zlib.error, UnicodeDecodeError) as exc:
            raise ContentError(f"{self.path}: the text with hash {content_hash} is damaged ({exc})") from exc
        if hash_of(text) != content_hash:
            raise ContentError(f"{self.path}: the text with hash {content_hash} is damaged (its hash differs)")
        return text

    def hashes(self) -> set[str]:
        return {h for (h,) in self.db.execute("SELECT hash FROM texts")}

    def discard(self, hashes: Iterable[str]) -> None:
        """Forget texts no article refers to any more."""
        with self.db:
            self.db.executemany("DELETE FROM texts WHERE hash = ?", [(h,) for h in hashes])

    def close(self) -> None:
        self.db.close()


class Neo4jTexts(ContentStore):
    """The texts of a Neo4j graph, in the database: `(:Text {hash, zlib})` (see the module's doc)."""

    def __init__(self, store: Neo4jStore):
        self.store = store
        self.path = f"the texts in {store.location}"  # what messages name
        if not store.read("SHOW CONSTRAINTS YIELD name WHERE name = 'text_hash' RETURN name"):
            store._schema_statement(TEXT_CONSTRAINT)

    @staticmethod
    def _rows(texts: Iterable[str]) -> dict:
        return {"texts": [{"hash": hash_of(t), "zlib": zlib.compress(t.encode())} for t in texts]}

    def put(self, texts: Iterable[str]) -> None:
        self.store.write(self.writes(texts))

    def writes(self, texts: Iterable[str]) -> list[tuple[str, dict]]:
        rows = self._rows(texts)
        return [(PUT_TEXTS, rows)] if rows["texts"] else []

    def get(self, content_hash: str) -> str:
        found = self.store.read("MATCH (t:Text {hash: $hash}) RETURN t.zlib AS zlib", {"hash": content_hash})
        if not found:
            raise ContentError(f"{self.path}: no text with hash {content_hash}: ingest its article again")
        return self._checked(content_hash, bytes(found[0]["zlib"]))

    def hashes(self) -> set[str]:
        return {r["hash"] for r in self.store.read("MATCH (t:Text) RETURN t.hash AS hash")}

    def discard(self, hashes: Iterable[str]) -> None:
        """Forget texts no article refers to any more (checked in the deleting transaction: another
        process may have written an article with one of them meanwhile)."""
        self.store.write([("UNWIND $hashes AS h MATCH (t:Text {hash: h}) "
                           "OPTIONAL MATCH (a:Article {content_hash: h}) WITH t, count(a) AS n WHERE n = 0 DELETE t",
                           {"hashes": sorted(set(hashes))})])

    def copy_in(self, old: Path) -> None:
        """Copy the texts an older kg kept for this database in a SQLite file on this machine."""
        if not old.is_file():
            return
        try:
            db = sqlite3.connect(old)
            rows = db.execute("SELECT hash, zlib FROM texts").fetchall()
            db.close()
        except sqlite3.Error as exc:
            raise ContentError(f"{old}: cannot read the texts an older kg kept there ({exc})") from exc
        for start in range(0, len(rows), 500):
            self.store.write([(PUT_TEXTS, {"texts": [{"hash": h, "zlib": bytes(z)} for h, z in rows[start:start + 500]]})])
        old.rename(old.with_name(old.name + ".copied"))

    def close(self) -> None:
        pass  # the graph's store is closed with the graph


def hash_of(text: str) -> str:
    """The content hash kg/read.py gives an article."""
    return hashlib.sha256(text.encode()).hexdigest()
