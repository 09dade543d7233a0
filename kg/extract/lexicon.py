"""The word classes the claim rules name (kg/data/lexicon.toml), flattened: class name -> words."""
from __future__ import annotations

from functools import cache

from ..resources import data


@cache
def lexicon() -> dict[str, frozenset[str]]:
    classes: dict[str, frozenset[str]] = {}
    for section in data("lexicon").values():
        for name, words in section.items():
            if name in classes:
                raise ValueError(f"kg/data/lexicon.toml: word class {name!r} is defined twice")
            classes[name] = frozenset(words)
    return classes


def words(name: str) -> frozenset[str]:
    return lexicon()[name]
