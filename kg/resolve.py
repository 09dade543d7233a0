"""Entity resolution: turn the gazetteer's and the NER's spans into one canonical entity each.

Decisions, each recorded as a reason so a merge can be explained:
1. a gazetteer alias names a known entity (longest match wins); a state's name, or its demonym,
   before a generic body ("Norway's Ministry of Justice") is that state's body;
2. the statistical NER keeps a person whose first name is a place ("Israel Katz"), or whose full
   name holds a known person's one-word name with another given name ("Hussein Nasrallah", linked
   by step 4, not by the gazetteer's "Nasrallah");
3. a lone surname links to the full name used in the same article; an acronym in brackets after a
   name ("Balochistan Liberation Army (BLA)") is that name in the whole article;
4. an unknown spelling of a gazetteer alias (kg/names.py: judgements, then rigour) is that entity;
5. a place that is a state of ISO 3166 (pycountry) is a Country;
6. anything else is a new entity keyed by type and name; `Linker` then meets it with the names
   of earlier articles and of the graph, so another spelling in another article is the same node;
7. a lone word the NER calls a person once, which no full name of the article contains, no title
   precedes and no list knows ("Loser", a town), is no entity."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache

import pycountry
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from .gazetteer import gazetteer
from .model import Analysis, Entity, Mention, plain_reason
from .names import PARTICLES, block, content_words, judgements, normal, same, slug
from .resources import data

NER_TYPES = {"PERSON": "Person", "ORG": "Organization", "GPE": "Location", "LOC": "Location",
             "FAC": "Location", "EVENT": "Event"}
_EDGE_WORDS = {"the", "a", "an", "'s", "'", "(", ")", ",", '"', "-", "."}
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$")
_BRACKETED = re.compile(r"^(?P<name>.+?) \((?P<short>[A-Z][A-Za-z0-9-]{1,9})\)$")


@dataclass
class Resolved:
    entities: dict[str, Entity]  # by key
    mentions: list[Mention]


def _person_despite(person: Span, inside: list[Span]) -> bool:
    """A person's name with a known name in it: "Israel Katz" (a place as first name), "Abdul Malik
    al-Houthi" (a group as family name, after a particle or hyphen), "Hussein Nasrallah" (a known
    person's surname with another given name: a namesake until the names say otherwise)."""
    if len(inside) != 1 or len(inside[0]) >= len(person):
        return False
    known = inside[0]
    if known.label_ == "Person":
        return _namesake(person, known)
    if known.start == person.start:
        return known.label_ in ("Country", "Location")
    before = person.doc[known.start - 1]
    return known.end == person.end and (before.text == "-" or before.lower_ in PARTICLES)


@cache
def _titles() -> set[str]:
    return set(data("names")["titles"])


@cache
def _title_words() -> set[str]:
    """Lower-case words that may stand before a known person's surname without naming another
    person: titles ("Ayatollah Khamenei"), state and office titles ("President Assad", "Prime
    Minister Netanyahu"), leadership roles ("Leader Khamenei")."""
    gaz = gazetteer()
    found = {t.lower().rstrip(".") for t in _titles()}
    for title in [*gaz.state_titles, *gaz.titles, *(t for k in gaz.kinds.values() for t in k.titles),
                  *data("lexicon")["leadership"]["roles"], *data("names").get("title_words", [])]:
        found |= set(re.split(r"[\s-]+", title.lower()))
    return found


def _namesake(person: Span, known: Span) -> bool:
    """"Hussein Nasrallah" holds "Nasrallah", a known person's one-word name: the full name is a
    person of its own (met with the known one through judgements and spelling, kg/names.py) unless
    the other words are titles or particles ("General Soleimani", "al-Assad")."""
    if len(content_words(known.text)) != 1:
        return False  # "Sayyed Hassan Nasrallah": a known full name with more words before it
    extra = [t for t in person if not known.start <= t.i < known.end]
    return any(t.text[:1].isupper() and t.lower_.rstrip(".") not in _title_words() and t.lower_ not in PARTICLES
               and t.text not in ("'s", "'") for t in extra)


