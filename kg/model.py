"""Plain records passed from one pipeline step to the next.

read → clean (Article) → nlp → resolve (Entity, Mention) → claims (Claim) → write (Analysis).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass
class Article:
    """One article file, cleaned: `text` is the whole file (quotes normalised, same length),
    `body_end` is where boilerplate starts, so claims are only looked for before it."""

    id: str
    path: str
    text: str
    content_hash: str
    body_start: int = 0
    body_end: int = 0
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd when the text states it
    paths: list[str] = field(default_factory=list)  # every file name this content was found under
    warnings: list[str] = field(default_factory=list)


@dataclass
class Entity:
    """A real-world entity. `key` is what mentions and claims refer to and what the graph merges
    on: the gazetteer id, or type + name key, so every spelling of a name meets in one node.
    `id` is the readable id the node gets when it is first created."""

    key: str
    id: str
    name: str
    type: str  # Person | Organization | Country | Location | Event
    aliases: set[str] = field(default_factory=set)
    wikidata: str | None = None
    country: str | None = None  # for government bodies: the id of their country
    reasons: set[str] = field(default_factory=set)  # why mentions were merged into this entity


def plain_reason(key: str, form: str) -> str:
    """Why a spelling was taken for an entity when nothing else was involved: a gazetteer alias, or a
    name no list knows (keyed 'type:name'). The writer stores no reasons a mention's forms give
    this way, and rebuilds them in Cypher (kg/write.py PLAIN_REASONS), so both are said here once."""
    return f"name {form!r} (no list knows it)" if ":" in key else f"gazetteer alias {form!r}"


def gather(entities: dict[str, Entity], more: dict[str, Entity]) -> None:
    """Add `more` to `entities` by key; an entity met again brings its spellings and reasons."""
    for key, entity in more.items():
        if key in entities:
            entities[key].aliases |= entity.aliases
            entities[key].reasons |= entity.reasons
        else:
            entities[key] = entity


@dataclass
class Mention:
    entity: str  # entity key
    text: str
    start: int
    end: int


@dataclass
class Claim:
    """One statement of an article: `predicate` subject → object, with its evidence."""

    predicate: str
    subject: str  # entity key
    object: str  # entity key
    evidence: str  # the sentence that states it
    start: int  # offsets of that sentence in the article text
    end: int
    confidence: float
    rule: str  # id of the extraction rule that found it (kg/data/rules)
    addressee: str | None = None  # entity key: who is urged (calls for designation)
    speaker: str | None = None  # entity key: whose statement this is
    authority: str | None = None  # entity key: the government body that acted, when named
    role: str | None = None  # LEADS: commander, head, …
    date: str | None = None  # ISO, to the stated precision (yyyy, yyyy-mm, yyyy-mm-dd)
    date_precision: str | None = None  # year | month | day
    date_text: str | None = None  # the words that gave the date
    until: str | None = None  # LEADS ended (formerly …)
    former: bool = False


def claim_id(article_id: str, predicate: str, subject: str, object_: str, start: int) -> str:
    """A claim's id (entity keys for the subject and object): the same statement at the same place of
    the same article is the same claim. The graph does not store it; the exports compute it again."""
    raw = "|".join([article_id, predicate, subject, object_, str(start)])
    return hashlib.sha1(raw.encode()).hexdigest()[:20]


@dataclass
class Analysis:
    """Everything kg learned from one article, ready to be written."""

    article: Article
    entities: dict[str, Entity]  # by key
    mentions: list[Mention]
    claims: list[Claim]
