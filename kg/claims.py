"""Claim extraction: rules over the dependency parse and the resolved entity spans of each sentence.

Every rule looks for the words of kg/data/patterns.toml, finds the entities the grammar ties to them,
and decides the claim's kind from its context: a designation under "urged … to", "should" or
"called for" is a call for designation, one under "not"/"refused to" a denial, and so on."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Span, Token

from .dates import resolve_date
from .gazetteer import gazetteer
from .model import Article, Claim
from .resources import data, extractor

AUTHORITY_TYPES = {"Country", "Organization"}
GROUP_TYPES = {"Organization"}


@dataclass
class Words:
    designate: set[str]
    designation_nouns: set[str]
    strong: set[str]
    list_verbs: set[str]
    list_nouns: set[str]
    terror: set[str]
    designated_suffix: re.Pattern
    call_verbs: set[str]
    call_nouns: set[str]
    modals: set[str]
    pending: set[str]
    negators: set[str]
    refuse: set[str]
    denial_phrases: list[str]
    revoke: set[str]
    reporting: set[str]
    roles: set[str]
    not_leading: set[str]
    lead_verbs: set[str]
    former: set[str]
    part_nouns: set[str]
    government_nouns: set[str]
    backed_suffix: re.Pattern
    support_verbs: set[str]
    support_nouns: set[str]
    examples: list[str]


@cache
def words() -> Words:
    p = data("patterns")
    return Words(
        designate=set(p["designation"]["verbs"]), designation_nouns=set(p["designation"]["nouns"]),
        strong=set(p["designation"]["strong_verbs"]),
        list_verbs=set(p["designation"]["list_verbs"]),
        list_nouns=set(p["designation"]["list_nouns"]), terror=set(p["designation"]["terror_words"]),
        designated_suffix=re.compile(rf"^(.+?)-({'|'.join(p['designation']['adjective_suffixes'])})$", re.I),
        call_verbs=set(p["call"]["verbs"]), call_nouns=set(p["call"]["nouns"]), modals=set(p["call"]["modals"]),
        pending=set(p["call"]["pending"]),
        negators=set(p["denial"]["negators"]), refuse=set(p["denial"]["verbs"]),
        denial_phrases=p["denial"]["phrases"], revoke=set(p["revocation"]["verbs"]),
        reporting=set(p["reporting"]["verbs"]), roles=set(p["leadership"]["roles"]),
        not_leading=set(p["leadership"]["not_leading"]), lead_verbs=set(p["leadership"]["verbs"]),
        former=set(p["leadership"]["former"]), part_nouns=set(p["part_of"]["nouns"]),
        government_nouns=set(p["designation"]["government_nouns"]),
        backed_suffix=re.compile(rf"^(.+?)-({'|'.join(p['support']['adjective_suffixes'])})$", re.I),
        support_verbs=set(p["support"]["verbs"]), support_nouns=set(p["support"]["nouns"]), examples=p["support"]["examples"])


def lemma(token: Token) -> str:
    """The lemma, also for words a headline capitalises ("Calls", "Designation"), which the
    tagger takes for proper nouns and leaves unlemmatised."""
    if token.pos_ == "PROPN" and not token.ent_kb_id_:
        word = token.lower_
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)] if suffix != "es" or word[-3] in "sxz" else word[:-1]
        return word
    return token.lemma_.lower()


@dataclass(frozen=True)
class Named:
    """An entity named inside one token ("U.S.-designated"), where no span can be cut out."""

    kb_id_: str
    label_: str
    text: str


# --- entity helpers -------------------------------------------------------------------------

def entity_at(token: Token) -> Span | None:
    """The resolved entity span the token is part of (an index built once per parsed paragraph)."""
    index = token.doc.user_data.get("kg_entity_at")
    if index is None:
        index = {i: ent for ent in token.doc.ents if ent.kb_id_ for i in range(ent.start, ent.end)}
        token.doc.user_data["kg_entity_at"] = index
    return index.get(token.i)


def referent(token: Token, types: set[str] | None = None) -> list[Span]:
    """The entities a noun phrase headed by `token` stands for: the entity itself, its
    apposition ("the group Hezbollah"), the noun it is in apposition to, the subject of a
    copula ("X is the arm"), or the antecedent of "which"/"both of which"."""
    found: list[Span] = []

    def add(span: Span | None):
        if span is not None and (types is None or span.label_ in types) and all(span != f for f in found):
            found.append(span)

    ent = entity_at(token)
    if ent is not None:
        add(ent)
        return found
    if token.lower_ in ("which", "who", "that", "both", "all", "each"):
        clause = next((a for a in token.ancestors if a.dep_ == "relcl"), None)
        if clause is None:
            return found
        head = clause.head
        if token.lower_ == "both" or any(c.lower_ == "both" for c in clause.subtree):
            # "X, an arm of Y, both of which …": every entity of the antecedent phrase
            inside = {t.i for t in clause.subtree}
            start = next((t.i for t in head.sent if t.i < head.i and t.text == ","), head.sent.start)
            for t in head.doc[start:head.i + 1]:
                add(entity_at(t))
            for t in head.subtree:
                if t.i not in inside:
                    add(entity_at(t))
        for span in referent(head, types):
            add(span)
        if not found:  # the parse hung the clause on a nearby noun: take the last group before it
            for t in reversed(head.doc[head.sent.start:token.i]):
                ent = entity_at(t)
                if ent is not None and (types is None or ent.label_ in types):
                    add(ent)
                    break
        return found
    for child in token.children:
        if child.dep_ == "appos":
            for span in referent(child, types):
                add(span)
    if found:
        return found
    if lemma(token) in words().government_nouns:  # "Canada's government", "German authorities"
        for child in token.children:
            if child.dep_ in ("poss", "compound", "amod"):
                state = entity_at(child)
                if state is None and child.dep_ == "amod":
                    known = gazetteer().actor(child.text)
                    state = Named(known.key, known.type, known.name) if known is not None else None
                if state is not None and state.label_ == "Country":
                    add(state)
        if found:
            return found
    for child in token.children:  # "the Iran-backed group Hezbollah": entity as compound of the head
        if child.dep_ in ("compound", "nmod") and entity_at(child) is not None and entity_at(child).end == token.i:
            add(entity_at(child))
    if token.dep_ == "appos":
        add(entity_at(token.head))
    if token.dep_ in ("attr",) and token.head.lemma_ == "be":
        for s in token.head.children:
            if s.dep_ in ("nsubj", "nsubjpass"):
                for span in referent(s, types):
                    add(span)
    return found


# --- context: who says it, is it a call, a denial --------------------------------------------

@dataclass
class Context:
    modality: str  # asserted | called_for | denied | pending
    caller: Span | None = None
    addressee: Span | None = None


def _clause_chain(token: Token) -> Iterator[Token]:
    """The token and the words that govern it, up to the sentence root; a relative clause is not
    governed by what its noun's sentence says ("Hamas, which the EU lists …, rejected …")."""
    current = token
    while True:
        yield current
        if current.head == current or current.dep_ == "relcl":
            return
        current = current.head


