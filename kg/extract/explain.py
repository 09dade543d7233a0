"""`kg explain`: the claims of one sentence or paragraph with the rule, the words bound to each role
and the word that decided the modality; and, asked why a pair gave no claim, which rules came close
and what stopped them."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

from spacy.tokens import Span

from ..clean import normalise, segment
from ..model import Article
from .engine import Attempt, attempts, link, resolve_conflicts
from .finders import Arg


@dataclass
class Explained:
    predicate: str
    subject: str
    object: str
    modality: str
    rule: str
    roles: dict[str, str]
    why: str | None  # the governing word that decided the modality
    sentence: str

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class NearMiss:
    rule: str
    trigger: str
    sentence: str
    failed: str
    roles: dict[str, list[str]] = field(default_factory=dict)
    found: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def _text(arg: Arg | None) -> str | None:
    return None if arg is None else arg.text


def _parse(text: str, date: str | None) -> list[Attempt]:
    from ..pipeline import parsed

    clean = normalise(text)
    article = segment(Article(id="explain", path="-", text=clean, content_hash=hashlib.sha256(clean.encode()).hexdigest()))
    article.body_start, article.body_end = 0, len(clean)  # a sentence given to explain is all body
    if date:
        article.date = date
    _, body = parsed(article)
    link(body)
    return [a for _, doc in body for a in attempts(doc)]


def explain(text: str, date: str | None = None) -> list[Explained]:
    """Every claim kg extracts from `text`, after the conflict policy, with why."""
    found = [f for a in _parse(text, date) for f in a.found]
    out = []
    for f in resolve_conflicts(found):
        roles = {"trigger": f.trigger.text, "subject": f.subject.text, "object": f.object.text}
        if f.addressee is not None:
            roles["addressee"] = f.addressee.text
        if f.speaker is not None:
            roles["speaker"] = f.speaker.text
        out.append(Explained(f.predicate, f.subject.text, f.object.text, f.modality, f.rule.id, roles,
                             _text(f.why), f.trigger.sent.text))
    return out


def _names(span: Span, wanted: str) -> bool:
    wanted = wanted.casefold()
    return wanted in span.text.casefold() or any(wanted in e.text.casefold() for e in span.ents)


def why_not(text: str, subject: str, object_: str, date: str | None = None) -> list[NearMiss]:
    """The matches in sentences naming both `subject` and `object_` that gave no claim between them."""
    misses = []
    for a in _parse(text, date):
        sent = a.nodes[a.rule.anchor].sent
        if not (_names(sent, subject) and _names(sent, object_)):
            continue
        pairs = [(f.subject.text.casefold(), f.object.text.casefold()) for f in a.found]
        if any(subject.casefold() in s and object_.casefold() in o for s, o in pairs):
            continue
        misses.append(NearMiss(a.rule.id, a.nodes[a.rule.anchor].text, sent.text,
                               a.failed or "it found other pairs",
                               {role: [s.text for s in spans] for role, spans in a.bound.items()},
                               [f"{f.predicate}: {f.subject.text} -> {f.object.text}" for f in a.found]))
    return misses
