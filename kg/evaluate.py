"""Measuring extraction against a hand-made gold file (the format of ../shared/eval/README.md): the
articles are ingested into a temporary embedded graph, exported as a user would export them, and
scored — per predicate, overall, on the gold's negatives, on entities, and per rule.

Names meet gold entities through the gold's alias lists (case, quotes, dashes, a leading "the" and
a trailing possessive ignored); a claim may name any of a gold claim's `alt_subjects`/`alt_objects`.
Claims of articles the gold does not annotate are left out."""
from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import engine
from .errors import InputError
from .store import FalkorStore

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def normalise(name: str | None) -> str:
    text = unicodedata.normalize("NFKC", name or "").translate(_QUOTES).casefold().strip()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"'s$|'$", "", text)
    return re.sub(r"[.\s]+", " ", text).strip()


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"P": round(p, 4), "R": round(r, 4), "F1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


class Gold:
    """A gold file: entities with aliases, claims, negatives and pairs that must stay distinct."""

    def __init__(self, path: Path):
        try:
            table = json.loads(path.read_text(encoding="utf-8"))
            self.entities: dict[str, dict] = table["entities"]
            self.claims: list[dict] = table["claims"]
        except (OSError, ValueError, KeyError) as exc:
            raise EvalError(f"{path}: not a gold file ({type(exc).__name__}: {exc})") from exc
        self.articles = set(table.get("articles") or {c["article"] for c in self.claims})
        self.negatives: list[dict] = table.get("negatives", [])
        self.distinct: list[list[str]] = table.get("distinct", [])
        self._ids: dict[str, set[str]] = defaultdict(set)
        for gid, entity in self.entities.items():
            for alias in [entity["name"], *entity.get("aliases", [])]:
                self._ids[normalise(alias)].add(gid)

    def ids(self, name: str | None, aliases: Iterable[str] = ()) -> frozenset[str]:
        """The gold entities a name stands for; the entity's aliases only when its name matches none."""
        found = set(self._ids.get(normalise(name), ()))
        if not found:
            for alias in aliases:
                found |= self._ids.get(normalise(alias), set())
        return frozenset(found)


class EvalError(InputError):
    """A gold file or an article folder that cannot be evaluated."""


@dataclass
class Evaluation:
    predicates: dict[str, dict]
    micro: dict[str, float]
    unsupported: int
    entities: dict
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    negatives_hit: list[str] = field(default_factory=list)
    rules: dict[str, dict] = field(default_factory=dict)  # rule id -> tp, fp, precision

    def to_json(self) -> dict:
        return asdict(self)


def _accepts(gold_claim: dict, found: tuple[frozenset, frozenset]) -> bool:
    subjects = {gold_claim["subject"], *gold_claim.get("alt_subjects", [])}
    objects = {gold_claim["object"], *gold_claim.get("alt_objects", [])}
    return bool(found[0] & subjects and found[1] & objects)


def score(gold: Gold, claims: list[dict], entities: list[dict]) -> Evaluation:
    """Score exported claims and entities (JSON Lines rows of `kg export`) against the gold."""
    aliases = {e.get("name", ""): e.get("aliases") or [] for e in entities}
    predicates = sorted({c["predicate"] for c in gold.claims})
    wanted: dict[tuple, list[dict]] = defaultdict(list)
    for c in gold.claims:
        wanted[(c["predicate"], c["article"])].append(c)
    got: dict[tuple, dict[tuple, set[str]]] = defaultdict(dict)  # (pred, article) -> (sids, oids) -> rule ids
    for row in claims:
        article = Path(row.get("article") or "").stem
        if row.get("predicate") not in predicates or article not in gold.articles:
            continue
        s, o = row.get("subject") or {}, row.get("object") or {}
        pair = (gold.ids(s.get("name"), aliases.get(s.get("name", ""), [])),
                gold.ids(o.get("name"), aliases.get(o.get("name", ""), [])))
        got[(row["predicate"], article)].setdefault(pair, set()).add(row.get("rule") or "?")

    counts = {p: [0, 0, 0] for p in predicates}
    rules: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses, extras = [], []
    for key in sorted(set(wanted) | set(got)):
        predicate, article = key
        left = dict(got.get(key, {}))
        for c in wanted.get(key, []):
            match = next((pair for pair in left if _accepts(c, pair)), None)
            if match is None:
                counts[predicate][2] += 1
                misses.append(f"{predicate}: {c['subject']} -> {c['object']} [{article}]")
            else:
                counts[predicate][0] += 1
                for rule in left.pop(match):
                    rules[rule][0] += 1
        for pair, rule_ids in left.items():
            if any(_accepts(c, pair) for c in wanted.get(key, [])):
                continue  # a second reading of a gold claim already matched is no error
            counts[predicate][1] += 1
            for rule in rule_ids:
                rules[rule][1] += 1
            names = ["/".join(sorted(ids)) or "?" for ids in pair]
            extras.append(f"{predicate}: {names[0]} -> {names[1]} [{article}] ({', '.join(sorted(rule_ids))})")
    negatives_hit = [f"{n['predicate']}: {n['subject']} -> {n['object']} [{n['article']}] ({n.get('why', '')})"
                     for n in gold.negatives
                     if any(n["subject"] in s and n["object"] in o for s, o in got.get((n["predicate"], n["article"]), {}))]
    total = [sum(v[i] for v in counts.values()) for i in range(3)]
    return Evaluation(
        predicates={p: {**prf(*v), "tp": v[0], "fp": v[1], "fn": v[2]} for p, v in counts.items()},
        micro=prf(*total), unsupported=len(negatives_hit), entities=score_entities(gold, entities),
        misses=misses, extras=extras, negatives_hit=negatives_hit,
        rules={r: {"tp": tp, "fp": fp, "precision": round(tp / (tp + fp), 4) if tp + fp else 0.0}
               for r, (tp, fp) in sorted(rules.items())})


