"""Argument finders: small named functions for what a dependency pattern cannot say — who acted, what
was acted on, the antecedent of "which", the spread over a coordination. A rule names them in its
`roles` (one span list per role) or as its `pairs` finder (subject-object bindings found together).

Every finder takes the token of the pattern node it is bound to ("trigger" unless the rule says
`finder@node`) and returns what it found; an empty list is a miss, which `kg explain --why-not` reports."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..gazetteer import gazetteer
from .chunks import adopt, chunk
from .lexicon import words
from .modality import caller
from .tokens import (AUTHORITY_TYPES, DESIGNEE_TYPES, GROUP_TYPES, Named, actor_named, clause_after, entity_at,
                     has_terror_word, hyphen_tail, last_group_named, lemma, possessor, previous_group, referent,
                     role_word, subject_of)

Arg = Span | Named


@dataclass
class Binding:
    """A subject and object found together, with what the finder learned on the way."""

    subject: Arg
    object: Arg
    role: str | None = None
    former: bool = False


@dataclass
class Memory:
    """What the article has said so far that later sentences lean on: the authority of its last
    designation ("Also blacklisted are …", "the government's list includes …")."""

    authority: Arg | None = None
    designated: list[Arg] = field(default_factory=list)  # what that designation was of
    unnamed: list[Arg] = field(default_factory=list)  # authorities of acts since, on groups not yet named
    home: Arg | None = None  # the state the article is about, for a bare "the government" (home_state)
    led: tuple[Arg, Arg] | None = None  # the last leader and what they lead, for "X succeeded Y"

    def remember(self, attempt) -> None:
        """Keep what an asserted designation says: its authority, even when the sentence names what
        it designated only later ("designated the NGOs …; the designated organisations are: …")."""
        leads = [f for f in attempt.found if f.predicate == "LEADS"]
        if leads:
            self.led = (leads[-1].subject, leads[-1].object)
        acts = [f for f in attempt.found if f.predicate == "DESIGNATED_AS_TERRORIST" and f.modality == "asserted"]
        if acts:
            self.authority = acts[-1].subject
            self.designated = [f.object for f in acts]
            self.unnamed = []
        elif attempt.rule.predicate == "DESIGNATED_AS_TERRORIST" and attempt.context is not None \
                and attempt.context.modality == "asserted" and attempt.bound.get("subject"):
            self.authority = attempt.bound["subject"][0]
            if all(a.kb_id_ != self.authority.kb_id_ for a in self.unnamed):
                self.unnamed.append(self.authority)


ROLE_FINDERS: dict[str, Callable[[Token], list[Arg]]] = {}
PAIR_FINDERS: dict[str, Callable[[Token], list[Binding]]] = {}


def role_finder(fn):
    ROLE_FINDERS[fn.__name__] = fn
    return fn


def pair_finder(fn):
    PAIR_FINDERS[fn.__name__] = fn
    return fn


def _first(spans: list[Arg]) -> list[Arg]:
    return spans[:1]


def _add(out: list[Arg], spans: list[Arg]) -> None:
    for span in spans:
        if all(span.kb_id_ != o.kb_id_ for o in out):
            out.append(span)


def _spread(token: Token, types: set[str]) -> list[Arg]:
    """The entities of a noun phrase and of every phrase coordinated with it ("A, B and C")."""
    out: list[Arg] = []
    for tok in (token, *token.conjuncts):
        _add(out, referent(tok, types))
    return out


def _examples_of(token: Token) -> list[Token]:
    """The heads of "including A and B" / "such as A" hung on a noun ("several cartels, including …")."""
    heads = []
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("including", "like", "as"):
            for p in child.children:
                if p.dep_ == "pobj":
                    heads += [p, *p.conjuncts]
    return heads


def designees(token: Token) -> list[Arg]:
    """What a designation is of: the groups or people of a noun phrase and its coordinated phrases,
    the examples it lists, a proper-noun chunk no entity covers (a new organisation), or, for "it"
    and "the group", the group named before."""
    out: list[Arg] = []
    for tok in (token, *(c for c in token.conjuncts if not _names_a_unit_before(c))):
        found = referent(tok, DESIGNEE_TYPES)
        if not found and tok.pos_ == "NOUN" and tok.i + 1 < tok.sent.end and (
                (n := entity_at(tok.doc[tok.i + 1])) is not None and n.label_ in DESIGNEE_TYPES):
            found = [n]  # "labelled Tehran ally Hezbollah a terrorist group": a name the parse hung elsewhere
        if not found and (c := chunk(tok)) is not None and not _demonym(c):
            found = [adopt(c, "Organization")]
        if not found:
            found = [e for t in _examples_of(tok) for e in designees(t)]
        if not found or any(c.dep_ == "appos" for c in tok.children if entity_at(tok) is None):
            # "far-right groups the Proud Boys and The Base", "militant group the BLA and its alias, the …"
            found = found + [e for a in tok.children if a.dep_ == "appos" for e in designees(a)]
        else:  # "A, the feared B group, and C": a list the parser read as A with an apposition;
            # "A and its alias, B": the name of the nameless conjunct hung on A
            nameless = [c for c in tok.conjuncts if c.i > tok.i and not referent(c, DESIGNEE_TYPES) and chunk(c) is None]
            kinds = {f.label_ for f in found}  # "X, commander of the wing, the Brigades, and Y": not the wing
            found = found + [e for a in tok.children if a.dep_ == "appos" and (
                a.conjuncts or any(c.i < a.i for c in nameless)) for e in designees(a) if e.label_ in kinds]
        if not found:
            found = previous_group(tok)
        _add(out, found)
    return out


def _names_a_unit_before(conjunct: Token) -> bool:
    """"X, commander of the military wing of Hamas, the Qassam Brigades, and Y": the parser made
    the wing's name a conjunct of the list; it names the unit just before its comma."""
    edge, doc = conjunct.left_edge.i, conjunct.doc
    if edge - 2 < conjunct.sent.start or doc[edge - 1].text != ",":
        return False
    before = entity_at(doc[edge - 2])
    if before is None or before.root.dep_ != "pobj" or before.root.head.lower_ != "of":
        return False
    return lemma(before.root.head.head) in words("part_nouns")