def _with_title(span: Span) -> Span:
    """"General Hamdan": a lone word the NER calls a person, after a title, is named with it."""
    if span.label_ == "PERSON" and len(span) == 1 and span.start > 0 and span.doc[span.start - 1].text in _titles():
        return Span(span.doc, span.start - 1, span.end, label=span.label_)
    return span


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    while start < end and span.doc[start].lower_ in _EDGE_WORDS:
        start += 1
    while end > start and span.doc[end - 1].lower_ in _EDGE_WORDS:
        end -= 1
    if start == end or not any(ch.isupper() for ch in span.doc[start:end].text):
        return None
    return _with_title(Span(span.doc, start, end, label=span.label_))


@cache
def _kind_matcher(vocab: Vocab) -> PhraseMatcher:
    matcher = PhraseMatcher(vocab, attr="LOWER")
    for kind in gazetteer().kinds.values():
        matcher.add(kind.id, [Doc(vocab, words=p.split()) for p in kind.phrases])
    return matcher


def _bodies(doc: Doc, gaz_spans: list[Span]) -> list[Span]:
    """"Norway's Ministry of Justice", "the Saudi Interior Ministry", "the Interior Ministry of
    Germany": a state, by name or demonym, with a generic body is that state's body."""
    gaz = gazetteer()
    states = {s.start: s for s in gaz_spans if gaz.entities[s.id_].type == "Country"}
    ends = {s.end: s for s in states.values()}
    found = []
    for match_id, start, end in _kind_matcher(doc.vocab)(doc):
        kind = doc.vocab.strings[match_id]
        if not all(t.text[:1].isupper() or t.lower_ == "of" or t.lower_ == "the" for t in doc[start:end]):
            continue  # "the ministry" in running text names no body
        state, first, last = None, start, end
        before = start - 1 if start > 0 and doc[start - 1].lower_ in ("'s", "'") else start
        if before in ends:
            state, first = ends[before].id_, ends[before].start
        elif start > 0 and doc[start - 1].text.lower() in gaz.demonyms \
                and gaz.entities[gaz.demonyms[doc[start - 1].text.lower()]].type == "Country":
            state, first = gaz.demonyms[doc[start - 1].text.lower()], start - 1
        else:
            after = end + 1 if end < len(doc) and doc[end].lower_ == "of" else None
            if after is not None and after < len(doc) and doc[after].lower_ == "the":
                after += 1
            if after in states:
                state, last = states[after].id_, states[after].end
        if state is not None:
            body = gaz.body(state, kind)
            found.append(Span(doc, first, last, label=body.type, span_id=body.key))
    return found


def _candidates(doc: Doc, names_too: bool = True) -> list[tuple[Span, str | None]]:
    """(span, gazetteer key or None) for every entity span of one paragraph, without overlaps;
    `names_too` False: the gazetteer's names only (headers, where Title Case fools the NER)."""
    gaz_spans = list(doc.spans.get("gazetteer", []))
    gaz = filter_spans(gaz_spans + _bodies(doc, gaz_spans))
    chosen: list[tuple[Span, str | None]] = []
    for ent in doc.ents if names_too else []:
        if ent.label_ not in NER_TYPES:
            continue
        trimmed = _trim(ent)
        if trimmed is None or trimmed.text.lower() in gazetteer().not_names:
            continue
        inside = [g for g in gaz if g.start >= trimmed.start and g.end <= trimmed.end]
        if ent.label_ in ("PERSON", "GPE", "LOC", "FAC", "NORP") and _group_name(trimmed) and not inside:
            trimmed = Span(doc, trimmed.start, trimmed.end, label="ORG")  # "Katibat Nour", "Saraya Nour"
        elif ent.label_ == "ORG" and not inside and _titled_person(trimmed):
            trimmed = Span(doc, trimmed.start, trimmed.end, label="PERSON")  # "Jean-Marie Runiga the M23's leader"
        if (trimmed.label_ == "PERSON" and _person_despite(trimmed, inside)) \
                or (trimmed.label_ == "ORG" and _named_for_a_state(trimmed, inside)):
            gaz = [g for g in gaz if g not in inside]
            chosen.append((trimmed, None))
        elif not any(g.start < trimmed.end and trimmed.start < g.end for g in gaz):
            chosen.append((trimmed, None))
    chosen += [(g, g.id_) for g in gaz]
    return sorted(chosen, key=lambda c: c[0].start)