def _subject(verb: Token) -> Span | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.tag_ != "WDT":
            spans = referent(child)
            if spans:
                return spans[0]
    return None


def _is_call(tok: Token) -> bool:
    w = words()
    return (lemma(tok) in w.call_verbs and tok.pos_ in ("VERB", "AUX", "PROPN")
            or lemma(tok) in w.call_nouns and tok.pos_ in ("NOUN", "PROPN"))


def _call_context(call: Token, below: Token | None) -> Context:
    """A call governs the trigger: who calls, whom; a call that is rejected is a refusal."""
    if lemma(call.head) in words().refuse and call.head != call:  # "X rejected calls to proscribe Y"
        return Context("denied", _subject(call.head))
    addressee = None
    for child in call.children:
        if child.dep_ in ("dobj", "dative") and child != below:
            spans = referent(child, AUTHORITY_TYPES)
            addressee = spans[0] if spans else None
        elif child.dep_ == "prep" and child.lower_ in ("on", "upon") and child != below:
            spans = [s for p in child.children for s in referent(p, AUTHORITY_TYPES)]
            addressee = spans[0] if spans else addressee
    return Context("called_for", _caller(call), addressee)


def context_of(trigger: Token) -> Context:
    """Is the trigger's act stated as done (asserted), called for, refused (denied) or only
    weighed (pending, no claim)?"""
    w = words()
    sent = trigger.sent
    text = sent.text.lower()
    for child in trigger.children:
        if child.dep_ == "neg" or child.lower_ in w.negators and child.dep_ in ("neg", "advmod", "det"):
            return Context("denied")
    if trigger.dep_ in ("relcl", "acl", "xcomp") and _is_call(trigger.head):  # "calls to proscribe X"
        return _call_context(trigger.head, trigger)
    chain = list(_clause_chain(trigger))
    for i, tok in enumerate(chain[1:], 1):
        below = chain[i - 1]
        if below.dep_ in ("xcomp", "acl", "ccomp", "pcomp", "prep", "pobj") and not _is_call(tok) and \
                tok.pos_ in ("NOUN", "VERB") and any(c.dep_ == "neg" or c.dep_ == "det" and c.lower_ == "no"
                                                     for c in tok.children):  # "had no plans to list"
            return Context("denied", _subject(tok) or _subject(tok.head))
        if lemma(tok) in w.refuse or (lemma(tok) in ("fall", "stop") and "short" in text):
            return Context("denied", _subject(tok))
        if lemma(tok) in w.pending and tok.pos_ in ("VERB", "AUX"):
            return Context("pending")
        if _is_call(tok):
            return _call_context(tok, below)
    aux = [c for c in trigger.children if c.dep_ == "aux"]
    have_to = any(c.lemma_ == "have" for c in aux) and any(c.lower_ == "to" for c in aux)
    for child in aux:
        if child.lower_ in w.modals or have_to:
            speaker = _reporting_subject(trigger)
            return Context("called_for", speaker, _subject(trigger))
    if any(p in text[max(0, trigger.idx - sent.start_char - 40):trigger.idx - sent.start_char] for p in w.denial_phrases):
        return Context("denied")
    return Context("asserted")


def _caller(call: Token) -> Span | None:
    """Who makes the call: its subject or possessor, else, for a call made by a motion or a
    resolution, the subject of the verb that carries it ("Parliament voted for a resolution calling …")."""
    tok = call
    while True:
        found = _subject(tok) or _possessor(tok)
        if found is not None or tok.head == tok or tok.dep_ not in ("acl", "pobj", "prep", "pcomp"):
            return found
        tok = tok.head


