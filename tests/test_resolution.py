"""Entity resolution: spellings of one name meet, different names stay apart, across articles;
judgements overrule spellings; acronyms, authorities, lists and page furniture."""
from __future__ import annotations

import pytest

from conftest import FIXTURES
from kg.api import KnowledgeGraph
from kg.gazetteer import gazetteer
from kg.names import same

NAMES = FIXTURES / "names"


@pytest.mark.parametrize("a, b", [
    ("Qasem Soleimani", "Qassem Suleimani"), ("Esmail Qaani", "Ismail Ghaani"), ("Quds Force", "Qods Force"),
    ("Hezbollah", "Hizbullah"), ("Mohammad Bagheri", "Mohammad Baqeri"), ("Houthi", "Houthis"),
])
def test_transliterations_of_one_name_are_the_same(a, b):
    assert same(a, b, plural=True)


@pytest.mark.parametrize("a, b", [
    ("Hassan Nasrallah", "Hussein Nasrallah"), ("Ali Hassan", "Ali Hussein"), ("Said", "Saeed"), ("Amal", "Emil"),
    ("PKK", "YPG"), ("Jamal Khan", "Kamal Khan"),
])
def test_different_names_of_like_sound_are_not(a, b):
    assert same(a, b, plural=True) is None


def people(graph: KnowledgeGraph, surname: str) -> dict[str, list[str]]:
    rows = graph.store.read("MATCH (e:Person) WHERE e.name ENDS WITH $s RETURN e.name AS name, e.aliases AS aliases, "
                            "e.merge_reasons AS reasons", {"s": surname})
    return {r["name"]: sorted(r["aliases"]) for r in rows}


@pytest.fixture
def home_graph(store, tmp_path) -> KnowledgeGraph:
    return KnowledgeGraph(store, home=tmp_path)


def test_a_spelling_in_another_article_is_the_same_person(home_graph):
    home_graph.ingest([NAMES / "spellings"])
    assert people(home_graph, "Rahimi") == {"Qassem Rahimi": ["Qasem Rahimi", "Qassem Rahimi"]}


def test_different_given_names_stay_two_people_across_articles(home_graph):
    home_graph.ingest([NAMES / "spellings"])
    assert set(people(home_graph, "Tabrizi")) == {"Hassan Tabrizi", "Hussein Tabrizi"}


def test_a_judgement_overrules_the_spelling_and_resolves_again(home_graph, tmp_path):
    home_graph.ingest([NAMES / "spellings"])
    report = home_graph.judge("DIFFERENT", "Qassem Rahimi", "Qasem Rahimi")
    assert report.written == 2
    assert set(people(home_graph, "Rahimi")) == {"Qassem Rahimi", "Qasem Rahimi"}
    home_graph.judge("same", "Hassan Tabrizi", "Hussein Tabrizi")
    assert len(people(home_graph, "Tabrizi")) == 1
    assert "judgement" in (tmp_path / "judgements.toml").read_text()


def test_a_merge_keeps_its_reason(home_graph):
    home_graph.ingest([NAMES / "spellings"])
    reasons = home_graph.store.read("MATCH (e:Person {name: 'Qassem Rahimi'}) RETURN e.merge_reasons AS r")[0]["r"]
    assert any("spellings of one name" in r for r in reasons)


def test_an_acronym_in_brackets_names_the_group_in_the_whole_article(home_graph):
    home_graph.ingest([NAMES / "acronym"])
    rows = home_graph.store.read("MATCH (a:Article)-[m:MENTIONS]->(e:Entity) WHERE 'shs' IN e.lookup "
                                 "RETURN e.name AS name, m.count AS count")
    assert rows == [{"name": "Silver Hand Society", "count": 3}]


def test_a_state_with_a_generic_body_is_that_states_body(home_graph):
    home_graph.ingest([NAMES / "acronym"])
    rows = home_graph.store.read("MATCH (b:Entity)-[:AGENCY_OF]->(s:Country) RETURN b.name AS body, s.name AS state")
    assert {"body": "Justice Ministry of Norway", "state": "Norway"} in rows


def test_page_furniture_gives_no_entities(home_graph):
    home_graph.ingest([NAMES / "furniture"])
    names = {r["name"] for r in home_graph.store.read("MATCH (e:Entity) RETURN e.name AS name")}
    assert "Karim Vossler" in names
    assert not names & {"Grim Harvest", "Loser", "Brevik", "Adblock Detected", "Adblock"}


def test_a_listed_groups_lists_show_in_its_profile(home_graph):
    home_graph.ingest([FIXTURES / "queries-corpus"])
    profile = home_graph.query("group-profile", group="IRGC")[0]
    assert "US Foreign Terrorist Organizations (since 2019-04-15)" in profile["lists"]
    assert not home_graph.store.read("MATCH (a:Article)-[:STATES]->(c:Claim)-[:OF]->(:Fact)-[:FACT_OBJECT]->(:Entity {key: 'irgc'}) "
                                     "WHERE a.extractor STARTS WITH 'list' RETURN c")


