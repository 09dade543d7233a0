"""Benchmark kg on a synthetic corpus of N articles, all measures in one run:

    python bench/run.py --articles 200 [--workers 2] [--keep] [--profile]

1. parse-only throughput of the spaCy pipeline over the articles' paragraphs (the ceiling);
2. end-to-end `KnowledgeGraph.ingest` with one worker on the embedded engine (fresh KG_HOME);
3. the same with --workers processes;
4. graph writes alone: `write.write_batch` of pre-analysed articles into a fresh graph;
5. p50/p95 latency of every canned query of queries/ on the one-worker graph;
6. peak RSS of each ingest (run in a child process) and of its engine.

With --neo4j-uri (an empty Neo4j; NEO4J_USER, NEO4J_PASSWORD), the graph of (4) is written into
Neo4j too (and grown with it), and every query's p50/p95 there is printed beside FalkorDB's.

Ingests run in child processes (`--child` mode) so their peak RSS is their own."""
from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from corpus import write_corpus  # noqa: E402

from kg import engine, queries, write  # noqa: E402
from kg.gazetteer import gazetteer  # noqa: E402
from kg.api import KnowledgeGraph  # noqa: E402
from kg.model import Analysis, Article, Entity  # noqa: E402
from kg.nlp import paragraphs, pipeline  # noqa: E402
from kg.pipeline import analyse_all  # noqa: E402
from kg.read import read_articles  # noqa: E402

QUERY_RUNS = 30
BATCH = 32  # KnowledgeGraph.ingest's default batch size
GROW_SEED = 11
GROWN_RUNS = 20  # timed runs per query on a grown graph


