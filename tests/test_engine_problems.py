"""The engine misbehaves, the graph survives: an unreachable or refusing Neo4j gets one line with
the fix, a dead or killed embedded engine is restarted with its data, and the embedded engine is
reachable only from this machine and only with its password."""
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from conftest import EXAMPLES
from kg import engine
from kg.api import KnowledgeGraph

SECRET = "kg-secret-Do-Not-Print-42"


def run_kg(home, *args, env=None):
    env = {**os.environ, "KG_HOME": str(home), **(env or {})}
    for name in ("NEO4J_URI", "NEO4J_PASSWORD", "NEO4J_USER"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "kg", *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def home(tmp_path):
    """An embedded engine holding the example articles."""
    home = tmp_path / "home"
    with KnowledgeGraph.open(home=home) as graph:
        graph.ingest([EXAMPLES])
    yield home
    engine.stop(home)


def article_count(home) -> int:
    with KnowledgeGraph.open(home=home) as graph:
        return graph.stats()["counts"]["Article"]


def test_unreachable_neo4j_is_one_line_naming_the_uri_and_the_fix(tmp_path):
    result = run_kg(tmp_path, "--neo4j-uri", "bolt://127.0.0.1:1", "--neo4j-password", SECRET, "stats")
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert "cannot reach Neo4j at bolt://127.0.0.1:1" in line and "docker compose up -d" in line
    assert SECRET not in result.stderr


@pytest.mark.neo4j
def test_wrong_neo4j_password_is_one_line_and_never_printed(tmp_path, neo4j_server):
    uri, user, _ = neo4j_server
    result = run_kg(tmp_path, "--neo4j-uri", uri, "--neo4j-user", user, "--neo4j-password", SECRET, "stats")
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert f"Neo4j at {uri} refused the user name or password" in line and "NEO4J_PASSWORD" in line
    assert SECRET not in result.stderr + result.stdout


def test_stale_engine_record_of_a_dead_process_is_recovered(home):
    engine.stop(home)
    dead = subprocess.Popen(["true"])
    dead.wait()
    (home / "engine.json").write_text(json.dumps({"pid": dead.pid, "port": 1}))
    assert article_count(home) == 4
    assert json.loads((home / "engine.json").read_text())["pid"] != dead.pid


def test_engine_killed_mid_session_is_restarted_with_its_data(home):
    killed = engine.status(home)
    os.kill(killed.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while not engine._gone(killed.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    result = run_kg(home, "stats")
    assert result.returncode == 0, result.stderr
    assert "Article        4" in result.stdout
    assert engine.status(home).pid != killed.pid


def test_the_engine_gives_freed_memory_back_at_once(home):
    with KnowledgeGraph.open(home=home) as graph:
        stats = graph.store.db.connection.execute_command("MEMORY", "MALLOC-STATS")
    text = stats.decode() if isinstance(stats, bytes) else stats
    assert "opt.dirty_decay_ms: 0" in text and "opt.muzzy_decay_ms: 0" in text


def test_data_survives_a_clean_stop_and_restart(home):
    assert "embedded engine stopped" in run_kg(home, "engine", "stop").stdout
    assert engine.status(home) is None
    assert article_count(home) == 4


def test_a_clean_stop_leaves_one_snapshot_to_load_not_a_log_of_writes_to_replay(home):
    aof = home / "data" / "appendonlydir"
    assert sum(f.stat().st_size for f in aof.glob("*.incr.aof")) > 0  # the ingest's writes, logged
    run_kg(home, "engine", "stop")
    assert [f.stat().st_size for f in aof.glob("*.incr.aof")] == [0]
    assert article_count(home) == 4


def test_port_of_the_previous_run_taken_by_another_program_the_engine_uses_another(home):
    old = engine.status(home).port
    engine.stop(home)
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", old))
        squatter.listen()
        assert article_count(home) == 4
        assert engine.status(home).port != old


def test_engine_listens_on_localhost_only_and_wants_its_password(home):
    running = engine.status(home)
    assert running.client().config_get("bind")["bind"] == "127.0.0.1"
    assert running.client().config_get("protected-mode")["protected-mode"] == "yes"
    for attempt in (b"GRAPH.LIST\r\n", b"AUTH guess\r\n"):
        with socket.create_connection(("127.0.0.1", running.port), timeout=5) as raw:
            raw.sendall(attempt)
            reply = raw.recv(200)
        assert reply.startswith((b"-NOAUTH", b"-WRONGPASS")), reply

def test_engine_password_file_is_owner_only(home):
    assert (home / "password").stat().st_mode & 0o777 == 0o600
    assert (home / "engine.conf").stat().st_mode & 0o777 == 0o600


def test_a_stopped_engine_is_waited_for_with_a_message_never_replaced(home):
    stopped = engine.status(home).pid
    os.kill(stopped, signal.SIGSTOP)
    try:
        env = {**os.environ, "KG_HOME": str(home), "KG_ENGINE_WAIT": "60"}
        env.pop("NEO4J_URI", None)
        waiting = subprocess.Popen([sys.executable, "-m", "kg", "stats"], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        said = waiting.stderr.readline()  # once its 5 s ping has timed out, where a second engine used to start
        assert f"the embedded engine (pid {stopped}) is not answering" in said and "waiting" in said
        assert engine.engines_on(home) == [stopped]
    finally:
        os.kill(stopped, signal.SIGCONT)
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert "Article        4" in out
    assert engine.engines_on(home) == [stopped]


def test_an_engine_that_never_answers_gets_one_line_and_keeps_the_folder(home):
    stopped = engine.status(home).pid
    os.kill(stopped, signal.SIGSTOP)
    try:
        result = run_kg(home, "stats", env={"KG_ENGINE_WAIT": "1"})
        assert result.returncode == 2
        assert result.stderr.splitlines()[-1].startswith(f"kg: the embedded engine (pid {stopped})")
        assert "it was not replaced" in result.stderr and "kg engine stop" in result.stderr
        assert engine.engines_on(home) == [stopped]
    finally:
        os.kill(stopped, signal.SIGCONT)
    assert article_count(home) == 4


def test_a_deleted_engine_record_finds_the_running_engine(home):
    running = engine.status(home).pid
    (home / "engine.json").unlink()
    assert article_count(home) == 4
    assert engine.engines_on(home) == [running]
    assert json.loads((home / "engine.json").read_text())["pid"] == running


def test_deleted_engine_records_never_let_a_second_engine_start_and_stop_still_stops_it(home, tmp_path):
    running = engine.status(home).pid
    neighbour = engine.start(tmp_path / "neighbour")  # another data folder's engine: never touched
    try:
        (home / "engine.pid").unlink()
        (home / "engine.json").unlink()
        result = run_kg(home, "stats")
        assert result.returncode == 2
        [line] = result.stderr.splitlines()
        assert f"an embedded engine (pid {running}) already runs on the data folder {home / 'data'}" in line
        assert "kg engine stop" in line
        assert engine.engines_on(home) == [running]

        assert "embedded engine stopped" in run_kg(home, "engine", "stop").stdout
        assert engine.engines_on(home) == []
        assert engine.engines_on(tmp_path / "neighbour") == [neighbour.pid]
        assert article_count(home) == 4  # the next command starts one engine, with the data
        assert len(engine.engines_on(home)) == 1
    finally:
        engine.stop(tmp_path / "neighbour")


def test_a_changed_password_file_is_refused_by_name_and_the_engine_can_still_be_stopped(home):
    running = engine.status(home).pid
    (home / "password").write_text("not-the-engine-password")
    result = run_kg(home, "stats")
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert f"refuses the password in {home / 'password'}" in line and "kg engine stop" in line
    assert engine.engines_on(home) == [running]
    assert "embedded engine stopped" in run_kg(home, "engine", "stop").stdout
    assert engine.engines_on(home) == []
    assert article_count(home) == 4  # restarted with the new password, data kept


def test_engine_files_are_private_to_their_owner(home):
    engine.stop(home)
    article_count(home)  # restart, writing the log and the append-only files anew
    for path in [home, *home.rglob("*")]:
        wanted = 0o700 if path.is_dir() else 0o600
        assert path.stat().st_mode & 0o777 == wanted, path