def _named_for_a_state(org: Span, inside: list[Span]) -> bool:
    """"the Popular Front of India", "the Communist Party of Nepal": an organisation's name ending in
    a generic word of organisations' names and "of" a state is the organisation, not the state. A
    state's body ("the Interior Ministry of Kuwait", `_bodies`) is a known span of its own, not a state."""
    gaz = gazetteer()
    if not inside or any(gaz.entities[g.id_].type != "Country" for g in inside):
        return False
    doc = org.doc
    for state in inside:
        of = state.start - 2 if state.start - 2 >= org.start and doc[state.start - 1].lower_ == "the" else state.start - 1
        if state.end != org.end or of <= org.start or doc[of].lower_ != "of" or doc[of - 1].text not in _generic_words():
            return False
    return True


@cache
def _generic_words() -> set[str]:
    return set(data("names")["generic_words"])


def _group_name(span: Span) -> bool:
    """A name shaped as an organisation's: several words, opening with a word armed groups' names
    open with, or closing with a generic word of organisations' names."""
    names = data("names")
    return len(span) > 1 and (span[0].text in names["group_name_words"] or span[-1].text in names["generic_words"])


def _titled_person(span: Span) -> bool:
    """A name the NER took for an organisation that an apposition calls a leader: "Jean-Marie Runiga,
    the M23's political leader" (groups are not called leaders, chiefs or commanders)."""
    roles = set(data("lexicon")["leadership"]["roles"])  # the leadership words of the claim rules
    return any(c.dep_ == "appos" and c.lemma_.lower() in roles and c.i > span.root.i for c in span.root.children)


def new_entity(text: str, etype: str) -> Entity:
    """An entity no list knows, keyed by type and name: `Linker` meets other spellings with it."""
    return Entity(key=f"{etype.lower()}:{slug(text)}", id=f"{etype.lower()}-{slug(text)}", name=text, type=etype)


def entity_for(text: str, etype: str) -> tuple[Entity, str]:
    """The entity a span of text names (a claim rule's proper-noun chunk), with the reason: a known
    one, a state, or a new entity of `etype` named by the text without "the" or a possessive."""
    text = re.sub(r"^(the|The)\s+|'s$|'$", "", text.strip())
    known = gazetteer().find(text, etype)
    if known is not None:
        return known
    if etype in ("Location", "Organization", "Country"):
        state = _state(text)
        if state is not None:
            return state, f"{text!r} is a state in ISO 3166 (pycountry)"
    entity = new_entity(text, etype)
    return entity, plain_reason(entity.key, text)