def _possessor(noun: Token) -> Span | None:
    for child in noun.children:
        if child.dep_ == "poss":
            spans = referent(child)
            return spans[0] if spans else None
    return None


def _reporting_subject(token: Token) -> Span | None:
    """Who says the clause `token` is in: "X said (that) …", "according to X"."""
    w = words()
    for tok in _clause_chain(token):
        if tok.lemma_ in w.reporting and tok.pos_ == "VERB" and tok != token:
            subject = _subject(tok)
            if subject is not None:
                return subject
    for tok in token.sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
            for t in tok.nbor().subtree:
                if entity_at(t) is not None:
                    return entity_at(t)
    return None


# --- the rules -------------------------------------------------------------------------------

@dataclass
class Found:
    predicate: str
    subject: Span
    object: Span
    trigger: Token
    rule: str
    confidence: float
    addressee: Span | None = None
    speaker: Span | None = None
    authority: Span | None = None
    role: str | None = None
    former: bool = False


END_VERBS = {"kill", "die", "assassinate", "replace", "succeed", "oust", "resign", "retire", "dismiss", "remove"}


def _end_words(person) -> str | None:
    """When a former leader's tenure ended: the date of "…, who was killed in January 2020"."""
    if not isinstance(person, Span):
        return None
    for tok in person:
        for child in tok.children:
            if child.dep_ in ("relcl", "acl") and lemma(child) in END_VERBS:
                for ent in person.sent.ents:
                    if ent.label_ == "DATE" and ent.root.i in {t.i for t in child.subtree}:
                        return ent.text
    return None


PREDICATE_OF = {"asserted": "DESIGNATED_AS_TERRORIST", "denied": "DENIED_DESIGNATION"}


def _has_terror_word(tokens) -> bool:
    w = words()
    return any(word in w.terror for t in tokens for word in (t.lower_, t.lemma_.lower(), t.lower_.split("-")[0]))


def _agent(verb: Token) -> Span | None:
    """Who acts: the subject, the passive agent, the object of "thanked X for designating", or the
    subject of the verb this one is coordinated with."""
    for child in verb.children:
        if child.dep_ == "agent":
            for t in child.children:
                spans = referent(t, AUTHORITY_TYPES)
                if spans:
                    return spans[0]
    for child in verb.children:
        if child.dep_ == "nsubj":
            spans = referent(child, AUTHORITY_TYPES)
            if not spans and child.lower_ == "it" and verb.dep_ in ("advcl", "conj") and verb.head == verb.sent.root:
                state = _subject(verb.sent.root)  # "The UK has not …, although it proscribed Hezbollah"
                return state if state is not None and state.label_ in AUTHORITY_TYPES else None
            return spans[0] if spans else None
    if any(c.dep_ == "auxpass" for c in verb.children):  # "is listed as a terrorist group by the US"
        for t in verb.subtree:
            if t.lower_ == "by" and t.dep_ in ("prep", "agent"):
                spans = [s for p in t.children for s in referent(p, AUTHORITY_TYPES)]
                if spans:
                    return spans[0]
    if verb.dep_ == "acl" and verb.head.dep_ == "attr":  # "X became the first country to designate Y"
        return _subject(verb.head.head)
    if verb.dep_ == "pcomp" and verb.head.lower_ == "by":  # "Iran responded by naming CENTCOM a terrorist group"
        return _agent(verb.head.head) if verb.head.head.pos_ in ("VERB", "AUX") else None
    if verb.dep_ == "pcomp" and verb.head.lower_ == "for":  # "thanked the UK government for designating"
        governor = verb.head.head
        for child in governor.children:
            if child.dep_ == "dobj":
                spans = referent(child, AUTHORITY_TYPES)
                if spans:
                    return spans[0]
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        if verb.dep_ == "xcomp":
            for child in verb.head.children:
                if child.dep_ == "dobj":
                    spans = referent(child, AUTHORITY_TYPES)
                    if spans:
                        return spans[0]
        return _agent(verb.head)
    return None


def _objects(verb: Token) -> list[Span]:
    out: list[Span] = []
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass", "oprd") or (child.dep_ == "nsubj" and verb.lemma_ == "be"):
            for span in referent(child, GROUP_TYPES):
                if span not in out:
                    out.append(span)
            for conj in child.conjuncts:
                for span in referent(conj, GROUP_TYPES):
                    if span not in out:
                        out.append(span)
    return out


