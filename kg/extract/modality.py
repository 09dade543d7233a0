"""Modality, decided in one place from the clause that governs a trigger: is the act stated as done
(asserted), urged (called_for), refused (denied), or only weighed (pending: no claim)? `why` is the
governing word that decided it, which `kg explain` shows."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from .lexicon import words
from .tokens import AUTHORITY_TYPES, entity_at, lemma, possessor, referent, speaker_of, subject_of


@dataclass
class Context:
    modality: str  # asserted | called_for | denied | pending
    why: Token | None = None  # the word that decided it (None: nothing governs the trigger)
    caller: Span | None = None
    addressee: Span | None = None


def clause_chain(token: Token) -> Iterator[Token]:
    """The token and the words that govern it, up to the sentence root; a relative clause is not
    governed by what its noun's sentence says ("Hamas, which the EU lists …, rejected …")."""
    current = token
    while True:
        yield current
        if current.head == current or current.dep_ == "relcl":
            return
        current = current.head


def is_call(tok: Token) -> bool:
    return (lemma(tok) in words("call_verbs") and tok.pos_ in ("VERB", "AUX", "PROPN")
            or lemma(tok) in words("call_nouns") and tok.pos_ in ("NOUN", "PROPN"))


def caller(call: Token) -> Span | None:
    """Who makes the call: its subject or possessor, else, for a call made by a motion or a
    resolution, the subject of the verb that carries it ("Parliament voted for a resolution calling …",
    "the House passed a motion to urge …")."""
    tok = call
    while True:
        found = speaker_of(tok) or possessor(tok)
        if found is not None or tok.head == tok or tok.dep_ not in ("acl", "pobj", "prep", "pcomp", "dobj", "xcomp"):
            return found
        tok = tok.head


def _call_context(call: Token, below: Token | None) -> Context:
    """A call governs the trigger: who calls, whom; a call that is rejected is a refusal."""
    if lemma(call.head) in words("refuse_verbs") and call.head != call:  # "X rejected calls to proscribe Y"
        return Context("denied", call.head, subject_of(call.head))
    addressee = None
    for child in call.children:
        if child.dep_ in ("dobj", "dative") and child != below:
            spans = referent(child, AUTHORITY_TYPES)
            addressee = spans[0] if spans else None
        elif child.dep_ == "prep" and child.lower_ in ("on", "upon") and child != below:
            spans = [s for p in child.children for s in referent(p, AUTHORITY_TYPES)]
            addressee = spans[0] if spans else addressee
    if addressee is None and below is not None and below.dep_ == "ccomp":  # "demanded that Berlin ban X"
        spans = [s for c in below.children if c.dep_ == "nsubj" for s in referent(c, AUTHORITY_TYPES)]
        addressee = spans[0] if spans else None
    return Context("called_for", call, caller(call), addressee)


def reporting_subject(token: Token) -> Span | None:
    """Who says the clause `token` is in: "X said (that) …", "according to X"."""
    for tok in clause_chain(token):
        if tok.lemma_ in words("reporting_verbs") and tok.pos_ == "VERB" and tok != token:
            subject = speaker_of(tok)
            if subject is not None:
                return subject
    for tok in token.sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to":
            for t in tok.nbor().subtree:
                if entity_at(t) is not None:
                    return entity_at(t)
    return None


def context_of(trigger: Token) -> Context:
    """The modality of the act the trigger names, from the words that govern it."""
    sent = trigger.sent
    text = sent.text.lower()
    negators = words("negators")
    for child in trigger.children:
        if child.dep_ == "neg" or child.lower_ in negators and child.dep_ in ("neg", "advmod", "det"):
            return Context("denied", child)
    for child in trigger.children:  # a headline's verb the tagger took for part of a name: "UK Weighs Ban on X"
        if child.dep_ in ("compound", "amod") and child.i < trigger.i and lemma(child) in words("pending_verbs"):
            return Context("pending", child)
    if trigger.dep_ in ("relcl", "acl", "xcomp") and is_call(trigger.head):  # "calls to proscribe X"
        return _call_context(trigger.head, trigger)
    chain = list(clause_chain(trigger))
    for i, tok in enumerate(chain[1:], 1):
        below = chain[i - 1]
        if below.dep_ == "conj":  # "reviewed and maintained the designation": a sibling, not a governor
            continue
        governed = ("xcomp", "acl", "ccomp", "pcomp", "prep", "pobj") + (("dobj",) if trigger.pos_ == "NOUN" else ())
        if below.dep_ in governed and not is_call(tok) and \
                tok.pos_ in ("NOUN", "VERB") and any(c.dep_ == "neg" or c.dep_ == "det" and c.lower_ == "no"
                                                     for c in tok.children):  # "had no plans to list"
            return Context("denied", tok, subject_of(tok) or subject_of(tok.head))
        if lemma(tok) in words("refuse_verbs") or (lemma(tok) in words("short_verbs") and "short" in text):
            return Context("denied", tok, subject_of(tok))
        if lemma(tok) in words("pending_verbs") and tok.pos_ in ("VERB", "AUX"):
            if tok.dep_ == "acl" and is_call(tok.head):  # "a bill seeking to designate X": the bill's call
                return _call_context(tok.head, tok)
            return Context("pending", tok)
        if is_call(tok):
            return _call_context(tok, below)
        if tok.lemma_ in words("necessity_verbs") and below.dep_ == "xcomp" and i == 1:  # "they will have to designate"
            if any(c.lower_ == "yet" for c in tok.children):  # "has yet to designate"
                return Context("denied", tok, subject_of(tok))
            return Context("called_for", tok, reporting_subject(tok), subject_of(tok))
    aux = [c for c in trigger.children if c.dep_ == "aux"]
    have_to = any(c.lemma_ == "have" for c in aux) and any(c.lower_ == "to" for c in aux)
    for child in aux:
        if child.lower_ in words("modals") or have_to:
            return Context("called_for", child, reporting_subject(trigger), subject_of(trigger))
        if child.lower_ in words("hedges"):
            return Context("pending", child)
    before = text[max(0, trigger.idx - sent.start_char - 40):trigger.idx - sent.start_char]
    if any(p in before for p in words("denial_phrases")):
        return Context("denied")
    return Context("asserted")
