"""`kg view`: one self-contained, offline HTML page that draws part of the graph with vis-network.

The library ships inside the package (kg/static, dual Apache-2.0/MIT licence beside it) and is
inlined into the page, which forbids every network request with a Content-Security-Policy. Reads
go only through `Store.read`, so both engines give the same picture."""
from __future__ import annotations

import difflib
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import queries
from .errors import InputError, NotFound
from .store import Store

STATIC = Path(__file__).resolve().parent / "static"
DEFAULT_LIMIT = 300

NODE_COLOURS = {"Person": "#4e79a7", "Organization": "#f28e2b", "Country": "#59a14f",
                "Location": "#76b7b2", "Event": "#b07aa1"}
# predicate -> (legend words, colour, dashes); denials and revocations share one warning colour
EDGE_STYLES: dict[str, tuple[str, str, bool | list[int]]] = {
    "DESIGNATED_AS_TERRORIST": ("designated", "#d62728", False),
    "CALLED_FOR_DESIGNATION": ("calls to designate", "#d62728", [8, 6]),
    "DENIED_DESIGNATION": ("denies designation", "#9467bd", [2, 4]),
    "REVOKED_DESIGNATION": ("revokes designation", "#9467bd", False),
    "LEADS": ("leads", "#1f77b4", False),
    "PART_OF": ("part of", "#2ca02c", False),
    "SUPPORTS": ("supports", "#8c564b", False),
    "AGENCY_OF": ("agency of", "#9a9a9a", [3, 3]),
}


class ViewError(InputError):
    """What to draw is asked for wrongly; the message says what to try."""


class NoSuchEntity(ViewError, NotFound):
    """The entity to draw is not in the graph."""


@dataclass
class View:
    """What to draw: entity nodes, grouped claim edges, and remarks for the reader."""
    scope: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def build(store: Store, entity: str | None = None, query: str | None = None,
          params: dict[str, Any] | None = None, depth: int = 1, limit: int = DEFAULT_LIMIT,
          claims_only: bool = False) -> View:
    """The neighbourhood of `entity`, the entities of `query`'s rows, or else the whole graph,
    never more than `limit` entities (a note says when some were left out); `claims_only` leaves
    out the entities no claim is about (those only mentioned)."""
    if entity is not None and query is not None:
        raise ViewError("draw either an entity or a query, not both")
    if entity is not None:
        keys, scope, total = _neighbourhood(store, entity, depth, limit)
    elif query is not None:
        keys, scope, total = _query_entities(store, query, params or {})
    else:
        total = store.read(f"MATCH (e:Entity) WHERE NOT $claims_only OR {HAS_CLAIMS} "
                           "RETURN count(e) AS n", {"claims_only": claims_only})[0]["n"]
        keys = [r["key"] for r in store.read(
            "MATCH (e:Entity) " + COUNT_CLAIMS + "WITH e, claims WHERE claims > 0 OR NOT $claims_only "
            "RETURN e.key AS key ORDER BY claims DESC, key LIMIT $limit",
            {"limit": limit, "claims_only": claims_only})]
        scope = "the whole graph"
    if claims_only:
        if entity is not None or query is not None:
            keys = _with_claims(store, keys)
            total = len(keys)
        scope += ", entities with claims only"
    view = View(scope)
    if total > limit:
        keys = keys[:limit]
        view.notes.append(f"showing {len(keys)} of {total} entities (the limit is {limit}); "
                          f"draw less with --entity or --query, or raise --limit")
    if not keys:
        view.notes.append(f"nothing to draw for {scope}")
    view.nodes = _nodes(store, keys)
    view.edges = _edges(store, keys)
    return view


# A claim's object is its fact's, and its subject too unless the claim names a body acting for that
# state (kg/write.py): the claims about an entity are those of the facts it is the object of, those of
# the facts it is the subject of that name no body, and those naming it as the body.
HAS_CLAIMS = "((e)<-[:FACT_SUBJECT|FACT_OBJECT]-(:Fact) OR (e)<-[:SUBJECT]-(:Claim))"
COUNT_CLAIMS = """OPTIONAL MATCH (e)<-[:FACT_OBJECT]-(:Fact)<-[:OF]-(c1:Claim)
WITH e, count(DISTINCT c1) AS objects
OPTIONAL MATCH (e)<-[:FACT_SUBJECT]-(:Fact)<-[:OF]-(c2:Claim) WHERE NOT (c2)-[:SUBJECT]->()
WITH e, objects, count(DISTINCT c2) AS subjects
OPTIONAL MATCH (e)<-[:SUBJECT]-(c3:Claim)
WITH e, objects, subjects, count(DISTINCT c3) AS own
WITH e, objects + subjects + own AS claims
"""