def resolve(paragraphs: list[tuple[int, Doc]], names_from: tuple[int, int] | None = None) -> Resolved:
    """Resolve the entity spans of one article's parsed paragraphs (offset, doc); sets `doc.ents`
    to the resolved spans with `kb_id_` = entity key and `label_` = entity type. `names_from`:
    the (start, end) offsets outside which only the gazetteer's names count."""
    gaz = gazetteer()
    lo, hi = names_from or (0, float("inf"))
    found = [(offset, doc, span, gkey) for offset, doc in paragraphs
             for span, gkey in _candidates(doc, lo <= offset < hi)]
    found = _widen_to_acronym(_split_brackets(found))

    # people's full names first, so a part of a name anywhere in the article links to them
    people: list[tuple[list[str], Entity]] = []
    for _, _, span, gkey in found:
        if span.label_ in ("PERSON", "Person") and len(content_words(span.text)) > 1:
            person = gaz.entities[gkey] if gkey else (gaz.lookup(span.text, "Person") or new_entity(span.text, "Person"))
            if person.type == "Person":
                people.append((content_words(span.text), person))

    found += _short_forms(paragraphs, found)
    found += _repeats(paragraphs, found)
    found.sort(key=lambda f: (f[0], f[2].start))
    local = _acronyms(found, people) | _also_known_as(found, people)
    orgs = _organisations(found, people)
    lone = Counter(span.text for _, _, span, gkey in found
                   if gkey is None and span.label_ == "PERSON" and len(content_words(span.text)) == 1)

    entities: dict[str, Entity] = {}
    mentions: list[Mention] = []
    spans_of: dict[int, list[Span]] = {}
    for offset, doc, span, gkey in found:
        text = span.text
        if text in local:
            entity, reason = local[text]
        elif gkey and (namesake := _namesakes_part(text, gkey, people)) is not None:
            entity, reason = namesake, f"{text!r} is part of the name {namesake.name!r} used in the same article"
        elif gkey:
            entity, reason = gaz.entities[gkey], plain_reason(gkey, text)
        elif _short_of(text, orgs):
            entity, reason = _short_of(text, orgs)
        else:
            linked = _link(text, NER_TYPES[span.label_], people, lone_ok=lone[text] > 1)
            if linked is None:
                continue
            entity, reason = linked
        known = entities.setdefault(entity.key, replace(entity, aliases=set(), reasons=set()))
        known.aliases.add(text)
        known.reasons.add(reason)
        spans_of.setdefault(id(doc), []).append(Span(doc, span.start, span.end, label=known.type, kb_id=known.key))
        mentions.append(Mention(known.key, text, offset + span.start_char, offset + span.end_char))
    for _, doc in paragraphs:  # dates stay as the NER found them: claims read them
        dates = [e for e in doc.ents if e.label_ == "DATE"]
        resolved = spans_of.get(id(doc), [])
        doc.ents = filter_spans(resolved + [d for d in dates if not any(d.start < r.end and r.start < d.end for r in resolved)])
    return Resolved(entities, mentions)


def _split_brackets(found: list) -> list:
    """The NER's "Balochistan Liberation Army (BLA)" as two spans: the name and its acronym; so too
    "the Brotherhood of the Hand (BOTH", a span the NER closed before the bracket did. Any other
    bracket the NER opened and did not close is cut off with what follows it."""
    out = []
    for offset, doc, span, gkey in found:
        opening = next((t.i for t in reversed(span) if t.text == "("), None) if gkey is None else None
        if opening is None or opening == span.start:
            out.append((offset, doc, span, gkey))
            continue
        if span[-1].text == ")" and span.end - 1 > opening:
            close = span.end - 1
        elif span.end < len(doc) and doc[span.end].text == ")" and not any(t.text == ")" for t in doc[opening:span.end]):
            close = span.end
        else:
            close = None
        name = Span(doc, span.start, opening, label=span.label_)
        short = Span(doc, opening + 1, close, label=span.label_) if close is not None else None
        if short is not None and _BRACKETED.match(f"{name.text} ({short.text})"):
            out += [(offset, doc, name, None), (offset, doc, short, None)]
        elif not any(t.text == ")" for t in doc[opening:span.end]):
            out.append((offset, doc, name, None))  # "(" the NER took in and did not close
        else:
            out.append((offset, doc, span, gkey))
    return out


def _initials(tokens) -> str:
    return "".join(t.text[0] for t in tokens if t.text[:1].isupper())


_CONNECTORS = {"of", "the", "and", "for", "de", "al"}