def designations(sent: Span) -> Iterator[Found]:
    w = words()
    for tok in sent:
        word = lemma(tok)
        verbal = tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ in ("relcl", "ROOT", "conj") and tok.tag_ == "NNS"
        # "designated/blacklisted/proscribed the IRGC (as) a terrorist organization"
        if word in w.designate and verbal and (word in w.strong or _has_terror_word(_clause(tok))):
            participle = tok.tag_ == "VBN" or tok.tag_ == "VBD" and tok.i > 0 and tok.nbor(-1).text == ","
            by = _by_phrase(tok) if participle else None
            if by is not None:  # "Hamas, designated a terrorist organization by the United States"
                yield from _designation(tok, by, _passive_objects(tok), "participle", 0.85)
            else:
                yield from _designation(tok, _agent(tok), _objects(tok) or _next_groups(tok), "verb", 0.9)
        # "revoked the designation", "removed the Houthis from its terrorism list"
        elif word in w.revoke and tok.pos_ == "VERB":
            yield from _revocation(tok)
        # "added X to its list of Foreign Terrorist Organizations", "be included on the terror blacklist"
        elif word in w.list_verbs and tok.pos_ in ("VERB", "AUX"):
            target = _terror_list_after(tok)
            if target is not None:
                objects = _objects(tok) or [e for e in _entities_between(tok.i + 1, target.i, sent)
                                            if e.label_ in GROUP_TYPES][:1]
                yield from _designation(tok, _agent(tok) or _possessor(target), objects, "added to list", 0.85)
        # "X (is/are) (already) on the US's terror watch list"
        elif word == "be" and tok.pos_ in ("AUX", "VERB"):
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ == "on":
                    lists = [t for t in prep.children if t.lemma_.lower() in w.list_nouns]
                    if lists and _has_terror_word(lists[0].subtree):
                        yield from _designation(tok, _possessor(lists[0]), _objects(tok), "on list", 0.8)
        # "(calls for the) designation of X", "Washington's designation of the IRGC"
        elif word in w.designation_nouns and tok.pos_ in ("NOUN", "PROPN"):
            yield from _nominal_designation(tok)
        # "a U.S.-designated terrorist organization"
        if w.designated_suffix.match(tok.text) or (tok.lower_ in ("designated", "listed", "blacklisted", "proscribed")
                                                   and tok.i >= 2 and tok.nbor(-1).text == "-"):
            yield from _adjectival(tok, "designation")


def _by_phrase(verb: Token) -> Span | None:
    """The authority in a "by …" phrase of the verb's own clause."""
    for t in verb.subtree:
        if t.lower_ == "by" and t.dep_ in ("prep", "agent") and not any(
                a.pos_ == "VERB" and a != verb for a in t.ancestors if a.i > verb.i and verb in a.ancestors):
            spans = [s for p in t.children for s in referent(p, AUTHORITY_TYPES)]
            if spans:
                return spans[0]
    return None


def _passive_objects(verb: Token) -> list:
    """What a passive participle is said of: its subject, or the noun it modifies."""
    for child in verb.children:
        if child.dep_ in ("nsubjpass", "nsubj"):
            return referent(child, GROUP_TYPES)
    if verb.dep_ in ("acl", "appos", "advcl"):
        return referent(verb.head, GROUP_TYPES)
    return []


def _nominal_designation(noun: Token) -> Iterator[Found]:
    """"the designation of X" / "X's designation": a call when a call governs it, else a designation
    by the authority that owns it ("Washington's designation of the IRGC")."""
    objects = [s for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
               for p in c.children for s in referent(p, GROUP_TYPES)]
    owner = _possessor(noun) or next((entity_at(c) for c in noun.children if c.dep_ in ("compound", "amod")
                                      and entity_at(c) is not None), None)
    if not objects and owner is not None and owner.label_ in GROUP_TYPES and noun.nbor(-1).lower_ in ("'s", "'"):
        objects, owner = [owner], None  # "the IRGC's designation"
    if not objects:
        return
    ctx = context_of(noun)
    if ctx.modality == "called_for" and ctx.caller is not None:
        for obj in objects:
            yield Found("CALLED_FOR_DESIGNATION", ctx.caller, obj, noun, "call for designation", 0.8,
                        addressee=ctx.addressee or owner)
    elif ctx.modality == "asserted" and owner is not None and owner.label_ in AUTHORITY_TYPES:
        for obj in objects:
            if obj.kb_id_ != owner.kb_id_:
                yield Found("DESIGNATED_AS_TERRORIST", owner, obj, noun, "designation of", 0.8)


def _revocation(verb: Token) -> Iterator[Found]:
    w = words()
    objects: list = []
    for child in verb.children:
        if child.dep_ == "dobj" and lemma(child) in ("designation", "listing", "ban", "proscription"):
            objects = [s for c in child.children if c.dep_ == "prep" and c.lower_ == "of"
                       for p in c.children for s in referent(p, GROUP_TYPES)]
            if not objects and verb.dep_ == "conj":  # "designated X …, and … revoked the designation"
                objects = _objects(verb.head)
        elif child.dep_ == "prep" and child.lower_ == "from":
            lists = [t for t in child.children if t.lemma_.lower() in w.list_nouns]
            if lists and _has_terror_word(lists[0].subtree):
                objects = _objects(verb)
    agent = _agent(verb)
    if agent is None or context_of(verb).modality != "asserted":
        return
    for obj in objects:
        if obj.kb_id_ != agent.kb_id_:
            yield Found("REVOKED_DESIGNATION", agent, obj, verb, "revoked", 0.85)


def _clause(tok: Token) -> Span:
    """The words from the trigger to the end of its clause (next ';' or sentence end)."""
    sent = tok.sent
    end = next((t.i for t in sent if t.i > tok.i and t.text in (";",)), sent.end)
    return tok.doc[tok.i:end]


def _entities_between(start: int, end: int, sent: Span) -> list[Span]:
    return [e for e in sent.ents if e.kb_id_ and start <= e.start and e.end <= end]


