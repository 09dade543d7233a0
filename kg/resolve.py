"""Entity resolution: turn the gazetteer's and the NER's spans into one canonical entity each.

Decisions, each recorded as a reason so a merge can be explained:
1. a gazetteer alias names a known entity (longest match wins);
2. the statistical NER keeps a person whose first name is a place ("Israel Katz");
3. a lone surname links to the full name used in the same article;
4. an unknown spelling that sounds like a gazetteer alias (same name key) is that entity;
5. a place that is a state of ISO 3166 (pycountry) is a Country;
6. anything else is an entity keyed by type and name key, so the same name in another
   article (in any transliteration) meets it in the graph."""
from __future__ import annotations

from dataclasses import dataclass

import pycountry
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .gazetteer import gazetteer
from .model import Entity, Mention
from .names import PARTICLES, explain, name_key, slug, words

NER_TYPES = {"PERSON": "Person", "ORG": "Organization", "GPE": "Location", "LOC": "Location",
             "FAC": "Location", "EVENT": "Event"}
_EDGE_WORDS = {"the", "a", "an", "'s", "'", "(", ")", ",", '"', "-", "."}


@dataclass
class Resolved:
    entities: dict[str, Entity]  # by key
    mentions: list[Mention]


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    while start < end and span.doc[start].lower_ in _EDGE_WORDS:
        start += 1
    while end > start and span.doc[end - 1].lower_ in _EDGE_WORDS:
        end -= 1
    if start == end or not any(ch.isupper() for ch in span.doc[start:end].text):
        return None
    return Span(span.doc, start, end, label=span.label_)


def _candidates(doc: Doc) -> list[tuple[Span, str | None]]:
    """(span, gazetteer key or None) for every entity span of one paragraph, without overlaps."""
    gaz = filter_spans(list(doc.spans.get("gazetteer", [])))
    chosen: list[tuple[Span, str | None]] = []
    for ent in doc.ents:
        if ent.label_ not in NER_TYPES:
            continue
        trimmed = _trim(ent)
        if trimmed is None or trimmed.text.lower() in gazetteer().not_names:
            continue
        inside = [g for g in gaz if g.start >= trimmed.start and g.end <= trimmed.end]
        if ent.label_ == "PERSON" and len(inside) == 1 and inside[0].label_ in ("Country", "Location") \
                and inside[0].start == trimmed.start and len(inside[0]) < len(trimmed):
            gaz = [g for g in gaz if g not in inside]  # "Israel Katz" is a person, not Israel
            chosen.append((trimmed, None))
        elif not any(g.start < trimmed.end and trimmed.start < g.end for g in gaz):
            chosen.append((trimmed, None))
    chosen += [(g, g.id_) for g in gaz]
    return sorted(chosen, key=lambda c: c[0].start)


def _new_entity(text: str, etype: str) -> Entity:
    return Entity(key=f"{etype.lower()}:{name_key(text).replace(' ', '-')}", id=f"{etype.lower()}-{slug(text)}",
                  name=text, type=etype)


def resolve(paragraphs: list[tuple[int, Doc]]) -> Resolved:
    """Resolve the entity spans of one article's parsed paragraphs (offset, doc); sets `doc.ents`
    to the resolved spans with `kb_id_` = entity key and `label_` = entity type."""
    gaz = gazetteer()
    found = [(offset, doc, span, gkey) for offset, doc in paragraphs for span, gkey in _candidates(doc)]

    # people's full names first, so a part of a name anywhere in the article links to them
    people: list[tuple[list[str], Entity]] = []
    for _, _, span, gkey in found:
        if span.label_ in ("PERSON", "Person") and len(content_words(span.text)) > 1:
            person = gaz.entities[gkey] if gkey else (gaz.lookup(span.text) or _new_entity(span.text, "Person"))
            if person.type == "Person":
                people.append((content_words(span.text), person))

    found += _short_forms(paragraphs, found)
    found.sort(key=lambda f: (f[0], f[2].start))

    entities: dict[str, Entity] = {}
    mentions: list[Mention] = []
    spans_of: dict[int, list[Span]] = {}
    for offset, doc, span, gkey in found:
        text = span.text
        if gkey:
            entity, reason = gaz.entities[gkey], f"gazetteer alias {text!r}"
        else:
            entity, reason = _link(text, NER_TYPES[span.label_], people)
        known = entities.setdefault(entity.key, Entity(entity.key, entity.id, entity.name, entity.type,
                                                       wikidata=entity.wikidata, country=entity.country))
        known.aliases.add(text)
        known.reasons.add(reason)
        spans_of.setdefault(id(doc), []).append(Span(doc, span.start, span.end, label=known.type, kb_id=known.key))
        mentions.append(Mention(known.key, text, offset + span.start_char, offset + span.end_char))
    for _, doc in paragraphs:  # dates stay as the NER found them: claims read them
        dates = [e for e in doc.ents if e.label_ == "DATE"]
        resolved = spans_of.get(id(doc), [])
        doc.ents = filter_spans(resolved + [d for d in dates if not any(d.start < r.end and r.start < d.end for r in resolved)])
    return Resolved(entities, mentions)