def _vm_hwm_mb(pid: int | str = "self") -> float | None:
    """Peak resident memory of a live process, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _engine_rss_mb(home: Path) -> float:
    running = engine.status(home.resolve())
    return (_vm_hwm_mb(running.pid) or 0.0) if running else 0.0


def _articles(folder: Path) -> list[Article]:
    return [a for a in read_articles([folder]) if isinstance(a, Article)]


def _words(articles: list[Article]) -> int:
    return sum(len(a.text.split()) for a in articles)


# --- child mode: one ingest, measured from inside --------------------------------------------
def child_ingest(folder: Path, home: Path, workers: int, profile: bool) -> None:
    pipeline()  # model load is start-up cost, not throughput
    with KnowledgeGraph.open(home=home) as graph:
        if profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            start = time.perf_counter()
            report = profiler.runcall(graph.ingest, [folder], workers=workers)
            elapsed = time.perf_counter() - start
            stats = pstats.Stats(profiler, stream=sys.stderr)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(15)
        else:
            start = time.perf_counter()
            report = graph.ingest([folder], workers=workers)
            elapsed = time.perf_counter() - start
        engine_pid = graph.store.engine.pid
    own, workers_usage = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(u.ru_utime + u.ru_stime for u in (own, workers_usage))  # includes model load, not the engine
    print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "written": report.written, "claims": report.claims,
                      "rss_mb": own.ru_maxrss / 1024,
                      "worker_rss_mb": workers_usage.ru_maxrss / 1024 if workers > 1 else 0.0,
                      "engine_rss_mb": _vm_hwm_mb(engine_pid)}))


def run_ingest(folder: Path, home: Path, workers: int, profile: bool = False) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(folder), "--home", str(home),
               "--workers", str(workers)] + (["--profile"] if profile else [])
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"ingest child failed:\n{done.stderr}")
    if profile:
        print(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the measures -----------------------------------------------------------------------------
def parse_only(articles: list[Article]) -> float:
    texts = [text for a in articles for _, text in paragraphs(a.text, 0, len(a.text))]
    nlp = pipeline()
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - start


def _open(where: Path | str) -> KnowledgeGraph:
    """The embedded graph in a KG_HOME folder, or the Neo4j at a Bolt URI."""
    return KnowledgeGraph.open(neo4j_uri=where) if isinstance(where, str) else KnowledgeGraph.open(home=where)


def write_only(articles: list[Article], home: Path) -> tuple[float, list[Analysis]]:
    results = list(analyse_all(articles))
    return write_results(results, home), results


def write_results(results: list[Analysis], where: Path | str) -> float:
    with _open(where) as graph:
        start = time.perf_counter()
        for i in range(0, len(results), BATCH):
            write.write_batch(graph.store, results[i:i + BATCH])
        return time.perf_counter() - start


def recast(results: list[Analysis], rng: random.Random) -> list[Analysis]:
    """The articles again, each invented person and group that claims name (the corpus' pools, not
    the gazetteer's) swapped for another of the same type: new pairings from the same names, as
    more articles of the generator would bring, at no parsing cost. Entities stay as many; facts grow."""
    known = gazetteer().entities
    in_claims = {k for r in results for c in r.claims for k in (c.subject, c.object)}
    pools: dict[str, list[Entity]] = {}
    for e in sorted({e.key: e for r in results for e in r.entities.values()}.values(), key=lambda e: e.key):
        if e.key in in_claims and e.key not in known and e.type in ("Person", "Organization") and not e.country:
            pools.setdefault(e.type, []).append(e)
    swap = {}
    for pool in pools.values():  # a permutation, so two names of one article never become one
        for e, other in zip(pool, rng.sample(pool, len(pool))):
            swap[e.key] = other

    def key(k: str | None) -> str | None:
        return swap[k].key if k in swap else k

    out = []
    for r in results:
        entities = {key(k): swap.get(k, e) for k, e in r.entities.items()}
        mentions = [replace(m, entity=key(m.entity), text=swap[m.entity].name) if m.entity in swap else m
                    for m in r.mentions]
        claims = [replace(c, subject=key(c.subject), object=key(c.object), addressee=key(c.addressee),
                          speaker=key(c.speaker), authority=key(c.authority)) for c in r.claims]
        out.append(Analysis(r.article, entities, mentions, claims))
    return out


def grow(results: list[Analysis], where: Path | str, target: int) -> float:
    """Write recast copies of the analysed articles under new ids until the graph holds `target`
    articles: a graph of that size in minutes instead of hours of parsing, to time the queries on
    it. Returns the seconds the writes took."""
    rng = random.Random(GROW_SEED)
    start = time.perf_counter()
    with _open(where) as graph:
        written = len(results)
        for copy in itertools.count(1):
            recast_results = recast(results, rng)
            for i in range(0, len(results), BATCH):
                if written >= target:
                    return time.perf_counter() - start
                batch = [replace(r, article=replace(r.article, id=f"{r.article.id}-copy{copy}"))
                         for r in recast_results[i:min(i + BATCH, i + target - written)]]
                write.write_batch(graph.store, batch)
                written += len(batch)
    return time.perf_counter() - start


def _value(param: queries.Param, sample: dict[str, Any]) -> Any:
    """A sensible value for a query parameter: by its name, else by its type."""
    if param.name in sample:
        return sample[param.name]
    return {"string": sample["group"], "int": 3, "float": 0.5, "bool": True}[param.type]


def query_latencies(where: Path | str, runs: int = QUERY_RUNS) -> list[tuple[str, float, float, int]]:
    """(query and bound params, p50 ms, p95 ms, rows) for each canned query: once with only its
    required parameters, once with all of them set."""
    out = []
    # the objects made so far (the spaCy model among them) are left out of garbage collection, so a
    # full collection pausing this process is not timed as the engine's latency
    gc.collect()
    gc.freeze()
    with _open(where) as graph:
        read = graph.store.read

        def top(cypher: str) -> str:
            return read(cypher + " RETURN x, count(*) AS n ORDER BY n DESC, x LIMIT 1")[0]["x"]

        group = top("MATCH (:Claim {predicate: 'DESIGNATED_AS_TERRORIST'})-[:OBJECT]->(g:Organization) "
                    "WHERE NOT (g)-[:AGENCY_OF]->() WITH g.name AS x")
        sample = {
            "group": group, "entity": group, "object": group, "organization": group, "text": group[:4].lower(),
            "country": "United States", "subject": "United States", "addressee": "United Kingdom",
            "person": top("MATCH (:Claim {predicate: 'LEADS'})-[:SUBJECT]->(p:Person) WITH p.name AS x"),
            "article": top("MATCH (a:Article) WITH a.id AS x"),
            "predicate": "DESIGNATED_AS_TERRORIST", "depth": 3, "min_outlets": 3,
        }
        for q in queries.library().values():
            required = {p.name: _value(p, sample) for p in q.params.values() if p.required}
            variants = [required]
            if len(required) < len(q.params):
                variants.append({p.name: _value(p, sample) for p in q.params.values()})
            for given in variants:
                params = q.bind(given)
                rows = len(read(q.cypher, params))  # warm-up
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    read(q.cypher, params)
                    times.append((time.perf_counter() - start) * 1000)
                cuts = statistics.quantiles(times, n=20)
                label = q.name + (" " + " ".join(f"{k}={v!r}" for k, v in given.items()) if given else "")
                out.append((label, statistics.median(times), cuts[18], rows))
    return out


def print_latencies(falkordb: list[tuple[str, float, float, int]],
                    neo4j: list[tuple[str, float, float, int]] | None) -> None:
    """One line per query and parameters: FalkorDB's figures, then Neo4j's for the same graph."""
    for i, (label, p50, p95, rows) in enumerate(falkordb):
        line = f"    {label:60s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {rows} rows"
        if neo4j:
            same, n50, n95, nrows = neo4j[i]
            assert same == label, f"the graphs differ: {label} on FalkorDB, {same} on Neo4j"
            line += f"  | neo4j p50 {n50:7.1f} ms  p95 {n95:7.1f} ms  {nrows} rows"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the corpus and graphs (path printed)")
    parser.add_argument("--profile", action="store_true", help="also cProfile a one-worker ingest")
    parser.add_argument("--grow-to", type=int, default=0,
                        help="also time the queries on the graph grown to this many articles (see grow())")
    parser.add_argument("--time-queries", type=Path, metavar="KG_HOME",
                        help="only time the canned queries on the graph in this folder (e.g. one kept by --keep)")
    parser.add_argument("--neo4j-uri", metavar="URI",
                        help="also write the graph of (4) into this empty Neo4j and time the queries there "
                             "(NEO4J_USER, NEO4J_PASSWORD); it is emptied again at the end unless --keep")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_ingest(args.child, args.home, args.workers, args.profile)
        return
    if args.time_queries:
        try:
            for label, p50, p95, rows in query_latencies(args.time_queries, runs=GROWN_RUNS):
                print(f"    {label:60s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {rows} rows")
        finally:
            engine.stop(args.time_queries)
        return

    if args.neo4j_uri:
        with _open(args.neo4j_uri) as graph:
            if graph.store.read("MATCH (n) RETURN count(n) AS n")[0]["n"]:
                sys.exit(f"error: the Neo4j at {args.neo4j_uri} is not empty; the bench fills and empties it")
    root = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    homes = {name: root / name for name in ("one", "many", "write", "profile")}
    try:
        folder = root / "articles"
        write_corpus(folder, args.articles, args.seed)
        articles = _articles(folder)
        words = _words(articles)
        print(f"corpus: {len(articles)} articles, {words:,} words (seed {args.seed}); "
              f"{os.cpu_count()} CPUs; {root}")

        pipeline()
        parse_s = parse_only(articles)
        parse_wps = words / parse_s
        print(f"(1) parse only         {parse_s:8.1f} s  {parse_wps:9,.0f} words/s")

        one = run_ingest(folder, homes["one"], 1)
        one_wps = words / one["seconds"]
        print(f"(2) ingest, 1 worker   {one['seconds']:8.1f} s  {one_wps:9,.0f} words/s  "
              f"{one['written'] / one['seconds']:6.1f} articles/s  {one['claims']} claims  "
              f"= {one_wps / parse_wps:.2f}x parse-only (target >= 0.8)")

        many = run_ingest(folder, homes["many"], args.workers)
        many_wps = words / many["seconds"]
        print(f"(3) ingest, {args.workers} workers  {many['seconds']:8.1f} s  {many_wps:9,.0f} words/s  "
              f"{many['written'] / many['seconds']:6.1f} articles/s  "
              f"= {many_wps / one_wps:.2f}x one worker (target >= 1.7)")
        print(f"    CPU time of the ingest processes: {one['cpu_seconds']:.1f} s with 1 worker, "
              f"{many['cpu_seconds']:.1f} s with {args.workers} (load average now {os.getloadavg()[0]:.1f})")

        write_s, results = write_only(articles, homes["write"])
        claims = sum(len(r.claims) for r in results)
        print(f"(4) graph writes only  {write_s:8.1f} s  {claims / write_s:9,.0f} claims/s  "
              f"{len(articles) / write_s:6.1f} articles/s  ({claims} claims, batches of {BATCH})")

        if args.neo4j_uri:
            neo4j_s = write_results(results, args.neo4j_uri)
            print(f"(4n) the same writes into Neo4j {neo4j_s:8.1f} s  {claims / neo4j_s:9,.0f} claims/s")

        print(f"(5) canned queries on {len(articles)} articles ({QUERY_RUNS} runs each; target p95 < 100 ms "
              f"at 100k articles)")
        print_latencies(query_latencies(homes["one"]), args.neo4j_uri and query_latencies(args.neo4j_uri))

        if args.grow_to > len(articles):
            grow_s = grow(results, homes["write"], args.grow_to)
            if args.neo4j_uri:
                neo4j_s = grow(results, args.neo4j_uri, args.grow_to)
                print(f"(5b) Neo4j grown the same way in {neo4j_s:.0f} s")
            print(f"(5b) the graph of (4) grown to {args.grow_to:,} articles with recast copies of the analysed ones "
                  f"under new ids ({grow_s:.0f} s of writes, {(args.grow_to - len(articles)) / grow_s:.0f} "
                  f"articles/s); engine RSS {_engine_rss_mb(homes['write']):.0f} MB; canned queries:")
            print_latencies(query_latencies(homes["write"], runs=GROWN_RUNS),
                            args.neo4j_uri and query_latencies(args.neo4j_uri, runs=GROWN_RUNS))

        print(f"(6) peak RSS: ingest 1 worker {one['rss_mb']:.0f} MB; ingest {args.workers} workers "
              f"{many['rss_mb']:.0f} MB main + {many['worker_rss_mb']:.0f} MB largest worker; "
              f"engine {one['engine_rss_mb'] or 0:.0f} MB (target < 1.5 GB at 100k articles)")

        if args.profile:
            print("cProfile of a one-worker ingest:")
            run_ingest(folder, homes["profile"], 1, profile=True)
    finally:
        for home in homes.values():
            if home.exists():
                engine.stop(home)
        if args.neo4j_uri and not args.keep:
            with _open(args.neo4j_uri) as graph, graph.store.driver.session(database=graph.store.database) as s:
                s.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
