"""Clean an article's text and find its parts: header (breadcrumb, title, byline, date),
body, and the trailing boilerplate that is never a source of claims."""
from __future__ import annotations

import re
from functools import cache


from .model import Article
from .resources import data

# One-for-one replacements, so offsets in the cleaned text are offsets in the file.
_SAME_LENGTH = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ",
                              "\u2013": "-", "\u2014": "-"})
_DATE_LINE = re.compile(r"^(\w+\.? \d{1,2}, \d{4}|\d{1,2} \w+ \d{4}|\d{4}-\d{2}-\d{2})$")


@cache
def _patterns() -> dict[str, list[re.Pattern]]:
    return {key: [re.compile(p) for p in values] for key, values in data("boilerplate").items()}


_DASH_BETWEEN_WORDS = re.compile(r"(?<=\w)\u2014(?=\w)")


def normalise(text: str) -> str:
    """Curly quotes, dashes and no-break spaces as plain ones, one character for one; an em dash set
    between words ("Kazakhstan—close partners of Russia—have") as the comma it stands for, which
    the parser reads as an apposition (a hyphen would join the words)."""
    return _DASH_BETWEEN_WORDS.sub(",", text).translate(_SAME_LENGTH)


def _lines(text: str):
    """(start, end, stripped line) for every non-empty line."""
    pos = 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            start = pos + raw.index(stripped[0])
            yield start, start + len(stripped), stripped
        pos += len(raw)


def _first(patterns: list[re.Pattern], line: str, group: str) -> str | None:
    for p in patterns:
        m = p.fullmatch(line)
        if m:
            return m.group(group).strip()
    return None


def _looks_like_title(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 25 or line.endswith((".", "...", ":")) or re.search(r"[a-z]\.\s", line):
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return capitalised / len(words) >= 0.6


def segment(article: Article) -> Article:
    """Fill in title, author, outlet, date and the body bounds of `article` from its text."""
    pats = _patterns()
    lines = list(_lines(article.text))
    article.body_end = len(article.text)
    for start, _, line in lines:
        if any(p.fullmatch(line) for p in pats["ends_body"]):
            article.body_end = start
            break
    for _, _, line in lines:
        article.outlet = article.outlet or _first(pats["outlet"], line, "outlet")
        article.author = article.author or _first(pats["author"], line, "author")

    header = [ln for ln in lines if ln[0] < article.body_end][:6]
    body_start = 0
    for i, (start, end, line) in enumerate(header):
        following = [h[2] for h in header[i + 1:i + 3]]
        if line.endswith("...") or any(line != f and line.endswith(f) for f in following) or set(line) <= set("-*_ "):
            body_start = end  # breadcrumb or rule: never part of the article
            continue
        if _DATE_LINE.match(line):
            import dateparser  # imported when an article is read, not for `kg --help`

            parsed = dateparser.parse(line, languages=["en"], settings={"STRICT_PARSING": True})
            if parsed and article.date is None:
                article.date = parsed.date().isoformat()
        elif article.title is None and i < 3 and _looks_like_title(line):
            article.title = line
    article.body_start = body_start
    return article
