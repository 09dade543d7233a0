"""What the rules read off a parsed sentence: lemmas that survive headline case, the resolved entity
a token belongs to, and the entities a noun phrase stands for."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from ..gazetteer import gazetteer
from .lexicon import words

AUTHORITY_TYPES = {"Country", "Organization"}
GROUP_TYPES = {"Organization"}
DESIGNEE_TYPES = {"Organization", "Person"}


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


def hyphen_tail(token: Token) -> str | None:
    """The word after the hyphen of a compound modifier: "designated" in "U.S.-designated", also
    when the tokenizer split it off ("U.S. - designated")."""
    if "-" in token.text[1:]:
        return token.lower_.rsplit("-", 1)[1]
    if token.i >= 2 and token.nbor(-1).text == "-":
        return token.lower_
    return None


def role_word(tok: Token) -> str | None:
    """The leadership role a token ends ("commander", "secretary-general" split into three tokens)."""
    roles = words("roles")
    if tok.lemma_.lower() in roles:
        return tok.lemma_.lower()
    if tok.i >= 2 and tok.nbor(-1).text == "-":
        joined = f"{tok.nbor(-2).lower_}-{tok.lower_}"
        if joined in roles:
            return joined
    if tok.i >= 1 and f"{tok.nbor(-1).lower_} {tok.lower_}" in roles:  # "secretary general"
        return f"{tok.nbor(-1).lower_} {tok.lower_}"
    return None


def register_extensions() -> None:
    """Token attributes the rules' patterns match on (`{"_": {"kg_lemma": …}}`)."""
    for name, getter in (("kg_lemma", lemma), ("kg_tail", hyphen_tail), ("kg_role", role_word)):
        if not Token.has_extension(name):
            Token.set_extension(name, getter=getter)


@dataclass(frozen=True)
class Named:
    """An entity named inside one token ("U.S.-designated"), where no span can be cut out."""

    kb_id_: str
    label_: str
    text: str


def entity_at(token: Token) -> Span | None:
    """The resolved entity span the token is part of (an index built once per parsed paragraph)."""
    index = token.doc.user_data.get("kg_entity_at")
    if index is None:
        index = {i: ent for ent in token.doc.ents if ent.kb_id_ for i in range(ent.start, ent.end)}
        token.doc.user_data["kg_entity_at"] = index
    return index.get(token.i)


def unit_after(span: Span) -> Span | None:
    """The organisation named right after the acronym in brackets that follows `span`: "Iran's
    Islamic Revolutionary Guard Corps (IRGC) Quds Force" names the Quds Force, of the IRGC (the
    parser takes the unit for a sentence of its own, and the group for the object)."""
    doc, i = span.doc, span.end
    if i + 3 >= len(doc) or doc[i].text != "(":
        return None
    close = next((j for j in range(i + 2, min(i + 5, len(doc))) if doc[j].text == ")"), None)
    unit = entity_at(doc[close + 1]) if close is not None and close + 1 < len(doc) else None
    if unit is None or unit.start != close + 1 or unit.label_ != "Organization" or unit.kb_id_ == span.kb_id_:
        return None
    return unit


