"""The rules' DependencyMatcher patterns, compiled at load time into plain tests on tokens.

spaCy's DependencyMatcher runs every node of every pattern over every token, and its `IN` sets and
`_` extension attributes are Python predicates: a quarter of the extraction time went there, on
tokens that hold no rule's word. Compiled, each pattern's root is indexed by one of its wanted
values (`kg_lemma IN [...]` → those lemmas), so a token is read once per indexed attribute and
only the patterns it can start are tested; the other nodes are looked for along their relation
only. Matches are those of spaCy's matcher, in the same order for the same root: the same node
tests (an attribute's string equal to the value, or in or out of the list) and the same relations
(copied from spacy/matcher/dependencymatcher.pyx). A pattern using anything else (REGEX, OP,
comparisons, an extension compared to a plain value) runs on spaCy's DependencyMatcher."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from operator import attrgetter

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

Getter = Callable[[Token], object]
Test = Callable[[Token], bool]

NATIVE = {"ORTH": "orth_", "TEXT": "orth_", "LOWER": "lower_", "NORM": "norm_", "LEMMA": "lemma_", "POS": "pos_",
          "TAG": "tag_", "DEP": "dep_", "ENT_TYPE": "ent_type_", "ENT_IOB": "ent_iob_", "ENT_ID": "ent_id_",
          "ENT_KB_ID": "ent_kb_id_", "SHAPE": "shape_"}


def _tree(doc: Doc, i: int) -> range:
    """The token positions of i's dependency tree (spaCy's DependencyMatcher._get_sent)."""
    token = doc[i]
    root = (list(token.ancestors) or [token])[-1]
    return range(root.left_edge.i, root.right_edge.i + 1)


def _siblings(doc: Doc, i: int) -> list[int]:
    return [c.i for c in doc[i].head.children]


RELATIONS: dict[str, Callable[[Doc, int], Iterable[int]]] = {
    "<": lambda doc, i: [] if doc[i].head.i == i else [doc[i].head.i],
    ">": lambda doc, i: [c.i for c in doc[i].children],
    "<<": lambda doc, i: [t.i for t in doc[i].ancestors],
    ">>": lambda doc, i: [t.i for t in doc[i].subtree if t.i != i],
    ".": lambda doc, i: [i + 1] if i + 1 in _tree(doc, i) else [],
    ".*": lambda doc, i: range(i + 1, _tree(doc, i).stop),
    ";": lambda doc, i: [i - 1] if i > 0 and i - 1 in _tree(doc, i) else [],
    ";*": lambda doc, i: range(_tree(doc, i).start, i),
    "$+": lambda doc, i: [j for j in _siblings(doc, i) if j == i + 1],
    "$-": lambda doc, i: [j for j in _siblings(doc, i) if j == i - 1],
    "$++": lambda doc, i: [j for j in _siblings(doc, i) if j > i],
    "$--": lambda doc, i: [j for j in _siblings(doc, i) if j < i],
    ">+": lambda doc, i: [c.i for c in doc[i].rights if c.i == i + 1],
    ">-": lambda doc, i: [c.i for c in doc[i].lefts if c.i == i - 1],
    ">++": lambda doc, i: [c.i for c in doc[i].rights],
    ">--": lambda doc, i: [c.i for c in doc[i].lefts],
    "<+": lambda doc, i: [doc[i].head.i] if doc[i].head.i == i + 1 else [],
    "<-": lambda doc, i: [doc[i].head.i] if doc[i].head.i == i - 1 else [],
    "<++": lambda doc, i: [doc[i].head.i] if doc[i].head.i > i else [],
    "<--": lambda doc, i: [doc[i].head.i] if doc[i].head.i < i else [],
}


@dataclass(frozen=True)
class Constraint:
    """One attribute of a node: its string in `values` (one value: equal to it), or out of them."""

    attr: Hashable  # ("native", "lemma_") or ("_", "kg_lemma"): tokens are indexed by it
    get: Getter
    values: frozenset[str]
    negate: bool = False

    def __call__(self, token: Token) -> bool:
        value = self.get(token)
        if not isinstance(value, (str, int)):  # spaCy's set predicates fail on anything else
            return False
        return (isinstance(value, str) and value in self.values) != self.negate


def _getter(name: str) -> Getter:
    getter = Token.get_extension(name)[2]
    return getter if getter is not None else (lambda token: token._.get(name))


def _constraints(attrs: dict) -> list[Constraint] | None:
    """A node's RIGHT_ATTRS as constraints, or None if it uses more than they express."""
    found: list[Constraint | None] = []
    for key, value in attrs.items():
        if key == "_" and isinstance(value, dict):
            found += [_set(("_", name), _getter(name), spec) if Token.has_extension(name) else None
                      for name, spec in value.items()]
        elif isinstance(key, str) and key.upper() in NATIVE:
            name = NATIVE[key.upper()]
            get = attrgetter(name)
            found.append(Constraint(("native", name), get, frozenset([value])) if isinstance(value, str)
                         else _set(("native", name), get, value))
        else:
            return None
    return None if any(c is None for c in found) else found  # type: ignore[return-value]


