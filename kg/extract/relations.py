"""Pair finders for leadership, units and backing: each finds a subject and an object together
around the pattern's anchor (a person's name, a role word, a unit noun, a support verb)."""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from ..gazetteer import gazetteer
from ..names import normal
from .chunks import adopt, chunk
from .finders import Binding, objects, pair_finder
from .lexicon import words
from .tokens import GROUP_TYPES, Named, entity_at, lemma, possessor, previous_group, referent, role_word, subject_of


def _deputy(role: Token) -> bool:
    not_leading = words("not_leading")
    return any(t.lower_ in not_leading for t in role.doc[max(0, role.i - 2):role.i]) or role.lower_ in not_leading


def _is_former(tokens) -> bool:
    former = words("former_words")
    return any(t.lower_ in former or t.lower_.startswith("then-") or t.lower_ == "ex-" for t in tokens)


def _person(token: Token) -> Span | None:
    ent = entity_at(token)
    return ent if ent is not None and ent.label_ == "Person" and ent.start == token.i else None


def _possessive(span: Span) -> bool:
    doc = span.doc
    return span.end < len(doc) and doc[span.end].lower_ in ("'s", "'")


def org_after_of(role: Token) -> Span | None:
    """The organisation in "ROLE of (the adj noun) ORG": only words that describe may stand between;
    a possessor on the way is passed ("head of Iran's IRGC's Quds Force"), and a proper-noun chunk
    no entity covers is a new organisation ("leader of Jamaat Nusrat al-Islam")."""
    doc = role.doc
    if role.i + 1 >= role.sent.end or doc[role.i + 1].lower_ not in ("of", "for", "to"):
        return None
    t = doc[role.i + 2] if role.i + 2 < role.sent.end else None
    owner = None  # a possessive group passed on the way: the answer if nothing follows it
    while t is not None and t.i < min(role.sent.end, role.i + 16):
        ent = entity_at(t)
        if ent is not None:
            if _possessive(ent) or (ent.end < len(doc) and doc[ent.end].text == "("):
                owner = owner or (ent if ent.label_ in GROUP_TYPES else None)
                t = doc[ent.end + 1] if ent.end + 1 < role.sent.end else None
                continue
            return ent if ent.label_ in GROUP_TYPES else owner
        if (c := chunk(t)) is not None and not _possessive(c):
            return adopt(c, "Organization")
        if t.text in (",", ";", ".") or t.pos_ in ("VERB", "AUX", "ADP") and t.lower_ != "of":
            return owner
        t = doc[t.i + 1] if t.i + 1 < role.sent.end else None
    return owner


def _owner_group(noun: Token) -> Span | None:
    """The group that owns a role or unit noun: "Hamas's leader", "its armed wing", "the group's chief"."""
    for child in noun.children:
        if child.dep_ == "poss":
            found = referent(child, GROUP_TYPES) or previous_group(child)
            return found[0] if found else None
    return None


def _role_phrase(tokens: Span) -> tuple[Token, Span] | None:
    """After "NAME,": "(a|the) (adj) ROLE of (the …) ORG" or "ORG ROLE"."""
    for i, t in enumerate(tokens):
        if t.text in (",", ";", ".") or t.pos_ == "VERB":
            return None
        if role_word(t) and not _deputy(t):
            org = org_after_of(t)
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


def _led_before(token: Token) -> tuple[Span, Span] | None:
    """The article's last leader and the group they lead (finders.Memory)."""
    remembered = token.doc.user_data.get("kg_memory")
    return remembered.led if remembered is not None else None


@pair_finder
def title_before_name(token: Token) -> list[Binding]:
    """"IRGC commander Qassem Soleimani", "Hamas leader Ismail Haniyeh"; "former secretary general X"
    with no group named: the group whose leadership the article has been telling."""
    person = _person(token)
    if person is None:
        return []
    sent = token.sent
    before = sent.doc[max(sent.start, person.start - 6):person.start]
    if not len(before) or not role_word(before[-1]) or _deputy(before[-1]):
        return []
    for t in reversed(list(before)[:-1]):
        ent = entity_at(t)
        if ent is not None:
            return [Binding(person, ent, role_word(before[-1]), _is_former(before))] if ent.label_ in GROUP_TYPES else []
        if t.pos_ not in ("ADJ", "PROPN", "NOUN", "PART") or t.text in (",", "("):
            break
    led = _led_before(token)
    if led is not None and led[0].kb_id_ != person.kb_id_ and _is_former(before) \
            and role_word(before[-1]) in words("group_leader_roles"):
        return [Binding(person, led[1], role_word(before[-1]), True)]
    return []