def _next_groups(tok: Token) -> list[Span]:
    """When the parse does not attach the object: the first organisation after the verb, if no
    other verb, comma or terror word comes first ("… and designate Iran's Revolutionary Guards a …")."""
    for t in tok.doc[tok.i + 1:min(tok.sent.end, tok.i + 10)]:
        ent = entity_at(t)
        if ent is not None:
            return [ent] if ent.label_ in GROUP_TYPES else []
        if t.text in (",", ";", ".") or t.pos_ == "VERB" or t.lower_ in words().terror:
            return []
    return []


def _terror_list_after(verb: Token) -> Token | None:
    """The "list" in "… to/on (its/the US's) (terror) list (of Foreign Terrorist Organizations)"."""
    w = words()
    doc, sent = verb.doc, verb.sent
    for t in doc[verb.i + 1:min(sent.end, verb.i + 20)]:
        if t.text in (";",) or (t.pos_ == "VERB" and t.i > verb.i + 1 and lemma(t) in w.list_verbs):
            return None
        if t.lemma_.lower() in w.list_nouns:
            before = doc[max(verb.i, t.i - 5):t.i]
            after = doc[t.i:min(sent.end, t.i + 6)]
            if any(x.lower_ in ("to", "on", "onto") for x in before) and _has_terror_word(list(before) + list(after)):
                return t
    return None


def _designation(trigger: Token, agent, objects: list, rule: str, confidence: float) -> Iterator[Found]:
    if not objects:
        return
    ctx = context_of(trigger)
    if ctx.modality == "called_for":
        caller = ctx.caller
        if caller is None:
            return
        addressee = ctx.addressee or (agent if agent is not None and agent.kb_id_ != caller.kb_id_ else None)
        if addressee is not None and caller.kb_id_ == addressee.kb_id_:
            return
        for obj in objects:
            yield Found("CALLED_FOR_DESIGNATION", caller, obj, trigger, rule, confidence - 0.1, addressee=addressee)
        return
    if ctx.modality == "pending":
        return
    agent = agent or ctx.caller
    if agent is None:
        return
    predicate = PREDICATE_OF[ctx.modality]
    for obj in objects:
        if obj.kb_id_ != agent.kb_id_:
            yield Found(predicate, agent, obj, trigger, rule, confidence, speaker=_reporting_subject(trigger))


def _adjectival(tok: Token, kind: str) -> Iterator[Found]:
    """"a U.S.-designated terrorist group", "the Iran-backed group Hezbollah": the prefix names the
    actor; the thing described is the entity the phrase stands next to."""
    doc = tok.doc
    if "-" in tok.text:
        known = gazetteer().actor(tok.text.rsplit("-", 1)[0])
        actor = Named(known.key, known.type, known.name) if known is not None else None
    else:
        actor = entity_at(doc[tok.i - 2])
        known = gazetteer().actor(doc[tok.i - 2].text) if actor is None else None
        actor = Named(known.key, known.type, known.name) if known is not None else actor
    if actor is None:
        return
    if kind == "designation" and not _has_terror_word(doc[tok.i:min(len(doc), tok.i + 4)]):
        return
    target = _described(tok, actor)
    if target is None or target.kb_id_ == actor.kb_id_:
        return
    if kind == "designation":
        yield Found("DESIGNATED_AS_TERRORIST", actor, target, tok, "adjective", 0.8)
    else:
        yield Found("SUPPORTS", actor, target, tok, "adjective", 0.8)


def _described(tok: Token, actor: Span) -> Span | None:
    """The organisation a pre-modifier describes: the next one in the same noun phrase, else (for
    an apposition after a comma) the one just before it."""
    doc, sent = tok.doc, tok.sent
    start = actor.start if isinstance(actor, Span) else tok.i
    for t in doc[tok.i + 1:min(sent.end, tok.i + 5)]:
        if t.text in (",", ";", "(", ")") or t.pos_ == "VERB":
            break
        ent = entity_at(t)
        if ent is not None and ent.label_ in GROUP_TYPES and ent.kb_id_ != actor.kb_id_:
            return ent
    before = [t for t in doc[sent.start:start]]
    lead = [t for t in before[-3:] if t.pos_ in ("DET", "ADJ", "PUNCT") or t.lower_ in ("a", "an", "the")]
    if before and any(t.text == "," for t in before[-3:]) or lead and before[-len(lead) - 1:-len(lead)] and \
            before[-len(lead) - 1].text == ",":
        for t in reversed(before[-10:]):
            ent = entity_at(t)
            if ent is not None and ent.label_ in GROUP_TYPES:
                return ent
            if t.text in (";", "."):
                break
    return None