def _widen_to_acronym(found: list) -> list:
    """"a Ukrainian International Airlines (UIA) airliner", where the NER's name starts at
    "International" or it found the demonym only: the acronym in brackets after a name tells where
    the name starts, so the capitalised words before the bracket whose first letters spell it are
    the name — when the NER found part of it, or they open with a demonym or a state's name
    ("Specially Designated Global Terrorist (SDGT)" is a status, no name)."""
    taken = {(id(doc), t.i): i for i, (_, doc, span, _) in enumerate(found) for t in span}
    out = list(found)
    for offset, doc, acr, akey in found:
        p = acr.start - 1
        if len(acr) != 1 or not _ACRONYM.match(acr.text) or p < 1 or doc[p].text != "(" \
                or acr.end >= len(doc) or doc[acr.end].text != ")":
            continue
        before = taken.get((id(doc), p - 1))
        if before is not None and (out[before][3] is not None or _initials(out[before][2]) == acr.text):
            continue  # a known name, or one the acronym already spells
        for start in range(p - 1, max(p - 9, -1), -1):
            tok = doc[start]
            owner = taken.get((id(doc), start))
            if (owner is not None and owner != before) or not (tok.text[:1].isupper() or tok.lower_ in _CONNECTORS):
                break
            if tok.text[:1].isupper() and tok.lower_ != "the" and _initials(doc[start:p]) == acr.text:
                if before is not None:
                    out[before] = (offset, doc, Span(doc, start, p, label=out[before][2].label_), None)
                elif tok.lower_ in gazetteer().demonyms:  # "a Syrian Harbour Ferries (SHF) ferry": the NER kept the demonym only
                    out.append((offset, doc, Span(doc, start, p, label="ORG"), None))
                break
    return sorted(out, key=lambda f: (f[0], f[2].start))


def _acronyms(found: list, people) -> dict[str, tuple[Entity, str]]:
    """Acronyms an article defines — a name followed by "(ACRONYM)" — mapped to that name's entity."""
    gaz = gazetteer()
    local: dict[str, tuple[Entity, str]] = {}
    for (_, doc, span, gkey), (_, doc2, nxt, nkey) in zip(found, found[1:]):
        if doc is not doc2 or nxt.start != span.end + 1 or span.end + 1 >= len(doc) or doc[span.end].text != "(" \
                or nxt.end >= len(doc) or doc[nxt.end].text != ")" or not _ACRONYM.match(nxt.text) or len(span) < 2:
            continue
        if nkey and gkey != nkey:
            continue  # the acronym is a known name of something else: the gazetteer wins
        if gkey:
            entity = gaz.entities[gkey]
        else:
            linked = _link(span.text, NER_TYPES.get(span.label_, "Organization"), people)
            if linked is None:
                continue
            entity = linked[0]
        local.setdefault(nxt.text, (entity, f"{nxt.text!r} stands for {span.text!r} in the same article"))
    return local


_AKA = re.compile(r"^,? ?(?:(?:who|which) (?:is|are|was) )?(?:also |better |formerly |otherwise )?known as(?: the)?$"
                  r"|^,? ?a\.?k\.?a\.?(?: the)?$")


def _resolved(span: Span, gkey: str | None, people) -> Entity | None:
    if gkey:
        return gazetteer().entities[gkey]
    linked = _link(span.text, NER_TYPES.get(span.label_, "Organization"), people, lone_ok=True)
    return linked[0] if linked else None


def _also_known_as(found: list, people) -> dict[str, tuple[Entity, str]]:
    """"Sanaullah Ghafari, also known as Shahab al-Muhajir", "Diriye, who is also known as X and Y":
    the names after "also known as" are the first one's in the whole article."""
    local: dict[str, tuple[Entity, str]] = {}
    for i, (_, doc, span, gkey) in enumerate(found):
        chain, last = [], span
        for _, doc2, nxt, nkey in found[i + 1:]:
            between = doc[last.end:nxt.start].text.strip() if doc2 is doc and nxt.start >= last.end else None
            if between is not None and between.rsplit(" ", 1)[-1] in _titles():  # "also known as Sheikh …"
                between = between.rsplit(" ", 1)[0] if " " in between else ""
            between = between.lower() if between is not None else None
            if between is None or not (_AKA.match(between) if not chain else between in (",", "and", ", and", "or")):
                break
            chain.append((nxt, nkey))
            last = nxt
        if not chain:
            continue
        entity = _resolved(span, gkey, people)
        for other, okey in chain:
            if entity is None or (okey and gkey and okey != gkey) or (okey and entity.key != okey and entity.key in gazetteer().entities):
                continue
            if okey and not gkey:  # a known name after an unknown one: the known entity is meant
                known = gazetteer().entities[okey]
                local.setdefault(span.text, (known, f"{span.text!r} is also known as {other.text!r}"))
            else:
                local.setdefault(other.text, (entity, f"{span.text!r} is also known as {other.text!r}"))
    return local


