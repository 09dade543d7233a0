"""The canned query library: `queries/*.cypher`, each with a comment header that names it,
describes it and declares its parameters:

    // name: designations-by-country
    // description: Which groups each country designates as terrorist, with sources.
    // param: country entity = null -- only this authority country (name or alias)
    // param: limit int = 100 in 1.. -- at most this many rows
    // example: kg query designations-by-country -p country "United Kingdom"
    // columns: country string, group string, first_date date, articles int, outlets int, sources list

Types are string, int, float, bool, and two strings the answer depends on finding: `entity` (a
name or alias) and `article` (an article id); `in MIN..MAX` bounds a number (either end may be open).
`columns` declares what each row holds, in order: string, int, float, bool, date (ISO text, to
its precision), list or map; KnowledgeGraph.frame gives each its pandas dtype from it.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .errors import InputError, NotFound
from .resources import folder

COLUMN_TYPES = ("string", "int", "float", "bool", "date", "list", "map")
TYPES = {"string": str, "entity": str, "article": str, "int": int, "float": float, "bool": bool}
_PARAM = re.compile(r"^(?P<name>\w+)\s+(?P<type>\w+)(\s*=\s*(?P<default>.+?))?"
                    r"(\s+in\s+(?P<min>-?[\d.]+)?\.\.(?P<max>-?\d[\d.]*)?)?\s*(--\s*(?P<help>.*))?$")


class QueryError(InputError):
    """A query or its parameters are wrong; the message says how to fix it."""


class UnknownQuery(NotFound):
    """No canned query has this name."""


@dataclass
class Param:
    name: str
    type: str
    required: bool
    default: Any = None
    help: str = ""
    min: float | None = None
    max: float | None = None

    def usage(self, cli: bool) -> str:
        """How to give this parameter: `-p depth <int>` on the command line, `depth=<int>` in Python."""
        return f"-p {self.name} <{self.type}>" if cli else f"{self.name}=<{self.type}>"

    def range(self) -> str:
        if self.min is None and self.max is None:
            return ""
        low, high = (None if b is None else int(b) if float(b).is_integer() else b for b in (self.min, self.max))
        if high is None:
            return f"at least {low}"
        return f"at most {high}" if low is None else f"{low} to {high}"


@dataclass
class Query:
    name: str
    description: str
    cypher: str
    path: Path | None
    params: dict[str, Param] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # declared by `// columns:`; empty when not

    def bind(self, given: dict[str, str | Any], cli: bool = False) -> dict[str, Any]:
        """Check and convert parameters (strings from the command line, or Python values); errors
        say how to give a parameter the caller's way (`cli`: `-p name value`, else `name=value`)."""
        unknown = sorted(set(given) - set(self.params))
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter {', '.join(unknown)}; "
                             f"it takes: {', '.join(self.params) or 'no parameters'}")
        bound = {}
        for p in self.params.values():
            if p.name not in given:
                if p.required:
                    raise QueryError(f"query {self.name!r} needs {p.usage(cli)} ({p.help})")
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
    if isinstance(value, str) and TYPES[p.type] is not str:
        words = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
        if p.type == "bool":
            if value.lower() not in words:
                raise wrong
            return words[value.lower()]
        try:
            converted = TYPES[p.type](value)
        except ValueError:
            raise wrong from None
        return _in_range(query, p, converted)
    if p.type == "float" and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, TYPES[p.type]) or (p.type == "int" and isinstance(value, bool)):
        raise wrong
    return _in_range(query, p, value)


INT_MAX = 2**31 - 1  # an int parameter's upper bound when none is declared: FalkorDB wraps larger ones


def _in_range(query: str, p: Param, value: Any) -> Any:
    if p.type == "int" and p.max is None and value > INT_MAX:
        p = Param(p.name, p.type, p.required, p.default, p.help, p.min, INT_MAX)
    if (p.min is not None and value < p.min) or (p.max is not None and value > p.max):
        raise QueryError(f"parameter {p.name} of {query!r} must be {p.range()}, not {value!r}")
    return value


def _default(text: str | None, type_: str) -> Any:
    if text is None or text == "null":
        return None
    text = text.strip().strip('"')
    return convert("", Param("default", type_, False), text)


def parse(path: Path) -> Query:
    return _parse(path.read_text(), path)


def adhoc(text: str, path: Path | None = None) -> Query:
    """Cypher of the user's own (`kg query --cypher`, `--file`); a header is optional, and when it
    declares parameters they are typed and checked as for a canned query."""
    return _parse(text, path, name=path.stem if path else "cypher")


def _parse(text: str, path: Path | None, name: str | None = None) -> Query:
    header: dict[str, list[str]] = {}
    for line in text.splitlines():
        m = re.match(r"^//\s*(\w+):\s*(.*)$", line)
        if m:
            header.setdefault(m.group(1), []).append(m.group(2).strip())
    if name is not None:
        header.setdefault("name", [name])
    if "name" not in header:
        raise QueryError(f"{path}: the header has no '// name:' line")
    params = {}
    for spec in header.get("param", []):
        m = _PARAM.match(spec)
        if not m or m.group("type") not in TYPES:
            raise QueryError(f"{path}: cannot read parameter line {spec!r} (want: NAME TYPE [= DEFAULT] -- help)")
        bounds = [None if b is None else float(b) for b in (m.group("min"), m.group("max"))]
        params[m.group("name")] = Param(m.group("name"), m.group("type"), m.group("default") is None,
                                        _default(m.group("default"), m.group("type")), m.group("help") or "",
                                        *bounds)
    columns = {}
    for spec in ", ".join(header.get("columns", [])).split(","):
        if not spec.strip():
            continue
        name_type = spec.split()
        if len(name_type) != 2 or name_type[1] not in COLUMN_TYPES:
            raise QueryError(f"{path}: cannot read column {spec.strip()!r} of the '// columns:' line "
                             f"(want: NAME TYPE, the type one of {', '.join(COLUMN_TYPES)})")
        columns[name_type[0]] = name_type[1]
    return Query(header["name"][0], " ".join(header.get("description", [])), text, path, params,
                 header.get("example", []), columns)


@cache
def library() -> dict[str, Query]:
    queries = [parse(p) for p in sorted(folder("queries").glob("*.cypher"))]
    return {q.name: q for q in queries}


def get(name: str) -> Query:
    queries = library()
    if name not in queries:
        close = difflib.get_close_matches(name, queries, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; `kg queries` lists them"
        raise UnknownQuery(f"no canned query named {name!r}{hint}")
    return queries[name]
