"""The `kg` command: a thin layer over kg.api.KnowledgeGraph."""
from __future__ import annotations

import csv
import json
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, SpinnerColumn, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.table import Table
from rich.text import Text

from . import __version__, queries
from .config import Settings
from .errors import KgError
from .read import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from .api import KnowledgeGraph

err = Console(stderr=True)
CELL = 60  # characters of text a table cell shows, unless --full


def _open(ctx: click.Context) -> KnowledgeGraph:
    from .api import KnowledgeGraph  # imported by the commands that use a graph: `kg --help` starts fast

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
@click.argument("paths", nargs=-1)
@click.option("--urls", "url_list", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Also read the pages or feeds of the URLs in this file (one a line, # for comments).")
@click.option("--workers", default=1, show_default=True, help="Processes that analyse articles in parallel.")
@click.option("--batch-size", default=32, show_default=True, help="Articles written per transaction.")
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True, help="Refuse files larger than this.")
@click.option("--follow-links", is_flag=True, help="Read symbolic links that lead outside the folders given.")
@click.pass_context
def ingest(ctx, paths, url_list, workers, batch_size, max_bytes, follow_links):
    """Read articles into the graph: files or folders of .txt/.md/.html, JSON Lines files (.jsonl,
    one article a line: {"id", "text", "title", "date", "outlet", "url", "author"}, the fields
    winning over what kg guesses from the text), `-` for standard input (plain text or JSON Lines),
    and URLs of pages or of RSS/Atom feeds (each entry's page is read). Symbolic links leading
    outside the folders given are refused unless --follow-links.

    Ingesting the same articles again changes nothing; an article whose text changed replaces
    its claims. Files that cannot be read are reported, and the rest still ingested.

    \b
    Example:
      kg ingest examples/articles
      kg ingest articles.jsonl
      cat article.txt | kg ingest -
      kg ingest https://example.org/feed.xml --urls more-urls.txt
    """
    from .feeds import urls_in
    from .read import expected_articles

    paths = [*paths, *(urls_in(url_list) if url_list else [])]
    if not paths:
        raise click.UsageError("give at least one file, folder, URL, `-` or --urls FILE")
    total = expected_articles(paths, follow_links)
    graph = _open(ctx)
    with graph, Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                         TextColumn("articles"), TextColumn("{task.fields[claims]} claims"), _Rate(),
                         TimeElapsedColumn(), TextColumn("elapsed,"), TimeRemainingColumn(), TextColumn("left"),
                         console=err, disable=not err.is_terminal) as bar:
        task = bar.add_task("reading", total=total, claims=0)

        def progress(event: str, n: int) -> None:
            if event == "loading":
                bar.update(task, description="loading the language model")
            elif event == "article":
                bar.update(task, advance=n, description="ingesting")
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


class _Rate(ProgressColumn):
    """Articles per second, once there is a rate to show."""

    def render(self, task) -> Text:
        return Text(f"{task.speed:.1f} articles/s" if task.speed else "")


@cli.command()
@click.argument("name", required=False)
@click.option("-p", "--param", "params", multiple=True, nargs=2, metavar="KEY VALUE", help="A query parameter.")
@click.option("--cypher", "text", metavar="CYPHER", help="Run this read-only Cypher of your own instead of a "
              "canned query (values as $parameters, given with -p).")
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Run the read-only Cypher of this file (a queries/-style header is optional).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--full", is_flag=True, help=f"Tables: show long text whole instead of cut at {CELL} characters "
              "(JSON and CSV always hold it whole).")
