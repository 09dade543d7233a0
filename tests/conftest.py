"""Shared fixtures: a real embedded engine per test session, and a real Neo4j 5 per session:
through testcontainers when a Docker engine is available, else started by scripts/neo4j-local
from Maven Central jars when Java and Maven are installed (those tests are skipped, with the
reason, when neither is)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from kg import engine
from kg.api import KnowledgeGraph
from kg.store import FalkorStore, Neo4jStore, Store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NEO4J_LOCAL = ROOT / "scripts" / "neo4j-local"
NEO4J_PASSWORD = "kg-test-password"


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_neo4j_local() -> None:
    """Skip the test, with the reason, when scripts/neo4j-local cannot run here."""
    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        reason = f"no Docker engine and no {' or '.join(missing)} to run scripts/neo4j-local"
        if os.environ.get("KG_REQUIRE_NEO4J"):  # set by .ci/run: there, a skipped Neo4j is a failure
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def neo4j_local(tmp_path_factory):
    """Neo4j 5.26 started by scripts/neo4j-local in a temporary folder: (Bolt URI, Browser URL)."""
    require_neo4j_local()
    data = tmp_path_factory.mktemp("neo4j")
    env = {**os.environ, "NEO4J_PASSWORD": NEO4J_PASSWORD}
    started = subprocess.run([sys.executable, str(NEO4J_LOCAL), "start", "--data", str(data), "--port",
                              str(free_port()), "--http-port", str(free_port())],
                             env=env, capture_output=True, text=True, timeout=1200)
    try:
        if started.returncode != 0:
            pytest.fail(f"scripts/neo4j-local start failed:\n{started.stderr}")
        lines = started.stdout.split()
        yield lines[-1], next(word for word in lines if word.startswith("http://"))
    finally:
        subprocess.run([sys.executable, str(NEO4J_LOCAL), "stop", "--data", str(data)], timeout=300)


@pytest.fixture(scope="session")
def neo4j_server(request):
    """(Bolt URI, user, password) of a real Neo4j 5: a container when Docker works, else neo4j_local."""
    if docker_reason():
        uri, _ = request.getfixturevalue("neo4j_local")
        yield uri, "neo4j", NEO4J_PASSWORD
        return
    from testcontainers.neo4j import Neo4jContainer

    with Neo4jContainer("neo4j:5.26-community", password=NEO4J_PASSWORD) as container:
        yield container.get_connection_url(), "neo4j", NEO4J_PASSWORD


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


BACKENDS: dict[str, str] = {}  # test id → the backend it runs on, for the closing summary


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("neo4j"):
            BACKENDS[item.nodeid] = "neo4j"
        elif "falkordb" in getattr(getattr(item, "callspec", None), "id", "").split("-"):
            BACKENDS[item.nodeid] = "falkordb"


def pytest_terminal_summary(terminalreporter):
    """How many tests ran on each backend (Neo4j-marked tests and their FalkorDB twins), so a run
    that skipped Neo4j says so at a glance."""
    counts: dict[str, Counter] = {"neo4j": Counter(), "falkordb": Counter()}
    for outcome in ("passed", "failed", "skipped", "error", "xfailed", "xpassed"):
        for report in terminalreporter.stats.get(outcome, []):
            backend = BACKENDS.get(report.nodeid)
            if backend and (report.when == "call" or outcome in ("skipped", "error", "xfailed")):
                counts[backend][outcome] += 1
    terminalreporter.write_line("tests per backend: " + "; ".join(
        f"{backend} " + (", ".join(f"{n} {outcome}" for outcome, n in sorted(c.items())) or "none")
        for backend, c in counts.items()))