@pytest.mark.parametrize("title, country, body", [
    ("home secretary", None, "uk-home-office"),
    ("Secretary of State", "united-states", "us-state-department"),
    ("foreign minister", "iran", "iran-foreign-ministry"),
    ("interior minister", "germany", "germany-interior-ministry"),
    ("prime minister", "israel", "israel"),
    ("President", "iran", "iran"),
    ("public safety minister", "canada", "canada-public-safety"),
    ("harbour master", "norway", None),
])
def test_an_officeholder_speaks_for_their_body_or_state(title, country, body):
    assert gazetteer().officeholder(title, country) == body


def test_every_state_has_a_government_with_its_capital_and_demonym():
    gaz = gazetteer()
    assert sum(1 for e in gaz.entities.values() if e.type == "Country") >= 195
    assert gaz.lookup("Tehran").key == "iran" and gaz.actor("Pakistani").key == "pakistan"
    assert gaz.entities["ofac"].country == "united-states" and gaz.parents["ofac"] == "us-treasury"


def test_a_title_names_a_lone_surname_and_a_group_may_be_a_family_name(home_graph):
    home_graph.ingest([NAMES / "people"])
    names = {r["name"]: r["type"] for r in home_graph.store.read("MATCH (e:Entity) RETURN e.name AS name, e.type AS type")}
    assert names.get("General Varrick") == "Person"
    assert names.get("Abdul Karim al-Houthi") == "Person"
    assert names.get("Houthis") == "Organization"


def test_also_known_as_gives_a_name_to_the_same_person(home_graph):
    home_graph.ingest([NAMES / "people"])
    rows = home_graph.store.read("MATCH (e:Person) WHERE 'abu sarim' IN e.lookup RETURN e.name AS name, e.aliases AS aliases")
    assert rows == [{"name": "Ilyas Mardan", "aliases": ["Abu Sarim", "Ilyas Mardan"]}]


def test_a_groups_name_without_its_generic_last_word_is_the_group(home_graph):
    home_graph.ingest([NAMES / "people"])
    names = {r["name"]: r["aliases"] for r in home_graph.store.read(
        "MATCH (e:Organization) RETURN e.name AS name, e.aliases AS aliases")}
    assert "Kelvar Liberation" in names["Kelvar Liberation Front"]
    assert "Front" not in names and "Kelvar Liberation" not in names


def test_a_parliament_calls_but_does_not_act():
    gaz = gazetteer()
    assert not gaz.acts("uk-parliament") and not gaz.acts(gaz.body("norway", "parliament").key)
    assert gaz.acts("uk-home-office")


def test_a_claim_rule_can_turn_a_chunk_into_an_entity():
    from kg.resolve import entity_for

    entity, reason = entity_for("the Silver Hand Society's", "Organization")
    assert (entity.name, entity.type) == ("Silver Hand Society", "Organization") and "no list" in reason
    assert entity_for("Hizbullah", "Organization")[0].key == "hezbollah"


def test_kg_judge_records_the_judgement(store, engine_home):
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["--home", str(engine_home), "judge", "DIFFERENT", "Korvin Dale", "Corvin Dale"])
    assert result.exit_code == 0, result.output
    assert "different recorded" in result.output
    assert '"Korvin Dale", "Corvin Dale"' in (engine_home / "judgements.toml").read_text()


def test_a_broken_judgements_file_is_named_and_nothing_is_written(store, tmp_path):
    from kg.names import JudgementError, use_judgements

    (tmp_path / "judgements.toml").write_text('[[judgement]]\nverdict = "maybe"\nnames = ["A", "B"]\n')
    graph = KnowledgeGraph(store, home=tmp_path)
    try:
        with pytest.raises(JudgementError, match="judgements.toml: judgement 1 needs verdict"):
            graph.ingest([NAMES / "spellings"])
    finally:
        use_judgements(None)
    assert store.read("MATCH (a:Article) RETURN count(a) AS n") == [{"n": 0}]


def test_a_demonym_or_of_with_a_generic_body_is_that_states_body(home_graph):
    home_graph.ingest([NAMES / "bodies"])
    rows = home_graph.store.read("MATCH (b:Entity)-[:AGENCY_OF]->(s:Country) RETURN b.name AS body, s.name AS state "
                                 "ORDER BY body")
    assert rows == [{"body": "Interior Ministry of Kuwait", "state": "Kuwait"},
                    {"body": "Saudi Interior Ministry", "state": "Saudi Arabia"}]


def test_an_acronym_an_article_defines_names_the_group_in_a_later_article(home_graph):
    home_graph.ingest([NAMES / "acronym-across"])
    rows = home_graph.store.read("MATCH (a:Article)-[:MENTIONS]->(e:Entity) WHERE 'cdv' IN e.lookup "
                                 "RETURN e.name AS name, count(a) AS articles")
    assert rows == [{"name": "Coastal Defence Volunteers", "articles": 2}]