def leaders(sent: Span) -> Iterator[Found]:
    w = words()
    ents = [e for e in sent.ents if e.kb_id_]
    for ent in ents:
        if ent.label_ != "Person":
            continue
        before = sent.doc[max(sent.start, ent.start - 6):ent.start]
        after = sent.doc[ent.end:min(sent.end, ent.end + 14)]
        # "IRGC commander Qassem Soleimani", "Hamas leader Ismail Haniyeh"
        role = _role_before(before)
        if role is not None:
            role_tok, org = role
            yield Found("LEADS", ent, org, role_tok, "title before name", 0.85, role=role_word(role_tok),
                        former=_is_former(before))
        # "Qassem Suleimani, leader of the Quds Force" / "Esmail Qaani (Ghaani), IRGC Qods Force commander"
        if len(after) > 1 and after[0].text == "(":
            close = next((t.i for t in after if t.text == ")"), None)
            after = sent.doc[close + 1:min(sent.end, close + 15)] if close is not None else after
        if len(after) > 1 and after[0].text == ",":
            found = _role_phrase(after[1:])
            if found is not None:
                role_tok, org = found
                yield Found("LEADS", ent, org, role_tok, "apposition", 0.85, role=role_word(role_tok),
                            former=_is_former(after[1:role_tok.i - after.start + 1]))
    for tok in sent:
        # "the head of Hamas' political bureau, Ismail Haniyeh"
        if role_word(tok) and tok.pos_ in ("NOUN", "PROPN", "ADJ") and not _deputy(tok):
            org = _org_after_of(tok)
            if org is None:
                continue
            tail = sent.doc[org.end:min(sent.end, org.end + 6)]
            comma = next((t for t in tail if t.text == ","), None)
            if comma is not None and comma.i + 1 < sent.end:
                person = entity_at(sent.doc[comma.i + 1])
                if person is not None and person.label_ == "Person" and not any(
                        entity_at(t) is not None for t in sent.doc[org.end:comma.i]):
                    yield Found("LEADS", person, org, tok, "title then name", 0.8, role=role_word(tok))
            # "Soleimani … was the head of the Quds Force", "As the head of the IRGC Quds Force, Suleimani"
            person = _copula_or_as_subject(tok)
            if person is not None:
                yield Found("LEADS", person, org, tok, "predicate", 0.85, role=role_word(tok),
                            former=_is_former(list(tok.head.children) + [tok]))
        # "(the Quds Force …,) formerly led by Qasem Soleimani" / "Soleimani led the Quds Force"
        if tok.lemma_.lower() in w.lead_verbs and tok.pos_ == "VERB":
            by = [c for c in tok.children if c.dep_ == "agent"]
            if by:
                people = [entity_at(t) for t in by[0].subtree if entity_at(t) is not None]
                org = _led_thing(tok)
                if people and people[0].label_ == "Person" and org is not None:
                    yield Found("LEADS", people[0], org, tok, "led by", 0.8, role=tok.lemma_,
                                former=_is_former(tok.children))
            else:
                subject, objects = _subject(tok), _objects(tok)
                if subject is not None and subject.label_ == "Person" and objects:
                    yield Found("LEADS", subject, objects[0], tok, "leads", 0.8, role=tok.lemma_,
                                former=tok.tag_ == "VBD" or _is_former(tok.children))


def role_word(tok: Token) -> str | None:
    """The leadership role a token ends ("commander", "secretary-general" split into three tokens)."""
    w = words()
    if tok.lemma_.lower() in w.roles:
        return tok.lemma_.lower()
    if tok.i >= 2 and tok.nbor(-1).text == "-":
        joined = f"{tok.nbor(-2).lower_}-{tok.lower_}"
        if joined in w.roles:
            return joined
    return None


def _deputy(role: Token) -> bool:
    w = words()
    return any(t.lower_ in w.not_leading for t in role.doc[max(0, role.i - 2):role.i]) or role.lower_ in w.not_leading


def _is_former(tokens) -> bool:
    w = words()
    return any(t.lower_ in w.former or t.lower_.startswith("then-") or t.lower_ == "ex-" for t in tokens)


def _role_before(before: Span) -> tuple[Token, Span] | None:
    """ORG (adjectives) ROLE immediately before a name."""
    if not len(before):
        return None
    last = before[-1]
    if not role_word(last) or _deputy(last):
        return None
    for t in reversed(list(before)[:-1]):
        ent = entity_at(t)
        if ent is not None:
            return (last, ent) if ent.label_ in GROUP_TYPES else None
        if t.pos_ not in ("ADJ", "PROPN", "NOUN", "PART") or t.text in (",", "("):
            return None
    return None


def _role_phrase(tokens: Span) -> tuple[Token, Span] | None:
    """After "NAME,": "(a|the) (adj) ROLE of (the …) ORG" or "ORG ROLE"."""
    for i, t in enumerate(tokens):
        if t.text in (",", ";", ".") or t.pos_ == "VERB":
            return None
        if role_word(t) and not _deputy(t):
            org = _org_after_of(t)
            if org is not None:
                return t, org
            # "Esmail Qaani, IRGC Qods Force commander", "Hassan Nasrallah, Hezbollah's secretary-general"
            prev = [entity_at(x) for x in tokens[:i] if entity_at(x) is not None]
            if prev and prev[-1].label_ in GROUP_TYPES and all(
                    x.lower_ in ("'s", "'", "-") or role_word(x) or x.pos_ in ("ADJ", "NOUN")
                    for x in t.doc[prev[-1].end:t.i]):
                return t, prev[-1]
            return None
    return None


def _org_after_of(role: Token) -> Span | None:
    """The organisation in "ROLE of (the adj noun) ORG": only words that describe may stand between."""
    doc = role.doc
    if role.i + 1 >= role.sent.end or doc[role.i + 1].lower_ not in ("of", "for"):
        return None
    for t in doc[role.i + 2:min(role.sent.end, role.i + 9)]:
        ent = entity_at(t)
        if ent is not None:
            return ent if ent.label_ in GROUP_TYPES else None
        if t.text in (",", ";", ".", "(") or t.pos_ in ("VERB", "AUX", "ADP") and t.lower_ != "of":
            return None
    return None


