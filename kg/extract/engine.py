"""Running the rules: match every rule's pattern on each parsed paragraph, bind its roles with the
finders, decide modality, and resolve conflicts between rules into one set of claims.

Conflict policy, in this order:
1. the same claim (predicate, subject, object) found by several rules in one sentence is one
   claim, credited to the rule with the highest measured precision (file order breaks ties);
2. a pair read in one sentence both as called for and as designated keeps only the call: a call
   is never a designation;
3. a parliament or chamber (authorities.toml `acts = false`) calls and does not act: what it is
   said to designate it calls on its state to designate, and it revokes or denies nothing."""
from __future__ import annotations

from dataclasses import dataclass, field
import json
from functools import cache

from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from ..dates import resolve_date
from ..gazetteer import gazetteer
from ..model import Article, Claim, Entity, Mention, gather
from .chunks import adopted
from ..resources import schema
from .finders import CHECKS, PAIR_FINDERS, ROLE_FINDERS, Arg, Binding, Memory, home_state
from .lexicon import words
from .matching import PatternMatcher
from .modality import Context, context_of, reporting_subject
from .rules import Rule, rules
from .tokens import Named, lemma, register_extensions, unit_after


@dataclass
class Found:
    """One claim a rule found in a sentence, before it becomes a Claim."""

    rule: Rule
    predicate: str
    subject: Arg
    object: Arg
    trigger: Token
    modality: str
    why: Token | None = None
    addressee: Arg | None = None
    speaker: Arg | None = None
    role: str | None = None
    former: bool = False


@dataclass
class Attempt:
    """What one match of one rule came to: what each role bound, which check failed, the modality,
    and the claims it gave — what `kg explain` shows."""

    rule: Rule
    nodes: dict[str, Token]
    bound: dict[str, list[Arg]] = field(default_factory=dict)
    failed: str | None = None
    context: Context | None = None
    found: list[Found] = field(default_factory=list)


@cache
def _family_predicates() -> dict[str, str]:
    """modality -> predicate for the designation family (schema.toml: `family = "designation"`)."""
    return {p["modality"]: name for name, p in schema()["predicates"].items() if p.get("family") == "designation"}


@cache
def _matcher(vocab: Vocab) -> tuple[PatternMatcher, dict[int, list[Rule]]]:
    """One matcher over every distinct pattern (rules that share a pattern share a key: the
    matcher's cost grows with the patterns, not the rules)."""
    register_extensions()
    patterns: dict[str, list[dict]] = {}
    by_key: dict[int, list[Rule]] = {}
    for rule in rules():
        name = json.dumps(rule.pattern, sort_keys=True)
        patterns.setdefault(name, rule.pattern)
        by_key.setdefault(vocab.strings.add(name), []).append(rule)
    return PatternMatcher(vocab, patterns), by_key


@cache
def _rule_order() -> dict[str, int]:
    return {r.id: i for i, r in enumerate(rules())}


def attempts(doc: Doc) -> list[Attempt]:
    """Every match of every rule in one parsed paragraph, in text order then rule order."""
    matcher, by_key = _matcher(doc.vocab)
    order = _rule_order()
    matches = []
    for key, token_ids in matcher(doc):
        for rule in by_key[key]:
            matches.append((rule, {node["RIGHT_ID"]: doc[i] for node, i in zip(rule.pattern, token_ids)}))
    matches.sort(key=lambda m: (m[1][m[0].anchor].i, order[m[0].id]))
    memory = doc.user_data.setdefault("kg_memory", Memory())
    out = []
    for rule, nodes in matches:  # in text order, so what an act leaves in memory serves the sentences after it
        attempt = _attempt(rule, nodes)
        memory.remember(attempt)
        out.append(attempt)
    return out