def test_a_known_persons_surname_with_another_given_name_is_another_person(home_graph):
    home_graph.ingest([NAMES / "namesakes"])
    bakers = home_graph.store.read("MATCH (a:Article)-[:MENTIONS]->(e:Person) WHERE 'hussein nasrallah' IN e.lookup "
                                   "RETURN e.key AS key, e.aliases AS aliases, count(a) AS articles")
    assert bakers == [{"key": "person:hussein-nasrallah", "aliases": ["Hussein Nasrallah", "Nasrallah"], "articles": 2}]
    assert not home_graph.store.read("MATCH (e:Entity {key: 'hassan-nasrallah'}) RETURN e")
    leaders = home_graph.store.read("MATCH (:Claim)-[:OF]->(f:Fact {predicate: 'LEADS'}), (f)-[:FACT_SUBJECT]->(s), "
                                    "(f)-[:FACT_OBJECT]->(o) RETURN s.name AS leader, o.name AS club")
    assert leaders == [{"leader": "Mojtaba Khamenei", "club": "Saffron Kite Club"}]


def test_a_title_or_another_spelling_still_names_the_known_person(home_graph):
    home_graph.ingest([NAMES / "namesakes" / "sidon-again.txt"])
    named = {r["key"]: sorted(r["aliases"]) for r in home_graph.store.read(
        "MATCH (:Article)-[:MENTIONS]->(e:Person) RETURN e.key AS key, e.aliases AS aliases")}
    assert named["ali-khamenei"] == ["Ayatollah Khamenei"]
    assert {"Qassem Suleimani", "Soleimani"} <= set(named["qasem-soleimani"])


def test_a_judgement_parts_a_namesake_from_the_known_person(home_graph):
    home_graph.ingest([NAMES / "namesakes"])
    grocer = "MATCH (e:Person) WHERE 'qasim suleimani' IN e.lookup RETURN e.key AS key"
    assert home_graph.store.read(grocer) == [{"key": "qasem-soleimani"}]  # the spelling says one person
    report = home_graph.judge("DIFFERENT", "Qasim Suleimani", "Qasem Soleimani")
    assert report.written == 1
    assert home_graph.store.read(grocer) == [{"key": "person:qasim-suleimani"}]


def test_also_known_as_the_x_or_aka_the_x_is_another_name_of_the_group(home_graph):
    home_graph.ingest([NAMES / "aka"])
    groups = {r["name"]: sorted(r["aliases"]) for r in home_graph.store.read(
        "MATCH (e:Organization) RETURN e.name AS name, e.aliases AS aliases")}
    assert groups["Amber Gate Network"] == ["Amber Gate Network", "BOTL", "Brotherhood of the Lantern"]
    assert groups["Grey Heron Guild"] == ["Grey Heron Guild", "Heron Brothers"]
    assert not [name for name in groups if "(" in name or ")" in name]


def test_an_aka_in_a_later_article_keeps_the_group_one_node(home_graph):
    home_graph.ingest([NAMES / "aka-across"])
    rows = home_graph.store.read("MATCH (e:Entity) WHERE 'northwind gate network' IN e.lookup "
                                 "RETURN e.name AS name, e.aliases AS aliases")
    assert rows == [{"name": "Northwind Gate Network", "aliases": ["Lantern Brotherhood", "NGN", "Northwind Gate Network"]}]
    designated = home_graph.store.read("MATCH (:Claim)-[:OF]->(f:Fact {predicate: 'DESIGNATED_AS_TERRORIST'}), "
                                       "(f)-[:FACT_OBJECT]->(g) RETURN g.name AS group")
    assert designated == [{"group": "Northwind Gate Network"}]


def test_a_state_or_demonym_inside_a_groups_name_does_not_cut_it(home_graph):
    home_graph.ingest([NAMES / "state-in-name"])
    names = {r["name"]: sorted(r["aliases"]) for r in home_graph.store.read(
        "MATCH (e:Organization) RETURN e.name AS name, e.aliases AS aliases")}
    assert "Southern Liberation Front of Chile" in names and "Southern Liberation Front" not in names
    assert names["Russian Coastal Ferries"] == ["RCF", "Russian Coastal Ferries"]  # the acronym tells where the name starts
    banned = home_graph.store.read("MATCH (c:Claim)-[:SUBJECT]->(b), (c)-[:OF]->(:Fact)-[:FACT_OBJECT]->(g), "
                                   "(b)-[:AGENCY_OF]->(s) RETURN b.name AS body, s.name AS state, g.name AS group")
    assert banned == [{"body": "Interior Ministry of Chile", "state": "Chile", "group": "Southern Liberation Front of Chile"}]