@pair_finder
def succession(verb: Token) -> list[Binding]:
    """"X will succeed the late Y", "…, replacing Y": Y led what X now leads (a former leader)."""
    led = _led_before(verb)
    if led is None:
        return []
    predecessors = [e for c in verb.children if c.dep_ == "dobj" for t in c.subtree
                    if (e := entity_at(t)) is not None and e.label_ == "Person" and e.kb_id_ != led[0].kb_id_]
    return [Binding(p, led[1], None, True) for p in predecessors[:1]]


@pair_finder
def role_apposition(token: Token) -> list[Binding]:
    """"Qassem Suleimani, leader of the Quds Force", "Esmail Qaani (Ghaani), IRGC Qods Force commander"."""
    person = _person(token)
    if person is None:
        return []
    sent = token.sent
    after = sent.doc[person.end:min(sent.end, person.end + 14)]
    if len(after) > 1 and after[0].text == "(":
        close = next((t.i for t in after if t.text == ")"), None)
        after = sent.doc[close + 1:min(sent.end, close + 15)] if close is not None else after
    unmarked = len(after) > 1 and after[0].lower_ == "the" and any(  # "Jean-Marie Runiga the M23's political leader"
        c.dep_ == "appos" and c.i >= after.start for c in person.root.children)
    if len(after) > 1 and (after[0].text == "," or unmarked):
        found = _role_phrase(after[1:])
        if found is not None:
            role_tok, org = found
            return [Binding(person, org, role_word(role_tok), _is_former(after[1:role_tok.i - after.start + 1]))]
    return []


@pair_finder
def title_then_name(role: Token) -> list[Binding]:
    """"the head of Hamas' political bureau, Ismail Haniyeh"."""
    if role.pos_ not in ("NOUN", "PROPN", "ADJ") or _deputy(role):
        return []
    org = org_after_of(role) or _owner_group(role)  # "the group's former leader, X"
    if org is None:
        return []
    sent = role.sent
    tail = sent.doc[max(org.end, role.i + 1):min(sent.end, max(org.end, role.i + 1) + 6)]
    comma = next((t for t in tail if t.text == ","), None)
    if comma is not None and comma.i + 1 < sent.end:
        person = entity_at(sent.doc[comma.i + 1])
        if person is not None and person.label_ == "Person" and not any(
                entity_at(t) is not None for t in sent.doc[max(org.end, role.i + 1):comma.i]):
            return [Binding(person, org, role_word(role), _is_former(sent.doc[max(sent.start, role.i - 3):role.i]))]
    return []


