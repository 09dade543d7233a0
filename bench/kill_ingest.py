"""Kill an ingest at random moments and check the rerun gives the graph of an uninterrupted one:

    python bench/kill_ingest.py [--articles 200] [--kills 5] [--seed 1]

Writes a synthetic corpus (bench/corpus.py), ingests it once without interruption, then into a
second data folder starts `kg ingest` again and again, each time SIGKILLing either `kg ingest` or
the engine at a random moment of the run, until `--kills` kills have landed mid-write; a last run
then finishes the ingest. A kill counts only when it interrupts real work: it is sent after the run
has written at least one article (not while it loads the language model or skips the articles
already written) and the ingest had not finished when it landed. Prints each kill, how many
landed mid-write and how many half-written articles they left, and whether the two graphs are
identical (every node and relationship count, both exports, every Fact's and Entity's running
counts); exits 1 if not."""
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
        return graph.store.read(DONE)[0]["n"]


def half_written(home: Path) -> int:
    from kg import write
    from kg.api import KnowledgeGraph

    with KnowledgeGraph.open(home=home) as graph:
        return len(graph.store.read(write.HALF_WRITTEN))


DONE = "MATCH (a:Article {status: 'done'}) RETURN count(a) AS n"


def first_write(run: subprocess.Popen, home: Path, before: int) -> int | None:
    """Wait until `run` has written an article beyond the `before` already done; the count then, or
    None when the run ended first."""
    from kg.store import FalkorStore, StoreError

    store = FalkorStore(home)
    try:
        while run.poll() is None:
            try:
                done = store.read(DONE)[0]["n"]
            except StoreError:  # no graph yet
                done = 0
            if done > before:
                return done
            time.sleep(0.2)
        return None
    finally:
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--kills", type=int, default=5, help="kills that land mid-write (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kg-kill-"))
    corpus, clean, killed = work / "corpus", work / "clean", work / "killed"
    write_corpus(corpus, args.articles, seed=args.seed)
    total = args.articles

    started = time.monotonic()
    engine.start(clean)
    run = ingest(clean, corpus)
    first_write(run, clean, 0)
    writing = time.monotonic()
    run.communicate()
    took = time.monotonic() - started
    per_article = (time.monotonic() - writing) / total  # analysing and writing, once the model is loaded
    print(f"uninterrupted ingest of {total} articles: {took:.1f}s (exit {run.returncode}; "
          f"first article written after {writing - started:.1f}s)")
    expected = graph_state(clean)
    engine.stop(clean)

    engine.start(killed)
    kills, uncounted, halves, same = 0, 0, 0, True
    while kills < args.kills:
        before = articles_done(killed)
        run = ingest(killed, corpus)
        victim = rng.choice(["kg ingest", "the engine"])
        at_first = first_write(run, killed, before)
        if at_first is None and run.wait() != 0:
            print(f"a run failed before writing anything (exit {run.returncode}):\n{run.communicate()[1]}")
            return 1
        delay = rng.uniform(0, 0.8 * per_article * (total - (at_first or total)))  # anywhere in what is left
        try:
            run.wait(timeout=delay)
            finished = True
        except subprocess.TimeoutExpired:
            finished = False
        if finished or at_first is None:
            run.communicate()
            # the ingest finished before its kill: check it, and go on killing in a fresh data folder
            identical = graph_state(killed) == expected
            same = same and identical
            print(f"  run finished before its kill (articles done: {articles_done(killed)}, identical: "
                  f"{identical}); starting again in an empty data folder")
            engine.stop(killed)
            shutil.rmtree(killed)
            engine.start(killed)
            continue
        running = engine.status(killed)
        os.kill(run.pid if victim == "kg ingest" else running.pid, signal.SIGKILL)
        run.communicate()
        done, half = articles_done(killed), half_written(killed)
        if done >= total:
            uncounted += 1
            print(f"  {victim} killed after the ingest had written every article: not counted")
            continue
        kills += 1
        halves += bool(half)
        print(f"kill {kills}: {victim}, {delay:.1f}s after this run's first written article (done then: "
              f"{at_first}); articles done: {done}, half-written: {half}")
    print(f"kills that landed mid-write: {kills} ({halves} of them left a half-written batch to repair); "
          f"not counted: {uncounted}")
    run = ingest(killed, corpus)
    out, err = run.communicate()
    print(f"last run: exit {run.returncode}: {out.strip()}")
    got = graph_state(killed)
    engine.stop(killed)
    same = same and got == expected
    differing = [key for key in expected if expected[key] != got.get(key)]
    print(json.dumps({"identical": same, "differing": differing, "articles": total,
                      "claims": len(expected["claims"]), "kills mid-write": kills}))
    if same:
        shutil.rmtree(work)
    else:
        print(f"both data folders kept in {work}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