def _attempt(rule: Rule, nodes: dict[str, Token]) -> Attempt:
    attempt = Attempt(rule, nodes)
    for check in rule.requires:
        if CHECKS[check.name](nodes[check.node]) == check.negate:
            attempt.failed = f"check {'not ' if check.negate else ''}{check.name} failed"
            return attempt
    anchor = nodes[rule.anchor]
    if rule.pairs is not None:
        bindings = PAIR_FINDERS[rule.pairs.name](nodes[rule.pairs.node])
        if not bindings:
            attempt.failed = f"pair finder {rule.pairs.name} found nothing"
            return attempt
    else:
        for role, steps in rule.roles.items():
            attempt.bound[role] = next((found for s in steps if (found := ROLE_FINDERS[s.name](nodes[s.node]))), [])
        attempt.bound["object"] = _unique([_named_unit(o) for o in attempt.bound["object"]])
        bindings = [Binding(s, o) for s in attempt.bound["subject"] for o in attempt.bound["object"]]
    ctx = context_of(anchor) if rule.modality == "decide" else Context("asserted")
    attempt.context = ctx
    attempt.found = _apply_modality(rule, anchor, ctx, bindings, attempt)
    if not attempt.found and attempt.failed is None:
        attempt.failed = f"modality {ctx.modality}" + (f" ({ctx.why.text})" if ctx.why is not None else "")
    return attempt


def _apply_modality(rule: Rule, anchor: Token, ctx: Context, bindings: list[Binding], attempt: Attempt) -> list[Found]:
    family = _family_predicates()
    if rule.predicate != family["asserted"]:  # other claims are only ever stated
        if ctx.modality != "asserted":
            return []
        return [Found(rule, rule.predicate, b.subject, b.object, anchor, "asserted", ctx.why, role=b.role,
                      former=b.former) for b in bindings if b.subject.kb_id_ != b.object.kb_id_
                and (rule.predicate not in family.values() or gazetteer().acts(b.subject.kb_id_))]  # a chamber delists no one
    objects = _unique([b.object for b in bindings] or attempt.bound.get("object", []))
    agents = _unique([b.subject for b in bindings] or attempt.bound.get("subject", []))
    if not objects:
        attempt.failed = "no object bound"
        return []
    if ctx.modality == "called_for":
        caller = ctx.caller
        if caller is None:
            attempt.failed = "a call with no caller"
            return []
        addressee = ctx.addressee or next((a for a in agents if a.kb_id_ != caller.kb_id_), None)
        if addressee is not None and caller.kb_id_ == addressee.kb_id_:
            return []
        return [Found(rule, family["called_for"], caller, obj, anchor, "called_for", ctx.why, addressee=addressee)
                for obj in objects]
    if ctx.modality == "pending":
        return []
    agents = agents or ([ctx.caller] if ctx.caller is not None else [])
    if not agents:
        attempt.failed = "no subject bound"
        return []
    speaker = reporting_subject(anchor)
    acting = [a for a in agents if gazetteer().acts(a.kb_id_)]
    calls = [_call_by_chamber(rule, chamber, obj, anchor, ctx) for chamber in agents if chamber not in acting
             for obj in objects if ctx.modality == "asserted" and rule.modality == "decide" and obj.kb_id_ != chamber.kb_id_]
    return calls + [Found(rule, family[ctx.modality], agent, obj, anchor, ctx.modality, ctx.why, speaker=speaker)
                    for agent in acting for obj in objects if obj.kb_id_ != agent.kb_id_]


def _call_by_chamber(rule: Rule, chamber: Arg, obj: Arg, anchor: Token, ctx: Context) -> Found:
    """"The Bundestag designated X a terrorist organisation": a parliament or chamber (authorities.toml
    `acts = false`) lists no one; what a rule whose modality is decided says it designates, bans or
    lists, it calls on its state to. What a rule presupposes of it ("the Knesset removed X from its
    list": X was listed) is nothing, nor is a chamber's denial or revocation."""
    family = _family_predicates()
    state = gazetteer().entities.get(gazetteer().entities[chamber.kb_id_].country or "") \
        if chamber.kb_id_ in gazetteer().entities else None
    addressee = Named(state.key, state.type, state.name) if state is not None else None
    return Found(rule, family["called_for"], chamber, obj, anchor, "called_for", ctx.why, addressee=addressee)


def _named_unit(obj: Arg) -> Arg:
    """The object, or the unit of it the text names right after its acronym (tokens.unit_after)."""
    return (unit_after(obj) or obj) if isinstance(obj, Span) else obj


def _unique(spans: list[Arg]) -> list[Arg]:
    out: list[Arg] = []
    for s in spans:
        if all(s.kb_id_ != o.kb_id_ for o in out):
            out.append(s)
    return out