def _copula_or_as_subject(role: Token) -> Span | None:
    """"X was/became/was appointed the head of Y", "As the head of Y, X …"."""
    head = role.head
    if role.dep_ in ("attr", "oprd", "xcomp", "dobj") and head.lemma_ in words("role_verbs"):
        subject = subject_of(head)
        if subject is None:  # "Iyad Ag Ghaly is the leader of X": a name the NER missed
            subject = next((adopt(c, "Person") for s in head.children if s.dep_ == "nsubj"
                            if (c := chunk(s)) is not None), None)
    elif role.dep_ == "pobj" and head.lower_ == "as":
        # "Y named X as its leader"; "X served as the head of Y"; "the election of X as its new leader"
        named = next((e for c in head.head.children if c.dep_ == "dobj" and lemma(head.head) in words("appoint_verbs")
                      if (e := entity_at(c)) is not None and e.label_ == "Person"), None)
        subject = named or subject_of(head.head) or _person(head.head) or (entity_at(head.head) if entity_at(head.head) is not None
                                                                    and entity_at(head.head).label_ == "Person" else None)
        if subject is None or subject.label_ != "Person":  # "… announced the election of X as its leader"
            holders = [head.head, *(c for c in head.head.children if c.dep_ == "dobj")]
            named = [p for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
            subject = next((e for p in named if (e := entity_at(p)) is not None and e.label_ == "Person"), subject)
            if (subject is None or subject.label_ != "Person") and any(lemma(h) in words("appoint_nouns") for h in holders):
                subject = next((adopt(c, "Person") for p in named if (c := chunk(p)) is not None), subject)
    else:
        return None
    return subject if subject is not None and subject.label_ == "Person" else None


@pair_finder
def role_predicate(role: Token) -> list[Binding]:
    """"Soleimani … was the head of the Quds Force", "As the head of the IRGC Quds Force, Suleimani"."""
    if role.pos_ not in ("NOUN", "PROPN", "ADJ") or _deputy(role):
        return []
    org = org_after_of(role) or _owner_group(role)
    person = _copula_or_as_subject(role) if org is not None else None
    if person is None:
        return []
    past = role.head.lemma_ == "be" and role.head.tag_ == "VBD"  # "Soleimani was the head of the Quds Force"
    return [Binding(person, org, role_word(role), past or _is_former(list(role.head.children) + [role]))]


def _led_thing(verb: Token) -> Span | None:
    """What "led by X" describes: after a comma, the subject of the main clause; else its head."""
    doc = verb.doc
    for child in verb.children:  # "The Quds Force was led by …", "It is led by …"
        if child.dep_ == "nsubjpass":
            spans = referent(child, GROUP_TYPES) or previous_group(child)
            if spans:
                return spans[0]
    previous = doc[verb.i - 1] if verb.i > verb.sent.start else None
    after_comma = previous is not None and (previous.text == "," or previous.i > verb.sent.start and
                                            doc[previous.i - 1].text == "," and previous.pos_ == "ADV")
    if after_comma:
        subject = subject_of(verb.sent.root)
        if subject is not None and subject.label_ in GROUP_TYPES:
            return subject
        comma = previous if previous.text == "," else doc[previous.i - 1]  # "the cartels include A, formerly led by …"
        before = entity_at(doc[comma.i - 1]) if comma.i > verb.sent.start else None
        if before is not None and before.label_ in GROUP_TYPES:
            return before
    spans = referent(verb.head, GROUP_TYPES)
    return spans[0] if spans else None


@pair_finder
def led_by(verb: Token) -> list[Binding]:
    """"(the Quds Force …,) formerly led by Qasem Soleimani"."""
    by = [c for c in verb.children if c.dep_ == "agent"]
    if not by:
        return []
    people = [e for t in by[0].subtree if (e := entity_at(t)) is not None and e.label_ == "Person"]
    if not people:  # "led by the drug lord “El Chapo”": a name the NER missed
        people = [adopt(c, "Person") for t in by[0].subtree if (c := chunk(t)) is not None][:1]
    org = _led_thing(verb)
    if people and people[0].label_ == "Person" and org is not None:
        return [Binding(people[0], org, verb.lemma_, _is_former(verb.children))]
    return []


@pair_finder
def leads_verb(verb: Token) -> list[Binding]:
    """"Soleimani led the Quds Force"."""
    if any(c.dep_ in ("agent", "neg") for c in verb.children):
        return []
    subject = subject_of(verb) or (subject_of(verb.head) if verb.dep_ == "xcomp" else None)  # "was chosen to lead"
    led = objects(verb) or [g for c in verb.children if c.dep_ == "dobj" for g in previous_group(c)]
    if subject is not None and subject.label_ == "Person" and led:
        return [Binding(subject, led[0], verb.lemma_, verb.tag_ == "VBD" or _is_former(verb.children))]
    return []


@pair_finder
def possessive_leader(token: Token) -> list[Binding]:
    """"General Hamdan's Rapid Support Force": a person's own armed group."""
    person = _person(token)
    if person is None or not _possessive(person):
        return []
    head = person.root.head
    org = entity_at(head)
    if org is None or org.label_ not in GROUP_TYPES or org.start <= person.start:
        return []
    return [Binding(person, org)]


# --- units ----------------------------------------------------------------------------------------

def _named_after(noun: Token, end: int) -> list[Span]:
    """The group named in apposition right after a unit's phrase ("its armed wing, the Qassam
    Brigades"; "the military wing of Hamas, the Qassam Brigade"), wherever the parser hung it."""
    doc = noun.doc
    if end + 1 >= noun.sent.end or doc[end].text != ",":
        return []
    first = doc[end + 1] if doc[end + 1].lower_ != "the" else doc[end + 2]
    ent = entity_at(first)
    if ent is not None and ent.label_ in GROUP_TYPES and ent.root.dep_ in ("appos", "conj"):
        return [ent]
    return []


def wing(noun: Token) -> Span | None:
    """A wing named only by its parent — "Hezbollah's military wing", "the armed wing of Hamas" — as
    a body of its own, when no name stands beside it."""
    if lemma(noun) not in words("wing_nouns") or any(c.dep_ == "appos" for c in noun.children):
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss" and entity_at(c) is not None), None)
    if owner is not None and entity_at(owner).label_ in GROUP_TYPES:
        return adopt(noun.doc[entity_at(owner).start:noun.i + 1], "Organization")
    parent = org_after_of(noun)
    definite = any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children)  # "a wing of" names no body
    if parent is not None and definite:
        start = min([c.i for c in noun.children if c.dep_ in ("amod", "compound")] + [noun.i])
        return adopt(noun.doc[start:parent.end], "Organization")
    return None


