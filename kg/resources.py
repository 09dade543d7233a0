"""Where kg's definition files live: `schema/` and `queries/` at the top of the source tree,
or inside the package when kg is installed from a wheel."""
from __future__ import annotations

import hashlib
import tomllib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def folder(name: str) -> Path:
    """`schema` or `queries`: the copy in the package (wheel) or the one beside it (source tree)."""
    for candidate in (PACKAGE / name, PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kg cannot find its {name}/ folder next to {PACKAGE}")


@cache
def schema() -> dict:
    """schema/schema.toml: labels, keys, predicates — the one source of truth for the graph model."""
    with (folder("schema") / "schema.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def schema_upgrades() -> dict[int, dict]:
    """schema/upgrades.toml: each step, by the version it upgrades a graph from."""
    with (folder("schema") / "upgrades.toml").open("rb") as fh:
        return {step["from"]: step for step in tomllib.load(fh)["upgrade"]}


def entity_labels() -> list[str]:
    return [label for label, node in schema()["nodes"].items() if node.get("entity")]


@cache
def data(name: str) -> dict:
    """A TOML file from kg/data/ (gazetteer, lexicon, rules, boilerplate)."""
    with (PACKAGE / "data" / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


DEFAULT_CONFIDENCE = 0.5  # a rule not yet measured


@cache
def measured_precision() -> dict[str, dict]:
    """Each rule's tp, fp, precision and confidence, as `kg eval` measured them
    (kg/data/rules/precision.toml)."""
    path = PACKAGE / "data" / "rules" / "precision.toml"
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh).get("rule", {})


def rule_confidence(rule: str | None) -> float | None:
    """The confidence of the claims `rule` finds: its measured precision smoothed by its count, or
    DEFAULT_CONFIDENCE while it is unmeasured; None without a rule. Claims do not store it
    (kg/write.py), so one read back carries the precision measured last."""
    if rule is None:
        return None
    score = measured_precision().get(rule)
    return score.get("confidence", score["precision"]) if score else DEFAULT_CONFIDENCE


@cache
def extractor() -> str:
    """Which extraction made a claim: the kg version and a digest of the data files that steer it
    (gazetteer, lexicon, rules, boilerplate), so an article is analysed again when either changes."""
    from . import __version__

    digest = hashlib.sha256()
    for path in sorted((PACKAGE / "data").rglob("*.toml")):
        digest.update(path.read_bytes())
    return f"kg {__version__} ({digest.hexdigest()[:10]})"
