"""Benchmark kg on a synthetic corpus of N articles, all measures in one run:

    python bench/run.py --articles 200 [--workers 2] [--grow-to 20000 100000] [--neo4j-uri URI] [--json FILE]
        [--keep] [--profile]

1. parse-only throughput of the spaCy pipeline over the articles' paragraphs (the ceiling);
2. end-to-end `KnowledgeGraph.ingest` with one worker on the embedded engine (fresh KG_HOME);
3. the same with --workers processes;
4. graph writes alone: `KnowledgeGraph.write_analysed` (texts, then the graph batch) of pre-analysed articles;
5. p50/p95/p99 latency of every canned query of queries/ on the one-worker graph (and on the graph
   of 4 grown to each --grow-to size); with --neo4j-uri, the graph of 4 is also written into Neo4j
   (and grown there alike) and the queries are timed on both engines' graph of 4, side by side;
6. peak RSS of each ingest (run in a child process) and of its engine.

--json FILE writes the summary (see bench/README.md) for tracking.

Ingests run in child processes (`--child` mode) so their peak RSS is their own."""
from __future__ import annotations

import argparse
import contextlib
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
from collections.abc import Iterable, Iterator
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from corpus import write_corpus  # noqa: E402

from kg import engine, queries  # noqa: E402
from kg.gazetteer import gazetteer  # noqa: E402
from kg.api import KnowledgeGraph  # noqa: E402
from kg.model import Analysis, Article, Entity  # noqa: E402
from kg.nlp import paragraphs, pipeline  # noqa: E402
from kg.pipeline import analyse_all  # noqa: E402
from kg.read import read_articles  # noqa: E402

QUERY_RUNS = 30
BATCH = 32  # KnowledgeGraph.ingest's default batch size
GROW_SEED = 11
GROWN_RUNS = 40  # timed runs per query on a grown graph
WARM_UP = 3  # untimed passes over every query variant first


