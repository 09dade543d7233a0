"""The `kg` command: a thin layer over kg.api.KnowledgeGraph."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__, engine, queries, rdf
from .api import KnowledgeGraph
from .config import Settings
from .engine import EngineError
from .queries import QueryError
from .read import DEFAULT_MAX_BYTES, find_files
from .store import StoreError

err = Console(stderr=True)


def _open(ctx: click.Context) -> KnowledgeGraph:
    return KnowledgeGraph.open(**ctx.obj)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--neo4j-uri", envvar="NEO4J_URI", help="Use this Neo4j 5 server (bolt://… or neo4j://…) "
              "instead of the embedded engine. Env: NEO4J_URI.")
@click.option("--neo4j-user", envvar="NEO4J_USER", help="Neo4j user (default neo4j). Env: NEO4J_USER.")
@click.option("--neo4j-password", envvar="NEO4J_PASSWORD", help="Neo4j password. Env: NEO4J_PASSWORD.")
@click.option("--home", envvar="KG_HOME", type=click.Path(path_type=Path),
              help="Data folder of the embedded engine (default ./.kg). Env: KG_HOME.")
@click.version_option(__version__, prog_name="kg")
@click.pass_context
def cli(ctx, neo4j_uri, neo4j_user, neo4j_password, home):
    """Turn news articles into a knowledge graph of entities and sourced claims.

    The graph lives in an embedded FalkorDB engine (started for you, data in ./.kg) unless a
    Neo4j URI is given.

    \b
    Example:
      kg ingest examples/articles
      kg query designations-by-country
      kg --neo4j-uri bolt://localhost:7687 query designations-by-country
    """
    ctx.obj = {"neo4j_uri": neo4j_uri, "neo4j_user": neo4j_user, "neo4j_password": neo4j_password, "home": home}


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--workers", default=1, show_default=True, help="Processes that analyse articles in parallel.")
@click.option("--batch-size", default=32, show_default=True, help="Articles written per transaction.")
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True, help="Refuse files larger than this.")
@click.option("--follow-links", is_flag=True, help="Read symbolic links that lead outside the folders given.")
@click.pass_context
def ingest(ctx, paths, workers, batch_size, max_bytes, follow_links):
    """Read articles (files or folders of .txt/.md/.html) into the graph.

    Ingesting the same files again changes nothing; a file whose text changed replaces its
    article's claims. Files that cannot be read are reported, and the rest still ingested.

    \b
    Example:
      kg ingest examples/articles
    """
    total = sum(1 for f in find_files(paths, follow_links) if isinstance(f, Path))
    graph = _open(ctx)
    with graph, Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TextColumn("articles"),
                         TextColumn("{task.fields[claims]} claims"), TimeElapsedColumn(), console=err,
                         disable=not err.is_terminal) as bar:
        task = bar.add_task("ingest", total=total, claims=0)

        def progress(event: str, n: int) -> None:
            if event == "article":
                bar.advance(task, n)
            else:
                bar.update(task, claims=bar.tasks[task].fields["claims"] + n)

        report = graph.ingest(paths, workers=workers, batch_size=batch_size, max_bytes=max_bytes, progress=progress,
                              follow_links=follow_links)
    for problem in report.problems:
        click.echo(f"{'skipped' if problem.skipped else 'error'}: {problem}", err=True)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"kg ingest: {report.summary()}")
    if report.failed:
        sys.exit(1)


@cli.command()
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, nargs=2, metavar="KEY VALUE", help="A query parameter.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.pass_context
def query(ctx, name, params, fmt):
    """Run a canned query of queries/ by NAME (`kg queries` lists them).

    \b
    Example:
      kg query designations-by-country -p country "United States" --format csv
    """
    given = dict(params)
    q = queries.get(name)
    bound = q.bind(given)  # a bad parameter is reported before the engine is started
    with _open(ctx) as graph:
        rows = graph.query(name, **given)
    if "limit" in bound and len(rows) == bound["limit"]:
        click.echo(f"kg query: the first {len(rows)} rows; there may be more (-p limit N)", err=True)
    if fmt != "json":  # nodes for the Neo4j Browser to draw; a table cannot show them
        rows = [{k: v for k, v in row.items() if k != "graph"} for row in rows]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False, default=str))
    elif fmt == "csv":
        columns = list(rows[0]) if rows else []
        writer = csv.DictWriter(sys.stdout, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
    else:
        console = Console()
        columns = list(rows[0]) if rows else []
        if len(columns) * 12 > console.width:  # too many columns to read side by side: one block per row
            table = Table(title=f"{q.name} ({len(rows)} rows)", show_header=False, show_lines=True)
            table.add_column("field", style="bold", no_wrap=True)
            table.add_column("value", overflow="fold")
            for row in rows:
                for i, (key, value) in enumerate(row.items()):
                    table.add_row(key, _cell(value), end_section=i == len(row) - 1)
        else:
            table = Table(title=f"{q.name} ({len(rows)} rows)")
            for column in columns:
                table.add_column(column, overflow="fold")
            for row in rows:
                table.add_row(*(_cell(v) for v in row.values()))
        console.print(table)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return value.get("name") or json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


@cli.command("queries")
def list_queries():
    """List the canned queries with their parameters.

    \b
    Example:
      kg queries
    """
    for q in queries.library().values():
        click.echo(f"{q.name}\n    {q.description}")
        for p in q.params.values():
            default = "required" if p.required else f"default {p.default!r}"
            click.echo(f"    -p {p.name} <{p.type}>  {p.help} ({default})")
        for example in q.examples:
            click.echo(f"    e.g. {example}")


@cli.command("export")
@click.argument("what", type=click.Choice(["claims", "entities", "rdf"]))
@click.option("--out", type=click.Path(path_type=Path), help="Write to this file instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(list(rdf.FORMATS)), help="rdf only: the RDF syntax "
              "(default trig; trig, nquads and jsonld keep each claim's named graph).")
@click.option("--base", help=f"rdf only: base IRI of articles, claims and entities (default {rdf.DEFAULT_BASE}).")
@click.option("--article", help="rdf only: just this article's claims and what they refer to.")
@click.option("--entity", help="rdf only: just the claims about this entity (name or alias).")
@click.pass_context
def export_(ctx, what, out, fmt, base, article, entity):
    """Export claims or entities as JSON Lines, or the graph as RDF.

    \b
    Example:
      kg export claims --out claims.jsonl
      kg export rdf --format nquads --out kg.nq
      kg export rdf --entity IRGC --format turtle
    """
    if what != "rdf" and (fmt or base or article or entity):
        raise click.UsageError("--format, --base, --article and --entity apply to `kg export rdf` only")
    with _open(ctx) as graph:
        fh = out.open("w", encoding="utf-8") if out else sys.stdout
        try:
            if what == "rdf":
                try:
                    rdf.write(graph.store, fh, fmt or "trig", base or rdf.DEFAULT_BASE, article, entity)
                except rdf.RdfError as exc:
                    raise click.ClickException(str(exc)) from exc
                return
            for row in graph.claims() if what == "claims" else graph.entities():
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        finally:
            if out:
                fh.close()


@cli.command()
@click.pass_context
def stats(ctx):
    """Counts of nodes, relationships and claims.

    \b
    Example:
      kg stats
    """
    with _open(ctx) as graph:
        s = graph.stats()
    click.echo(f"{s['location']}")
    for label, n in s["counts"].items():
        click.echo(f"  {label:14} {n}")
    for predicate, n in s["claims_by_predicate"].items():
        click.echo(f"  claims {predicate:28} {n}")


@cli.command()
@click.argument("article_ids", nargs=-1, required=True)
@click.pass_context
def remove(ctx, article_ids):
    """Retract articles: their claims go, and entities only they supported.

    \b
    Example:
      kg remove 2019-04-irgc-designation
    """
    with _open(ctx) as graph:
        removed = graph.remove(list(article_ids))
    missing = sorted(set(article_ids) - set(removed))
    click.echo(f"kg remove: {len(removed)} articles removed" + (f"; not in the graph: {', '.join(missing)}" if missing else ""))
    if missing:
        sys.exit(1)


@cli.group("engine")
def engine_group():
    """Start, stop or inspect the embedded engine (FalkorDB in KG_HOME, default ./.kg)."""


def _home(ctx) -> Path:
    return Settings.from_env(home=ctx.find_root().obj.get("home")).home


@engine_group.command("start")
@click.pass_context
def engine_start(ctx):
    """Start the embedded engine (kg also starts it on demand).

    \b
    Example:
      kg engine start
    """
    e = engine.start(_home(ctx))
    click.echo(f"embedded engine running: pid {e.pid}, 127.0.0.1:{e.port}, data in {e.home / 'data'}")


@engine_group.command("stop")
@click.pass_context
def engine_stop(ctx):
    """Stop the embedded engine cleanly; its data stays in the data folder.

    \b
    Example:
      kg engine stop
    """
    click.echo("embedded engine stopped" if engine.stop(_home(ctx)) else "embedded engine was not running")


@engine_group.command("status")
@click.pass_context
def engine_status(ctx):
    """Say whether the embedded engine runs, where, and on which port.

    \b
    Example:
      kg engine status
    """
    e = engine.status(_home(ctx).resolve())
    if e is None:
        click.echo(f"embedded engine not running (data folder {_home(ctx).resolve()})")
        sys.exit(3)
    click.echo(f"embedded engine running: pid {e.pid}, 127.0.0.1:{e.port}, data in {e.home / 'data'}")


@cli.command()
@click.option("--entity", help="Draw the neighbourhood of this entity (name or alias, any case).")
@click.option("--query", "query_name", help="Draw the entities named in this canned query's rows.")
@click.option("-p", "--param", "params", multiple=True, nargs=2, metavar="KEY VALUE",
              help="A parameter of --query.")
@click.option("--depth", default=1, show_default=True, help="Claim hops around --entity.")
@click.option("--limit", default=300, show_default=True, help="Draw at most this many entities.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("kg-view.html"), show_default=True,
              help="The HTML file to write.")
@click.pass_context
def view(ctx, entity, query_name, params, depth, limit, out):
    """Write the graph as one self-contained HTML page that works offline.

    Nodes are entities, edges their claims; hover or click one for the evidence and sources.
    Without --entity or --query the whole graph is drawn, up to --limit entities.

    \b
    Example:
      kg view --entity IRGC --depth 2 --out irgc.html
      kg view --query designations-by-country -p country "United States"
    """
    from . import view as view_

    if params and not query_name:
        raise click.UsageError("-p/--param needs --query")
    if query_name:
        queries.get(query_name).bind(dict(params))  # a bad parameter is reported before the engine is started
    with _open(ctx) as graph:
        try:
            drawn = view_.build(graph.store, entity=entity, query=query_name, params=dict(params), depth=depth,
                                limit=limit)
        except view_.ViewError as exc:
            raise click.ClickException(str(exc)) from exc
    for note in drawn.notes:
        click.echo(f"kg view: {note}", err=True)
    view_.write(drawn, out)
    click.echo(f"kg view: wrote {out} ({len(drawn.nodes)} entities, {len(drawn.edges)} relations)")


@cli.command("validate-rdf")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(list(rdf.FORMATS)), help="The RDF syntax (default: from the "
              "file's extension).")
def validate_rdf(file, fmt):
    """Check an RDF file against the SHACL shapes of schema/shapes.ttl.

    Works on any export of `kg export rdf`; prints the violations and exits 1 when it does not conform.

    \b
    Example:
      kg export rdf --out kg.trig && kg validate-rdf kg.trig
    """
    result = rdf.validate(file, fmt)
    if result.conforms:
        click.echo(f"{file}: conforms")
        return
    click.echo(result.report)
    sys.exit(1)


@cli.command()
@click.option("--repair", is_flag=True, help="Mend what is found, then check again.")
@click.pass_context
def doctor(ctx, repair):
    """Check the graph: where it is, the engine, the schema version, counts, and anything a crash or
    an old version left behind (a second engine, half-written articles, articles missing claims,
    counts that disagree with the claims, orphan entities, incomplete claims, files others can
    read). Exits 1 when a problem is found.

    \b
    Example:
      kg doctor
      kg doctor --repair
    """
    with _open(ctx) as graph:
        if repair:
            for line in graph.repair():
                click.echo(f"repaired: {line}")
        health = graph.doctor()
    click.echo(f"backend        {health.backend}: {health.location}")
    click.echo(f"engine         {health.engine}")
    recorded = "none recorded yet" if health.graph_schema_version is None else health.graph_schema_version
    click.echo(f"schema         version {health.schema_version} (graph: {recorded})")
    click.echo("counts         " + ", ".join(f"{label} {n}" for label, n in health.counts.items()))
    for warning in health.warnings:
        click.echo(f"warning: {warning}")
    for problem in health.problems:
        click.echo(f"problem: {problem}")
    click.echo("kg doctor: " + (f"{len(health.problems)} problems found" if health.problems else "no problems found"))
    if health.problems:
        sys.exit(1)


def main() -> None:
    try:
        cli(standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("kg: interrupted; the graph is intact (`kg ingest` repairs half-written articles)", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (QueryError, StoreError, EngineError) as exc:
        click.echo(f"kg: {exc}", err=True)
        sys.exit(2)
    except SystemExit:
        raise
    except Exception as exc:
        if not _connection_lost(exc):
            raise
        click.echo(f"kg: lost the connection to the graph engine ({type(exc).__name__}: {exc}); run the command "
                   f"again (kg restarts its embedded engine, and `kg ingest` repairs half-written articles)", err=True)
        sys.exit(2)


def _connection_lost(exc: Exception) -> bool:
    """The engine died or went away mid-command (the graph itself is safe: writes are all-or-nothing)."""
    import redis

    lost: tuple[type[Exception], ...] = (redis.ConnectionError, redis.TimeoutError)
    if "neo4j" in sys.modules:
        from neo4j.exceptions import ServiceUnavailable, SessionExpired

        lost += (ServiceUnavailable, SessionExpired)
    return isinstance(exc, lost)