def _units(noun: Token) -> list[Span]:
    """What a unit noun is said of: the phrase it stands in apposition to ("X, a wing of Y"), the
    name in apposition to it ("its elite faction, the Majeed Brigade"), or the subject of a copula."""
    if noun.dep_ in ("appos", "compound"):  # "X, a wing of Y"; "Al Qaeda's Sahel branch JNIM"
        return referent(noun.head, GROUP_TYPES)
    if noun.dep_ in ("conj", "dobj", "pobj", "npadvmod", "ROOT") and (apposed := _apposed_group(noun)):
        return apposed
    if noun.dep_ == "nsubj" and noun.head.lemma_ == "be":  # "Y's armed wing is X": part_of.possessive_unit
        return []
    if noun.dep_ == "attr" and noun.head.lemma_ == "be":
        return [u for c in noun.head.children if c.dep_ == "nsubj" for u in referent(c, GROUP_TYPES)]
    named = [u for c in noun.children if c.dep_ in ("appos", "compound") for u in referent(c, GROUP_TYPES)]
    named += _identified_as(noun)
    parent = org_after_of(noun)
    named = named or _named_after(noun, parent.end if parent is not None else noun.i + 1)
    if named:
        return named
    own = wing(noun)
    return [own] if own is not None else []


def _identified_as(noun: Token) -> list[Span]:
    """The groups a clause on a noun names: "the two SNA factions, which were identified as A and B",
    "an alliance called X"."""
    named = [o for v in noun.children if v.dep_ in ("relcl", "acl") and lemma(v) in words("naming_verbs")
             for c in v.children if c.dep_ in ("oprd", "attr", "dobj") or c.dep_ == "prep" and c.lower_ == "as"
             for o in ([c] if c.dep_ != "prep" else list(c.children))]
    return [u for o in named for t in (o, *o.conjuncts) for u in _group_or_name(t)]


def _compound_owner(noun: Token) -> Span | None:
    """The group a unit noun is compounded with: "the two SNA factions", "IRGC units"."""
    for child in noun.children:
        ent = entity_at(child)
        if child.dep_ == "compound" and ent is not None and ent.label_ in GROUP_TYPES and ent.end == noun.i:
            return ent
    return None


def _apposed_group(noun: Token) -> list[Span]:
    """The group just before the comma that a unit phrase describes, however the parser read it:
    "A, Y's Syrian affiliate, and B" (a list), "the Amniyat, an intelligence wing of Y" (an object)."""
    edge, doc = noun.left_edge.i, noun.doc
    if edge - 2 < noun.sent.start or doc[edge - 1].text != ",":
        return []
    before = entity_at(doc[edge - 2])
    described = any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ("a", "an")) for c in noun.children)
    return [before] if before is not None and before.label_ in GROUP_TYPES and described else []


@pair_finder
def unit_of(noun: Token) -> list[Binding]:
    """"the Quds Force, a wing of the IRGC", "X is the armed wing of Y", "its elite faction, the Majeed
    Brigade", "Al Qaeda's Sahel branch JNIM", "Hezbollah's military wing"."""
    parent = org_after_of(noun) or _owner_group(noun) or (_owner_group(noun.head) if noun.dep_ == "compound" else None)
    if parent is None and (owner := _compound_owner(noun)) is not None:
        return [Binding(unit, owner) for unit in _identified_as(noun) if unit.kb_id_ != owner.kb_id_]
    if parent is None:
        return []
    return [Binding(unit, parent) for unit in _units(noun) if unit.kb_id_ != parent.kb_id_]