def _resolve(store: Store, name: str) -> dict[str, Any]:
    rows = store.read("MATCH (:Name {key: toLower($name)})-[:NAMES]->(e:Entity) " + COUNT_CLAIMS +
                      "RETURN e.key AS key, e.name AS name, claims ORDER BY claims DESC, key",
                      {"name": name})
    if rows:
        return rows[0]
    names = [r["name"] for r in store.read("MATCH (e:Entity) RETURN e.name AS name") if r["name"]]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = (f"; did you mean {' or '.join(close)}?" if close
            else "; `kg query find-entity -p text …` finds the names kg knows")
    raise NoSuchEntity(f"no entity named {name!r} (name or alias, any case){hint}")


def _with_claims(store: Store, keys: list[str]) -> list[str]:
    """`keys` without the entities no claim is about, in the same order."""
    with_claims = {r["key"] for r in store.read(
        f"MATCH (e:Entity) WHERE e.key IN $keys AND {HAS_CLAIMS} RETURN e.key AS key",
        {"keys": keys})}
    return [k for k in keys if k in with_claims]


def _neighbourhood(store: Store, name: str, depth: int, limit: int) -> tuple[list[str], str, int]:
    """Breadth-first over claims (subject/object) and agency links, nearest entities first."""
    start = _resolve(store, name)
    seen = {start["key"]: 0}
    frontier = [start["key"]]
    for level in range(1, depth + 1):
        if not frontier:
            break
        found = store.read(
            "MATCH (e:Entity)<-[:FACT_SUBJECT|FACT_OBJECT]-(:Fact)-[:FACT_SUBJECT|FACT_OBJECT]->(o:Entity) "
            "WHERE e.key IN $keys RETURN DISTINCT o.key AS key UNION "
            "MATCH (e:Entity)<-[:SUBJECT]-(:Claim)-[:OF]->(:Fact)-[:FACT_OBJECT]->(o:Entity) WHERE e.key IN $keys "
            "RETURN DISTINCT o.key AS key UNION "
            "MATCH (e:Entity)<-[:FACT_OBJECT]-(:Fact)<-[:OF]-(:Claim)-[:SUBJECT]->(o:Entity) WHERE e.key IN $keys "
            "RETURN DISTINCT o.key AS key UNION "
            "MATCH (e:Entity)-[:AGENCY_OF]-(o:Entity) WHERE e.key IN $keys RETURN DISTINCT o.key AS key",
            {"keys": frontier})
        frontier = sorted(r["key"] for r in found if r["key"] not in seen)
        seen.update((key, level) for key in frontier)
    keys = sorted(seen, key=lambda k: (seen[k], k))
    return keys, f"the neighbourhood of {start['name']} (depth {depth})", len(keys)


def _query_entities(store: Store, name: str, params: dict[str, Any]) -> tuple[list[str], str, int]:
    """Entities named anywhere in a canned query's rows (names, lists of names, nodes)."""
    q = queries.get(name)
    rows = store.read(q.cypher, q.bind(params))
    names: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, str):
            names.add(value.lower())
        elif isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, dict) and isinstance(value.get("name"), str):
            names.add(value["name"].lower())

    for row in rows:
        for value in row.values():
            collect(value)
    keys = [r["key"] for r in store.read(
        "UNWIND $names AS name MATCH (:Name {key: toLower(name)})-[:NAMES]->(e:Entity) RETURN DISTINCT e.key AS key "
        "ORDER BY key", {"names": sorted(names)})] if names else []
    shown = " ".join(f"-p {k} {v}" for k, v in params.items())
    return keys, f"the entities of query {name}{' ' + shown if shown else ''} ({len(rows)} rows)", len(keys)