@click.pass_context
def query(ctx, name, params, text, file, fmt, full):
    """Run a canned query of queries/ by NAME (`kg queries` lists them), or your own Cypher.

    For --cypher and --file, a -p value is read as JSON when it is a number, true, false, null or
    a [list], else as a string (unless a `// param:` header in the file types it).

    \b
    Example:
      kg query designations-by-country -p country "United States" --format csv
      kg query --cypher 'MATCH (e:Entity {type: $type}) RETURN e.name AS name' -p type Person
      kg query --file my-question.cypher -p group IRGC
    """
    given = dict(params)
    if sum(x is not None for x in (name, text, file)) != 1:
        raise click.UsageError("give a canned query NAME, or --cypher CYPHER, or --file FILE (one of them)")
    unmatched: list[tuple[str, str, str]] = []
    if name is not None:
        q = queries.get(name)
        bound = q.bind(given, cli=True)  # a bad parameter is reported before the engine is started
        with _open(ctx) as graph:
            rows = graph.query(name, **given)
            if not rows:
                unmatched = graph.unmatched(name, **given)
    else:
        source = file.read_text(encoding="utf-8") if file else text
        q = queries.adhoc(source, file)
        bound = q.bind(given, cli=True) if q.params else {k: _json_or_text(v) for k, v in given.items()}
        with _open(ctx) as graph:
            rows = graph.cypher(source, **bound)
            if not rows and q.params:  # a header that types a parameter entity or article
                unmatched = graph.unmatched(q, **given)
    if isinstance(bound.get("limit"), int) and len(rows) == bound["limit"]:
        click.echo(f"kg query: the first {len(rows)} rows; there may be more (-p limit N)", err=True)
    for key, value, kind in unmatched:
        if kind == "entity":
            click.echo(f"kg query: no entity is named {value!r} (-p {key}; names and aliases, any case); find "
                       f"the names kg knows with: kg query find-entity -p text {shlex.quote(value)}", err=True)
        else:
            click.echo(f"kg query: no article has the id {value!r} (-p {key}; an article's id is its file name "
                       f"without the extension, or its JSON Lines id)", err=True)
    if not rows and not unmatched:
        click.echo("kg query: no rows", err=True)
    columns = [c for c in rows.columns if fmt == "json" or c != "graph"]  # nodes for the Neo4j Browser to draw
    if fmt == "json":
        click.echo(json.dumps(list(rows), indent=1, ensure_ascii=False, default=str))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row[c]) for c in columns])
    elif rows:
        _table(q.name, columns, rows, full)


def _json_or_text(value: str):
    try:
        parsed = json.loads(value)
    except ValueError:
        return value
    return parsed if not isinstance(parsed, dict) else value


def _table(title: str, columns: list[str], rows: list[dict], full: bool) -> None:
    """Rows side by side when every column fits the terminal at its longest word, else one block
    per row; words are never broken, long text is cut at a word with an ellipsis. Piped output is
    never wrapped."""
    terminal = Console()
    console = terminal if terminal.is_terminal else Console(width=1_000_000)
    cells = [[_cell(row[c]) if full else _shorten(_cell(row[c]), CELL) for c in columns] for row in rows]
    title = f"{title} ({len(rows)} {'row' if len(rows) == 1 else 'rows'})"
    widths = _widths(columns, cells, console.width)
    if widths is None:
        table = Table(title=title, show_header=False)
        table.add_column("field", style="bold", no_wrap=True)
        table.add_column("value", overflow="ellipsis")
        for values in cells:
            for i, (key, value) in enumerate(zip(columns, values)):
                table.add_row(key, value, end_section=i == len(columns) - 1)
    else:  # kg sets every width, so rich has nothing to shrink (and crop) to fit
        table = Table(title=title)
        for column, width in zip(columns, widths):
            table.add_column(column, overflow="ellipsis", width=width)
        for values in cells:
            table.add_row(*values)
    console.print(table, soft_wrap=not terminal.is_terminal)


def _widths(columns: list[str], cells: list[list[str]], width: int) -> list[int] | None:
    """Column widths for rows side by side in `width` characters: each column at least its header
    and its longest word, the room left shared among the columns whose text is longer; None when
    even that does not fit (a table's borders and padding take 3 characters a column, and 1)."""
    narrowest = [max([len(c), *(len(w) for values in cells for w in values[i].split())]) for i, c in enumerate(columns)]
    widest = [max([len(c), *(len(values[i]) for values in cells)]) for i, c in enumerate(columns)]
    room = width - (3 * len(columns) + 1) - sum(narrowest)
    if room < 0:
        return None
    widths = list(narrowest)
    wants = [w - n for w, n in zip(widest, narrowest)]
    if sum(wants) <= room:
        return widest
    for i, want in enumerate(wants):  # a share of the room in proportion to what each column lacks
        widths[i] += room * want // sum(wants)
    for i in sorted(range(len(columns)), key=lambda i: widths[i] - widest[i])[:width - (3 * len(columns) + 1) - sum(widths)]:
        widths[i] += 1  # what rounding down left over, to those that lack the most
    return widths