def actor_named(text: str) -> Named | None:
    """The state or group a prefix such as "Iranian" or "U.S." stands for."""
    known = gazetteer().actor(text)
    return Named(known.key, known.type, known.name) if known is not None else None


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
    if token.lower_ in words("relative_words"):
        for span in antecedent(token, types):
            add(span)
        return found
    for child in token.children:
        if child.dep_ == "appos":
            for span in referent(child, types):
                add(span)
    if found:
        return found
    if lemma(token) in words("legislature_nouns"):  # "Canada's Parliament": a body of its own
        owner = next((c for c in token.children if c.dep_ in ("poss", "compound", "amod") and entity_at(c) is not None
                      and entity_at(c).label_ == "Country"), None)
        if owner is not None:
            from .chunks import adopt

            add(adopt(token.doc[entity_at(owner).start:token.i + 1], "Organization"))
            return found
    if lemma(token) in words("government_nouns"):  # "Canada's government", "German authorities"
        for child in [*token.children, *(p for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                                         for p in c.children)]:  # "the Government of Canada"
            if child.dep_ in ("poss", "compound", "amod", "pobj"):
                state = entity_at(child)
                if (state is None or state.label_ != "Country") and child.dep_ in ("amod", "compound"):
                    state = actor_named(child.text) or state  # "the Kazakh government" (NER: a person)
                if state is not None and state.label_ == "Country":
                    add(state)
        if found:
            return found
    for child in token.children:  # "makes Lithuania the first EU state to …", parsed as a small clause
        if child.dep_ == "nsubj" and (state := entity_at(child)) is not None and state.label_ == "Country":
            add(state)
            return found
    for child in token.children:  # "the Iran-backed group Hezbollah": entity as compound of the head
        if child.dep_ in ("compound", "nmod", "nummod") and entity_at(child) is not None and _just_before(entity_at(child), token):
            if entity_at(child).label_ in ("Location", "Country") and lemma(token) in words("group_nouns"):
                from .chunks import adopt  # "the Sinaloa cartel": a place names the group

                add(adopt(token.doc[entity_at(child).start:token.i + 1], "Organization"))
            else:
                add(entity_at(child))
    if token.dep_ == "appos":
        add(entity_at(token.head))
    if token.dep_ in ("attr",) and token.head.lemma_ == "be":
        for s in token.head.children:
            if s.dep_ in ("nsubj", "nsubjpass"):
                for span in referent(s, types):
                    add(span)
    return found


def _just_before(span: Span, token: Token) -> bool:
    """The span ends right before the token, or an acronym in brackets ("the Islamic State-Khorasan
    (IS-K) branch") or a word or two that describe ("the Wagner mercenary group") stand between."""
    between = span.doc[span.end:token.i]
    described = len(between) <= 2 and all(t.is_lower and t.pos_ in ("ADJ", "NOUN") for t in between)  # "the Wagner mercenary group"
    return described or (between[0].text == "(" and between[-1].text == ")" and len(between) <= 6)


def antecedent(token: Token, types: set[str] | None) -> list[Span]:
    """What "which", "who" or "both of which" refers to: the noun its relative clause hangs on
    (every entity of that phrase for "both"), else the last fitting entity before it."""
    found: list[Span] = []

    def add(span: Span | None):
        if span is not None and (types is None or span.label_ in types) and all(span != f for f in found):
            found.append(span)

    clause = next((a for a in token.ancestors if a.dep_ == "relcl"), None)
    if clause is None:
        return found
    head = clause.head
    if token.lower_ == "both" or any(c.lower_ == "both" for c in clause.subtree):
        inside = {t.i for t in clause.subtree}
        start = next((t.i for t in head.sent if t.i < head.i and t.text == ","), head.sent.start)
        for t in head.doc[start:head.i + 1]:
            add(entity_at(t))
        for t in head.subtree:
            if t.i not in inside:
                add(entity_at(t))
    for span in referent(head, types):
        add(span)
    if not found:  # the parse hung the clause on a nearby noun: take the last group (not a body) before it
        for t in reversed(head.doc[head.sent.start:token.i]):
            ent = entity_at(t)
            if ent is not None and (types is None or ent.label_ in types) and not is_body(ent):
                add(ent)
                break
    return found


def is_body(span) -> bool:
    """A government body or a legislature (the authorities data): never what "the group" refers to."""
    known = gazetteer().entities.get(span.kb_id_)
    if known is None or known.key in gazetteer().listings:  # a listed group, even a state's own (the IRGC)
        return False
    return known.country is not None or known.key in gazetteer().calling