def score_entities(gold: Gold, entities: list[dict]) -> dict:
    """Recall of gold entities, nodes that join several gold entities (merges), gold entities
    found as several nodes (splits), and `distinct` pairs joined in one node."""
    nodes_of: dict[str, list[str]] = defaultdict(list)
    merges, joined = [], set()
    for e in entities:
        ids = set(gold.ids(e.get("name")))
        for alias in e.get("aliases") or []:
            ids |= gold.ids(alias)
        if len(ids) > 1:
            merges.append(f"{e.get('name')!r} joins {sorted(ids)}")
        for gid in ids:
            nodes_of[gid].append(str(e.get("name")))
        joined |= {frozenset(p) for p in map(frozenset, gold.distinct) if p <= ids}
    splits = [f"{gid}: {sorted(set(names))}" for gid, names in sorted(nodes_of.items()) if len(names) > 1]
    missing = sorted(set(gold.entities) - set(nodes_of))
    return {"recall": round(1 - len(missing) / len(gold.entities), 4) if gold.entities else 0.0,
            "merges": len(merges), "splits": len(splits), "missing": missing, "merged": merges,
            "split": splits, "distinct_joined": sorted("/".join(sorted(p)) for p in joined)}


def evaluate(gold_path: Path, paths: Iterable[Path], workers: int = 1, out: Path | None = None) -> Evaluation:
    """Ingest `paths` into a temporary embedded graph, export it, score it against the gold file;
    with `out`, the exports are kept there (claims.jsonl, entities.jsonl) for other scorers."""
    from .api import KnowledgeGraph  # the API imports the pipeline; evaluate is imported by the CLI

    gold = Gold(gold_path)
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as home:
        store = FalkorStore(Path(home))
        try:
            with KnowledgeGraph(store) as graph:
                report = graph.ingest(paths, workers=workers)
                if report.written == 0 and report.unchanged == 0:
                    raise EvalError(f"no article could be read from {', '.join(map(str, paths))}")
                claims, entities = list(graph.claims()), list(graph.entities())
        finally:
            engine.stop(Path(home))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for name, rows in (("claims", claims), ("entities", entities)):
            with (out / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
                fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return score(gold, claims, entities)


def precision_toml(rules: dict[str, dict], source: str) -> str:
    """Rule precision as kg/data/rules/precision.toml holds it: the confidence of each rule's claims."""
    lines = [f"# Measured precision of each extraction rule ({source}).",
             "# A claim's confidence is its rule's precision smoothed by its count, (tp + 1) / (tp + fp + 2), so a",
             "# rule right 3 times of 3 is not trusted as much as one right 40 times of 41; a rule not listed gets the",
             "# default. Written by `kg eval --by-rule --save-precision`.", ""]
    for rule, v in sorted(rules.items()):
        if rule != "?":
            confidence = round((v["tp"] + 1) / (v["tp"] + v["fp"] + 2), 2)
            lines.append(f'[rule."{rule}"]\nprecision = {v["precision"]}\nconfidence = {confidence}\n'
                         f'tp = {v["tp"]}\nfp = {v["fp"]}\n')
    return "\n".join(lines)