def _organisations(found: list, people) -> list[tuple[list[str], Entity]]:
    """The organisations an article names in several words, for their short forms."""
    orgs = []
    for _, _, span, gkey in found:
        if span.label_ in ("ORG", "Organization") and len(content_words(span.text)) > 1:
            entity = _resolved(span, gkey, people)
            if entity is not None and entity.type == "Organization":
                orgs.append((words_of(span.text), entity))
    return orgs


def words_of(name: str) -> list[str]:
    return [w for w in re.split(r"[^\w'-]+", name) if w and w.lower() != "the"]


@cache
def _generic() -> set[str]:
    return {w.lower() for w in data("names")["generic_words"]}


def _short_of(text: str, orgs: list[tuple[list[str], Entity]]) -> tuple[Entity, str] | None:
    """"the Brotherhood" after "the Muslim Brotherhood", "Polisario" after "the Polisario Front",
    "the Council" after "the Council of the European Union": a capitalised word of the article that
    is the last word of one organisation's name, or the head of an "X of Y" name, or its name
    without a generic last word ("Front", "Movement"), is that organisation."""
    short = words_of(text)
    if not short or not short[0][:1].isupper():
        return None
    fits = {e.key: e for name, e in orgs if len(name) > len(short) and (
        (len(short) == 1 and name[-1] == short[0] and name[-1].lower() not in _generic())
        or (len(short) == 1 and len(name) > 2 and name[1].lower() == "of" and name[0] == short[0])
        or (name[-1].lower() in _generic() and name[:-1] == short))}
    if len(fits) != 1:
        return None
    entity = next(iter(fits.values()))
    return entity, f"{text!r} is the short form of {entity.name!r} used in the same article"


def _short_forms(paragraphs: list[tuple[int, Doc]], found: list) -> list:
    """"the Guards" after "the Revolutionary Guards", "the Council" after "the Council of the
    European Union": a capitalised last word of an organisation's name, or the head of an "X of Y"
    name, standing alone later in the same article, is that organisation (when only one fits)."""
    gaz = gazetteer()
    heads: dict[str, set[str]] = {}
    for _, _, span, gkey in found:
        if gkey and gaz.entities[gkey].type == "Organization" and len(span) > 1:
            for head in (span[-1], span[0] if len(span) > 2 and span[1].lower_ == "of" else None):
                if head is not None and head.text[0].isupper():
                    heads.setdefault(head.text, set()).add(gkey)
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


def _repeats(paragraphs: list[tuple[int, Doc]], found: list) -> list:
    """A name of several words the NER found once names the same entity wherever the article repeats
    it, also where the NER missed it there ("The Ashgrove Relief Network is accused of …"); so does a
    person's surname alone ("Pompeo also said …")."""
    names: dict[str, dict[tuple[str, ...], tuple[str, str | None]]] = {}  # first word -> words -> (label, key)
    for _, _, span, gkey in found:
        if len(span) > 1 and span.label_ in ("ORG", "PERSON", "Organization", "Person") and span[0].text[:1].isupper():
            words = tuple(t.text for t in span if t.text not in ("'s", "'"))
            names.setdefault(words[0], {}).setdefault(words, (span.label_, gkey))
            if span.label_ in ("PERSON", "Person") and len(words) > 1 and words[-1][:1].isupper():
                names.setdefault(words[-1], {}).setdefault(words[-1:], (span.label_, gkey))  # "Pompeo" after "Mike Pompeo"
    taken = {(id(doc), t.i) for _, doc, span, _ in found for t in span}
    extra = []
    for offset, doc in paragraphs:
        for tok in doc:
            for words, (label, gkey) in names.get(tok.text, {}).items():
                end = tok.i + len(words)
                if tok.text == words[0] and end <= len(doc) and tuple(t.text for t in doc[tok.i:end]) == words \
                        and not any((id(doc), i) in taken for i in range(tok.i, end)):
                    extra.append((offset, doc, Span(doc, tok.i, end, label=label), gkey))
                    taken.update((id(doc), i) for i in range(tok.i, end))
    return extra