def _nodes(store: Store, keys: list[str]) -> list[dict[str, Any]]:
    rows = store.read("MATCH (e:Entity) WHERE e.key IN $keys " + COUNT_CLAIMS +
                      "RETURN e AS entity, claims", {"keys": keys})
    order = {key: i for i, key in enumerate(keys)}
    nodes = []
    for row in sorted(rows, key=lambda r: order[r["entity"]["key"]]):
        e = row["entity"]
        label = next((x for x in e["_labels"] if x in NODE_COLOURS), "Entity")
        aliases = sorted(set(e.get("aliases") or []) - {e.get("name")})
        nodes.append({"id": e["key"], "label": e.get("name") or e["key"], "group": label, "value": row["claims"] + 1,
                      "color": NODE_COLOURS.get(label, "#bab0ac"), "claims": row["claims"], "aliases": aliases,
                      "title": f"{e.get('name')} ({label}), {row['claims']} claims"})
    return nodes


def _edges(store: Store, keys: list[str]) -> list[dict[str, Any]]:
    """Claims among the drawn entities, one edge per subject/predicate/object listing every source."""
    rows = store.read(
        "MATCH (o:Entity) WHERE o.key IN $keys WITH o "
        "MATCH (o)<-[:FACT_OBJECT]-(f:Fact)<-[:OF]-(c:Claim)<-[:STATES]-(a:Article), (f)-[:FACT_SUBJECT]->(fs:Entity) "
        "OPTIONAL MATCH (c)-[:SUBJECT]->(own:Entity) "
        "WITH a, c, f, o, coalesce(own, fs) AS s WHERE s.key IN $keys "
        "OPTIONAL MATCH (c)-[:SPEAKER]->(sp:Entity) OPTIONAL MATCH (c)-[:ADDRESSEE]->(ad:Entity) "
        "RETURN s.key AS subject, o.key AS object, f.predicate AS predicate, c.evidence AS evidence, "
        "c.date AS date, c.role AS role, sp.name AS speaker, ad.name AS addressee, a.id AS article, "
        "a.title AS title, a.outlet AS outlet ORDER BY subject, predicate, object, article",
        {"keys": keys})
    rows += [{"subject": r["subject"], "object": r["object"], "predicate": "AGENCY_OF"} for r in store.read(
        "MATCH (s:Entity)-[:AGENCY_OF]->(o:Entity) WHERE s.key IN $keys AND o.key IN $keys "
        "RETURN s.key AS subject, o.key AS object ORDER BY subject", {"keys": keys})]
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["subject"], row["predicate"], row["object"]), []).append(row)
    edges = []
    for (subject, predicate, obj), claims in groups.items():
        words, colour, dashes = EDGE_STYLES.get(predicate, (predicate.lower(), "#555555", False))
        sources = sorted({c["article"] for c in claims if c.get("article")})
        statements = [{k: c.get(k) for k in ("evidence", "date", "role", "speaker", "addressee", "article",
                                             "title", "outlet")} for c in claims if c.get("article")]
        edges.append({"id": f"{subject}|{predicate}|{obj}", "from": subject, "to": obj, "predicate": predicate,
                      "label": words + (f" ×{len(sources)}" if len(sources) > 1 else ""),
                      "color": colour, "dashes": dashes, "width": 1 + min(len(sources), 5),
                      "sources": sources, "claims": statements,
                      "title": f"{words}: {len(sources)} source article(s)" if sources else words})
    return edges


def render(view: View) -> str:
    """The page: inlined vis-network, the data as JSON, a legend, notes and a details panel."""
    library = (STATIC / "vis-network.min.js").read_text(encoding="utf-8")
    data = json.dumps({"nodes": view.nodes, "edges": view.edges}, ensure_ascii=False).replace("<", "\\u003c")
    groups = sorted({n["group"] for n in view.nodes}) or list(NODE_COLOURS)
    node_legend = "".join(f'<li><span class="dot" style="background:{NODE_COLOURS.get(g, "#bab0ac")}"></span>'
                          f"{html.escape(g)}</li>" for g in groups)
    drawn = {e["predicate"] for e in view.edges}
    predicates = [p for p in EDGE_STYLES if p in drawn] or list(EDGE_STYLES)
    edge_legend = "".join(
        f'<li><span class="line" style="border-top:3px {"dashed" if dashes else "solid"} {colour}"></span>'
        f"{html.escape(words)}</li>" for words, colour, dashes in (EDGE_STYLES[p] for p in predicates))
    notes = "".join(f'<p class="note">{html.escape(n)}</p>' for n in view.notes)
    summary = (f"{len(view.nodes)} entities, {len(view.edges)} relations "
               f"({sum(len(e['claims']) for e in view.edges)} claims) — {view.scope}")
    return _PAGE.format(title=html.escape(f"kg view — {view.scope}"), summary=html.escape(summary), notes=notes,
                        node_legend=node_legend, edge_legend=edge_legend, data=data, library=library)


