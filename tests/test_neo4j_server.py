"""kg against a real Neo4j server as a user meets it: the CLI's URI checks, the commands of the
README run against the server of scripts/neo4j-local (or a container), and scripts/neo4j-local's
own promises."""
import json
import os
import socket
import subprocess
import sys

import pytest

from conftest import EXAMPLES, NEO4J_LOCAL, NEO4J_PASSWORD, free_port, require_neo4j_local
from kg.store import Neo4jStore

SECRET = "not-the-password-1234"


def run_kg(home, *args, env=None):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}, "KG_HOME": str(home), **(env or {})}
    return subprocess.run([sys.executable, "-m", "kg", *args], env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("uri", ["http://localhost:7474", "localhost:7687", "https://neo4j.example.org"])
def test_a_uri_that_is_not_bolt_is_one_line_saying_what_to_give(tmp_path, uri):
    result = run_kg(tmp_path, "--neo4j-uri", uri, "--neo4j-password", SECRET, "stats")
    assert result.returncode == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert f"'{uri}' is not a Bolt URI" in line and "bolt://localhost:7687" in line
    assert SECRET not in result.stderr


@pytest.mark.neo4j
def test_the_readme_commands_answer_the_same_on_neo4j_as_on_the_embedded_engine(tmp_path, neo4j_server):
    uri, user, password = neo4j_server
    with Neo4jStore(uri, user, password) as store:
        store.write([("MATCH (n) DETACH DELETE n", {})])
    on_neo4j = {"NEO4J_URI": uri, "NEO4J_USER": user, "NEO4J_PASSWORD": password}
    answers = []
    for env in (on_neo4j, {}):
        ingested = run_kg(tmp_path / "home", "ingest", str(EXAMPLES), env=env)
        assert ingested.returncode == 0 and "4 articles written" in ingested.stdout, ingested.stderr
        asked = run_kg(tmp_path / "home", "query", "designations-by-country", "--format", "json", env=env)
        assert asked.returncode == 0, asked.stderr
        answers.append(json.loads(asked.stdout))
    run_kg(tmp_path / "home", "engine", "stop")
    assert answers[0] == answers[1]
    assert any(row["group"] == "Islamic Revolutionary Guard Corps" for row in answers[0])


@pytest.mark.neo4j
def test_neo4j_local_keeps_its_data_and_password_across_a_stop_and_a_start(tmp_path):
    require_neo4j_local()
    port, data = free_port(), tmp_path / "neo4j"
    command = [sys.executable, str(NEO4J_LOCAL)]
    env = {**os.environ, "NEO4J_PASSWORD": NEO4J_PASSWORD}
    start = [*command, "start", "--data", str(data), "--port", str(port), "--http-port", str(free_port())]
    try:
        started = subprocess.run(start, env=env, capture_output=True, text=True, timeout=600)
        assert started.stdout.splitlines()[-1] == f"bolt://127.0.0.1:{port}", started.stderr
        with Neo4jStore(f"bolt://127.0.0.1:{port}", "neo4j", NEO4J_PASSWORD) as store:
            store.write([("CREATE (:Kept {name: $name})", {"name": "written before the stop"})])
        subprocess.run([*command, "stop", "--data", str(data)], check=True, timeout=300)
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0  # stop returned once the server was gone

        restarted = subprocess.run(start, env=env, capture_output=True, text=True, timeout=600)
        assert restarted.returncode == 0, restarted.stderr
        with Neo4jStore(f"bolt://127.0.0.1:{port}", "neo4j", NEO4J_PASSWORD) as store:
            assert store.read("MATCH (k:Kept) RETURN k.name AS name") == [{"name": "written before the stop"}]
    finally:
        subprocess.run([*command, "stop", "--data", str(data)], timeout=300)
