"""Dates of claims: absolute ones as stated, relative ones ("in April", "earlier this year",
"January last year") resolved against the article's date with dateparser, each with its precision."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

_HAS_YEAR = re.compile(r"\b(1[89]|20)\d\d\b")
_YEAR = re.compile(r"(1[89]|20)\d\d")
_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)


@dataclass(frozen=True)
class ClaimDate:
    text: str
    iso: str | None  # None when it cannot be placed in time
    precision: str | None  # year | month | day


@lru_cache(maxsize=64)
def _parser(article_date: str | None) -> DateDataParser:
    from dateparser.date import DateDataParser  # imported when a claim is dated

    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if article_date:
        settings["RELATIVE_BASE"] = datetime.fromisoformat(article_date)
    return DateDataParser(languages=["en"], settings=settings)


@lru_cache(maxsize=4096)
def resolve_date(text: str | None, article_date: str | None) -> ClaimDate | None:
    if not text:
        return None
    words = re.sub(r"^(in|on|since|from|by|during|at)\s+", "", text.strip(), flags=re.I)
    words = re.sub(r"\b(earlier|later|early|late|mid-?)\s+", "", words, flags=re.I).strip()
    words = re.sub(r",\s*\D*$", "", words)  # "Wednesday, ending years": the NER ran on
    base = datetime.fromisoformat(article_date) if article_date else None
    if base is not None:  # "January last year": the year first, then dateparser does the rest
        for word, shift in (("last", -1), ("this", 0), ("next", 1)):
            words = re.sub(rf"\b{word} year\b", str(base.year + shift), words, flags=re.I)
    if _YEAR.fullmatch(words):  # a year alone, as dateparser reads it (checked for 1800-2099), without its cost
        return ClaimDate(text, words, "year")
    if base is not None and words.lower() == base.strftime("%A").lower():
        return ClaimDate(text, base.date().isoformat(), "day")  # news: "on Wednesday" in Wednesday's paper
    if not _HAS_YEAR.search(words) and base is None:
        return ClaimDate(text, None, None)  # "in April" of an undated article: kept as text
    found = _parser(article_date).get_date_data(words)
    if found is None or found.date_obj is None:
        return ClaimDate(text, None, None)
    day = found.date_obj.date()
    if re.fullmatch(r"\d{4}", words):
        return ClaimDate(text, f"{day.year:04d}", "year")
    if _MONTH.search(words) and not re.search(r"\b([1-9]|[12]\d|3[01])(st|nd|rd|th)?\b", words):
        return ClaimDate(text, day.strftime("%Y-%m"), "month")
    return ClaimDate(text, day.isoformat(), "day")
