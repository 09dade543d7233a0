"""An ingest killed half-way loses nothing: running it again gives exactly the graph of a clean run.

The corpus is the example articles copied many times under distinct names, each copy with a
sentence of its own, so the graph fills over a few seconds and the kill lands mid-run."""
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import EXAMPLES
from kg import engine
from kg.api import KnowledgeGraph
from test_robustness import snapshot

COPIES = 40


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crash-corpus")
    for n in range(COPIES):
        for article in sorted(EXAMPLES.glob("*.txt")):
            text = article.read_text().rstrip() + f"\n\nCorrection {n}: an earlier version misspelled a name.\n"
            (folder / f"{article.stem}-{n:03d}.txt").write_text(text)
    return folder


@pytest.fixture(scope="module")
def clean(tmp_path_factory, corpus):
    """The graph of one uninterrupted ingest of the corpus."""
    home = tmp_path_factory.mktemp("clean") / "home"
    with KnowledgeGraph.open(home=home) as graph:
        graph.ingest([corpus], batch_size=8)
    yield snapshot(home)
    engine.stop(home)


def ingest_command(home, corpus) -> tuple[list[str], dict]:
    env = {**os.environ, "KG_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    return [sys.executable, "-m", "kg", "ingest", str(corpus), "--batch-size", "8"], env


def kill_mid_run(victim, home, total: int) -> None:
    """SIGKILL `victim` once the graph holds some, but not all, of the articles."""
    with KnowledgeGraph.open(home=home) as watcher:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            written = watcher.store.read("MATCH (a:Article) RETURN count(a) AS n")[0]["n"]
            if total // 10 <= written < total // 2:
                break
            assert written < total // 2, "the ingest ran past the middle before it could be killed"
            time.sleep(0.02)
        os.kill(victim(), signal.SIGKILL)


@pytest.mark.parametrize("victim", ["kg ingest", "the engine"])
def test_ingest_killed_mid_run_then_rerun_equals_a_clean_run(tmp_path, corpus, clean, victim):
    home = tmp_path / "home"
    engine.start(home)
    command, env = ingest_command(home, corpus)
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        target = (lambda: process.pid) if victim == "kg ingest" else (lambda: engine.status(home).pid)
        kill_mid_run(target, home, total=4 * COPIES)
        _, err = process.communicate(timeout=60)
        assert process.returncode != 0
        if victim == "the engine":
            assert "Traceback" not in err and err.startswith("kg: "), err

        rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
        assert snapshot(home) == clean
    finally:
        process.kill()
        engine.stop(home)