def _short_forms(paragraphs: list[tuple[int, Doc]], found: list) -> list:
    """"the Guards" after "the Revolutionary Guards": a capitalised last word of an organisation's
    name, standing alone later in the same article, is that organisation (when only one fits)."""
    gaz = gazetteer()
    heads: dict[str, set[str]] = {}
    for _, _, span, gkey in found:
        if gkey and gaz.entities[gkey].type == "Organization" and len(span) > 1 and span[-1].text[0].isupper():
            heads.setdefault(span[-1].text, set()).add(gkey)
    taken = {(id(doc), t.i) for _, doc, span, _ in found for t in span}
    extra = []
    for offset, doc in paragraphs:
        for tok in doc:
            keys = heads.get(tok.text, set())
            if len(keys) == 1 and (id(doc), tok.i) not in taken and not tok.is_sent_start and tok.i > 0 \
                    and doc[tok.i - 1].lower_ == "the":
                extra.append((offset, doc, Span(doc, tok.i, tok.i + 1, label="Organization", span_id=next(iter(keys))),
                              next(iter(keys))))
    return extra


def content_words(name: str) -> list[str]:
    return [name_key(w) for w in words(name) if w not in PARTICLES]


def _part_of_name(text: str, people: list[tuple[list[str], Entity]]) -> Entity | None:
    """The one person of the article whose full name starts or ends with `text` ("Katz", "Abu Mahdi")."""
    part = content_words(text)
    n = len(part)
    matches = {p.key: p for full, p in people if n < len(full) and part in (full[:n], full[-n:])}
    return next(iter(matches.values())) if len(matches) == 1 else None


def _link(text: str, etype: str, people: list[tuple[list[str], Entity]]) -> tuple[Entity, str]:
    person = _part_of_name(text, people) if etype in ("Person", "Location", "Organization") else None
    if person is not None:
        return person, f"{text!r} is part of the name {person.name!r} used in the same article"
    known = gazetteer().lookup(text)
    if known is not None and (known.type == etype or etype in ("Location", "Organization")):
        alias = next(a for a in sorted(known.aliases) if name_key(a) == name_key(text))
        if not (text.isupper() or alias.isupper()) or words(text) == words(alias):  # acronyms: exact only
            return known, f"{explain(text, alias)}: gazetteer entity {known.name!r}"
    if etype in ("Location", "Organization"):
        state = _state(text)
        if state is not None:
            return state, f"{text!r} is a state in ISO 3166 (pycountry)"
    entity = _new_entity(text, etype)
    return entity, f"name {text!r} (key {entity.key!r})"


def _state(text: str) -> Entity | None:
    """A place the NER found that is a state the gazetteer does not list ("Paraguay")."""
    found = (pycountry.countries.get(name=text) or pycountry.countries.get(common_name=text)
             or pycountry.countries.get(official_name=text))
    if found is None:
        return None
    name = getattr(found, "common_name", None) or found.name.split(",")[0]
    return Entity(key=slug(name), id=slug(name), name=name, type="Country")


def entity_for(text: str, etype: str) -> tuple[Entity, str]:
    """The entity a name found by a claim rule stands for (a known one when it links), with the
    reason: for names the NER missed, which the rules still bind."""
    return _link(text, etype, [])