@pair_finder
def named_branch(noun: Token) -> list[Binding]:
    """A unit whose name begins with its parent's: "the Islamic State-Khorasan branch", "the Islamic
    State West Africa Province affiliate" — the name says whose branch it is."""
    out = []
    for unit in referent(noun, GROUP_TYPES):
        parts = [w for w in re.split(r"[\s-]+", unit.text) if w]
        for n in range(len(parts) - 1, 0, -1):  # the longest known name it begins with, spelled as known
            if all(w.lower() in words("unit_name_words") for w in parts[n:]):
                continue  # "Hezbollah Brigades" (Kataib Hezbollah) is no branch of Hezbollah
            key = gazetteer().exact.get(normal(" ".join(parts[:n])))
            parent = gazetteer().entities[key] if key is not None else None
            if parent is not None and parent.type == "Organization" and parent.key != unit.kb_id_:
                out.append(Binding(unit, Named(parent.key, parent.type, parent.name)))
                break
    return out


def _group_or_name(token: Token) -> list[Span]:
    found = referent(token, GROUP_TYPES)
    if not found and (c := chunk(token)) is not None:
        found = [adopt(c, "Organization")]
    return found


@pair_finder
def possessed_unit(token: Token) -> list[Binding]:
    """"the IRGC's Quds Force", "Hamas's Qassam Brigades": a group owning a unit whose name says so."""
    parent = entity_at(token)
    if parent is None or parent.label_ not in GROUP_TYPES or parent.root != token or not _possessive(parent):
        return []
    unit = entity_at(parent.root.head)
    after = parent.end + 1  # "the Islamic Revolutionary Guard Corps' (IRGC's) Quds Force"
    if after + 1 < len(parent.doc) and parent.doc[after].text == "(":
        close = next((t.i for t in parent.doc[after:min(after + 6, parent.sent.end)] if t.text == ")"), None)
        unit = entity_at(parent.doc[close + 1]) if close is not None and close + 1 < parent.sent.end else unit
    if unit is None or unit.label_ not in GROUP_TYPES or unit.start <= parent.start or unit.kb_id_ == parent.kb_id_:
        return []
    if unit[-1].lower_ not in words("unit_name_words"):
        return []
    return [Binding(unit, parent)]


@pair_finder
def operates_under(verb: Token) -> list[Binding]:
    """"X, a militia operating under Y", "X falls under Y", "X is affiliated with Y"."""
    preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("under", "with", "to")]
    if lemma(verb) in words("under_verbs"):
        preps = [p for p in preps if p.lower_ == "under"]
    parents = [s for p in preps for c in p.children if c.dep_ == "pobj" for s in _group_or_name(c)]
    if not parents:
        return []
    units = [s for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for s in referent(c, GROUP_TYPES)]
    if not units and verb.dep_ in ("acl", "amod", "relcl"):
        head = verb.head
        units = referent(head, GROUP_TYPES) or (referent(head.head, GROUP_TYPES) if head.dep_ in ("attr", "appos") else [])
        if not units and head.dep_ == "attr":
            units = [u for c in head.head.children if c.dep_ == "nsubj" for u in referent(c, GROUP_TYPES)]
    return [Binding(u, p) for u in units for p in parents if u.kb_id_ != p.kb_id_]


@pair_finder
def possessive_unit(noun: Token) -> list[Binding]:
    """"The Guards' prized foreign operations unit is the Quds Force"."""
    if org_after_of(noun) is not None:
        return []
    parent = _owner_group(noun)
    if parent is None or noun.dep_ != "nsubj" or noun.head.lemma_ != "be":
        return []
    return [Binding(unit, parent) for c in noun.head.children if c.dep_ == "attr"
            for unit in referent(c, GROUP_TYPES) if unit.kb_id_ != parent.kb_id_]


@pair_finder
def belongs_to(tok: Token) -> list[Binding]:
    """"The Basij belongs to the IRGC", "X is subordinate to Y"."""
    units = referent(next((c for c in (tok.children if tok.pos_ == "VERB" else tok.head.children)
                           if c.dep_ == "nsubj"), tok), GROUP_TYPES)
    parents = [s for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"
               for p in c.children for s in referent(p, GROUP_TYPES)]
    return [Binding(u, p) for u in units for p in parents if u.kb_id_ != p.kb_id_]


# --- backing ----------------------------------------------------------------------------------------