def previous_group(token: Token) -> list[Span]:
    """The group "it", "they" or "the group" stands for: a group named earlier in its own sentence,
    else the group that is the subject of the nearest sentence before (a subject "it" there passes its
    own antecedent on), in this paragraph or the ones before (the engine links each paragraph to the
    one before it); the last group named before, when no sentence has one as subject."""
    pronoun = token.pos_ == "PRON" and token.lower_ in ("it", "they", "them", "its", "their")
    described = (lemma(token) in words("group_nouns") and token.pos_ == "NOUN"
                 and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children)
                 and not any(c.dep_ == "poss" or (c.dep_ == "appos" and c.i <= token.i + 2) or entity_at(c) is not None
                             for c in token.children))  # "the group (,) Hamas" names its group
    if not (pronoun or described):
        return []
    remembered = token.doc.user_data.get("kg_memory")
    if described and token.tag_ == "NNS" and remembered is not None and len(remembered.designated) > 1:
        return list(remembered.designated)  # "the organizations" after "X designated A, B and C"
    if token.dep_ not in ("nsubj", "nsubjpass"):
        for t in reversed(token.doc[token.sent.start:token.i]):
            ent = entity_at(t)
            if ent is not None and ent.label_ in GROUP_TYPES and not is_body(ent):
                return [ent]
    last = None
    for sent in _sentences_before(token):
        for root in (sent.root, *sent.root.conjuncts):
            for child in root.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    ent = entity_at(child) or next((entity_at(t) for t in child.subtree if entity_at(t)), None)
                    if ent is not None and ent.label_ in GROUP_TYPES and not is_body(ent):
                        return [ent]
        if last is None:
            last = next((entity_at(t) for t in reversed(sent) if entity_at(t) is not None
                         and entity_at(t).label_ in GROUP_TYPES and not is_body(entity_at(t))), None)
    return [last] if last is not None else []


def last_group_named(token: Token) -> list[Span]:
    """What "the outfit" is in "other groups in the outfit include …": the group named last before
    (a coalition is what the sentence before ends on, "… leads an alliance called X"), or the one whose
    name holds a word the phrase describes it by ("the 'resistance' outfit")."""
    if not (lemma(token) in words("group_nouns") and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)):
        return []
    said = {c.lower_ for c in token.children if c.dep_ in ("amod", "compound", "nmod") and c.is_alpha}
    groups = [e for sent in _sentences_before(token) for t in reversed(sent) if (e := entity_at(t)) is not None
              and e.start == t.i and e.label_ in GROUP_TYPES and not is_body(e)]
    described = [g for g in groups if said & {t.lower_ for t in g}]  # "the 'resistance' outfit"
    return (described or groups)[:1]


def _sentences_before(token: Token):
    """The sentences before the token's, nearest first, across linked paragraphs (at most six)."""
    doc, sents = token.doc, [s for s in token.doc.sents if s.end <= token.sent.start]
    count = 0
    while True:
        for sent in reversed(sents):
            yield sent
            count += 1
            if count >= 6:
                return
        doc = doc.user_data.get("kg_previous")
        if doc is None:
            return
        sents = list(doc.sents)


def speaker_of(verb: Token) -> Span | None:
    """Who speaks or calls: the verb's subject, or the group a description such as "the leading
    opposition group" stands for."""
    found = subject_of(verb)
    if found is not None:
        return found
    for child in verb.children:
        if child.dep_ == "nsubj":
            antecedent = previous_group(child)
            if antecedent:
                return antecedent[0]
            body = next((e for p in child.children if p.dep_ == "prep" and p.lower_ in ("in", "of", "from")
                         for o in p.children if (e := entity_at(o)) is not None and is_body(e)), None)
            if body is not None and child.tag_ == "NNS":  # "Lawmakers in the Bundestag demanded …"
                return body
    return None


def subject_of(verb: Token) -> Span | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") and child.tag_ != "WDT":
            spans = referent(child)
            if spans:
                return spans[0]
    return None


def possessor(noun: Token) -> Span | None:
    for child in noun.children:
        if child.dep_ == "poss":
            spans = referent(child)
            return spans[0] if spans else None
    return None


def has_terror_word(tokens) -> bool:
    terror = words("terror_words")
    return any(word in terror for t in tokens for word in (t.lower_, t.lemma_.lower(), t.lower_.split("-")[0]))


def clause_after(tok: Token) -> Span:
    """The words from the trigger to the end of its clause (next ';' or sentence end)."""
    sent = tok.sent
    end = next((t.i for t in sent if t.i > tok.i and t.text in (";",)), sent.end)
    return tok.doc[tok.i:end]