def resolve_conflicts(found: list[Found]) -> list[Found]:
    """The conflict policy of the module docstring, over the claims of one sentence."""
    best: dict[tuple, Found] = {}
    for f in found:
        key = (f.predicate, f.subject.kb_id_, f.object.kb_id_)
        if key not in best or f.rule.confidence > best[key].rule.confidence:
            best[key] = f
    family = _family_predicates()
    called = {(k[1], k[2]) for k in best if k[0] == family["called_for"]}
    return [f for k, f in best.items() if not (k[0] == family["asserted"] and (k[1], k[2]) in called)]


@dataclass
class Extraction:
    """The claims of one article, and the entities its rules named that no list or NER knew."""

    claims: list[Claim]
    entities: dict[str, Entity]
    mentions: list[Mention]


def link(paragraphs: list[tuple[int, Doc]]) -> None:
    """Let each paragraph see the one before it, for "it" and "the group" (tokens.previous_group),
    and share one memory of the article's acts (finders.implied_authority)."""
    memory = Memory(home=home_state([doc for _, doc in paragraphs]))
    for _, doc in paragraphs:
        doc.user_data["kg_memory"] = memory
    for (_, before), (_, doc) in zip(paragraphs, paragraphs[1:]):
        doc.user_data["kg_previous"] = before


def extract(article: Article, paragraphs: list[tuple[int, Doc]]) -> Extraction:
    """Every claim of the article's parsed paragraphs (offset, doc), each once."""
    link(paragraphs)
    claims: dict[tuple, Claim] = {}  # by predicate, subject, object and place
    entities: dict[str, Entity] = {}
    mentions: list[Mention] = []
    for offset, doc in paragraphs:
        by_sentence: dict[int, list[Found]] = {}
        for attempt in attempts(doc):
            for f in attempt.found:
                by_sentence.setdefault(f.trigger.sent.start, []).append(f)
        for found in by_sentence.values():
            for f in resolve_conflicts(found):
                claim = to_claim(article, offset, f)
                if claim is not None:
                    claims.setdefault((claim.predicate, claim.subject, claim.object, claim.start), claim)
                    for arg in (f.subject, f.object, f.addressee):  # named inside a word: "U.N.-designated"
                        if isinstance(arg, Named) and arg.kb_id_ not in entities:
                            entities[arg.kb_id_] = gazetteer().entities[arg.kb_id_]
        new, named = adopted(offset, doc)
        gather(entities, new)
        mentions += named
    for paragraph in paragraphs:
        paragraph[1].user_data.pop("kg_previous", None)  # docs go to worker pipes: no chains of docs
        paragraph[1].user_data.pop("kg_memory", None)
    return Extraction(list(claims.values()), entities, mentions)


def to_claim(article: Article, offset: int, f: Found) -> Claim | None:
    if f.subject.kb_id_ == f.object.kb_id_:
        return None
    sent = f.trigger.sent
    subject = f.subject
    authority = subject if f.predicate in _family_predicates().values() and subject.label_ == "Organization" else None
    date = resolve_date(_date_words(f.trigger), article.date)
    until = resolve_date(_end_words(f.subject), article.date) if f.predicate == "LEADS" else None
    start = offset + sent.start_char
    return Claim(
        predicate=f.predicate, subject=subject.kb_id_, object=f.object.kb_id_, evidence=sent.text,
        start=start, end=start + len(sent.text), confidence=f.rule.confidence, rule=f.rule.id,
        addressee=f.addressee.kb_id_ if f.addressee is not None else None,
        speaker=f.speaker.kb_id_ if f.speaker is not None and f.speaker.kb_id_ != subject.kb_id_ else None,
        authority=authority.kb_id_ if authority is not None else None,
        role=f.role, former=f.former or until is not None, until=(until.iso or until.text) if until else None,
        date=date.iso if date else None, date_precision=date.precision if date else None,
        date_text=date.text if date else None)


def _end_words(person) -> str | None:
    """When a former leader's tenure ended: the date of "…, who was killed in January 2020"."""
    if not isinstance(person, Span):
        return None
    for tok in person:
        for child in tok.children:
            if child.dep_ in ("relcl", "acl") and lemma(child) in words("end_verbs"):
                for ent in person.sent.ents:
                    if ent.label_ == "DATE" and ent.root.i in {t.i for t in child.subtree}:
                        return ent.text
    return None


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