def _shorten(text: str, width: int) -> str:
    """`text` cut at the last word that fits in `width` characters, with an ellipsis."""
    if len(text) <= width:
        return text
    cut = text[:width - 1].rsplit(" ", 1)[0] if " " in text[:width - 1] else text[:width - 1]
    return cut.rstrip(" ,;:") + "…"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
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
            click.echo(f"    {p.usage(cli=True)}  {p.help} ({default}{', ' + p.range() if p.range() else ''})")
        for example in q.examples:
            click.echo(f"    e.g. {example}")


@cli.command("export")
@click.argument("what", type=click.Choice(["claims", "entities", "rdf", "graphml", "neo4j-csv"]))
@click.option("--out", type=click.Path(path_type=Path), help="Write to this file instead of standard output "
              "(neo4j-csv: the folder to write its files into, required).")
@click.option("--format", "fmt", metavar="FORMAT", help="rdf only: trig, nquads (nq), jsonld, turtle (ttl) or nt "
              "(default: from the --out extension, else trig; trig, nquads and jsonld keep each claim's named graph).")
@click.option("--base", help="rdf only: base IRI of articles, claims and entities (default https://kg.example.org/).")
@click.option("--article", help="rdf only: just this article's claims and what they refer to.")
@click.option("--entity", help="rdf only: just the claims about this entity (name or alias).")
@click.pass_context
def export_(ctx, what, out, fmt, base, article, entity):
    """Export claims or entities as JSON Lines, the graph as RDF or GraphML, or CSV files for
    `neo4j-admin database import`.

    \b
    Example:
      kg export claims --out claims.jsonl
      kg export rdf --out kg.ttl                  # the format from the extension: .trig .nq .jsonld .ttl .nt
      kg export rdf --entity IRGC --format turtle
      kg export graphml --out kg.graphml
      kg export neo4j-csv --out import/
    """
    if what != "rdf" and (fmt or base or article or entity):
        raise click.UsageError("--format, --base, --article and --entity apply to `kg export rdf` only")
    if what == "rdf":
        from . import rdf

        fmt = rdf.format_of(out or Path(), fmt) if out or fmt else "trig"  # refused before any work when wrong
    if what == "neo4j-csv":
        if out is None:
            raise click.UsageError("kg export neo4j-csv needs --out FOLDER")
        with _open(ctx) as graph:
            written = graph.export_neo4j_csv(out)
        files = {**written.nodes, **written.relationships}
        click.echo(f"kg export: wrote {', '.join(f'{name} ({n} rows)' for name, n in files.items())} into {out}")
        click.echo(f"load them into a new Neo4j database with:\n  {written.import_command()}")
        return
    # into a file beside --out, renamed over it once the export is whole: one that fails (no entity
    # of that name, a lost engine) leaves an existing file as it was
    part = out.with_name(f".{out.name}.part") if out else None
    with _open(ctx) as graph:
        fh = part.open("w", encoding="utf-8") if part else sys.stdout
        try:
            if what == "rdf":
                graph.export_rdf(fh, fmt, base, article, entity)
            elif what == "graphml":
                graph.export_graphml(fh)
            else:
                for row in graph.claims() if what == "claims" else graph.entities():
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        except BaseException:
            if part:
                fh.close()
                part.unlink(missing_ok=True)
            raise
        if part:
            fh.close()
            part.replace(out)


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
@click.argument("verdict", type=click.Choice(["SAME", "DIFFERENT"], case_sensitive=False))
@click.argument("name")
@click.argument("other")
@click.pass_context
def judge(ctx, verdict, name, other):
    """Judge two names one entity (SAME) or two (DIFFERENT), and resolve the articles naming them again.

    The judgement goes to KG_HOME/judgements.toml and is consulted before any comparison of spellings.

    \b
    Example:
      kg judge DIFFERENT "Hassan Nasrallah" "Hussein Nasrallah"
    """
    with _open(ctx) as graph:
        report = graph.judge(verdict, name, other)
    click.echo(f"kg judge: {verdict.lower()} recorded; {report.written} articles resolved again")


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
    click.echo(f"kg remove: {len(removed)} articles removed")
    if missing:  # nothing has the name it was given: exit 4, as for any name that matches nothing
        click.echo(f"kg remove: not in the graph: {', '.join(missing)} (an article's id is its file name without "
                   f"the extension, or its JSON Lines id)", err=True)
        sys.exit(4)


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
    from . import engine

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
    from . import engine

    click.echo("embedded engine stopped" if engine.stop(_home(ctx)) else "embedded engine was not running")


