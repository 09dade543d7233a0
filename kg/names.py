"""Name normalisation: how two spellings of one name are recognised as the same.

`name_key` folds a name to a comparison key: transliterated to ASCII (unidecode), a leading
"the" and trailing possessive dropped, Arabic article particles dropped, and each word reduced
to its Metaphone code (jellyfish), so Soleimani/Suleimani, Qasem/Qassem, Quds/Qods, Ghaani/Qaani
and Esmail/Ismail meet. `explain` says, in words, why two names share a key."""
from __future__ import annotations

import re

import jellyfish
from unidecode import unidecode

PARTICLES = {"al", "el", "ad", "ash", "as", "an", "ar", "az", "bin", "ibn"}


def words(name: str) -> list[str]:
    text = unidecode(name).lower()
    text = re.sub(r"'s\b|'$", "", text)
    tokens = [t for t in re.split(r"[^a-z0-9]+", text) if t]
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    return tokens


def word_key(word: str) -> str:
    if word.isdigit():
        return word
    word = word.replace("gh", "q")  # Ghaani/Qaani, Bagheri/Baqeri: one Persian letter
    code = jellyfish.metaphone(word)
    if code[:1] in "AEIOU":  # Esmail / Ismail: the first vowel is a transliteration choice
        code = "A" + code[1:]
    return code or word


def name_key(name: str) -> str:
    tokens = [t for t in words(name) if t not in PARTICLES] or words(name)
    return " ".join(word_key(t) for t in tokens)


def slug(name: str) -> str:
    return "-".join(words(name)) or "unnamed"


def explain(a: str, b: str) -> str:
    if a == b:
        return f"same name {a!r}"
    if words(a) == words(b):
        return f"{a!r} and {b!r} differ only in case, accents or punctuation"
    return f"{a!r} and {b!r} sound alike (name key {name_key(a)!r})"
