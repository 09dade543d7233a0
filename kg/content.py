"""Article texts beside the graph, keyed by content hash, so the graph (which FalkorDB keeps in
memory) holds only what queries read.

The store is one SQLite file (a kept, documented format: table `texts`, column `hash` the SHA-256
of the text, column `zlib` the UTF-8 text compressed with zlib). Writes happen before the graph
batch that names the hashes and are idempotent, so a crash between the two leaves at worst a text
no article refers to yet; the graph's `writing` → `done` marking stays the truth of what was ingested.
The embedded engine's store lives in its data folder; a Neo4j database gets one of its own in KG_HOME."""
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
        for Neo4j one file per server and database under `home` (KG_HOME)."""
        if isinstance(store, FalkorStore):
            return cls(store.engine.home / "data" / FILE)
        if isinstance(store, Neo4jStore):
            name = re.sub(r"[^A-Za-z0-9.-]+", "_", f"{store.location}-{store.database or 'default'}")
            return cls(home / "content" / f"{name}.sqlite")
        raise ContentError(f"no content store for a {type(store).__name__}")

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
        try:
            text = zlib.decompress(row[0]).decode()
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


def hash_of(text: str) -> str:
    """The content hash kg/read.py gives an article."""
    return hashlib.sha256(text.encode()).hexdigest()
