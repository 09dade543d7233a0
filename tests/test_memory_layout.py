"""The engine keeps the graph in memory, so claims and mentions store only what they cannot reach
(schema v5 to v7): a claim's predicate, fact key, object, modality and extractor come from its fact,
its predicate and its article, its subject from its fact unless a body acted for its state, its
confidence from its rule and its id from its article, predicate, subject, object and start; a
mention stores its forms and count only when they are not the usual ones, and its merge reasons
only when its forms do not give them. What readers get is what they got when each claim and
mention carried them."""
from __future__ import annotations

from conftest import EXAMPLES
from kg.export import claim_ends
from kg.extract.rules import rules
from kg.model import claim_id
from kg.pipeline import analyse_all
from kg.read import read_articles
from kg.resources import schema

LISTING = "Canada listed the {name} as a terrorist entity in 2012.\n"


def test_a_claim_stores_neither_id_predicate_modality_fact_extractor_nor_confidence_and_the_export_gives_them(graph):
    graph.ingest([EXAMPLES])
    stored = {k for r in graph.store.read("MATCH (c:Claim) RETURN keys(c) AS keys") for k in r["keys"]}
    assert stored and not stored & {"id", "predicate", "modality", "fact", "extractor", "end", "confidence"}
    facts = {(r["article"], r["start"], r["subject"], r["object"]): r for r in graph.store.read(
        claim_ends() + "RETURN a.id AS article, c.start AS start, s.name AS subject, o.name AS object, "
                       "c.rule AS rule, f.predicate AS predicate, a.extractor AS extractor")}
    confidence = {r.id: r.confidence for r in rules()}
    exported = list(graph.claims())
    assert len(exported) == len({c["id"] for c in exported}) == len(facts) > 10
    for claim in exported:
        stored = facts[claim["article"], claim["start"], claim["subject"]["name"], claim["object"]["name"]]
        assert claim["predicate"] == stored["predicate"]
        assert claim["modality"] == schema()["predicates"][claim["predicate"]]["modality"]
        assert claim["extractor"] == stored["extractor"]
        assert claim["confidence"] == confidence[stored["rule"]]


def test_a_claims_id_is_the_one_its_analysis_gave_it(graph):
    [analysis] = analyse_all(read_articles([EXAMPLES / "2019-04-us-lists-irgc.txt"]))
    graph.write_analysed([analysis])
    assert {c["id"] for c in graph.claims()} == {
        claim_id(analysis.article.id, c.predicate, c.subject, c.object, c.start) for c in analysis.claims}


def test_a_claim_links_its_own_subject_only_when_a_body_acted_for_its_state(graph, tmp_path):
    (tmp_path / "bans.txt").write_text("The Home Office proscribed the Silver Hand Society in 2019.\n\n"
                                       "Canada listed the Quds Force as a terrorist entity in 2012.\n")
    graph.ingest([tmp_path])
    assert not graph.store.read("MATCH (:Claim)-[r:OBJECT]->() RETURN r")
    own = graph.store.read("MATCH (c:Claim)-[:SUBJECT]->(body:Entity), (c)-[:OF]->(f:Fact)-[:FACT_SUBJECT]->(state) "
                           "RETURN body.name AS body, state.name AS state")
    assert own == [{"body": "Home Office", "state": "United Kingdom"}]
    exported = {(c["subject"]["name"], c["predicate"], c["object"]["name"]) for c in graph.claims()}
    assert exported == {("Home Office", "DESIGNATED_AS_TERRORIST", "Silver Hand Society"),
                        ("Canada", "DESIGNATED_AS_TERRORIST", "Quds Force")}


def test_a_mention_of_an_entity_by_its_name_once_stores_nothing(graph, tmp_path):
    (tmp_path / "listing.txt").write_text(LISTING.format(name="Quds Force"))
    graph.ingest([tmp_path])
    assert graph.store.read("MATCH (:Article)-[m:MENTIONS]->(e:Entity {key: 'quds-force'}) "
                            "RETURN keys(m) AS keys") == [{"keys": []}]
    [row] = graph.query("mentions", entity="Quds Force")
    assert (row["forms"], row["count"]) == (["Quds Force"], 1)