def write(view: View, out: Path) -> Path:
    out.write_text(render(view), encoding="utf-8")
    return out


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<style>
 body {{ margin: 0; font: 14px system-ui, sans-serif; color: #222; display: flex; height: 100vh; }}
 #graph {{ flex: 1; min-width: 0; border-right: 1px solid #ddd; }}
 aside {{ width: 300px; padding: 10px 14px; overflow-y: auto; }}
 h1 {{ font-size: 16px; margin: 0 0 6px; }}
 h2 {{ font-size: 13px; margin: 12px 0 4px; text-transform: uppercase; color: #555; }}
 ul {{ list-style: none; margin: 0; padding: 0; }}
 li {{ margin: 2px 0; }}
 .dot {{ display: inline-block; width: 12px; height: 12px; border-radius: 50%; margin-right: 6px; }}
 .line {{ display: inline-block; width: 28px; margin: 0 6px 3px 0; }}
 .note {{ background: #fff3cd; border: 1px solid #e0c068; padding: 4px 6px; }}
 #details p {{ margin: 4px 0; }}
 #details blockquote {{ margin: 4px 0 8px; padding-left: 8px; border-left: 3px solid #ccc; }}
 #shown {{ columns: 2; font-size: 12px; }}
</style>
</head>
<body>
<div id="graph"></div>
<aside>
<h1>kg view</h1>
<p id="summary">{summary}</p>
{notes}
<h2>Entities</h2><ul id="node-legend">{node_legend}</ul>
<h2>Claims</h2><ul id="edge-legend">{edge_legend}</ul>
<h2>Details</h2><div id="details"><p>Hover or click a node or an edge.</p></div>
<h2>Drawn</h2><ul id="shown"></ul>
</aside>
<script type="application/json" id="kg-data">{data}</script>
<script>{library}</script>
<script>
(function () {{
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const nodes = new vis.DataSet(data.nodes), edges = new vis.DataSet(data.edges);
  const network = new vis.Network(document.getElementById("graph"), {{nodes, edges}}, {{
    nodes: {{shape: "dot", scaling: {{min: 10, max: 40}}, font: {{size: 14, strokeWidth: 3}}}},
    edges: {{arrows: "to", font: {{size: 11, strokeWidth: 4}}, smooth: {{type: "dynamic"}}}},
    layout: {{randomSeed: 2}},  // the same picture every time
    physics: {{solver: "forceAtlas2Based", stabilization: {{iterations: 400}}}},
    interaction: {{hover: true, tooltipDelay: 150}}
  }});
  const details = document.getElementById("details");
  function add(tag, text, parent) {{
    const el = document.createElement(tag); el.textContent = text; (parent || details).appendChild(el); return el;
  }}
  function showNode(id) {{
    const n = nodes.get(id); details.replaceChildren();
    add("p", n.label + " (" + n.group + ")").style.fontWeight = "bold";
    add("p", n.claims + " claims");
    if (n.aliases.length) add("p", "also: " + n.aliases.join(", "));
  }}
  function showEdge(id) {{
    const e = edges.get(id); details.replaceChildren();
    add("p", nodes.get(e.from).label + " → " + e.label + " → " + nodes.get(e.to).label).style.fontWeight = "bold";
    if (e.predicate !== "AGENCY_OF") add("p", e.sources.length + " source article(s): " + e.sources.join(", "));
    for (const c of e.claims) {{
      add("blockquote", c.evidence || "");
      const who = [c.date && "date " + c.date, c.speaker && "speaker " + c.speaker,
                   c.addressee && "addressed to " + c.addressee, c.role && "role " + c.role,
                   "source " + [c.article, c.title, c.outlet].filter(Boolean).join(", ")].filter(Boolean);
      add("p", who.join(" · "));
    }}
  }}
  network.on("hoverNode", p => showNode(p.node));
  network.on("hoverEdge", p => showEdge(p.edge));
  network.on("selectNode", p => showNode(p.nodes[0]));
  network.on("selectEdge", p => {{ if (!p.nodes.length) showEdge(p.edges[0]); }});
  network.once("stabilized", () => network.fit());
  network.once("afterDrawing", () => {{
    const shown = document.getElementById("shown");
    for (const n of nodes.get({{order: "label"}})) add("li", n.label, shown);
    document.body.dataset.rendered = "true";
  }});
}})();
</script>
</body>
</html>
"""
