"""Wall time of `kg ingest` into one Neo4j by 1 process, then by N processes at once over disjoint
shards of the same synthetic corpus (how ingest scales out over machines; here one machine):

    NEO4J_PASSWORD=... python bench/scale_out.py --neo4j-uri bolt://127.0.0.1:7687 --articles 200 [--processes 2]

Each run starts from an empty database (the script refuses a non-empty one, and empties it at the
end); both give the same node and relationship counts, which it checks. The processes analyse at
once and their batch writes take turns under the writer lock (see KnowledgeGraph.ingest)."""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from corpus import write_corpus  # noqa: E402

from kg.store import Neo4jStore  # noqa: E402

COUNTS = ("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label", 
          "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type")


def ingest(folders: list[Path], env: dict) -> tuple[float, float]:
    """Wall-clock seconds, and the CPU seconds of the kg processes (the server's not counted)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    processes = [subprocess.Popen([sys.executable, "-m", "kg", "ingest", str(f)], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True) for f in folders]
    for p in processes:
        _, err = p.communicate()
        if p.returncode:
            sys.exit(f"kg ingest failed ({p.returncode}):\n{err}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.monotonic() - start, after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--neo4j-uri", required=True)
    parser.add_argument("--neo4j-user", default="neo4j")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    password = os.environ.get("NEO4J_PASSWORD", "")
    store = Neo4jStore(args.neo4j_uri, args.neo4j_user, password)
    if store.read("MATCH (n) RETURN count(n) AS n")[0]["n"]:
        sys.exit(f"{store.location} is not empty: give an empty database")
    with tempfile.TemporaryDirectory(prefix="kg-scale-out-") as tmp:
        tmp = Path(tmp)
        paths = write_corpus(tmp / "all", args.articles)
        shards = []
        for i in range(args.processes):
            shard = tmp / f"shard{i}"
            shard.mkdir()
            for path in paths[i::args.processes]:
                (shard / path.name).write_text(path.read_text())
            shards.append(shard)
        env = {**os.environ, "KG_HOME": str(tmp / "home"), "NEO4J_URI": args.neo4j_uri,
               "NEO4J_USER": args.neo4j_user, "NEO4J_PASSWORD": password,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH.parent), os.environ.get("PYTHONPATH")]))}
        try:
            one = ingest([tmp / "all"], env)
            counts = [store.read(q) for q in COUNTS]
            store.write([("MATCH (n) DETACH DELETE n", {})])
            many = ingest(shards, env)
            after = [store.read(q) for q in COUNTS]
            same = after == counts
        finally:
            store.write([("MATCH (n) DETACH DELETE n", {})])
            store.close()
    print(f"{args.articles} articles into {args.neo4j_uri}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}")
    print(f"1 process:   {one[0]:7.1f} s wall, {one[1]:7.1f} s CPU")
    print(f"{args.processes} processes: {many[0]:7.1f} s wall, {many[1]:7.1f} s CPU  (wall {one[0] / many[0]:.2f}x "
          f"faster); same graph counts: {same}")
    print("(on a machine others load, the wall-clock gain is bounded by the cores left free)")
    if not same:
        for one_rows, many_rows in zip(counts, after):
            print("differs:", [r for r in one_rows if r not in many_rows], "->", [r for r in many_rows if r not in one_rows])
        sys.exit(1)


if __name__ == "__main__":
    main()
