"""Kill an ingest at random moments and check the rerun gives the graph of an uninterrupted one:

    python bench/kill_ingest.py [--articles 200] [--kills 5] [--seed 1]

Writes a synthetic corpus (bench/corpus.py), ingests it once without interruption, then into a
second data folder starts `kg ingest` again and again, each time SIGKILLing either `kg ingest` or
the engine at a random moment of the run, until `--kills` kills have landed; a last run then
finishes the ingest. Prints each kill and whether the two graphs are identical (every node and
relationship count, both exports, every Fact's and Entity's running counts); exits 1 if not."""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]

from corpus import write_corpus  # noqa: E402
from test_integrity import graph_state  # noqa: E402

from kg import engine  # noqa: E402


def ingest(home: Path, corpus: Path) -> subprocess.Popen:
    env = {**os.environ, "KG_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    return subprocess.Popen([sys.executable, "-m", "kg", "ingest", str(corpus), "--batch-size", "8"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def articles_done(home: Path) -> int:
    from kg.api import KnowledgeGraph

    with KnowledgeGraph.open(home=home) as graph:
        return graph.store.read("MATCH (a:Article {status: 'done'}) RETURN count(a) AS n")[0]["n"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kg-kill-"))
    corpus, clean, killed = work / "corpus", work / "clean", work / "killed"
    write_corpus(corpus, args.articles, seed=args.seed)

    started = time.monotonic()
    run = ingest(clean, corpus)
    run.communicate()
    took = time.monotonic() - started
    print(f"uninterrupted ingest of {args.articles} articles: {took:.1f}s (exit {run.returncode})")
    expected = graph_state(clean)
    engine.stop(clean)

    engine.start(killed)
    kills, done = 0, 0
    while kills < args.kills:
        run = ingest(killed, corpus)
        delay = rng.uniform(1.0, max(1.5, took * (1 - done / args.articles)))  # anywhere in what is left
        victim = rng.choice(["kg ingest", "the engine"])
        try:
            run.wait(timeout=delay)
            print(f"  run finished before its kill at {delay:.1f}s; starting again")
            continue
        except subprocess.TimeoutExpired:
            pass
        running = engine.status(killed)
        os.kill(run.pid if victim == "kg ingest" else running.pid, signal.SIGKILL)
        run.communicate()
        kills += 1
        done = articles_done(killed)
        print(f"kill {kills}: {victim} after {delay:.1f}s; articles done: {done}")
    run = ingest(killed, corpus)
    out, err = run.communicate()
    print(f"last run: exit {run.returncode}: {out.strip()}")
    got = graph_state(killed)
    engine.stop(killed)
    same = got == expected
    differing = [key for key in expected if expected[key] != got.get(key)]
    print(json.dumps({"identical": same, "differing": differing, "articles": args.articles,
                      "claims": len(expected["claims"])}))
    if same:
        shutil.rmtree(work)
    else:
        print(f"both data folders kept in {work}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