ROLE_VERBS = {"be", "become", "remain", "serve", "appoint", "name", "elect", "make", "install", "choose"}


def _copula_or_as_subject(role: Token) -> Span | None:
    """"X was/became/was appointed the head of Y", "As the head of Y, X …"."""
    head = role.head
    if role.dep_ in ("attr", "oprd", "xcomp", "dobj") and head.lemma_ in ROLE_VERBS:
        subject = _subject(head)
        return subject if subject is not None and subject.label_ == "Person" else None
    if role.dep_ == "pobj" and head.lower_ == "as" and head.head.lemma_ in ("serve", "appoint", "name", "elect"):
        subject = _subject(head.head)
        return subject if subject is not None and subject.label_ == "Person" else None
    if role.dep_ == "pobj" and head.lower_ == "as":
        subject = _subject(head.head)
        return subject if subject is not None and subject.label_ == "Person" else None
    return None


def _led_thing(verb: Token) -> Span | None:
    """What "led by X" describes: after a comma, the subject of the main clause; else its head."""
    doc = verb.doc
    for child in verb.children:  # "The Quds Force was led by …"
        if child.dep_ == "nsubjpass":
            spans = referent(child, GROUP_TYPES)
            if spans:
                return spans[0]
    previous = doc[verb.i - 1] if verb.i > verb.sent.start else None
    after_comma = previous is not None and (previous.text == "," or previous.i > verb.sent.start and
                                            doc[previous.i - 1].text == "," and previous.pos_ == "ADV")
    if after_comma:
        root = verb.sent.root
        subject = _subject(root)
        if subject is not None and subject.label_ in GROUP_TYPES:
            return subject
    spans = referent(verb.head, GROUP_TYPES)
    return spans[0] if spans else None


def parts(sent: Span) -> Iterator[Found]:
    w = words()
    for tok in sent:
        if tok.lemma_.lower() not in w.part_nouns or tok.pos_ != "NOUN":
            continue
        parent = _org_after_of(tok)
        if parent is None:  # "The Guards' prized foreign operations unit is the Quds Force"
            parent = _possessor(tok)
            if parent is not None and parent.label_ in GROUP_TYPES and tok.dep_ == "nsubj" and tok.head.lemma_ == "be":
                for c in tok.head.children:
                    if c.dep_ == "attr":
                        for unit in referent(c, GROUP_TYPES):
                            if unit.kb_id_ != parent.kb_id_:
                                yield Found("PART_OF", unit, parent, tok, "possessive unit", 0.8)
            continue
        units: list[Span] = []
        if tok.dep_ == "appos":
            units = [u for u in referent(tok.head, GROUP_TYPES)]
        elif tok.dep_ == "attr" and tok.head.lemma_ == "be":
            units = [u for c in tok.head.children if c.dep_ == "nsubj" for u in referent(c, GROUP_TYPES)]
        for unit in units:
            if unit != parent:
                yield Found("PART_OF", unit, parent, tok, "arm of", 0.85)


def _belongs(sent: Span) -> Iterator[Found]:
    """"The Basij belongs to the IRGC", "X is subordinate to Y"; "the PMF includes Kataib Hezbollah"."""
    for tok in sent:
        if lemma(tok) in ("include", "comprise", "encompass") and tok.pos_ == "VERB" and \
                context_of(tok).modality == "asserted":
            for parent in referent(next((c for c in tok.children if c.dep_ == "nsubj"), tok), GROUP_TYPES):
                for unit in _objects(tok):
                    if unit.kb_id_ != parent.kb_id_:
                        yield Found("PART_OF", unit, parent, tok, "includes", 0.75)
            continue
        if lemma(tok) in ("belong", "subordinate", "answer", "report") and tok.pos_ in ("VERB", "ADJ"):
            units = referent(next((c for c in (tok.children if tok.pos_ == "VERB" else tok.head.children)
                                   if c.dep_ == "nsubj"), tok), GROUP_TYPES)
            parents = [s for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"
                       for p in c.children for s in referent(p, GROUP_TYPES)]
            for unit in units:
                for parent in parents:
                    if unit.kb_id_ != parent.kb_id_ and context_of(tok).modality == "asserted":
                        yield Found("PART_OF", unit, parent, tok, "belongs to", 0.8)