def _demonym(span: Span) -> bool:
    """"Americans", "Iranians": a state's people, never a designated group."""
    text = span.text
    return len(span) == 1 and any(actor_named(t) is not None for t in (text, text[:-1] if text.endswith("s") else text))


def _authorities(token: Token) -> list[Arg]:
    """The authorities of a noun phrase and its coordinated phrases ("Germany and Austria"); a
    proper-noun chunk no entity covers is a new organisation ("the Council of the Union")."""
    out: list[Arg] = []
    for tok in (token, *token.conjuncts):
        found = referent(tok, AUTHORITY_TYPES) or [a for t in _examples_of(tok) for a in _authorities(t)] \
            or state_body(tok) or _body_of(tok)
        if not found and not referent(tok) and (c := chunk(tok)) is not None and _body_name(c):
            owner = next((entity_at(p) for p in c.root.children if p.dep_ == "poss" and entity_at(p) is not None
                          and entity_at(p).label_ == "Country"), None)  # "Russia's Supreme Court"
            found = [adopt(c.doc[owner.start:c.end] if owner is not None else c, "Organization")]
        _add(out, found)
    return out


def state_body(token: Token) -> list[Arg]:
    """A state's body named by its kind — "the interior ministry" (of the state named with it, or of
    the article's state), "the Saudi foreign ministry" — as the authorities data keys it."""
    if entity_at(token) is not None:
        return []
    phrase = " ".join(t.lower_ for t in token.subtree if t.dep_ in ("compound", "amod") and t.i < token.i
                      and actor_named(t.text) is None) + " " + token.lower_
    kind = next((k for k in gazetteer().kinds.values() if phrase.strip() in k.phrases), None)
    if kind is None:
        return []
    states = [e for t in token.subtree if (e := entity_at(t) or actor_named(t.text)) is not None and e.label_ == "Country"]
    states = states or [a for a in remembered_authority(token) if a.label_ == "Country"]
    if not states:
        return []
    body = gazetteer().body(states[0].kb_id_, kind.id)
    return [Named(body.key, body.type, body.name)]


def _body_of(token: Token) -> list[Arg]:
    """"a sanctions committee of the Security Council": a body inside an authority acts for it."""
    if lemma(token) not in words("body_words"):
        return []
    return [a for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
            for p in c.children for a in referent(p, AUTHORITY_TYPES)]


def _body_name(span: Span) -> bool:
    """A name that can be an authority: one of its words names a body ("Council", "Ministry",
    "Court") and none is a digit or a slash (datelines, bylines)."""
    return any(lemma(t) in words("body_words") for t in span) and not any(t.like_num or "/" in t.text for t in span)


# --- who acted ---------------------------------------------------------------------------------

@role_finder
def agent(verb: Token) -> list[Arg]:
    """Who acts: the subject, the passive agent, the object of "thanked X for designating", or the
    subject of the verb this one is coordinated with."""
    for child in verb.children:
        if child.dep_ == "agent":
            for t in child.children:
                spans = _authorities(t)
                if spans:
                    return spans
    for child in verb.children:
        if child.dep_ == "nsubj" and lemma(child) in words("list_nouns"):  # "A list published by the ministry designated …"
            return list_holder(verb)
        if child.dep_ == "nsubj":
            spans = _authorities(child) or officeholder_state(child) or pronoun_authority(child) or _issuer(child) \
                or office_of(child)
            if not spans and child.lower_ == "it" and verb.dep_ in ("advcl", "conj") and verb.head == verb.sent.root:
                state = subject_of(verb.sent.root)  # "The UK has not …, although it proscribed Hezbollah"
                return [state] if state is not None and state.label_ in AUTHORITY_TYPES else []
            return spans
    if any(c.dep_ == "auxpass" for c in verb.children):  # "is listed as a terrorist group by the US"
        for t in verb.subtree:
            if t.lower_ == "by" and t.dep_ in ("prep", "agent"):
                spans = [s for p in t.children for s in _authorities(p)]
                if spans:
                    return spans
        states = where_passive(verb)
        if states:
            return states
        announcer = _announcer(verb)  # "Canada has announced that X will be designated"
        if announcer:
            return announcer
    if verb.dep_ == "acl" and verb.tag_ in ("VBD", "VBN") and (issuer := _issuer(verb.head)):
        return issuer  # "A decree issued by the ministry designated …" parsed as two participles
    if verb.dep_ == "acl" and verb.head.pos_ == "NOUN":  # "the government's decision / failure to ban X"
        owner = next((c for c in verb.head.children if c.dep_ == "poss"), None)
        if owner is not None:
            found = _authorities(owner) or _home_government(owner) or (
                remembered_authority(verb) if lemma(owner) in words("government_nouns") else [])
            if found:
                return found
    if verb.dep_ == "acl" and verb.head.dep_ == "dobj" and verb.head.head.pos_ == "VERB":  # "laid an order to proscribe X"
        found = agent(verb.head.head)
        if found:
            return found
    if verb.dep_ == "acl" and verb.head.dep_ == "attr":  # "X became the first country to designate Y"
        found = subject_of(verb.head.head)
        return [found] if found is not None else []
    if verb.dep_ == "pcomp" and verb.head.lower_ == "by":  # "Iran responded by naming CENTCOM a terrorist group"
        return agent(verb.head.head) if verb.head.head.pos_ in ("VERB", "AUX") else []
    if verb.dep_ == "pcomp" and verb.head.lower_ == "for":  # "thanked the UK government for designating"
        for child in verb.head.head.children:
            if child.dep_ == "dobj":
                spans = referent(child, AUTHORITY_TYPES)
                if spans:
                    return _first(spans)
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        if verb.dep_ == "xcomp":
            for child in verb.head.children:
                if child.dep_ == "dobj":
                    spans = referent(child, AUTHORITY_TYPES)
                    if spans:
                        return _first(spans)
        return agent(verb.head)
    return []