def _vm_hwm_mb(pid: int | str = "self") -> float | None:
    """Peak resident memory of a live process, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a live process has used, from /proc (the engine's share of an ingest)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _engine_rss_mb(home: Path) -> float:
    running = engine.status(home.resolve())
    return (_vm_hwm_mb(running.pid) or 0.0) if running else 0.0


def _content_mb(home: Path) -> float:
    """Size on disk of the content store (the article texts kept beside the graph)."""
    path = home / "data" / "content.sqlite"
    return path.stat().st_size / 1e6 if path.exists() else 0.0


def _articles(folder: Path) -> list[Article]:
    return [a for a in read_articles([folder]) if isinstance(a, Article)]


def _words(articles: list[Article]) -> int:
    return sum(len(a.text.split()) for a in articles)


# --- child mode: one ingest, measured from inside --------------------------------------------
def child_ingest(folder: Path, home: Path, workers: int, profile: bool) -> None:
    pipeline()  # model load is start-up cost, not throughput
    with KnowledgeGraph.open(home=home) as graph:
        engine_pid = graph.store.engine.pid
        cpu_before = time.process_time(), _children_cpu(), _cpu_seconds(engine_pid)
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
        # the ingest's own CPU time: this process (and its writer thread), its workers, and the engine
        cpu_after = time.process_time(), _children_cpu(), _cpu_seconds(engine_pid)
    cpu = sum(after - before for before, after in zip(cpu_before, cpu_after))
    own, workers_usage = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "engine_cpu_seconds": cpu_after[2] - cpu_before[2],
                      "written": report.written, "claims": report.claims,
                      "rss_mb": own.ru_maxrss / 1024,
                      "worker_rss_mb": workers_usage.ru_maxrss / 1024 if workers > 1 else 0.0,
                      "engine_rss_mb": _vm_hwm_mb(engine_pid)}))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # worker processes, once they have ended
    return usage.ru_utime + usage.ru_stime


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
# (1) to (3) run this many times in turn, and the fastest of each counts: the machine's speed drifts
# from one minute to the next (parse-only took 24.7 s in one run and 21.0 s in another, same corpus)
REPEATS = 2


def _others(seconds: Iterable[float]) -> str:
    return f"(best of {REPEATS}; other runs " + ", ".join(f"{s:.1f} s" for s in seconds) + ")"


def parse_only(articles: list[Article]) -> tuple[float, float]:
    """Seconds and CPU seconds of the full pipeline over every paragraph."""
    texts = [text for a in articles for _, text in paragraphs(a.text, 0, len(a.text))]
    nlp = pipeline()
    start, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - start, time.process_time() - cpu


NEO4J_HOME: Path | None = None  # KG_HOME of the Neo4j graph in a full run (its judgements), in the temp folder


def _open(where: Path | str) -> KnowledgeGraph:
    """The embedded graph in a KG_HOME folder, or the Neo4j at a Bolt URI."""
    if isinstance(where, Path):
        return KnowledgeGraph.open(home=where)
    return KnowledgeGraph.open(neo4j_uri=where, **({"home": NEO4J_HOME} if NEO4J_HOME else {}))


def write_only(articles: list[Article], home: Path) -> tuple[float, list[Analysis]]:
    results = list(analyse_all(articles))
    return write_results(results, home), results


def write_results(results: list[Analysis], where: Path | str) -> float:
    with _open(where) as graph:
        start = time.perf_counter()
        for i in range(0, len(results), BATCH):
            graph.write_analysed(results[i:i + BATCH])
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


def grow(results: list[Analysis], wheres: list[Path | str], targets: list[int]) -> Iterator[tuple[int, list[float]]]:
    """Write recast copies of the analysed articles under new ids until each graph of `wheres` (all
    holding those articles) holds each of `targets` articles in turn: a graph of that size in minutes
    instead of hours of parsing, to time the queries on it. Every graph gets the same batches, one
    after the other. Yields each target reached and, per graph, the seconds of its writes since the last."""
    rng = random.Random(GROW_SEED)
    pending = sorted(targets)
    if not pending:
        return
    seconds = [0.0] * len(wheres)
    with contextlib.ExitStack() as stack:
        graphs = [stack.enter_context(_open(where)) for where in wheres]
        written = len(results)
        for copy in itertools.count(1):
            recast_results = recast(results, rng)
            for i in range(0, len(results), BATCH):
                if written >= pending[0]:
                    yield pending.pop(0), seconds
                    if not pending:
                        return
                    seconds = [0.0] * len(wheres)
                batch = [replace(r, article=replace(r.article, id=f"{r.article.id}-copy{copy}"))
                         for r in recast_results[i:min(i + BATCH, i + pending[0] - written)]]
                for n, graph in enumerate(graphs):
                    start = time.perf_counter()
                    graph.write_analysed(batch)
                    seconds[n] += time.perf_counter() - start
                written += len(batch)


def _value(param: queries.Param, sample: dict[str, Any]) -> Any:
    """A sensible value for a query parameter: by its name, else by its type."""
    if param.name in sample:
        return sample[param.name]
    return {"string": sample["group"], "int": 3, "float": 0.5, "bool": True}[param.type]


ENGINES = {"falkordb": "FalkorDB", "neo4j": "Neo4j"}


def _sample(read) -> dict[str, Any]:
    """Parameter values picked from a graph: the most designated group, the top leader, the first article…"""
    def top(cypher: str) -> str:
        return read(cypher + " RETURN x, count(*) AS n ORDER BY n DESC, x LIMIT 1")[0]["x"]

    group = top("MATCH (g:Organization)<-[:FACT_OBJECT]-(:Fact {predicate: 'DESIGNATED_AS_TERRORIST'})<-[:OF]-(:Claim) "
                "WHERE NOT (g)-[:AGENCY_OF]->() WITH g.name AS x")
    return {
        "group": group, "entity": group, "object": group, "organization": group, "text": group[:4].lower(),
        "country": "United States", "subject": "United States", "addressee": "United Kingdom",
        "person": top("MATCH (p:Person)<-[:FACT_SUBJECT]-(:Fact {predicate: 'LEADS'})<-[:OF]-(:Claim) WITH p.name AS x"),
        "article": top("MATCH (a:Article) WITH a.id AS x"),
        "predicate": "DESIGNATED_AS_TERRORIST", "depth": 3, "min_outlets": 3,
    }


def time_queries(wheres: dict[str, Path | str], runs: int = QUERY_RUNS) -> dict[str, list[dict[str, Any]]]:
    """For each graph of `wheres` (a name: a KG_HOME folder or a Bolt URI), {name, params, engine, p50_ms,
    p95_ms, p99_ms, cpu_ms, rows} of each canned query: once with only its required parameters, once
    with all of them set. The parameter values are picked from the first graph and used on all of
    them, and the graphs take turns run by run, so a change of load on the machine falls on every
    engine alike. `cpu_ms` is the CPU time of one run, engine and client together (mean over the
    runs): what a query costs, whatever else the machine runs; None on Neo4j, whose server process
    the bench does not know."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in wheres}
    # the objects made so far (the spaCy model among them) are left out of garbage collection, so a
    # full collection pausing this process is not timed as the engine's latency
    gc.collect()
    gc.freeze()
    with contextlib.ExitStack() as stack:
        graphs = {name: stack.enter_context(_open(where)) for name, where in wheres.items()}
        sample = _sample(next(iter(graphs.values())).store.read)

        def engine_cpu(graph: KnowledgeGraph) -> float:
            return _cpu_seconds(graph.store.engine.pid) if graph.store.backend == "falkordb" else 0.0

        variants = []
        for q in queries.library().values():
            required = {p.name: _value(p, sample) for p in q.params.values() if p.required}
            variants.append((q, required))
            if len(required) < len(q.params):
                variants.append((q, {p.name: _value(p, sample) for p in q.params.values()}))
        rows: dict[tuple[int, str], int] = {}
        for _ in range(WARM_UP):  # every variant before any is timed: plan caches, and Neo4j's JIT compiler
            for i, (q, given) in enumerate(variants):
                for name, graph in graphs.items():
                    rows[i, name] = len(graph.store.read(q.cypher, q.bind(given)))
        for i, (q, given) in enumerate(variants):
            params = q.bind(given)
            times: dict[str, list[float]] = {name: [] for name in graphs}
            cpu = dict.fromkeys(graphs, 0.0)
            for _ in range(runs):
                for name, graph in graphs.items():
                    cpu_before = time.process_time() + engine_cpu(graph)
                    start = time.perf_counter()
                    graph.store.read(q.cypher, params)
                    times[name].append((time.perf_counter() - start) * 1000)
                    cpu[name] += time.process_time() + engine_cpu(graph) - cpu_before
            for name, graph in graphs.items():
                cuts = statistics.quantiles(times[name], n=100, method="inclusive")  # within the runs' range
                falkordb = graph.store.backend == "falkordb"
                out[name].append({"name": q.name, "params": given, "engine": graph.store.backend,
                                  "p50_ms": statistics.median(times[name]), "p95_ms": cuts[94],
                                  "p99_ms": cuts[98], "cpu_ms": cpu[name] * 1000 / runs if falkordb else None,
                                  "rows": rows[i, name]})
    return out