def supports(sent: Span) -> Iterator[Found]:
    w = words()
    for tok in sent:
        m = w.backed_suffix.match(tok.text)
        if m or (tok.lower_ in ("backed", "sponsored", "funded", "supported") and tok.i >= 2
                 and tok.nbor(-1).text == "-"):
            yield from _adjectival(tok, "support")
        elif lemma(tok) in w.support_nouns and tok.pos_ == "NOUN":
            yield from _nominal_support(tok)
        elif tok.lemma_.lower() in w.support_verbs and tok.pos_ == "VERB":
            if any(c.dep_ == "neg" for c in tok.children):
                continue
            by = [s for c in tok.children if c.dep_ == "agent" for p in c.children for s in referent(p)]
            if by:  # "the Houthis, who are backed by Iran", "Kataib Hezbollah, an Iraqi militia backed by Iran"
                backed_by = [s for c in tok.children if c.dep_ == "nsubjpass" for s in referent(c, GROUP_TYPES)]
                if not backed_by and tok.dep_ == "acl":
                    backed_by = referent(tok.head, GROUP_TYPES)
                for backed in backed_by:
                    if backed.kb_id_ != by[0].kb_id_:
                        yield Found("SUPPORTS", by[0], backed, tok, "backed by", 0.75)
                continue
            backer = _subject(tok)
            if backer is None or tok.dep_ == "relcl":
                relative = [c for c in tok.children if c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP")]
                spans = referent(relative[0], GROUP_TYPES | {"Country"}) if relative else []
                backer = spans[0] if spans else backer
            if backer is None:
                continue
            objects = [c for c in tok.children if c.dep_ == "dobj"] or [
                c for v in tok.conjuncts if v.i > tok.i for c in v.children if c.dep_ == "dobj"]  # "armed and funded X"
            for child in objects:
                backed = referent(child, GROUP_TYPES | {"Country"})
                if not backed:
                    backed = _examples(child)
                for target in backed:
                    if target != backer:
                        yield Found("SUPPORTS", backer, target, tok, "supports", 0.75)


def _nominal_support(noun: Token) -> Iterator[Found]:
    """"Tehran's support for the Houthis", "Iran's proxy Hezbollah"."""
    backer = _possessor(noun)
    if backer is None or context_of(noun).modality != "asserted":
        return
    if lemma(noun) == "proxy":
        backed = referent(noun, GROUP_TYPES)
    else:
        backed = [s for c in noun.children if c.dep_ == "prep" and c.lower_ in ("for", "of", "to")
                  for p in c.children for s in referent(p, GROUP_TYPES)]
    for target in backed:
        if target.kb_id_ != backer.kb_id_:
            yield Found("SUPPORTS", backer, target, noun, "support for", 0.7)


def _examples(noun: Token) -> list[Span]:
    """Organisations listed after "such as"/"including" in a noun phrase, not possessors."""
    w = words()
    doc = noun.doc
    subtree = list(noun.subtree)
    text = " ".join(t.lower_ for t in subtree)
    if not any(e in text for e in w.examples):
        return []
    found = []
    for t in subtree:
        ent = entity_at(t)
        if ent is not None and ent.label_ in GROUP_TYPES and ent not in found:
            if doc[ent.end - 1].i + 1 < len(doc) and doc[ent.end].lower_ in ("'s", "'"):
                continue
            found.append(ent)
    return found


RULES = (designations, leaders, parts, _belongs, supports)


def extract(article: Article, paragraphs: list[tuple[int, Doc]]) -> list[Claim]:
    """Every claim of the article's parsed paragraphs, each once."""
    claims: dict[str, Claim] = {}
    for offset, doc in paragraphs:
        for sent in doc.sents:
            for rule in RULES:
                for f in rule(sent):
                    claim = _claim(article, offset, sent, f)
                    if claim is not None:
                        claims.setdefault(claim_id(article.id, claim), claim)
    return list(claims.values())


def claim_id(article_id: str, claim: Claim) -> str:
    raw = "|".join([article_id, claim.predicate, claim.subject, claim.object, str(claim.start)])
    return hashlib.sha1(raw.encode()).hexdigest()[:20]


def _claim(article: Article, offset: int, sent: Span, f: Found) -> Claim | None:
    if f.subject.kb_id_ == f.object.kb_id_:
        return None
    subject = f.subject
    authority = None
    if f.predicate.endswith("DESIGNATION") or f.predicate == "DESIGNATED_AS_TERRORIST":
        authority = subject if subject.label_ == "Organization" else None
    date = resolve_date(_date_words(f.trigger), article.date)
    until = resolve_date(_end_words(f.subject), article.date) if f.predicate == "LEADS" else None
    start = offset + sent.start_char
    return Claim(
        predicate=f.predicate, subject=subject.kb_id_, object=f.object.kb_id_, evidence=sent.text,
        start=start, end=start + len(sent.text), confidence=f.confidence,
        rule=f"{extractor()} {f.predicate.lower()}: {f.rule}",
        addressee=f.addressee.kb_id_ if f.addressee is not None else None,
        speaker=f.speaker.kb_id_ if f.speaker is not None and f.speaker.kb_id_ not in (subject.kb_id_,) else None,
        authority=authority.kb_id_ if authority is not None else None,
        role=f.role, former=f.former or until is not None, until=(until.iso or until.text) if until else None,
        date=date.iso if date else None, date_precision=date.precision if date else None,
        date_text=date.text if date else None)


def _date_words(trigger: Token) -> str | None:
    """The DATE expression of the claim's clause: inside the trigger's subtree, or hung on the verb,
    but not inside another clause ("…, who was killed in 2020", "although it did so this year")."""
    clause = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    for ent in trigger.sent.ents:
        if ent.label_ != "DATE":
            continue
        for tok in (ent[0], ent.root):  # the NER may run a date on ("Wednesday, ending years")
            path = [tok] + list(tok.ancestors)
            if clause in path and not any(t.pos_ in ("VERB", "AUX") for t in path[:path.index(clause)]):
                return ent.text
    return None