def _same_word(a: str, b: str) -> bool:
    return a == b or same(a, b) is not None


def _part_of_name(text: str, people: list[tuple[list[str], Entity]]) -> Entity | None:
    """The one person of the article whose full name starts or ends with `text` ("Katz", "Abu Mahdi")."""
    part = content_words(text)
    n = len(part)

    def fits(full: list[str]) -> bool:
        return n < len(full) and any(all(_same_word(x, y) for x, y in zip(part, side)) for side in (full[:n], full[-n:]))

    matches = {p.key: p for full, p in people if fits(full)}
    return next(iter(matches.values())) if len(matches) == 1 else None


def _namesakes_part(text: str, gkey: str, people: list[tuple[list[str], Entity]]) -> Entity | None:
    """"Nasrallah" after "Hussein Nasrallah", in an article that does not name Hassan Nasrallah: a
    known person's one-word name is the article's one full name that ends or starts with it."""
    if gazetteer().entities[gkey].type != "Person" or len(content_words(text)) != 1 \
            or any(p.key == gkey for _, p in people):
        return None
    person = _part_of_name(text, people)
    return person if person is not None and person.key != gkey else None


def _link(text: str, etype: str, people: list[tuple[list[str], Entity]],
          lone_ok: bool = False) -> tuple[Entity, str] | None:
    person = _part_of_name(text, people) if etype in ("Person", "Location", "Organization") else None
    if person is not None:
        return person, f"{text!r} is part of the name {person.name!r} used in the same article"
    known = gazetteer().find(text, etype)
    if known is not None:
        return known
    if etype in ("Location", "Organization"):
        state = _state(text)
        if state is not None:
            return state, f"{text!r} is a state in ISO 3166 (pycountry)"
    if etype == "Organization" and " ".join(words_of(text)).lower() in _generic():
        return None  # "the Front", "the Movement" alone name no one
    if etype == "Person" and len(content_words(text)) < 2 and not lone_ok:
        return None  # a lone word named once ("Loser", a town) is no person unless a name or list has it
    entity = new_entity(text, etype)
    return entity, plain_reason(entity.key, text)


def _state(text: str) -> Entity | None:
    """A place the NER found that is a state the gazetteer does not list."""
    found = (pycountry.countries.get(name=text) or pycountry.countries.get(common_name=text)
             or pycountry.countries.get(official_name=text))
    if found is None:
        return None
    name = getattr(found, "common_name", None) or found.name.split(",")[0]
    return gazetteer().entities.get(slug(name)) or Entity(key=slug(name), id=slug(name), name=name, type="Country")


# --- across articles ----------------------------------------------------------------------------