@engine_group.command("status")
@click.pass_context
def engine_status(ctx):
    """Say whether the embedded engine runs, where, and on which port.

    \b
    Example:
      kg engine status
    """
    from . import engine

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
@click.option("--claims-only", is_flag=True, help="Leave out the entities no claim is about (only mentioned).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("kg-view.html"), show_default=True,
              help="The HTML file to write.")
@click.pass_context
def view(ctx, entity, query_name, params, depth, limit, claims_only, out):
    """Write the graph as one self-contained HTML page that works offline.

    Nodes are entities, edges their claims; hover or click one for the evidence and sources.
    Without --entity or --query the whole graph is drawn, up to --limit entities.

    \b
    Example:
      kg view --entity IRGC --depth 2 --out irgc.html
      kg view --query designations-by-country -p country "United States"
      kg view --claims-only
    """
    if params and not query_name:
        raise click.UsageError("-p/--param needs --query")
    if query_name:
        queries.get(query_name).bind(dict(params), cli=True)  # a bad parameter is reported before the engine starts
    with _open(ctx) as graph:
        drawn = graph.view(out, entity=entity, query=query_name, params=dict(params), depth=depth, limit=limit,
                           claims_only=claims_only)
    for note in drawn.notes:
        click.echo(f"kg view: {note}", err=True)
    click.echo(f"kg view: wrote {out} ({len(drawn.nodes)} entities, {len(drawn.edges)} relations)")


@cli.command("validate-rdf")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", metavar="FORMAT", help="The RDF syntax: trig, nquads (nq), jsonld, turtle (ttl) "
              "or nt (default: from the file's extension).")
def validate_rdf(file, fmt):
    """Check an RDF file against the SHACL shapes of schema/shapes.ttl.

    Works on any export of `kg export rdf`; prints the violations and exits 1 when it does not
    conform, or one line with the file, the line and the parser's message when it does not parse.

    \b
    Example:
      kg export rdf --out kg.trig && kg validate-rdf kg.trig
    """
    from . import rdf

    try:
        result = rdf.validate(file, fmt)
    except rdf.RdfError as exc:
        click.echo(f"kg validate-rdf: {exc}", err=True)
        sys.exit(1)
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


# --- extraction: measure, explain, list rules ----------------------------------------------------

def _precision_file(ctx) -> Path:
    return Settings.from_env(**ctx.obj).home / "rule-precision.json"


@cli.command("eval")
@click.option("--gold", "gold", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Gold annotation (JSON, the format of the evaluation README).")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--by-rule", is_flag=True, help="Also the precision of every rule (kept for `kg rules`).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the exports scored (claims.jsonl, entities.jsonl) in this folder.")
@click.option("--workers", default=1, show_default=True, help="Processes that analyse articles in parallel.")
@click.option("--save-precision", type=click.Path(dir_okay=False, path_type=Path),
              help="With --by-rule: write the rules' measured precision as TOML (kg/data/rules/precision.toml "
                   "is where kg reads the confidence of its claims from).")
@click.pass_context
def eval_(ctx, gold, paths, fmt, by_rule, out, workers, save_precision):
    """Measure extraction on annotated articles: PATHS are analysed into a temporary graph and
    scored against GOLD — per predicate, overall, negatives hit, entities, misses and extras.

    \b
    Example:
      kg eval --gold my-gold.json my-articles/ --by-rule
    """
    from .api import evaluate
    from .evaluate import precision_toml

    result = evaluate(gold, paths, workers=workers, out=out)
    if by_rule:
        path = _precision_file(ctx)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"gold": str(gold), "rules": result.rules}, indent=1))
        if save_precision:
            save_precision.write_text(precision_toml(result.rules, f"kg eval --by-rule on {gold.name}"))
    if fmt == "json":
        data = result.to_json()
        if not by_rule:
            data.pop("rules")
        click.echo(json.dumps(data, indent=1, ensure_ascii=False))
        return
    click.echo(f"{'predicate':26} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}")
    for name, v in result.predicates.items():
        click.echo(f"{name:26} {v['tp']:4} {v['fp']:4} {v['fn']:4} {v['P']:6.2f} {v['R']:6.2f} {v['F1']:6.2f}")
    m, e = result.micro, result.entities
    click.echo(f"{'micro':26} {'':14} {m['P']:6.2f} {m['R']:6.2f} {m['F1']:6.2f}")
    click.echo(f"unsupported (negatives hit): {result.unsupported}")
    click.echo(f"entities: recall {e['recall']:.2f}, merges {e['merges']}, splits {e['splits']}")
    for title, items in (("missed", result.misses), ("not in gold", result.extras),
                         ("UNSUPPORTED BY TEXT", result.negatives_hit), ("merged", e["merged"]), ("split", e["split"])):
        if items:
            click.echo(f"\n{title}:")
            click.echo("\n".join(f"  {x}" for x in items))
    if by_rule:
        click.echo(f"\n{'rule':32} {'tp':>4} {'fp':>4} {'P':>6}")
        for rule, v in sorted(result.rules.items(), key=lambda kv: kv[1]["precision"]):
            click.echo(f"{rule:32} {v['tp']:4} {v['fp']:4} {v['precision']:6.2f}")


