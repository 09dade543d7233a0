"""Name comparison: whether two spellings name one entity, and why.

Judgements come first (`kg/data/judgements.toml` and the user's `KG_HOME/judgements.toml`, which
`kg judge` writes): a pair judged the same or different is that, whatever the spelling says.
Otherwise two names are one when they have the same words, in order, and each pair of words is
the same after the transliteration folds of `kg/data/names.toml`, or sounds alike (the Metaphone
code of rigour, the name library of FollowTheMoney and nomenklatura) and is close in rigour's
edit-cost comparison. So Soleimani/Suleimani and Quds/Qods meet, while Hassan/Hussein and
Said/Saeed (same sound, too many edits for one name) stay apart. Acronyms compare exactly."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from typing import TYPE_CHECKING

from unidecode import unidecode

from .errors import InputError
from .resources import data

if TYPE_CHECKING:
    from rigour.names import NamePart

PARTICLES = {"al", "el", "ad", "ash", "as", "an", "ar", "az", "bin", "ibn"}
SAME, DIFFERENT = "same", "different"


def words(name: str) -> list[str]:
    """Lower-case ASCII words of a name, without a leading "the" or a trailing possessive."""
    text = unidecode(name).lower()
    text = re.sub(r"'s\b|'$", "", text)
    text = re.sub(r"(?<=[a-z])'(?=[a-z])", "", text)  # Kata'ib, Asa'ib: one word
    tokens = [t for t in re.split(r"[^a-z0-9]+", text) if t]
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    return tokens


def content_words(name: str) -> list[str]:
    """The words that identify: Arabic article particles left out ("al-Muhandis" = "Muhandis")."""
    tokens = words(name)
    return [t for t in tokens if t not in PARTICLES] or tokens


def slug(name: str) -> str:
    return "-".join(words(name)) or "unnamed"


def normal(name: str) -> str:
    """The form judgements and exact look-ups compare: content words joined by spaces."""
    return " ".join(content_words(name))


@cache
def _folds() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(pattern), replacement) for pattern, replacement in data("names")["folds"]]


def fold(word: str) -> str:
    """One transliteration for letters the Latin alphabet writes several ways (gh/q in Persian)."""
    for pattern, replacement in _folds():
        word = pattern.sub(replacement, word)
    return word


@cache
def _part(word: str) -> "NamePart":
    from rigour.names import NameTypeTag, analyze_names  # imported when names are compared, not for `kg --help`

    return next(iter(analyze_names(NameTypeTag.UNK, [word]))).parts[0]


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def sound(word: str) -> str:
    """rigour's Metaphone code of a folded word (the word itself when it has none, e.g. digits); a
    first vowel is a transliteration choice (Esmail/Ismail), so every one counts as A."""
    folded = fold(word)
    code = _part(folded).metaphone or folded
    return "A" + code[1:] if code[:1] in "AEIOU" else code


def block(name: str, plural: bool = False) -> str:
    """Where to look for names that may be this one: the sound of each word (singular, if `plural`)."""
    return " ".join(sound(_singular(w) if plural else w) for w in content_words(name))


# rigour's edit score (0..1) two words of one sound need: Quds/Qods 0.68 and Ahmad/Ahmed 0.64 pass,
# Hassan/Hussein and Said/Saeed (score 0) do not; words of different sounds never meet.
CLOSE = 0.6


def _word_match(a: str, b: str, plural: bool) -> str | None:
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return None if a == b else f"{a}/{b} are one letter written two ways"
    if plural and _singular(fa) == _singular(fb):
        return f"{a}/{b} are singular and plural"
    if fa.isdigit() or fb.isdigit() or sound(a) != sound(b):
        return "no"
    from rigour.names import compare_parts

    score = min((x.score for x in compare_parts([_part(fa)], [_part(fb)])), default=0.0)
    return f"{a}/{b} sound alike ({sound(a)}, rigour score {score:.2f})" if score >= CLOSE else "no"


def spelling(a: str, b: str, plural: bool = False) -> str | None:
    """Why `a` and `b` are spellings of one name, or None when they are not (judgements aside).
    `plural`: a plural and its singular count as one (groups: "Houthi"/"Houthis")."""
    wa, wb = content_words(a), content_words(b)
    if wa == wb:
        return f"same name {a!r}" if a == b else f"{a!r} and {b!r} differ only in case, accents or punctuation"
    if len(wa) != len(wb) or _acronym(a) or _acronym(b):
        return None
    why = [_word_match(x, y, plural) for x, y in zip(wa, wb)]
    if "no" in why:
        return None
    return f"{a!r} and {b!r} are spellings of one name: " + "; ".join(w for w in why if w)


def _acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


@dataclass
class Judgements:
    """Pairs of names a person judged to be one entity or two, by their `normal` forms."""

    same: dict[str, set[str]] = field(default_factory=dict)
    different: set[frozenset[str]] = field(default_factory=set)

    def add(self, verdict: str, a: str, b: str) -> None:
        na, nb = normal(a), normal(b)
        if verdict == SAME:
            self.same.setdefault(na, set()).add(nb)
            self.same.setdefault(nb, set()).add(na)
            self.different.discard(frozenset((na, nb)))
        else:
            self.different.add(frozenset((na, nb)))
            self.same.get(na, set()).discard(nb)
            self.same.get(nb, set()).discard(na)

    def verdict(self, a: str, b: str) -> str | None:
        na, nb = normal(a), normal(b)
        if frozenset((na, nb)) in self.different and na != nb:
            return DIFFERENT
        return SAME if nb in self.same.get(na, ()) else None

    def apart(self, name: str, names) -> bool:
        """Whether `name` was judged different from any of `names` (an entity's names): then it is
        not that entity by its spelling either."""
        return any(self.verdict(name, other) == DIFFERENT for other in names)

    def judged_same(self, name: str) -> set[str]:
        return self.same.get(normal(name), set())


class JudgementError(InputError):
    """A judgements file kg cannot read: the message names the file and the problem."""


_user_file: Path | None = None


def use_judgements(path: Path | None) -> None:
    """Consult this file of the user's judgements (KG_HOME/judgements.toml) besides kg's own."""
    global _user_file
    if path != _user_file:
        _user_file = path
        judgements.cache_clear()


def read_judgements(path: Path) -> list[tuple[str, str, str]]:
    """(verdict, name, name) of a judgements file; a bad file raises JudgementError naming it."""
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise JudgementError(f"{path}: not a readable judgements file ({exc})") from exc
    found = []
    for n, row in enumerate(table.get("judgement", []), 1):
        names = row.get("names")
        if row.get("verdict") not in (SAME, DIFFERENT) or not isinstance(names, list) or len(names) != 2:
            raise JudgementError(f"{path}: judgement {n} needs verdict = \"same\"|\"different\" and two names")
        found.append((row["verdict"], str(names[0]), str(names[1])))
    return found


@cache
def judgements() -> Judgements:
    found = Judgements()
    files = [Path(__file__).parent / "data" / "judgements.toml"]
    if _user_file is not None and _user_file.exists():
        files.append(_user_file)
    for path in files:
        for verdict, a, b in read_judgements(path):
            found.add(verdict, a, b)
    return found


def same(a: str, b: str, plural: bool = False) -> str | None:
    """Why `a` and `b` name one entity — a judgement, else their spelling — or None."""
    verdict = judgements().verdict(a, b)
    if verdict == DIFFERENT:
        return None
    if verdict == SAME:
        return f"{a!r} and {b!r} judged the same"
    return spelling(a, b, plural)
