"""The rules' patterns, compiled (kg/extract/matching.py), find what spaCy's DependencyMatcher finds
on the same parse — only faster, by looking at a token only for the patterns its words can start."""
import json

import pytest
from spacy.matcher import DependencyMatcher

from kg.extract.engine import _matcher
from kg.extract.explain import explain
from kg.extract.matching import RELATIONS, PatternMatcher
from kg.extract.rules import rules
from kg.extract.tokens import register_extensions
from kg.nlp import pipeline

SENTENCES = [
    "Canada designated Hamas a terrorist entity in 2002, and Australia later added it to its list.",
    "Hezbollah, which is on Canada's terror list, is led by its secretary-general Naim Qassem.",
    "The U.S.-designated group was backed by Iran, officials said on Tuesday.",
    "Farmers planted wheat near the river before the rains came.",
]


def by_root(found) -> dict:
    """Matches grouped by pattern and root token, in the order they came."""
    grouped: dict = {}
    for key, ids in found:
        grouped.setdefault((key, ids[0]), []).append(ids)
    return grouped


def both(patterns: dict[str, list[dict]]):
    nlp = pipeline()
    register_extensions()
    ours = PatternMatcher(nlp.vocab, patterns)
    theirs = DependencyMatcher(nlp.vocab)
    for name, pattern in patterns.items():
        theirs.add(name, [pattern])
    return ours, theirs


def test_the_rules_find_what_spacys_dependency_matcher_finds_on_their_examples():
    patterns = {json.dumps(r.pattern, sort_keys=True): r.pattern for r in rules()}
    ours, theirs = both(patterns)
    texts = SENTENCES + [e["text"] for r in rules() for e in r.examples + r.counter_examples]
    found = 0
    for doc in pipeline().pipe(texts):
        assert by_root(ours(doc)) == by_root(theirs(doc)), doc.text
        found += len(theirs(doc))
    assert found > len(texts)


@pytest.mark.parametrize("relation", sorted(RELATIONS))
def test_every_relation_finds_what_spacy_finds(relation):
    pattern = [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {"POS": {"IN": ["VERB", "AUX"]}}},
               {"LEFT_ID": "verb", "REL_OP": relation, "RIGHT_ID": "other",
                "RIGHT_ATTRS": {"POS": {"NOT_IN": ["PUNCT"]}, "_": {"kg_lemma": {"NOT_IN": ["the"]}}}}]
    ours, theirs = both({relation: pattern})
    for doc in pipeline().pipe(SENTENCES):
        assert by_root(ours(doc)) == by_root(theirs(doc)), doc.text


def test_a_sentence_holding_no_word_of_any_rule_yields_nothing():
    text = "Farmers planted wheat near the river before the rains came."
    doc = pipeline()(text)
    matcher, _ = _matcher(doc.vocab)
    assert matcher(doc) == []
    assert explain(text) == []


def test_a_rule_still_fires_on_its_word():
    found = explain("Canada designated Hamas a terrorist entity in 2002.")
    assert [(e.rule, e.predicate, e.subject, e.object) for e in found] == [
        ("designation.verb", "DESIGNATED_AS_TERRORIST", "Canada", "Hamas")]


def test_a_pattern_the_compiler_does_not_express_runs_on_spacys_matcher():
    ours, theirs = both({"prefix": [{"RIGHT_ID": "word", "RIGHT_ATTRS": {"LOWER": {"REGEX": "^design"}}}]})
    assert len(ours.fallback) == 1 and not ours.compiled
    doc = pipeline()(SENTENCES[0])
    assert [doc[ids[0]].text for _, ids in ours(doc)] == ["designated"]
