"""Claim rules as data: kg/data/rules/*.toml, one file per claim family. A rule is a spaCy
DependencyMatcher pattern, the checks its anchor must pass, the finders that bind its roles, the
predicate and modality it yields, and example sentences it must (and must not) extract.

Rules are checked when they load: word classes (`"@class"`) must exist in kg/data/lexicon.toml,
finders and checks in kg/extract/finders.py, predicates in schema/schema.toml."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..errors import InputError
from ..resources import DEFAULT_CONFIDENCE, PACKAGE, measured_precision, rule_confidence, schema
from . import relations  # noqa: F401  (registers the leadership, unit and backing finders)
from .finders import CHECKS, PAIR_FINDERS, ROLE_FINDERS
from .lexicon import lexicon

RULES_DIR = PACKAGE / "data" / "rules"


class RuleError(InputError):
    """A rules file that does not load: the file and the rule are named."""


@dataclass(frozen=True)
class Step:
    """One finder or check applied to one pattern node: "agent", "owner@list", "not participle_by"."""

    name: str
    node: str
    negate: bool = False


@dataclass
class Rule:
    id: str
    family: str
    predicate: str
    modality: str  # "decide": kg/extract/modality.py decides; else the one modality it yields
    pattern: list[dict]
    anchor: str
    description: str = ""
    roles: dict[str, list[Step]] = field(default_factory=dict)  # subject/object: first finder that finds
    pairs: Step | None = None
    requires: list[Step] = field(default_factory=list)
    examples: list[dict] = field(default_factory=list)
    counter_examples: list[dict] = field(default_factory=list)
    confidence: float = DEFAULT_CONFIDENCE
    measured: dict | None = None  # tp / fp / precision from the shipped measurement


def _step(text: str, nodes: set[str], where: str) -> Step:
    negate = text.startswith("not ")
    name, _, node = text.removeprefix("not ").partition("@")
    node = node or "trigger"
    if node not in nodes:
        raise RuleError(f"{where}: {text!r} names pattern node {node!r}, which the pattern does not define")
    return Step(name, node, negate)


def _expand(value, where: str):
    """Replace every "@class" string inside a pattern by the words of that lexicon class."""
    if isinstance(value, dict):
        return {k: _expand(v, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, where) for v in value]
    if isinstance(value, str) and value.startswith("@"):
        if value[1:] not in lexicon():
            raise RuleError(f"{where}: word class {value!r} is not in kg/data/lexicon.toml")
        return sorted(lexicon()[value[1:]])
    return value


def _rule(row: dict, family: str, path: Path, measured: dict) -> Rule:
    rid = row.get("id")
    where = f"{path.name}: rule {rid!r}"
    if not rid:
        raise RuleError(f"{path.name}: a rule has no id")
    predicates = schema()["predicates"]
    if row.get("predicate") not in predicates:
        raise RuleError(f"{where}: predicate {row.get('predicate')!r} is not in schema/schema.toml")
    pattern = _expand(row["pattern"], where)
    nodes = {node["RIGHT_ID"] for node in pattern}
    roles = {}
    for role, finders in row.get("roles", {}).items():
        steps = [_step(f, nodes, where) for f in ([finders] if isinstance(finders, str) else finders)]
        for s in steps:
            if s.name not in ROLE_FINDERS:
                raise RuleError(f"{where}: no argument finder {s.name!r} (kg/extract/finders.py)")
        roles[role] = steps
    pairs = _step(row["pairs"], nodes, where) if "pairs" in row else None
    if pairs is not None and pairs.name not in PAIR_FINDERS:
        raise RuleError(f"{where}: no pair finder {pairs.name!r}")
    if (pairs is None) == (set(roles) != {"subject", "object"}):
        raise RuleError(f"{where}: give either roles subject and object, or a pairs finder")
    requires = [_step(r, nodes, where) for r in row.get("requires", [])]
    for s in requires:
        if s.name not in CHECKS:
            raise RuleError(f"{where}: no check {s.name!r} (kg/extract/finders.py)")
    modality = row.get("modality", "decide")
    if modality not in ("decide", "asserted"):
        raise RuleError(f"{where}: modality is 'decide' or 'asserted', not {modality!r}")
    score = measured.get(rid)
    return Rule(id=rid, family=family, predicate=row["predicate"], modality=modality, pattern=pattern,
                anchor=pattern[0]["RIGHT_ID"], description=row.get("description", ""), roles=roles, pairs=pairs,
                requires=requires, examples=row.get("examples", []), counter_examples=row.get("counter_examples", []),
                confidence=rule_confidence(rid), measured=score)


@cache
def rules() -> tuple[Rule, ...]:
    """Every rule, in file order (file names sorted); ids are unique."""
    measured = measured_precision()
    found: list[Rule] = []
    for path in sorted(RULES_DIR.glob("*.toml")):
        if path.name == "precision.toml":
            continue
        try:
            with path.open("rb") as fh:
                table = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise RuleError(f"{path.name}: not valid TOML: {exc}") from exc
        found += [_rule(row, path.stem, path, measured) for row in table.get("rule", [])]
    ids = [r.id for r in found]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise RuleError(f"kg/data/rules: rule id {duplicate!r} is used twice")
    return tuple(found)
