"""Shared fixtures: a real embedded engine per test session, and Neo4j through testcontainers
when a Docker engine is available (those tests are skipped, with the reason, otherwise)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg import engine
from kg.api import KnowledgeGraph
from kg.store import FalkorStore, Neo4jStore, Store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def docker_reason() -> str | None:
    """Why Neo4j tests cannot run here, or None when they can."""
    if shutil.which("docker") is None:
        return "no docker command on this machine"
    try:
        import docker

        docker.from_env().ping()
    except Exception as exc:  # the client raises many kinds of errors when no engine runs
        return f"no Docker engine reachable ({type(exc).__name__}); Neo4j tests need one for testcontainers"
    return None


@pytest.fixture(scope="session")
def engine_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("kg-home")
    yield home
    engine.stop(home)


@pytest.fixture(scope="session")
def neo4j_server():
    reason = docker_reason()
    if reason:
        pytest.skip(reason)
    from testcontainers.neo4j import Neo4jContainer

    with Neo4jContainer("neo4j:5-community", password="kg-test-password") as container:
        yield container.get_connection_url(), "neo4j", "kg-test-password"


def _clear(store: Store) -> None:
    store.write([("MATCH (n) DETACH DELETE n", {})])


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, engine_home) -> Store:
    """An empty graph on each backend."""
    if request.param == "falkordb":
        s: Store = FalkorStore(engine_home)
    else:
        uri, user, password = request.getfixturevalue("neo4j_server")
        s = Neo4jStore(uri, user, password)
    _clear(s)
    s.setup_schema()
    yield s
    _clear(s)
    s.close()


@pytest.fixture
def graph(store) -> KnowledgeGraph:
    return KnowledgeGraph(store)


@pytest.fixture
def kg(tmp_path):
    """The kg command as a user runs it: a real process, its embedded engine in a temporary folder."""
    env = {**os.environ, "KG_HOME": str(tmp_path / "home")}
    env.pop("NEO4J_URI", None)

    def run(*args, check=True, terminal_width=None, stdin=None):
        """`terminal_width`: draw as for a terminal that wide (rich reads FORCE_COLOR and COLUMNS)."""
        shown = {"FORCE_COLOR": "1", "COLUMNS": str(terminal_width)} if terminal_width else {}
        result = subprocess.run([sys.executable, "-m", "kg", *args], env={**env, **shown}, capture_output=True,
                                text=True, timeout=300, input=stdin)
        if check and result.returncode != 0:
            raise AssertionError(f"kg {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
        return result

    yield run
    run("engine", "stop", check=False)
