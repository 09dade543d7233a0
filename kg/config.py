"""Where the graph is: Neo4j when a URI is given (flag or NEO4J_URI), else the embedded engine
in KG_HOME (default ./.kg)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def engine_wait() -> float:
    """Seconds to wait for an embedded engine that runs but does not answer: $KG_ENGINE_WAIT, or 120."""
    return float(os.environ.get("KG_ENGINE_WAIT", "120"))


@dataclass
class Settings:
    home: Path
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str | None = None

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        values = {
            "home": Path(os.environ.get("KG_HOME", ".kg")),
            "neo4j_uri": os.environ.get("NEO4J_URI") or None,
            "neo4j_user": os.environ.get("NEO4J_USER", "neo4j"),
            "neo4j_password": os.environ.get("NEO4J_PASSWORD"),
            "neo4j_database": os.environ.get("NEO4J_DATABASE") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["home"] = Path(values["home"])
        return cls(**values)