def _issuer(noun: Token) -> list[Arg]:
    """Who issued what acts: "a decree issued by the interior ministry (designated …)"."""
    return [a for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"
            for g in c.children if g.dep_ == "agent" for p in g.children for a in _authorities(p)]


@role_finder
def remembered_authority(token: Token) -> list[Arg]:
    """The authority of the article's last designation ("The designated groups are: …" after it)."""
    remembered = token.doc.user_data.get("kg_memory")
    return [remembered.authority] if remembered is not None and remembered.authority is not None else []


def home_state(docs: list[Doc]) -> Arg | None:
    """The state an article is about: the one its authorities belong to most often ("the House of
    Commons", "Westminster", "the UK"), if clearly more than any other — for a bare "the government"."""
    counts: Counter[str] = Counter()
    for doc in docs:
        for ent in doc.ents:
            listed = ent.kb_id_ in gazetteer().listings  # "the IRGC" is Iran's, but a designee, not an authority
            if ent.kb_id_ and ent.label_ in AUTHORITY_TYPES and not listed and (state := state_of(ent)) is not None:
                counts[state.kb_id_] += 1
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2 or len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None
    state = gazetteer().entities.get(ranked[0][0])
    return Named(state.key, state.type, state.name) if state is not None else None


def _home_government(token: Token) -> list[Arg]:
    """A bare "the government" (no owner named) is the article's home state's."""
    remembered = token.doc.user_data.get("kg_memory")
    bare = lemma(token) in words("government_nouns") and not any(c.dep_ in ("poss", "compound", "amod") for c in token.children)
    return [remembered.home] if bare and remembered is not None and remembered.home is not None else []


@role_finder
def unnamed_acts_authorities(token: Token) -> list[Arg]:
    """Every authority whose act the article told before naming the groups: "The army designated six
    NGOs … after the minister designated them last month. The designated organizations are: …"."""
    remembered = token.doc.user_data.get("kg_memory")
    return list(remembered.unnamed) if remembered is not None and remembered.unnamed else remembered_authority(token)