def query_latencies(where: Path | str, runs: int = QUERY_RUNS) -> list[dict[str, Any]]:
    """time_queries() on one graph."""
    return time_queries({"only": where}, runs)["only"]


def _label(t: dict[str, Any]) -> str:
    return t["name"] + "".join(f" {k}={v!r}" for k, v in t["params"].items())


def print_latencies(latencies: list[dict[str, Any]]) -> None:
    for t in latencies:
        cpu = f"cpu {t['cpu_ms']:6.1f} ms  " if t["cpu_ms"] is not None else ""
        print(f"    {_label(t):60s} p50 {t['p50_ms']:6.1f} ms  p95 {t['p95_ms']:6.1f} ms  p99 {t['p99_ms']:6.1f} ms  "
              f"{cpu}{t['rows']} rows")


def print_side_by_side(left: list[dict[str, Any]], right: list[dict[str, Any]]) -> None:
    """One line per query variant: the p50/p95/p99 (ms) on each engine, and the rows (both counts
    where they differ, then a warning line naming those variants)."""
    names = [ENGINES.get(side[0]["engine"], side[0]["engine"]) if side else "" for side in (left, right)]
    width = max([60] + [len(_label(t)) for t in left])
    print(f"    {'query variant':{width}s} {names[0] + ' p50':>13s} {'p95':>6s} {'p99':>6s} | "
          f"{names[1] + ' p50':>10s} {'p95':>6s} {'p99':>6s} | rows")
    differ = []
    for a, b in zip(left, right, strict=True):
        assert (a["name"], a["params"]) == (b["name"], b["params"])
        rows = str(a["rows"]) if a["rows"] == b["rows"] else f"{a['rows']} vs {b['rows']}"
        if a["rows"] != b["rows"]:
            differ.append(_label(a))
        print(f"    {_label(a):{width}s} {a['p50_ms']:13.1f} {a['p95_ms']:6.1f} {a['p99_ms']:6.1f} | "
              f"{b['p50_ms']:10.1f} {b['p95_ms']:6.1f} {b['p99_ms']:6.1f} | {rows}")
    if differ:
        print(f"    WARNING: the row counts differ between {names[0]} and {names[1]} on {len(differ)} variant(s): "
              + "; ".join(differ))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the corpus and graphs (path printed)")
    parser.add_argument("--profile", action="store_true", help="also cProfile a one-worker ingest")
    parser.add_argument("--grow-to", type=int, nargs="+", default=[], metavar="N",
                        help="also time the queries on the graph grown to each of these many articles (see grow())")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the summary of the run to this file")
    parser.add_argument("--time-queries", metavar="KG_HOME|URI",
                        help="only time the canned queries on the graph in this folder (e.g. one kept by --keep), "
                             "or in the Neo4j at this Bolt URI; with --json, write their figures there")
    parser.add_argument("--neo4j-uri", metavar="URI",
                        help="also write the graph of (4) into this empty Neo4j (and each --grow-to size) and time "
                             "the queries on it and on FalkorDB's graph of (4) side by side (NEO4J_USER, "
                             "NEO4J_PASSWORD); it is emptied again at the end unless --keep")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_ingest(args.child, args.home, args.workers, args.profile)
        return
    if args.time_queries:
        where = args.time_queries if "://" in args.time_queries else Path(args.time_queries)
        try:
            timed = query_latencies(where, runs=GROWN_RUNS)
            print_latencies(timed)
            if args.json:
                args.json.write_text(json.dumps({"queries": timed, "load_average": os.getloadavg()[0]}, indent=1) + "\n")
        finally:
            if isinstance(where, Path):
                engine.stop(where)
        return

    root = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    global NEO4J_HOME
    NEO4J_HOME = root / "neo4j-home"  # not ./.kg (the texts themselves are in the Neo4j database)
    if args.neo4j_uri:
        with _open(args.neo4j_uri) as graph:
            if graph.store.read("MATCH (n) RETURN count(n) AS n")[0]["n"]:
                shutil.rmtree(root, ignore_errors=True)
                sys.exit(f"error: the Neo4j at {args.neo4j_uri} is not empty; the bench fills and empties it")
    homes = {name: root / name for name in ("write", "profile", *(f"{kind}-{n}" for kind in ("one", "many")
                                                                   for n in range(REPEATS)))}
    try:
        folder = root / "articles"
        write_corpus(folder, args.articles, args.seed)
        articles = _articles(folder)
        words = _words(articles)
        print(f"corpus: {len(articles)} articles, {words:,} words (seed {args.seed}); "
              f"{os.cpu_count()} CPUs; {root}")

        pipeline()
        runs = [(parse_only(articles), run_ingest(folder, homes[f"one-{n}"], 1),
                 run_ingest(folder, homes[f"many-{n}"], args.workers)) for n in range(REPEATS)]
        (parse_s, parse_cpu), *other_parses = sorted(r[0] for r in runs)
        parse_wps = words / parse_s
        print(f"(1) parse only         {parse_s:8.1f} s  {parse_wps:9,.0f} words/s  ({parse_cpu:.1f} CPU s)  "
              f"{_others(p[0] for p in other_parses)}")

        one, *others = sorted((r[1] for r in runs), key=lambda r: r["seconds"])
        one_wps = words / one["seconds"]
        print(f"(2) ingest, 1 worker   {one['seconds']:8.1f} s  {one_wps:9,.0f} words/s  "
              f"{one['written'] / one['seconds']:6.1f} articles/s  {one['claims']} claims  "
              f"= {one_wps / parse_wps:.2f}x parse-only (target >= 0.9)  {_others(r['seconds'] for r in others)}")

        many, *others = sorted((r[2] for r in runs), key=lambda r: r["seconds"])
        many_wps = words / many["seconds"]
        print(f"(3) ingest, {args.workers} workers  {many['seconds']:8.1f} s  {many_wps:9,.0f} words/s  "
              f"{many['written'] / many['seconds']:6.1f} articles/s  "
              f"= {many_wps / one_wps:.2f}x one worker (target >= 1.7)  {_others(r['seconds'] for r in others)}")
        cpu_ratio = parse_cpu / one["cpu_seconds"]
        print(f"    CPU time of the ingests (kg's processes and the engine): {one['cpu_seconds']:.1f} s with 1 worker "
              f"(engine {one['engine_cpu_seconds']:.1f} s) = {cpu_ratio:.2f}x parse-only's {parse_cpu:.1f} s, "
              f"{many['cpu_seconds']:.1f} s with {args.workers} "
              f"(load average now {os.getloadavg()[0]:.1f})")

        write_s, results = write_only(articles, homes["write"])
        claims = sum(len(r.claims) for r in results)
        print(f"(4) graph writes only  {write_s:8.1f} s  {claims / write_s:9,.0f} claims/s  "
              f"{len(articles) / write_s:6.1f} articles/s  ({claims} claims, batches of {BATCH})")

        if args.neo4j_uri:
            neo4j_s = write_results(results, args.neo4j_uri)
            print(f"(4n) the same writes into Neo4j {neo4j_s:8.1f} s  {claims / neo4j_s:9,.0f} claims/s  "
                  f"{len(articles) / neo4j_s:6.1f} articles/s")

        print(f"(5) canned queries on {len(articles)} articles ({QUERY_RUNS} runs each; target p95 < 100 ms "
              f"at 100k articles)")
        timed = [{**t, "articles": len(articles), "graph": "ingest"} for t in query_latencies(homes["one-0"])]
        print_latencies(timed)
        both = {"falkordb": homes["write"], **({"neo4j": args.neo4j_uri} if args.neo4j_uri else {})}
        if args.neo4j_uri:  # the graph of (4) on each engine: the same contents, the same parameter values
            print(f"(5n) the same queries on the graph of (4) on both engines: FalkorDB's of (4), Neo4j's of (4n) "
                  f"({QUERY_RUNS} runs each, the engines taking turns; ms)")
            side = time_queries(both)
            timed += [{**t, "articles": len(articles), "graph": "writes"} for name in both for t in side[name]]
            print_side_by_side(side["falkordb"], side["neo4j"])
        engine_mb = {str(len(articles)): one["engine_rss_mb"] or 0.0}
        content_mb = {str(len(articles)): _content_mb(homes["one-0"])}

        before = len(articles)
        for size, grow_s in grow(results, list(both.values()), [n for n in args.grow_to if n > len(articles)]):
            engine_mb[str(size)], content_mb[str(size)] = _engine_rss_mb(homes["write"]), _content_mb(homes["write"])
            writes = ", ".join(f"{ENGINES[name]} {sec:.0f} s, {(size - before) / sec:.0f} articles/s"
                               for name, sec in zip(both, grow_s))
            print(f"(5b) the graph of (4) grown to {size:,} articles with recast copies of the analysed ones "
                  f"under new ids (writes: {writes}); FalkorDB engine peak RSS {engine_mb[str(size)]:.0f} MB; "
                  f"canned queries ({GROWN_RUNS} runs each{', the engines taking turns; ms' if args.neo4j_uri else ''}):")
            before = size
            side = time_queries(both, runs=GROWN_RUNS)
            timed += [{**t, "articles": size, "graph": "writes"} for name in both for t in side[name]]
            if args.neo4j_uri:
                print_side_by_side(side["falkordb"], side["neo4j"])
            else:
                print_latencies(side["falkordb"])

        print(f"(6) peak RSS: ingest 1 worker {one['rss_mb']:.0f} MB; ingest {args.workers} workers "
              f"{many['rss_mb']:.0f} MB main + {many['worker_rss_mb']:.0f} MB largest worker; "
              f"engine {one['engine_rss_mb'] or 0:.0f} MB; engine at each size "
              + ", ".join(f"{n} articles {mb:.0f} MB" for n, mb in engine_mb.items())
              + "; content store on disk " + ", ".join(f"{n} articles {mb:.2f} MB" for n, mb in content_mb.items()))
        if args.json:
            summary = {"parse_wps": parse_wps, "ingest_wps": one_wps, "ratio": one_wps / parse_wps, "cpu_ratio": cpu_ratio,
                       "workers_ratio": many_wps / one_wps, "ingest_rss_mb": one["rss_mb"],
                       "engine_rss_mb": engine_mb, "content_mb": content_mb, "queries": timed,
                       "conditions": {"articles": len(articles), "words": words, "seed": args.seed,
                                      "workers": args.workers, "cpus": os.cpu_count(),
                                      "load_average": os.getloadavg()[0]}}
            args.json.write_text(json.dumps(summary, indent=1) + "\n")
            print(f"summary written to {args.json}")

        if args.profile:
            print("cProfile of a one-worker ingest:")
            run_ingest(folder, homes["profile"], 1, profile=True)
    finally:
        for home in homes.values():
            if home.exists():
                engine.stop(home)
        try:
            if args.neo4j_uri and not args.keep:
                empty_neo4j(args.neo4j_uri)
        finally:
            if args.keep:
                print(f"kept {root}")
            else:
                shutil.rmtree(root, ignore_errors=True)


def empty_neo4j(uri: str) -> None:
    """Delete every node of the Neo4j at `uri`: the relationships first, in batches, as a DETACH
    DELETE of an entity named in every article (the United States at 2,000 articles) is one
    transaction over Neo4j's memory pool limit."""
    with _open(uri) as graph, graph.store.driver.session(database=graph.store.database) as session:
        session.run("MATCH ()-[r]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 10000 ROWS").consume()
        session.run("MATCH (n) CALL { WITH n DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


if __name__ == "__main__":
    main()
