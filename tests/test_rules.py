"""Every rule's own examples, as tests: each example sentence gives the claims it lists, and no
counter-example gives the claim it names (kg/data/rules/*.toml)."""
import pytest

from kg.extract.explain import explain
from kg.extract.rules import RuleError, _rule, rules
from kg.resources import schema


def _claims(text: str) -> set[tuple[str, str, str]]:
    """(predicate, subject id, object id) of every claim in text; ids from the gazetteer."""
    from kg.extract.explain import _parse
    from kg.extract.engine import resolve_conflicts

    found = resolve_conflicts([f for a in _parse(text, None) for f in a.found])
    return {(f.predicate, f.subject.kb_id_, f.object.kb_id_) for f in found}


EXAMPLES = [pytest.param(r, e, id=f"{r.id}:{i}") for r in rules() for i, e in enumerate(r.examples)]
COUNTER = [pytest.param(r, e, id=f"{r.id}:not{i}") for r in rules() for i, e in enumerate(r.counter_examples)]


@pytest.mark.parametrize("rule, example", EXAMPLES)
def test_rule_example_gives_its_claims(rule, example):
    found = _claims(example["text"])
    for claim in example["claims"]:
        assert tuple(claim) in found, f"{rule.id}: {example['text']!r} gave {sorted(found)}"


@pytest.mark.parametrize("rule, example", COUNTER)
def test_rule_counter_example_does_not_give_the_claim(rule, example):
    assert tuple(example["not"]) not in _claims(example["text"])


def test_every_rule_has_an_example():
    assert all(r.examples for r in rules())


def test_a_rule_naming_an_unknown_word_class_is_refused(tmp_path):
    row = {"id": "x", "predicate": "SUPPORTS", "pattern": [{"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LEMMA": {"IN": "@no_such_class"}}}],
           "pairs": "supports_verb"}
    with pytest.raises(RuleError, match="no_such_class"):
        _rule(row, "support", tmp_path / "support.toml", {})


def test_a_rule_naming_an_unknown_finder_is_refused(tmp_path):
    row = {"id": "x", "predicate": "SUPPORTS", "pattern": [{"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LEMMA": "back"}}],
           "roles": {"subject": "agent", "object": "no_such_finder"}}
    with pytest.raises(RuleError, match="no_such_finder"):
        _rule(row, "support", tmp_path / "support.toml", {})


def test_rule_predicates_are_schema_predicates():
    assert {r.predicate for r in rules()} <= set(schema()["predicates"])


def test_explain_names_the_rule_roles_and_the_word_that_made_it_a_call():
    [claim] = explain("Israel urged Britain to proscribe the IRGC as a terrorist organisation.")
    assert (claim.predicate, claim.rule, claim.modality) == ("CALLED_FOR_DESIGNATION", "designation.verb", "called_for")
    assert claim.roles["trigger"] == "proscribe" and claim.roles["addressee"] == "Britain"
    assert claim.why == "urged"


def test_a_rules_confidence_is_its_measured_precision_smoothed_by_its_count():
    measured = [r for r in rules() if r.measured]
    assert measured, "kg/data/rules/precision.toml measures no rule"
    for r in measured:
        tp, fp = r.measured["tp"], r.measured["fp"]
        assert r.confidence == round((tp + 1) / (tp + fp + 2), 2)


def test_every_word_class_of_the_lexicon_is_named_by_a_rule_or_a_finder():
    from pathlib import Path

    from kg.extract.lexicon import lexicon

    package = Path(__file__).resolve().parent.parent / "kg"
    source = "".join(p.read_text() for p in (package / "extract").glob("*.py"))
    source += "".join(p.read_text() for p in (package / "data" / "rules").glob("*.toml"))
    assert [name for name in lexicon() if f'"{name}"' not in source and f'"@{name}"' not in source] == []