@pair_finder
def nominal_support(noun: Token) -> list[Binding]:
    """"Tehran's support for the Houthis", "Iran's proxy Hezbollah"."""
    prep_objects = {c.lower_: [s for p in c.children for s in referent(p)] for c in noun.children if c.dep_ == "prep"}
    verb = noun.head if noun.dep_ == "dobj" else None
    if verb is not None and not prep_objects.get("from"):  # the parser may hang "from" on the verb
        prep_objects["from"] = [s for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"
                                for p in c.children for s in referent(p)]
    if prep_objects.get("from"):  # "BLA is receiving support from India"
        backed = referent_subject(verb) if verb is not None and lemma(verb) in words("receive_verbs") else []
        if not backed and noun.dep_ == "pobj" and (noun.head.lower_ in ("with", "through") or any(
                t.lower_ in words("owing_words") for t in noun.doc[max(noun.sent.start, noun.i - 6):noun.i])):
            clause = next((a for a in noun.ancestors if a.pos_ in ("VERB", "AUX")), None)
            while clause is not None and not referent_subject(clause) and clause.dep_ in ("advcl", "xcomp", "conj"):
                clause = clause.head  # "X is rolling across Sudan, beating the army - thanks to support from Y"
            backed = referent_subject(clause) if clause is not None else []  # "X advanced thanks to support from Y"
        return [Binding(prep_objects["from"][0], b) for b in backed if b.kb_id_ != prep_objects["from"][0].kb_id_]
    backer = possessor(noun) or _serving_as(noun)
    if backer is None:
        return []
    if lemma(noun) == "proxy":
        backed = referent(noun, GROUP_TYPES)
    else:
        backed = [s for k in ("for", "of", "to") for s in prep_objects.get(k, []) if s.label_ in GROUP_TYPES]
    return [Binding(backer, t) for t in backed if t.kb_id_ != backer.kb_id_]


def referent_subject(verb: Token) -> list[Span]:
    return [s for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for s in referent(c, GROUP_TYPES)]


def _serving_as(noun: Token) -> Span | None:
    """"X serves as a fundraiser for Y", "X is a front for Y": the subject of the copula."""
    verb = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "as" else noun.head if noun.dep_ == "attr" else None
    if verb is None:
        return None
    found = referent_subject(verb)
    return found[0] if found else None


@pair_finder
def backed_by(verb: Token) -> list[Binding]:
    """"the Houthis, who are backed by Iran", "Kataib Hezbollah, an Iraqi militia backed by Iran"."""
    by = [s for c in verb.children if c.dep_ == "agent" for p in c.children for s in referent(p)]
    if not by or any(c.dep_ == "neg" for c in verb.children):
        return []
    backed = [s for c in verb.children if c.dep_ == "nsubjpass" for s in referent(c, GROUP_TYPES)]
    first = verb
    while not backed and first.dep_ in ("conj", "advcl") and first.head.pos_ in ("VERB", "ADJ"):
        first = first.head  # "trained, armed and financed by Iran": the subject sits on the first verb
        backed = [s for c in first.children if c.dep_ == "nsubjpass" for s in referent(c, GROUP_TYPES)]
    if not backed and first.dep_ == "acl":
        backed = referent(first.head, GROUP_TYPES)
    return [Binding(by[0], b) for b in backed if b.kb_id_ != by[0].kb_id_]


def _examples(noun: Token) -> list[Span]:
    """Organisations listed after "such as"/"including" in a noun phrase, not possessors."""
    doc = noun.doc
    subtree = list(noun.subtree)
    text = " ".join(t.lower_ for t in subtree)
    if not any(e in text for e in words("example_markers")):
        return []
    found = []
    for t in subtree:
        ent = entity_at(t)
        if ent is not None and ent.label_ in GROUP_TYPES and ent not in found:
            if doc[ent.end - 1].i + 1 < len(doc) and doc[ent.end].lower_ in ("'s", "'"):
                continue
            found.append(ent)
    return found