@dataclass
class Linker:
    """The names of entities no list knows, met so far (in the graph and in this ingest): a new
    entity whose name is one of them, or a spelling of one (kg/names.py), becomes that entity."""

    exact: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (type, normal name) -> keys
    blocks: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)  # (type, block) -> (name, key)
    names: dict[str, Entity] = field(default_factory=dict)  # key -> canonical entity
    known_as: dict[str, set[str]] = field(default_factory=dict)  # key -> normal forms of its names

    @classmethod
    def seeded(cls, rows: list[dict]) -> "Linker":
        """A linker that knows the graph's entities (rows of key, type, name, aliases)."""
        linker = cls()
        linker.extend(rows)
        return linker

    def extend(self, rows: list[dict]) -> None:
        """Learn the graph's entities it does not know yet (rows of key, type, name, aliases): those
        other processes wrote since, when several ingest into one graph at once."""
        for row in rows:
            if row["key"] not in self.names and row["key"] not in gazetteer().entities and row["type"]:
                entity = Entity(row["key"], row["key"], row["name"], row["type"])
                self.add(entity, set(row.get("aliases") or []))

    def add(self, entity: Entity, names: set[str]) -> None:
        self.names.setdefault(entity.key, replace(entity, aliases=set(), reasons=set()))
        plural = entity.type != "Person"
        for name in sorted(names | {entity.name}):
            self.known_as.setdefault(entity.key, set()).add(normal(name))
            keys = self.exact.setdefault((entity.type, normal(name)), set())
            if entity.key not in keys:
                keys.add(entity.key)
                self.blocks.setdefault((entity.type, block(name, plural)), []).append((name, entity.key))

    def find(self, entity: Entity, names: set[str]) -> tuple[str, str] | None:
        """(key, reason) of the known entity one of `names` names: one that the entity's own name
        names, else any; of several, the least key, so the answer does not hang on the order the
        names were met in."""
        plural = entity.type != "Person"
        for name in sorted(names | {entity.name}):
            for judged in sorted(judgements().judged_same(name)):
                keys = self.exact.get((entity.type, judged), set()) | set(filter(None, [self._known(judged, entity.type)]))
                if keys - {entity.key}:
                    return min(keys - {entity.key}), f"{name!r} and {judged!r} judged the same"
        if entity.key in self.names:
            return None  # its own name met before: that node, whatever else its other names meet
        found: list[tuple[bool, str, str]] = []  # (not the entity's own name, key, reason)
        for name in sorted(names | {entity.name}):
            other_name = normal(name) != normal(entity.name)
            for key in self.exact.get((entity.type, normal(name)), set()) - {entity.key}:
                if not self._judged_apart(name, key):
                    found.append((other_name, key, f"same name {name!r} as in an earlier article"))
            for other, key in self.blocks.get((entity.type, block(name, plural)), []):
                if key != entity.key and not any(k == key for _, k, _ in found):
                    why = same(name, other, plural=plural)
                    if why and not self._judged_apart(name, key):
                        found.append((other_name, key, why))
        # the entity's own name first: "the Silver Hand Society, also known as the Brotherhood of the
        # Hand" is the Silver Hand Society met before, not a Brotherhood of the Hand named alone
        return min(found)[1:] if found else None

    def _known(self, name: str, etype: str) -> str | None:
        found = gazetteer().exact.get(name)
        return found if found and gazetteer().entities[found].type == etype else None

    def _judged_apart(self, name: str, key: str) -> bool:
        """A name judged different from any name the entity already answers to keeps apart."""
        return judgements().apart(name, self.known_as.get(key, ()))

    def link(self, analysis: Analysis) -> Analysis:
        """Give the new entities of one analysed article the keys of the entities they name."""
        gaz = gazetteer()
        moved: dict[str, str] = {}
        for key, entity in list(analysis.entities.items()):
            forms = {m.text for m in analysis.mentions if m.entity == key} | entity.aliases
            if key in gaz.entities:
                continue
            found = self.find(entity, forms)
            if found is None:
                self.add(entity, forms)
                continue
            target, reason = found
            moved[key] = target
            canonical = self.names.get(target) or gaz.entities[target]
            merged = analysis.entities.get(target) or replace(canonical, aliases=set(), reasons=set())
            merged.aliases |= entity.aliases
            merged.reasons |= entity.reasons | {reason}
            analysis.entities[target] = merged
            del analysis.entities[key]
            self.add(merged, forms)
        if moved:
            for m in analysis.mentions:
                m.entity = moved.get(m.entity, m.entity)
            for c in analysis.claims:
                for role in ("subject", "object", "addressee", "speaker", "authority"):
                    value = getattr(c, role)
                    if value in moved:
                        setattr(c, role, moved[value])
        return analysis
