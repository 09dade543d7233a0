"""The canned query library: `queries/*.cypher`, each with a comment header that names it,
describes it and declares its parameters:

    // name: designations-by-country
    // description: Which groups each country designates as terrorist, with sources.
    // param: country string = null -- only this authority country (name or alias)
    // example: kg query designations-by-country -p country "United Kingdom"
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .resources import folder

TYPES = {"string": str, "int": int, "float": float, "bool": bool}
_PARAM = re.compile(r"^(?P<name>\w+)\s+(?P<type>\w+)(\s*=\s*(?P<default>.+?))?\s*(--\s*(?P<help>.*))?$")


class QueryError(ValueError):
    """A query name or parameter is wrong; the message says how to fix it."""


@dataclass
class Param:
    name: str
    type: str
    required: bool
    default: Any = None
    help: str = ""


@dataclass
class Query:
    name: str
    description: str
    cypher: str
    path: Path
    params: dict[str, Param] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)

    def bind(self, given: dict[str, str | Any]) -> dict[str, Any]:
        """Check and convert parameters (strings from the command line, or Python values)."""
        unknown = sorted(set(given) - set(self.params))
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter {', '.join(unknown)}; "
                             f"it takes: {', '.join(self.params) or 'no parameters'}")
        bound = {}
        for p in self.params.values():
            if p.name not in given:
                if p.required:
                    raise QueryError(f"query {self.name!r} needs -p {p.name} <{p.type}> ({p.help})")
                bound[p.name] = p.default
                continue
            bound[p.name] = convert(self.name, p, given[p.name])
        return bound


def convert(query: str, p: Param, value: Any) -> Any:
    """`value` as the parameter's declared type. Strings (from the command line) are parsed; Python
    values must already have the type (an int is accepted for a float; None leaves a filter unset)."""
    wrong = QueryError(f"parameter {p.name} of {query!r} must be {p.type}, not {value!r}")
    if value is None:
        return None
    if isinstance(value, str) and p.type != "string":
        words = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
        if p.type == "bool":
            if value.lower() not in words:
                raise wrong
            return words[value.lower()]
        try:
            return TYPES[p.type](value)
        except ValueError:
            raise wrong from None
    if p.type == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, TYPES[p.type]) or (p.type == "int" and isinstance(value, bool)):
        raise wrong
    return value


def _default(text: str | None, type_: str) -> Any:
    if text is None or text == "null":
        return None
    text = text.strip().strip('"')
    return convert("", Param("default", type_, False), text)


def parse(path: Path) -> Query:
    header: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        m = re.match(r"^//\s*(\w+):\s*(.*)$", line)
        if m:
            header.setdefault(m.group(1), []).append(m.group(2).strip())
    if "name" not in header:
        raise QueryError(f"{path}: the header has no '// name:' line")
    params = {}
    for spec in header.get("param", []):
        m = _PARAM.match(spec)
        if not m or m.group("type") not in TYPES:
            raise QueryError(f"{path}: cannot read parameter line {spec!r} (want: NAME TYPE [= DEFAULT] -- help)")
        params[m.group("name")] = Param(m.group("name"), m.group("type"), m.group("default") is None,
                                        _default(m.group("default"), m.group("type")), m.group("help") or "")
    return Query(header["name"][0], " ".join(header.get("description", [])), path.read_text(), path, params,
                 header.get("example", []))


@cache
def library() -> dict[str, Query]:
    queries = [parse(p) for p in sorted(folder("queries").glob("*.cypher"))]
    return {q.name: q for q in queries}


def get(name: str) -> Query:
    queries = library()
    if name not in queries:
        close = difflib.get_close_matches(name, queries, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; `kg queries` lists them"
        raise QueryError(f"no canned query named {name!r}{hint}")
    return queries[name]
