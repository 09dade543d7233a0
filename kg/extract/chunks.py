"""Names no list knows: when a rule binds a noun phrase that no entity covers, its proper-noun chunk
("Tren de Aragua", "the Union of Agricultural Work Committees") becomes an entity of the rule's type,
with an acronym in brackets after it as an alias. The new entities are kept on the doc and handed to
the writer with the claims."""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from ..model import Entity, Mention
from ..resolve import entity_for
from .tokens import entity_at, has_terror_word

CONNECTORS = {"of", "de", "del", "la", "los", "las", "al", "el", "for", "and", "the", "-", "e", "ul", "ut", "wal"}
_EDGE = {"of", "de", "del", "for", "and", "the", "-", "'s", "'"}


def _name_like(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or (tok.text[:1].isupper() and tok.pos_ in ("NOUN", "ADJ", "X") and not tok.is_sent_start)


def _glued(doc: Doc, end: int) -> bool:
    """The word after `end` is joined to the name by a hyphen without spaces ("Defense for Children
    International-Palestine"): part of the name, even where it is a known place."""
    hyphen = doc[end] if doc[end].text == "-" else None
    return hyphen is not None and not doc[end - 1].whitespace_ and not hyphen.whitespace_


def chunk(token: Token) -> Span | None:
    """The proper-noun chunk headed by `token`: capitalised words and the small words between them,
    inside the token's phrase, not crossing a comma or another entity."""
    if not _name_like(token) or entity_at(token) is not None:
        return None
    doc, sent = token.doc, token.sent
    start = end = token.i
    while start - 1 >= sent.start and (_name_like(doc[start - 1]) or doc[start - 1].lower_ in CONNECTORS) \
            and entity_at(doc[start - 1]) is None and doc[start - 1].text not in (",", ";", "(", ")"):
        start -= 1
    while end + 1 < sent.end and (_name_like(doc[end + 1]) or doc[end + 1].lower_ in CONNECTORS) \
            and (entity_at(doc[end + 1]) is None or _glued(doc, end)) and doc[end + 1].text not in (",", ";", "(", ")"):
        end += 1
    while start <= end and (doc[start].lower_ in _EDGE or not doc[start].text[:1].isupper()):
        start += 1
    while end >= start and (doc[end].lower_ in _EDGE or not doc[end].text[:1].isupper()):
        end -= 1
    if start > end or not any(t.pos_ == "PROPN" for t in doc[start:end + 1]):
        return None
    if start == end and re.fullmatch(r"[A-Z]{2,}s", doc[start].text):  # "NGOs", "MPs": a plural, not a name
        return None
    if has_terror_word(doc[start:end + 1]):  # "Specially Designated Global Terrorists": a list's label
        return None
    return doc[start:end + 1]


def adopt(span: Span, etype: str) -> Span:
    """The span as an entity of `etype`, remembered on its doc for the writer."""
    entity, reason = entity_for(span.text, etype)
    new: dict[str, tuple[Entity, list[Span]]] = span.doc.user_data.setdefault("kg_new_entities", {})
    known, spans = new.setdefault(entity.key, (Entity(entity.key, entity.id, entity.name, entity.type,
                                                      wikidata=entity.wikidata, country=entity.country), []))
    known.aliases.add(span.text)
    known.reasons.add(f"bound by a claim rule: {reason}")
    acronym = _acronym_after(span)
    if acronym:
        known.aliases.add(acronym)
    spans.append(span)
    return Span(span.doc, span.start, span.end, label=known.type, kb_id=known.key)


def _acronym_after(span: Span) -> str | None:
    doc = span.doc
    if span.end + 2 < len(doc) and doc[span.end].text == "(" and doc[span.end + 2].text == ")" \
            and doc[span.end + 1].text.isupper():
        return doc[span.end + 1].text
    return None


def adopted(offset: int, doc: Doc) -> tuple[dict[str, Entity], list[Mention]]:
    """The entities rules created in one paragraph, and their mentions (article offsets)."""
    entities, mentions = {}, []
    for key, (entity, spans) in doc.user_data.get("kg_new_entities", {}).items():
        entities[key] = entity
        mentions += [Mention(key, s.text, offset + s.start_char, offset + s.end_char) for s in spans]
    return entities, mentions