def _set(attr: Hashable, get: Getter, spec) -> Constraint | None:
    """`{"IN": [...]}` or `{"NOT_IN": [...]}` of strings; None for any other spec."""
    if not isinstance(spec, dict) or len(spec) != 1:
        return None
    (op, values), = spec.items()
    if op not in ("IN", "NOT_IN") or not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return None
    return Constraint(attr, get, frozenset(values), negate=op == "NOT_IN")


@dataclass
class Node:
    tests: list[Constraint]
    left: int  # the position in the pattern of the node it relates to (-1 for the root)
    relation: str

    def passes(self, token: Token) -> bool:
        return all(test(token) for test in self.tests)


@dataclass
class Compiled:
    key: int
    nodes: list[Node]  # in pattern order: each relates to one before it
    index: Constraint | None  # the root's constraint tokens are looked up by (None: test every token)

    def matches(self, doc: Doc, root: Token) -> Iterable[list[int]]:
        """Every assignment of the pattern's nodes with the root at `root`, in spaCy's order."""
        if not all(test(root) for test in self.nodes[0].tests if test is not self.index):
            return []
        found = [[root.i]]
        for node in self.nodes[1:]:
            found = [ids + [j] for ids in found for j in sorted(set(RELATIONS[node.relation](doc, ids[node.left])))
                     if node.passes(doc[j])]
        return found


def _compile(key: int, pattern: list[dict]) -> Compiled | None:
    position = {node["RIGHT_ID"]: n for n, node in enumerate(pattern)}
    nodes = []
    for node in pattern:
        tests = _constraints(node.get("RIGHT_ATTRS", {}))
        relation = node.get("REL_OP")
        if tests is None or (relation is not None and relation not in RELATIONS):
            return None
        nodes.append(Node(tests, position[node["LEFT_ID"]] if relation else -1, relation or ""))
    index = next((t for t in nodes[0].tests if not t.negate), None)
    return Compiled(key, nodes, index)


class PatternMatcher:
    """Finds what a DependencyMatcher holding the same patterns finds: (key, token ids in pattern
    order) for each match; matches of one pattern with one root come in spaCy's order."""

    def __init__(self, vocab: Vocab, patterns: dict[str, list[dict]]):
        self.compiled: list[Compiled] = []
        self.fallback = DependencyMatcher(vocab)
        for name, pattern in patterns.items():
            DependencyMatcher(vocab).add(name, [pattern])  # spaCy's checks of a pattern, whichever runs it
            key = vocab.strings.add(name)
            compiled = _compile(key, pattern)
            if compiled is None:
                self.fallback.add(name, [pattern])
            else:
                self.compiled.append(compiled)
        self._index: dict[Hashable, tuple[Getter, dict[str, list[Compiled]]]] = {}
        self._scan = [c for c in self.compiled if c.index is None]
        for c in self.compiled:
            if c.index is not None:
                get, table = self._index.setdefault(c.index.attr, (c.index.get, {}))
                for value in c.index.values:
                    table.setdefault(value, []).append(c)

    def __call__(self, doc: Doc) -> list[tuple[int, list[int]]]:
        found: list[tuple[int, list[int]]] = []
        tokens = list(doc)
        for get, table in self._index.values():
            for token in tokens:
                value = get(token)
                for pattern in (table.get(value, ()) if isinstance(value, str) else ()):
                    found += [(pattern.key, ids) for ids in pattern.matches(doc, token)]
        for pattern in self._scan:
            for token in tokens:
                found += [(pattern.key, ids) for ids in pattern.matches(doc, token)]
        if len(self.fallback):
            found += self.fallback(doc)
        return found