@cli.command()
@click.argument("text")
@click.option("--date", help="The article's date (YYYY-MM-DD), for relative dates.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--why-not", nargs=2, metavar="SUBJECT OBJECT", help="Which rules came close to this pair, and what failed.")
def explain(text, date, fmt, why_not):
    """The claims kg extracts from TEXT (a sentence or paragraph), each with its rule, the words bound
    to its roles and the word that decided its modality.

    \b
    Examples:
      kg explain "Canada listed Hamas as a terrorist entity in 2002."
      kg explain "Ottawa is weighing whether to ban Hamas as a terrorist group." --why-not Ottawa Hamas
    """
    from .api import explain as explain_text, why_not as why_not_pair

    rows = [r.to_json() for r in (why_not_pair(text, *why_not, date=date) if why_not else explain_text(text, date))]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
    elif why_not and not rows:
        click.echo(f"no rule matched in a sentence naming both {why_not[0]!r} and {why_not[1]!r}: "
                   f"check that both are recognised as entities (kg explain shows the claims it finds)")
    elif why_not:
        for r in rows:
            click.echo(f"{r['rule']} at {r['trigger']!r}: {r['failed']}")
            for role, found in r["roles"].items():
                click.echo(f"    {role}: {', '.join(found) or '(nothing)'}")
            for claim in r["found"]:
                click.echo(f"    gave {claim}")
    elif not rows:
        click.echo("no claim")
    else:
        for r in rows:
            why = f" (decided by {r['why']!r})" if r["why"] else ""
            click.echo(f"{r['predicate']}: {r['subject']} -> {r['object']}  [{r['rule']}, {r['modality']}{why}]")
            click.echo("    " + ", ".join(f"{k}={v!r}" for k, v in r["roles"].items()))


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def rules_(ctx, fmt):
    """Every extraction rule (kg/data/rules/) with its predicate, modality, examples and precision: the
    shipped measurement, and that of your last `kg eval --by-rule` when there is one.

    \b
    Example:
      kg rules --format json
    """
    from .api import rules

    path = _precision_file(ctx)
    last = json.loads(path.read_text())["rules"] if path.exists() else {}
    rows = [{"id": r.id, "family": r.family, "predicate": r.predicate, "modality": r.modality,
             "description": r.description, "precision": r.measured["precision"] if r.measured else None,
             "last_eval": last.get(r.id), "examples": [e["text"] for e in r.examples],
             "counter_examples": [e["text"] for e in r.counter_examples]} for r in rules()]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    for r in rows:
        measured = f"precision {r['precision']:.2f}" if r["precision"] is not None else "not measured"
        if r["last_eval"]:
            measured += f"; last eval {r['last_eval']['precision']:.2f} ({r['last_eval']['tp']} tp, {r['last_eval']['fp']} fp)"
        click.echo(f"{r['id']}  {r['predicate']} ({r['modality']}), {measured}\n    {r['description']}")
        for example in r["examples"]:
            click.echo(f"    e.g. {example}")


def main() -> None:
    try:
        cli(prog_name="kg", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("kg: interrupted; the graph is intact (`kg ingest` repairs half-written articles)", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KgError as exc:  # the kind fixes the exit status, see kg/errors.py
        click.echo(f"kg: {exc}", err=True)
        sys.exit(exc.exit_code)
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
