"""kg against a real Neo4j server as a user meets it: the CLI's URI checks, and the commands of the
README run against the server of scripts/neo4j-local (or a container)."""
import os
import subprocess
import sys

import pytest

from conftest import EXAMPLES

SECRET = "not-the-password-1234"


def run_kg(home, *args, env=None):
    env = {**os.environ, "KG_HOME": str(home), **(env or {})}
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "kg", *args], env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("uri", ["http://localhost:7474", "localhost:7687", "https://neo4j.example.org"])
def test_a_uri_that_is_not_bolt_is_one_line_saying_what_to_give(tmp_path, uri):
    result = run_kg(tmp_path, "--neo4j-uri", uri, "--neo4j-password", SECRET, "stats")
    assert result.returncode == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert f"'{uri}' is not a Bolt URI" in line and "bolt://localhost:7687" in line
    assert SECRET not in result.stderr