@role_finder
def implied_authority(verb: Token) -> list[Arg]:
    """The authority of the article's last designation, for an act whose actor the sentence leaves
    out: a passive with no "by", or a subject that is only "the government" or "it" (a bare "the
    government" of an article about one state is that state's)."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    home = [h for c in subjects for h in _home_government(c)]  # "the government has proscribed X"
    if home:
        return home
    remembered = remembered_authority(verb)
    if not remembered:
        return []
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or verb.tag_ == "VBN"
    vague = any(lemma(c) in words("government_nouns") or c.lower_ in ("it", "they") for c in subjects)
    return remembered if (passive and not subjects) or vague else []


def pronoun_authority(token: Token) -> list[Arg]:
    """Who "it", "they" or "we" is in "the UK has announced that it will ban …" (or "its" in "… said X
    is on its list"): the subject of a clause that governs it, else the last authority named before it
    in the sentence; "he" or "she", the body of an officeholder who governs it."""
    if token.lower_ not in ("it", "they", "we", "its", "their", "our", "he", "she") or token.pos_ != "PRON":
        return []
    person = token.lower_ in ("he", "she")  # only an officeholder named before stands for a body
    possessive = token.dep_ == "poss"  # "X remains on its list": X is what is listed, not whose list
    governors = [a for a in token.head.ancestors if a.pos_ in ("VERB", "AUX")]
    for governor in governors[1:] if possessive else governors:
        for child in governor.children:
            if child.dep_ == "nsubj" and child.i < token.i:
                found = office_of(child) if person else _authorities(child) or office_of(child)
                if found:  # "Pompeo said that he would designate …"
                    return found
    if person:
        return []
    for t in reversed(token.doc[token.sent.start:token.i]):
        ent = entity_at(t)
        if ent is not None and ent.label_ in ({"Country"} if possessive else AUTHORITY_TYPES):
            return [ent]
    return []


def office_of(token: Token) -> list[Arg]:
    """The body a person named with a title earlier in the article acts for: "Secretary of State Mike
    Pompeo made the announcement. Pompeo also said …" (the State Department)."""
    person = entity_at(token)
    if person is None or person.label_ != "Person":
        return []
    doc: Doc | None = token.doc
    while doc is not None:
        for ent in doc.ents:
            if ent.kb_id_ == person.kb_id_ and ent.start != person.start:
                found = officeholder_state(ent.root)
                if found:
                    return found
        doc = doc.user_data.get("kg_previous")
    return []


def officeholder_state(token: Token) -> list[Arg]:
    """The body an officeholder acts for — "Israel's Defense Minister Benny Gantz" (Israel's Ministry
    of Defense), "the Home Secretary, James Cleverly" (the Home Office) — or the state for a head of
    state or government; the title is looked up in the authorities data (gazetteer.officeholder)."""
    person = entity_at(token)
    if person is not None and person.label_ != "Person":
        return []
    phrase = [t for t in token.subtree if not (person is not None and person.start <= t.i < person.end)
              and t.dep_ not in ("appos", "relcl", "acl") and not any(a.dep_ in ("appos", "relcl", "acl")
                                                                       and a.i in {x.i for x in token.subtree} for a in t.ancestors if a != token)]
    titled = sorted(phrase + [t for t in (person or []) if t.lower_ in words("office_titles")], key=lambda t: t.i)
    title = " ".join(t.lower_ for t in titled if t.pos_ in ("NOUN", "PROPN", "ADP", "ADJ")
                     and (entity_at(t) is None or entity_at(t) is person or entity_at(t).label_ != "Country")
                     and actor_named(t.text) is None)
    if not any(w in title.split() for w in words("office_titles")):
        return []
    state = next((e for t in phrase if (e := entity_at(t)) is not None and e.label_ == "Country"), None) or next(
        (a for t in phrase if t.dep_ == "amod" and (a := actor_named(t.text)) is not None and a.label_ == "Country"), None)
    body = gazetteer().officeholder(title, state.kb_id_ if state is not None else None)
    if body is not None:
        known = gazetteer().entities[body]
        return [Named(known.key, known.type, known.name)]
    if state is not None:
        return [state]
    return [state for a in remembered_authority(token) if (state := state_of(a)) is not None]  # "President Biden rescinded it"


def state_of(authority: Arg) -> Arg | None:
    """The state an authority is or acts for: the State Department's is the United States."""
    if authority.label_ == "Country":
        return authority
    known = gazetteer().entities.get(authority.kb_id_)
    if known is None or known.country is None:
        return None
    state = gazetteer().entities[known.country]
    return Named(state.key, state.type, state.name)


@role_finder
def by_phrase(verb: Token) -> list[Arg]:
    """The authority in a "by …" phrase of the verb's own clause (not one inside its subject: "a list
    published by the ministry designated …")."""
    in_subject = {t.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    for t in verb.subtree:
        if t.lower_ == "by" and t.dep_ in ("prep", "agent") and t.i not in in_subject and not any(
                a.pos_ == "VERB" and a != verb for a in t.ancestors if a.i > verb.i and verb in a.ancestors):
            spans = [s for p in t.children for s in _authorities(p)]
            if spans:
                return spans
    return where_passive(verb) if verb.tag_ == "VBN" else []


def _announcer(verb: Token) -> list[Arg]:
    """The authority that announces or decides a passive act: "Canada has announced that X will be
    designated", "the government said X would be proscribed"."""
    if verb.dep_ != "ccomp" or verb.head.lemma_ not in words("reporting_verbs") | {"decide", "confirm"}:
        return []
    return [a for c in verb.head.children if c.dep_ == "nsubj" for a in (_authorities(c) or officeholder_state(c))]


def where_passive(verb: Token) -> list[Arg]:
    """The states of "was banned in Germany and China" (a passive act placed in a state is that
    state's act); "in 2019" or "in Syria" as a place of fighting are no states of this kind unless
    the gazetteer or ISO 3166 says Country."""
    found: list[Arg] = []
    holders = [verb, *(c for c in verb.children if c.dep_ in ("oprd", "dobj", "attr"))]  # "named a group in Canada"
    preps = [c for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ == "in"]
    preps += [c for p in preps for c in p.conjuncts]
    preps += [c for p in list(preps) for c in p.children if c.dep_ == "prep" and c.lower_ == "in"]
    for prep in preps:
        for p in prep.children:
            if p.dep_ == "pobj":
                _add(found, _spread(p, {"Country"}))
    return found


@role_finder
def owner(node: Token) -> list[Arg]:
    """Whose a noun is: "Canada's list", "the US terror list", "the British list", "its list"."""
    found = possessor(node)
    if found is not None:
        return [found]
    named = _own(node)
    if named is not None and named.label_ in AUTHORITY_TYPES:
        return [named]
    return [a for c in node.children if c.dep_ == "poss" for a in pronoun_authority(c)]


@role_finder
def list_owner(verb: Token) -> list[Arg]:
    """Whose list a group was added to: "added X to Canada's list of terrorist entities"."""
    target = terror_list_after(verb)
    found = possessor(target) if target is not None else None
    return [found] if found is not None else []


@role_finder
def nominal_owner(noun: Token) -> list[Arg]:
    """Who owns a designation noun: "Washington's designation", "the U.S. designation"; not the group
    in "the IRGC's designation"."""
    found = _own(noun)
    if found is None and noun.dep_ == "dobj" and lemma(noun.head) in words("enact_verbs"):
        return agent(noun.head)  # "the State Department maintained the designation of X"
    if found is None or found.label_ not in AUTHORITY_TYPES or (_owner_is_object(noun, found) and not nominal_of(noun)):
        return []
    return [found]


@role_finder
def subject_groups(verb: Token) -> list[Arg]:
    """The organisations that are the verb's subject ("The coalition includes …"), or that its members
    are in ("Other groups in the outfit include …": the outfit named before)."""
    head = next((c for c in verb.children if c.dep_ == "nsubj"), verb)
    found = referent(head, GROUP_TYPES)
    if not found and lemma(head) in words("group_nouns") and head.tag_ == "NNS":
        found = [g for c in head.children if c.dep_ == "prep" and c.lower_ in ("in", "of", "within")
                 for p in c.children for g in referent(p, GROUP_TYPES) or last_group_named(p)]
    return found


# --- what was acted on -------------------------------------------------------------------------

@role_finder
def objects(verb: Token) -> list[Arg]:
    """The verb's objects (and passive subject), with their coordinated phrases."""
    out: list[Arg] = []
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass", "oprd") or (child.dep_ == "nsubj" and verb.lemma_ == "be"):
            for span in _spread(child, GROUP_TYPES):
                if span not in out:
                    out.append(span)
    return out


@role_finder
def designated(verb: Token) -> list[Arg]:
    """What a designation verb acts on: its objects (and passive subject), coordinated, with new
    names and antecedents (`designees`); for "declared that A and B are terrorist organisations",
    the subjects of that clause."""
    out: list[Arg] = []
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    for child in _with_aux_children(verb):
        if child.dep_ in ("dobj", "nsubjpass", "oprd") or (child.dep_ == "nsubj" and (verb.lemma_ in words("stay_verbs") or passive)):
            _add(out, designees(child))
        elif child.dep_ == "ccomp" and child.lemma_ == "be" and has_terror_word(child.subtree):
            for subject in child.children:
                if subject.dep_ == "nsubj":
                    _add(out, designees(subject))
    if not out:  # "branded Tehran ally Hezbollah a terrorist group": the name read as an adverbial
        _add(out, [e for c in verb.children if c.dep_ == "npadvmod" and (n := entity_at(c)) is not None
                   and n.label_ in DESIGNEE_TYPES for e in designees(c)])
    if not out and passive:  # "Also banned as terrorist groups are A and B": the names hang on "are"
        _add(out, [e for a in verb.children if a.dep_ == "auxpass" for c in a.children if c.dep_ == "attr"
                   for e in designees(c)])
    if not out:  # "designated as terrorist organisations A, B and C": the names hang on the "as" phrase
        for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"):
            for p in prep.children:
                if (n := entity_at(p)) is not None and n.label_ in DESIGNEE_TYPES:  # "… organisations Al Nusra Front, …"
                    _add(out, designees(p))
                _add(out, [e for a in p.children if a.dep_ in ("appos", "conj") for e in designees(a)])
    if not out and passive and verb.dep_ == "xcomp":  # "X is set to be declared a terrorist group"
        _add(out, [e for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass") for e in designees(c)])
    return out


def _with_aux_children(verb: Token) -> list[Token]:
    """The verb's children, and those the parser hung on its auxiliary ("X were last year named …")."""
    return [*verb.children, *(c for a in verb.children if a.dep_ in ("aux", "auxpass") for c in a.children)]


@role_finder
def next_groups(tok: Token) -> list[Arg]:
    """When the parse does not attach the object: the first organisation after the verb, if no
    other verb, comma or terror word comes first ("… and designate Iran's Revolutionary Guards a …")."""
    for t in tok.doc[tok.i + 1:min(tok.sent.end, tok.i + 10)]:
        ent = entity_at(t)
        if ent is not None:
            return [ent] if ent.label_ in GROUP_TYPES else []
        if t.text in (",", ";", ".") or t.pos_ == "VERB" or t.lower_ in words("terror_words"):
            return []
    return []


@role_finder
def passive_objects(verb: Token) -> list[Arg]:
    """What a passive participle is said of: its subject, or the noun it modifies."""
    for child in _with_aux_children(verb):
        if child.dep_ in ("nsubjpass", "nsubj"):
            return designees(child)
    if verb.dep_ in ("acl", "appos", "advcl"):
        return designees(verb.head)
    if verb.dep_ == "xcomp":  # "X is set to be declared a terrorist group by the UK"
        return [e for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass") for e in designees(c)]
    return []


@role_finder
def group_before_list(verb: Token) -> list[Arg]:
    """The first organisation between the verb and the list it was added to."""
    target = terror_list_after(verb)
    if target is None:
        return []
    return [e for e in verb.sent.ents if e.kb_id_ and verb.i + 1 <= e.start and e.end <= target.i
            and e.label_ in DESIGNEE_TYPES][:1]


def nominal_of(noun: Token) -> list[Arg]:
    """"the designation of X", "a ban on X"; "applied the designation to X" (the verb's "to")."""
    preps = [c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "on")]
    if not preps and noun.dep_ == "dobj" and lemma(noun.head) in words("enact_verbs"):
        preps = [c for c in noun.head.children if c.dep_ in ("prep", "dative") and c.lower_ == "to"]
    return [s for c in preps for p in c.children for s in designees(p)]


def _owner_is_object(noun: Token, found: Arg) -> bool:
    return found.label_ in GROUP_TYPES and noun.i > 0 and noun.nbor(-1).lower_ in ("'s", "'")


@role_finder
def nominal_objects(noun: Token) -> list[Arg]:
    """"the designation of X"; "the IRGC's designation" (the possessor is what was designated)."""
    found = nominal_of(noun)
    if found:
        return found
    own = _own(noun)
    return [own] if own is not None and _owner_is_object(noun, own) else []


def _own(noun: Token) -> Arg | None:
    """The entity a noun belongs to: its possessor or a named modifier ("the U.S. designation", "the
    US terror list", "the British list", "UN sanctions"); a list's name is no owner ("the FTO designation")."""
    return possessor(noun) or next((named for c in noun.children if c.dep_ in ("compound", "amod", "nmod")
                                    and c.i < noun.i and c.lower_ not in words("terror_words")
                                    and (named := entity_at(c) or actor_named(c.text)) is not None), None)


@role_finder
def revoked_objects(verb: Token) -> list[Arg]:
    """"revoked the designation of X", "removed X from its terrorism list"."""
    found: list[Arg] = []
    if _delisted(verb):  # "X was delisted as a terrorist group by the US"
        return designated(verb)
    for child in verb.children:
        if child.dep_ == "dobj" and lemma(child) in words("revoked_things"):
            found = nominal_of(child) or _remembered_designees(child)
            if not found and verb.dep_ == "conj":  # "designated X …, and … revoked the designation"
                found = designated(verb.head)
    if not found and _from_terror_list(verb):
        found = designated(verb)
    return found


def _from_terror_list(tok: Token) -> bool:
    """A "from (its) terror list" phrase hangs on the token."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "from":
            lists = [t for t in child.children if lemma(t) in words("list_nouns")]
            if lists and has_terror_word(lists[0].subtree):
                return True
    return False


def _delisted(verb: Token) -> bool:
    """A verb that means taking off a list by itself ("delisted"), said of a terror listing."""
    return lemma(verb) in words("delist_verbs") and has_terror_word(verb.sent)


def removed_from_list(tok: Token) -> bool:
    """Taken off, or to be taken off, a terror list: "removed X from its terrorist list", "weighing the
    removal of X from its list of terrorist organisations" (the parser may hang "from" on the verb)."""
    if tok.pos_ == "NOUN":
        return _from_terror_list(tok) or tok.dep_ == "dobj" and _from_terror_list(tok.head)
    return _from_terror_list(tok) or _delisted(tok)


@role_finder
def listed_before(tok: Token) -> list[Arg]:
    """What a removal takes off a list: the verb's objects, or the noun's "of" phrase."""
    return nominal_of(tok) if tok.pos_ == "NOUN" else designated(tok)


@role_finder
def remover(tok: Token) -> list[Arg]:
    """Who removes: the verb's agent, or for "the removal of X", the agent of the verb governing it."""
    if tok.pos_ == "NOUN":
        return agent(tok.head) if tok.dep_ == "dobj" else []
    return agent(tok)


def _remembered_designees(noun: Token) -> list[Arg]:
    """What "this designation" or "the listing" refers to: the article's last designation."""
    if not any(c.dep_ == "det" and c.lower_ in ("this", "that", "the") for c in noun.children):
        return []
    remembered = noun.doc.user_data.get("kg_memory")
    return list(remembered.designated) if remembered is not None else []


def terror_list_after(verb: Token) -> Token | None:
    """The "list" in "… to/on (its/the US's) (terror) list (of Foreign Terrorist Organizations)"."""
    doc, sent = verb.doc, verb.sent
    for t in doc[verb.i + 1:min(sent.end, verb.i + 20)]:
        if t.text in (";",) or (t.pos_ == "VERB" and t.i > verb.i + 1 and lemma(t) in words("list_verbs")):
            return None
        if t.lemma_.lower() in words("list_nouns"):
            before = doc[max(verb.i, t.i - 5):t.i]
            after = doc[t.i:min(sent.end, t.i + 6)]
            against_group = any(x.lower_ == "against" for x in after) and any(
                (e := entity_at(x)) is not None and e.kb_id_ in gazetteer().listings for x in after)
            if any(x.lower_ in ("to", "on", "onto") for x in before) and (
                    has_terror_word(list(before) + list(after)) or against_group):  # "its sanctions list against ISIS"
                return t
    return None


def _subject_words(verb: Token) -> list[Token]:
    """The phrase a member verb says what is in: its subject; the noun "including" hangs on ("other
    designated groups including A and B"); or, where the parser read "the cartels given the
    designations include …" as a participle clause, everything from that clause's subject on."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)
    if subject is not None:
        return list(subject.subtree)
    if verb.dep_ == "prep" and verb.head.pos_ in ("NOUN", "PROPN"):
        return [t for t in verb.head.subtree if t.i < verb.i]
    if verb.head.tag_ in ("VBN", "VBD") and verb.head.i < verb.i and verb.tag_ in ("VBP", "VBZ"):
        first = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        phrase = list(verb.doc[first.left_edge.i:verb.i]) if first is not None else []
        nouns = words("designation_nouns") | words("list_nouns")  # not "the US designated A and lists B"
        return phrase if any(lemma(t) in nouns for t in phrase) else []
    return []


def _list_noun(phrase: list[Token]) -> Token | None:
    """The list, or the designated things, a subject phrase names: "the government's blacklist",
    "the designated groups", "organisations listed under the Act", "the cartels given the designations"."""
    for t in phrase:
        if lemma(t) in words("list_nouns") or lemma(t) in words("designation_nouns") \
                or t.lower_ in words("designated_participles"):
            return t
    return None


def _in_company(verb: Token) -> bool:
    """"… puts X in the company of groups including A and B", "X joins 18 others including A": after
    an act, the groups it is likened to are on the same list."""
    if verb.dep_ != "prep" or not remembered_authority(verb):
        return False
    noun = verb.head
    return noun.pos_ in ("NOUN", "PRON") and any(
        lemma(a) in words("company_words") for a in [noun.head, *(noun.head.ancestors)][:3])


def terror_members(verb: Token) -> bool:
    """The verb lists what is on a terror list: its subject names a list or designated things and a
    terror word (or a designated participle) is in the subject; with "be", the subject is the
    designated things themselves ("the designated groups are: …"), not a designation ("the designation
    would be a response")."""
    if _in_company(verb):
        return True
    words_of = _subject_words(verb)
    noun = _list_noun(words_of)
    if noun is None:
        return False
    participle = any(t.lower_ in words("designated_participles") for t in words_of)
    if lemma(verb) == "be" and not (participle or lemma(noun) in words("list_nouns")):
        return False
    after_an_act = lemma(noun) in words("designation_nouns") and bool(remembered_authority(verb))
    return has_terror_word(words_of) or participle or lemma(noun) == "blacklist" or after_an_act


@role_finder
def list_holder(verb: Token) -> list[Arg]:
    """Whose list the subject names: its possessor, or the authority of a "by" phrase inside it."""
    phrase = _subject_words(verb)
    noun = _list_noun(phrase)
    if noun is None:
        return []
    holder = possessor(noun)
    if holder is not None and holder.label_ in AUTHORITY_TYPES:
        return [holder]
    for t in phrase:
        if t.lower_ == "by" and t.dep_ in ("prep", "agent"):
            spans = [s for p in t.children for s in _authorities(p)]
            if spans:
                return spans
    return []


@role_finder
def members(verb: Token) -> list[Arg]:
    """Every group or person named after the verb: "… include A, B, and the neo-Nazi group C",
    "… are: A; B; C" (an "or" gives another name of the one before, not another group; a "by" names
    who did something to the one before: "A, formerly led by B; C")."""
    out: list[Arg] = []
    doc, sent = verb.doc, verb.sent
    end = verb.right_edge.i + 1 if verb.dep_ == "prep" else sent.end  # "… including A and B, officials said"
    i, after_or = verb.i + 1, False
    if lemma(verb) == "be":  # "… are: A, B": the names come first, not "… are subject to rules in EU states"
        first = next((t for t in doc[i:end] if not t.is_punct and t.pos_ != "DET"), None)
        if first is None or (entity_at(first) is None and chunk(first) is None):
            return []
    while i < end:
        tok = doc[i]
        if tok.lower_ in ("or", "by"):
            after_or = True
        elif tok.text in (",", ";", ":") or tok.lower_ == "and":
            after_or = False
        ent = entity_at(tok)
        if ent is not None:
            if ent.label_ in DESIGNEE_TYPES and not after_or:
                _add(out, [ent])
            i = ent.end
            continue
        if (c := chunk(tok)) is not None:
            if not after_or:
                _add(out, [adopt(c, "Organization")])
            i = c.end
            continue
        i += 1
    return out


@role_finder
def remembered_designees(token: Token) -> list[Arg]:
    """What the article's last designation was of ("Y followed suit", "similar moves by X and Y")."""
    remembered = token.doc.user_data.get("kg_memory")
    return list(remembered.designated) if remembered is not None else []


@role_finder
def precedent_authorities(noun: Token) -> list[Arg]:
    """The authorities a designation is likened to: "similar moves by the UK and the US", "in line with
    countries including the US and Israel", "following the lead of Canada"."""
    out: list[Arg] = []
    for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "of", "with")):
        for p in prep.children:
            _add(out, _authorities(p))
    return out


def precedent(noun: Token) -> bool:
    """The noun likens an act to others': "similar moves", "the same stance", "in line with", "the lead of"."""
    likened = any(c.lower_ in words("likening_words") for c in noun.children)
    return likened or f"{noun.head.lemma_} {noun.lower_}" in words("likening_phrases")


@role_finder
def follower(verb: Token) -> list[Arg]:
    """Who follows suit: the subject of "followed suit" / "did the same"."""
    return [a for c in verb.children if c.dep_ == "nsubj" for a in (_authorities(c) or pronoun_authority(c))]


def follows_suit(verb: Token) -> bool:
    """"followed suit", "did the same", "took the same step"."""
    return any(c.dep_ == "dobj" and (c.lower_ == "suit" or any(d.lower_ in words("likening_words") for d in c.children))
               for c in verb.children)


def calls_for_the_act(verb: Token) -> bool:
    """"had called for this measure", "demanded the ban": a call whose object is the act just told of."""
    acts = words("precedent_nouns") | words("designation_nouns")
    objects = [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "for" for p in c.children] + [
        c for c in verb.children if c.dep_ == "dobj"]
    return any(lemma(o) in acts and any(d.dep_ == "det" and d.lower_ in ("this", "that", "the", "such")
                                        for d in o.children) and not nominal_of(o) for o in objects)


@role_finder
def caller_of(verb: Token) -> list[Arg]:
    """Who calls: the call's subject, of any kind (a party, a legislator, a state)."""
    found = caller(verb)
    return [found] if found is not None else []


@role_finder
def seekers(verb: Token) -> list[Arg]:
    """Who long sought an act: "a move long sought by Israel and the United States"."""
    return by_phrase(verb)


def sought_act(verb: Token) -> bool:
    """A participle of seeking that describes an act: "a move (long) sought by X", "a ban demanded by X"."""
    act_nouns = words("precedent_nouns") | words("designation_nouns")
    if verb.tag_ != "VBN" or not any(c.dep_ == "agent" for c in verb.children):
        return False
    if verb.dep_ in ("acl", "amod", "relcl") and lemma(verb.head) in act_nouns:
        return True
    # the parser may hang "…, in a move, long sought by X" on the clause: the act noun just before it
    return any(lemma(t) in act_nouns for t in verb.doc[max(verb.sent.start, verb.i - 4):verb.i])


# --- checks a rule can require ------------------------------------------------------------------

def verbal(tok: Token) -> bool:
    """Used as a verb (a plural noun the tagger mistook in a relative clause or a headline counts)."""
    return tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ in ("relcl", "ROOT", "conj") and tok.tag_ == "NNS"


def terror_clause(tok: Token) -> bool:
    """The act is a terror designation: a strong verb, a terror word in its clause, or a ban verb
    whose object is a group ("Germany outlawed Hezbollah", not "banned the import of …")."""
    if lemma(tok) in words("strong_verbs") or has_terror_word(clause_after(tok)):
        return True
    if lemma(tok) not in words("ban_verbs"):
        return False
    return any(referent(c, GROUP_TYPES) or chunk(c) is not None
               for c in tok.children if c.dep_ in ("dobj", "nsubjpass"))


def participle_by(tok: Token) -> bool:
    """A participle with its own "by" authority: "Hamas, designated a terrorist organisation by the US"."""
    participle = tok.tag_ == "VBN" or tok.tag_ == "VBD" and tok.i > 0 and tok.nbor(-1).text == ","
    return participle and bool(by_phrase(tok))


def terror_list(tok: Token) -> bool:
    """The verb adds to a terror list named after it, or, with no list named, the authority that
    added to one before in the article adds again ("The Council had already added X … in December")."""
    if terror_list_after(tok) is not None:
        return True
    before = remembered_authority(tok)
    return bool(before) and any(a.kb_id_ == before[0].kb_id_ for a in agent(tok))


def terror_in_subtree(tok: Token) -> bool:
    return has_terror_word(tok.subtree)


CHECKS: dict[str, Callable[[Token], bool]] = {
    f.__name__: f for f in (verbal, terror_clause, participle_by, terror_list, terror_in_subtree, terror_members,
                            removed_from_list, calls_for_the_act, precedent, follows_suit, sought_act)}


# --- pair finders: adjectival forms -------------------------------------------------------------

def _hyphen_actor(tok: Token) -> Arg | None:
    doc = tok.doc
    if "-" in tok.text[1:]:
        return actor_named(tok.text.rsplit("-", 1)[0])
    actor = entity_at(doc[tok.i - 2])
    return actor_named(doc[tok.i - 2].text) if actor is None else actor


def _described(tok: Token, actor: Arg, types: set[str] = GROUP_TYPES) -> Arg | None:
    """What a pre-modifier describes: the next entity in the same noun phrase, or one its head noun
    leads to ("the Turkish-backed militants from the Syrian National Army"), "the group" named
    before, the subject of a copula ("X is the U.S.-designated emir"), else (for an apposition after a
    comma) the entity just before it."""
    doc, sent = tok.doc, tok.sent
    start = actor.start if isinstance(actor, Span) else tok.i
    for t in doc[tok.i + 1:min(sent.end, tok.i + 8)]:
        if t.text in (",", ";", "(", ")") or t.pos_ in ("VERB", "ADP"):
            break
        ent = entity_at(t)
        if ent is not None and ent.label_ in types and ent.kb_id_ != actor.kb_id_:
            return ent
    head = tok
    while head.dep_ == "conj":  # "the U.S.- and U.N.-designated leader"
        head = head.head
    head = head.head if head.dep_ in ("amod", "compound", "nmod", "npadvmod") else None
    if head is not None and entity_at(head) is None:
        after_comma = head.left_edge.i > sent.start and doc[head.left_edge.i - 1].text == ","
        if head.dep_ == "attr" and head.head.lemma_ == "be" and not after_comma:
            subject = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
            found = referent(subject, types) if subject is not None else []
            if not found and subject is not None and (c := chunk(subject)) is not None:
                found = [adopt(c, "Person" if role_word(head) or lemma(head) in words("person_nouns") else "Organization")]
            if found:
                return found[0]
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("from", "of", "called", "known"):
                for ent in (entity_at(t) for t in prep.subtree):
                    if ent is not None and ent.label_ in types:
                        return ent
        found = previous_group(head)
        if found:
            return found[0]
    before = list(doc[sent.start:start])
    lead = [t for t in before[-3:] if t.pos_ in ("DET", "ADJ", "PUNCT") or t.lower_ in ("a", "an", "the")]
    if before and any(t.text == "," for t in before[-3:]) or lead and before[-len(lead) - 1:-len(lead)] and \
            before[-len(lead) - 1].text == ",":
        for t in reversed(before[-10:]):
            ent = entity_at(t)
            if ent is not None and ent.label_ in types:
                return ent
            if t.text in (";", "."):
                break
    return None


def _hyphen_actors(tok: Token) -> list[Arg]:
    """The prefixes of "U.S.-designated", and of "Rwanda- and Uganda-backed" (every coordinated one)."""
    doc = tok.doc
    first = _hyphen_actor(tok)
    actors = [first] if first is not None else []
    i = tok.i - (1 if "-" in tok.text[1:] else 3)  # the token before this compound
    while i >= 2 and doc[i].lower_ in ("and", "or", ",") and doc[i - 1].text.endswith("-"):
        found = actor_named(doc[i - 1].text.rstrip("-")) if len(doc[i - 1].text) > 1 else entity_at(doc[i - 2])
        if found is None and doc[i - 1].text == "-":
            found = entity_at(doc[i - 2]) or actor_named(doc[i - 2].text)
        if found is not None:
            actors.append(found)
        i -= 2 if len(doc[i - 1].text) > 1 else 3
    return actors


def _adjectival(tok: Token, needs_terror: bool, types: set[str]) -> list[Binding]:
    if hyphen_tail(tok) is None or tok.i < 1:
        return []
    actors = _hyphen_actors(tok)
    if not actors:
        return []
    strong = lemma(tok) in words("strong_verbs") or (hyphen_tail(tok) or "").removesuffix("d") in words("strong_verbs")
    if needs_terror and not strong and not has_terror_word(tok.doc[tok.i:min(len(tok.doc), tok.i + 4)]):
        return []
    target = _described(tok, actors[0], types)
    if target is None:
        return []
    return [Binding(actor, target) for actor in actors if actor.kb_id_ != target.kb_id_]


@pair_finder
def designated_adjective(tok: Token) -> list[Binding]:
    """"a U.S.-designated terrorist organization": the prefix designates what the phrase describes."""
    return _adjectival(tok, needs_terror=True, types=DESIGNEE_TYPES)


@pair_finder
def backed_adjective(tok: Token) -> list[Binding]:
    """"the Iran-backed group Hezbollah": the prefix backs what the phrase describes."""
    return _adjectival(tok, needs_terror=False, types=GROUP_TYPES)


# --- sanctions ----------------------------------------------------------------------------------

def _sanction_targets(noun: Token) -> list[Arg]:
    """Who sanctions are on: "sanctions on/against X" (the parser may hang the "on" on "imposed"),
    or the subject of "X is subject to UN sanctions"."""
    holders = [noun, noun.head] if noun.dep_ == "dobj" else [noun]
    found = [e for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ in ("on", "against")
             for p in c.children for e in designees(p)]
    if not found and noun.dep_ == "pobj" and noun.head.lower_ == "to" and noun.head.head.lower_ == "subject":
        copula = noun.head.head.head
        found = [e for c in copula.children if c.dep_ == "nsubj" for e in designees(c)]
    return [e for e in found if e.label_ != "Country"]  # sanctions on a state are no terror listing


def _sanctioner(noun: Token) -> list[Arg]:
    """Whose sanctions: "UN sanctions", "Washington's sanctions", "X imposed sanctions", "the
    sanctions … are being implemented by X"."""
    own = _own(noun)
    if own is not None and own.label_ in AUTHORITY_TYPES:
        return [own]
    if noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ == "VERB":
        return agent(noun.head)
    return []


def _on_list_of(target: Arg, actor: Arg) -> bool:
    """The target is on a public terror list kept by the actor or its state (kg/data/lists.toml), and
    still is: a revoked listing does not make sanctions a terror listing."""
    def state(key: str) -> str:
        known = gazetteer().entities.get(key)
        return known.country or known.key if known is not None else key

    return any(listing.current and state(listing.authority) == state(actor.kb_id_)
               for listing in gazetteer().listings.get(target.kb_id_, []))


@pair_finder
def sanctions(noun: Token) -> list[Binding]:
    """Sanctions on a group or person in a terror context — a terror word in the sentence, or a target
    the sanctioner's state keeps on its terror list — list it; sanctions over anything else do not."""
    terror = has_terror_word(noun.sent)
    return [Binding(actor, target) for actor in _sanctioner(noun) for target in _sanction_targets(noun)
            if actor.kb_id_ != target.kb_id_ and (terror or _on_list_of(target, actor))]