@pair_finder
def supports_verb(verb: Token) -> list[Binding]:
    """"Iran supports Hezbollah", "Tehran armed and funded the Houthis"."""
    if any(c.dep_ in ("agent", "neg") for c in verb.children):
        return []
    backer = subject_of(verb)
    if backer is None or verb.dep_ == "relcl":
        relative = [c for c in verb.children if c.dep_ == "nsubj" and c.tag_ in ("WDT", "WP")]
        spans = referent(relative[0], GROUP_TYPES | {"Country"}) if relative else []
        backer = spans[0] if spans else backer
    if backer is None:
        return []
    targets = [c for c in verb.children if c.dep_ == "dobj"] or [
        c for v in verb.conjuncts if v.i > verb.i for c in v.children if c.dep_ == "dobj"]  # "armed and funded X"
    found = []
    for child in targets:
        for target in referent(child, GROUP_TYPES | {"Country"}) or _examples(child):
            if target != backer:
                found.append(Binding(backer, target))
    return found


def _accused(verb: Token) -> list[Span]:
    """Who is said to do what a gerund names: "The organizations are accused of providing …"."""
    if verb.dep_ != "pcomp" or verb.head.lower_ not in ("of", "for"):
        return []
    governor = verb.head.head
    return [s for c in governor.children if c.dep_ in ("nsubj", "nsubjpass")
            for s in referent(c, GROUP_TYPES | {"Country"}) or _group_or_name(c) or previous_group(c)]


@pair_finder
def provides_means(verb: Token) -> list[Binding]:
    """Means of war or money handed to a group: "Iran supplied drones to the Houthis", "Tehran
    provided the Houthis with weapons", "the NGOs are accused of providing money to the PFLP"."""
    if any(c.dep_ == "neg" for c in verb.children):
        return []
    means = [c for c in verb.children if c.dep_ in ("dobj", "pobj") or c.dep_ == "prep" and c.lower_ == "with"]
    means = [m for c in means for m in ([c, *c.conjuncts] if c.dep_ != "prep" else [p for p in c.children])]
    if not any(lemma(m) in words("means_nouns") for m in means):
        return []
    receivers = [s for c in verb.children if c.dep_ in ("prep", "dative") and c.lower_ == "to"
                 for p in c.children for s in referent(p, GROUP_TYPES)]
    if not receivers:  # "provided the Houthis with weapons"
        receivers = [s for c in verb.children if c.dep_ == "dobj" for s in referent(c, GROUP_TYPES)]
    backer = subject_of(verb)
    backers = [backer] if backer is not None else _accused(verb)
    return [Binding(b, r) for b in backers for r in receivers if b.kb_id_ != r.kb_id_]


def _person_in(token: Token) -> Span | None:
    """The first person a phrase names: "his deputy Abu Ubaidah", "his second in command X"."""
    return next((e for t in token.subtree if (e := entity_at(t)) is not None and e.label_ == "Person"), None)


@pair_finder
def leadership_passed(noun: Token) -> list[Binding]:
    """The leadership of a group changing hands: "handed over the leadership of X to Y" (Y leads X
    now, the subject led it), "took over the leadership of X", "assumed command of X"."""
    groups = [s for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
              for p in c.children for s in referent(p, GROUP_TYPES) or previous_group(p)]
    verb = noun.head if noun.dep_ == "dobj" else None
    if not groups or verb is None:
        return []
    subject = subject_of(verb)
    found = []
    if lemma(verb) in words("handover_verbs"):
        heirs = [p for c in verb.children if c.dep_ in ("prep", "dative") and c.lower_ == "to"
                 for t in c.children if (p := _person_in(t)) is not None]
        found += [Binding(h, g) for h in heirs for g in groups]
        if subject is not None and subject.label_ == "Person":
            found += [Binding(subject, g, former=True) for g in groups]
    elif lemma(verb) in words("assume_verbs") and subject is not None and subject.label_ == "Person":
        found += [Binding(subject, g) for g in groups]
    return found


@pair_finder
def leads_coalition(verb: Token) -> list[Binding]:
    """A group that leads or joined a coalition is part of it: "Kataib Hezbollah also leads a militia
    alliance called the Islamic Resistance in Iraq", "the group joined the Axis of Resistance"."""
    member = subject_of(verb)
    if member is None or member.label_ not in GROUP_TYPES:
        return []
    found = []
    for noun in (c for c in verb.children if c.dep_ == "dobj"):
        if lemma(noun) in words("coalition_nouns"):  # "leads a militia alliance called X"
            coalitions = _identified_as(noun)
        elif lemma(verb) in words("join_verbs"):  # "joined the Axis of Resistance"
            coalitions = referent(noun, GROUP_TYPES)
        else:
            continue
        found += [Binding(member, c) for c in coalitions if c.kb_id_ != member.kb_id_]
    return found