def test_a_mention_keeps_a_reason_its_forms_do_not_give(graph, tmp_path):
    (tmp_path / "talk.txt").write_text("Erika Vossberg, a minister, spoke on Monday. Later Vossberg left.\n")
    graph.ingest([tmp_path])
    [row] = graph.store.read("MATCH (:Article)-[m:MENTIONS]->(e:Entity {name: 'Erika Vossberg'}) "
                             "RETURN m.forms AS forms, m.reasons AS reasons")
    assert row["forms"] == ["Erika Vossberg", "Vossberg"]
    assert "'Vossberg' is part of the name 'Erika Vossberg' used in the same article" in row["reasons"]


def test_an_entitys_aliases_and_reasons_come_back_from_the_mentions_that_remain(graph, tmp_path):
    (tmp_path / "first.txt").write_text(LISTING.format(name="Quds Force"))
    (tmp_path / "second.txt").write_text(LISTING.format(name="Qods Force"))
    graph.ingest([tmp_path / "first.txt"])
    graph.ingest([tmp_path / "second.txt"])

    def entity() -> dict:
        [row] = graph.store.read("MATCH (e:Entity {key: 'quds-force'}) "
                                 "RETURN e.aliases AS aliases, e.merge_reasons AS reasons")
        return row

    assert entity() == {"aliases": ["Qods Force", "Quds Force"],
                        "reasons": ["gazetteer alias 'Qods Force'", "gazetteer alias 'Quds Force'"]}
    # the second article's spelling is stored on its mention, the first's is the entity's name
    assert graph.store.read("MATCH (a:Article)-[m:MENTIONS]->(:Entity {key: 'quds-force'}) "
                            "RETURN a.id AS article, m.forms AS forms ORDER BY article") == [
        {"article": "first", "forms": None}, {"article": "second", "forms": ["Qods Force"]}]
    graph.remove(["first"])
    assert entity() == {"aliases": ["Qods Force"], "reasons": ["gazetteer alias 'Qods Force'"]}
    graph.ingest([tmp_path / "first.txt"])
    graph.remove(["second"])
    assert entity() == {"aliases": ["Quds Force"], "reasons": ["gazetteer alias 'Quds Force'"]}


def test_a_claim_that_lost_its_fact_is_incomplete_and_repair_removes_it(graph):
    graph.ingest([EXAMPLES])
    first = "MATCH (a:Article)-[:STATES]->(c:Claim) WITH a, c ORDER BY a.id, c.start LIMIT 1 "
    [lost] = graph.store.read(first + "RETURN a.id AS article, c.start AS start")
    graph.store.write([(first + "MATCH (c)-[r:OF]->() DELETE r", {})])
    assert graph.doctor().incomplete_claims == [f"{lost['article']} at {lost['start']}"]  # its predicate is its fact's
    before = graph.store.read("MATCH (c:Claim) RETURN count(c) AS n")[0]["n"]
    graph.repair()
    assert graph.doctor().incomplete_claims == []
    assert graph.store.read("MATCH (c:Claim) RETURN count(c) AS n")[0]["n"] == before - 1


def test_a_claim_stores_former_only_when_true_and_its_end_is_where_its_evidence_ends(graph, tmp_path):
    (tmp_path / "leaders.txt").write_text("Tarik Velden, the former commander of the Harbour Front, spoke. "
                                          "Mira Holm leads the Harbour Front.\n")
    graph.ingest([tmp_path])
    stored = {r["former"] for r in graph.store.read("MATCH (c:Claim) RETURN c.former AS former")}
    assert stored == {True, None}
    text = graph.article_text("leaders")
    claims = list(graph.claims())
    assert {c["former"] for c in claims} == {True, False}
    assert all(text[c["start"]:c["end"]] == c["evidence"] for c in claims)
