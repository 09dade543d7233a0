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

from . import __version__, engine, queries
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
@click.pass_context
def ingest(ctx, paths, workers, batch_size, max_bytes):
    """Read articles (files or folders of .txt/.md/.html) into the graph.

    Ingesting the same files again changes nothing; a file whose text changed replaces its
    article's claims. Files that cannot be read are reported, and the rest still ingested.

    \b
    Example:
      kg ingest examples/articles
    """
    total = sum(1 for f in find_files(paths) if isinstance(f, Path))
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

        report = graph.ingest(paths, workers=workers, batch_size=batch_size, max_bytes=max_bytes, progress=progress)
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
    q.bind(given)  # a bad parameter is reported before the engine is started
    with _open(ctx) as graph:
        rows = graph.query(name, **given)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False, default=str))
    elif fmt == "csv":
        columns = list(rows[0]) if rows else []
        writer = csv.DictWriter(sys.stdout, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
    else:
        table = Table(title=f"{q.name} ({len(rows)} rows)", show_lines=False)
        for column in (rows[0] if rows else {}):
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(v) for v in row.values()))
        Console().print(table)


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
@click.argument("what", type=click.Choice(["claims", "entities"]))
@click.option("--out", type=click.Path(path_type=Path), help="Write to this file instead of standard output.")
@click.pass_context
def export_(ctx, what, out):
    """Export claims or entities as JSON Lines.

    \b
    Example:
      kg export claims --out claims.jsonl
    """
    with _open(ctx) as graph:
        rows = graph.claims() if what == "claims" else graph.entities()
        fh = out.open("w", encoding="utf-8") if out else sys.stdout
        try:
            for row in rows:
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


def main() -> None:
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (QueryError, StoreError, EngineError) as exc:
        click.echo(f"kg: {exc}", err=True)
        sys.exit(2)
    except SystemExit:
        raise
