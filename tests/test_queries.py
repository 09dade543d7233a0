"""The canned query library answering real questions over a small corpus of its own
(tests/fixtures/queries-corpus), on each engine.

Everything comes from ingesting the corpus. Assertions name rows the extractor reliably produces
and check them exactly, without failing when a better extractor finds more."""
from __future__ import annotations

import pytest

from conftest import FIXTURES
from kg.api import KnowledgeGraph
from kg.errors import NotFound
from kg.queries import QueryError, get, library

CORPUS = FIXTURES / "queries-corpus"
@pytest.fixture
def corpus(graph: KnowledgeGraph) -> KnowledgeGraph:
    report = graph.ingest([CORPUS])
    assert report.written == 7 and not report.problems
    return graph


def by(rows: list[dict], *columns: str) -> dict[tuple, dict]:
    return {tuple(r[c] for c in columns): r for r in rows}


def test_every_canned_query_answers_over_the_corpus(corpus):
    q = corpus.query
    expected = {"backing-network", "calls-for-designation", "claim-sources", "claims-in-article", "contradictions",
                "corroborated-claims", "designation-matrix", "designations-by-country", "find-entity",
                "group-profile", "hierarchy", "leaders", "mentions", "timeline"}
    assert set(library()) == expected  # a new query file needs its answers checked here

    rows = by(q("designations-by-country"), "country", "group")
    assert rows["United States", "Islamic Revolutionary Guard Corps"]["sources"] == [
        "2019-04-guards-listed-second-outlet", "2019-04-washington-lists-guards"]
    assert rows["United States", "Islamic Revolutionary Guard Corps"]["outlets"] == 2
    assert rows["Canada", "Quds Force"]["sources"] == ["2012-12-canada-lists-quds"]
    assert ("United Kingdom", "Islamic Revolutionary Guard Corps") not in rows  # a call and a denial, not a listing
    assert {r["group"] for r in q("designations-by-country", country="usa", group="revolutionary guards")} == {
        "Islamic Revolutionary Guard Corps"}

    matrix = by(q("designation-matrix"), "group")
    assert matrix["Islamic Revolutionary Guard Corps",]["countries"] == ["United States"]
    assert matrix["Houthis",]["countries"] == ["United States"]
    assert matrix["Quds Force",]["countries"] == ["Canada"]

    calls = q("calls-for-designation", addressee="UK")
    assert [(r["caller"], r["addressees"], r["group"], r["sources"]) for r in calls if r["caller"] == "Israel"] == [
        ("Israel", ["United Kingdom"], "Islamic Revolutionary Guard Corps", ["desk-notes"])]
    assert q("calls-for-designation", group="Houthis") == []

    profile = q("group-profile", group="revolutionary guards")
    assert len(profile) == 1
    irgc = profile[0]
    assert irgc["group"] == "Islamic Revolutionary Guard Corps" and "IRGC" in irgc["aliases"]
    assert irgc["units"] == ["Quds Force"] and irgc["designated_by"] == ["United States"]
    assert "Israel urged United Kingdom" in irgc["calls"]
    assert {"2019-04-washington-lists-guards", "desk-notes"} <= set(irgc["sources"])
    drawn = {(n.get("name") or n.get("predicate"), tuple(n["_labels"])) for n in irgc["graph"]}
    assert ("Islamic Revolutionary Guard Corps", ("Entity", "Organization")) in drawn  # for the Browser
    assert ("PART_OF", ("Fact",)) in drawn and ("Quds Force", ("Entity", "Organization")) in drawn
    quds = q("group-profile", group="QODS FORCE")[0]
    assert quds["parents"] == ["Islamic Revolutionary Guard Corps"]
    assert "Qasem Soleimani (commander)" in quds["leaders"] and "Hamas" not in quds["backers"]
    assert "Iran" in q("group-profile", group="hamas")[0]["backers"]

    leaders = by(q("leaders"), "person", "organization")
    assert leaders["Qasem Soleimani", "Quds Force"]["role"] == "commander"
    assert leaders["Ismail Haniyeh", "Hamas"]["sources"] == ["2022-03-haniyeh-visit"]
    assert [r["organization"] for r in q("leaders", person="Suleimani")] == ["Quds Force"]

    tree = q("hierarchy", group="IRGC")
    assert [(r["unit"], r["parent"], r["depth"]) for r in tree] == [
        ("Quds Force", "Islamic Revolutionary Guard Corps", 1), ("Ramazan Corps", "Quds Force", 2)]
    assert [r["unit"] for r in q("hierarchy", group="Quds Force")] == ["Ramazan Corps"]

    near = by(q("backing-network", entity="Iran", depth=1), "backer", "backed")
    assert {("Iran", "Hamas"), ("Iran", "Hezbollah")} <= set(near) and all(r["hop"] == 1 for r in near.values())
    assert ("Quds Force", "Hamas") not in near
    wider = by(q("backing-network", entity="Iran", depth=2), "backer", "backed")
    assert wider["Quds Force", "Hamas"]["hop"] == 2  # reached through Hamas, which Iran backs
    assert wider["Iran", "Hezbollah"]["sources"] == [
        "2019-04-guards-listed-second-outlet", "2019-04-washington-lists-guards"]

    in_article = q("claims-in-article", article="desk-notes")
    assert [(r["predicate"], r["subject"], r["object"], r["addressee"]) for r in in_article] == [
        ("CALLED_FOR_DESIGNATION", "Israel", "Islamic Revolutionary Guard Corps", "United Kingdom"),
        ("DENIED_DESIGNATION", "United Kingdom", "Islamic Revolutionary Guard Corps", None),
        ("REVOKED_DESIGNATION", "United States", "Houthis", None),
        ("PART_OF", "Ramazan Corps", "Quds Force", None)]
    assert q("claims-in-article", article="no-such-article") == []

    sources = q("claim-sources", subject="U.S.", predicate="designated_as_terrorist", object="Pasdaran")
    assert sorted((r["article"], r["outlet"]) for r in sources) == [
        ("2019-04-guards-listed-second-outlet", "Lakeside Tribune"),
        ("2019-04-washington-lists-guards", "Northfield Courier")]
    assert all("designated the Islamic Revolutionary Guard Corps" in r["evidence"] for r in sources)

    corroborated = by(q("corroborated-claims"), "subject", "predicate", "object")
    assert corroborated["United States", "DESIGNATED_AS_TERRORIST", "Islamic Revolutionary Guard Corps"][
        "outlets"] == ["Lakeside Tribune", "Northfield Courier"]
    assert ("Iran", "SUPPORTS", "Hezbollah") in corroborated
    assert ("Canada", "DESIGNATED_AS_TERRORIST", "Quds Force") not in corroborated  # one outlet only
    assert q("corroborated-claims", min_outlets=3) == []

    contradictions = by(q("contradictions"), "authority", "group", "contrary")
    houthis = contradictions["United States", "Houthis", "REVOKED_DESIGNATION"]
    assert houthis["designation_sources"] == ["2021-02-houthi-listing-reversed"]
    assert "desk-notes" in houthis["contrary_sources"]
    assert not any(group == "Islamic Revolutionary Guard Corps" for _, group, _ in contradictions)

    timeline = q("timeline", entity="Houthis")
    assert [r["date"] for r in timeline] == sorted(r["date"] for r in timeline)
    revoked = next(r for r in timeline if r["predicate"] == "REVOKED_DESIGNATION")
    assert (revoked["date"], revoked["dated_by"], revoked["sources"]) == ("2021-02", "claim", ["2021-02-houthi-listing-reversed", "desk-notes"])
    backs_hamas = next(r for r in q("timeline", entity="Iran") if r["object"] == "Hamas")
    assert (backs_hamas["date"], backs_hamas["dated_by"]) == ("2022-03-03", "article")  # no date in the sentence

    found = q("find-entity", text="guard")
    assert found[0]["name"] == "Islamic Revolutionary Guard Corps"
    assert "Quds Force" in {r["name"] for r in found}  # known as "Revolutionary Guards Quds Force"
    assert q("find-entity", text="hamas")[0]["name"] == "Hamas"
    assert any("gazetteer alias" in why for why in found[0]["why_merged"])

    mentions = q("mentions", entity="quds force")
    assert [r["article"] for r in mentions] == [
        "2022-03-haniyeh-visit", "desk-notes", "2019-04-washington-lists-guards", "2012-12-canada-lists-quds"]
    assert mentions[-1]["count"] >= 2
    quds = next(r for r in q("find-entity", text="quds") if r["name"] == "Quds Force")
    assert quds["articles"] == len(mentions)  # a count the writer keeps, not one taken per query
    assert [r["article"] for r in q("mentions", entity="quds force", limit=1)] == ["2022-03-haniyeh-visit"]


def test_the_designation_matrix_follows_designations_as_articles_come_and_go(corpus):
    def quds() -> dict:
        return by(corpus.query("designation-matrix"), "group")["Quds Force",]

    assert (quds()["countries"], quds()["designated_by"], quds()["statements"]) == (["Canada"], 1, 1)
    corpus.ingest([FIXTURES / "designation-matrix"])
    assert (quds()["countries"], quds()["designated_by"], quds()["statements"]) == (["Canada", "United States"], 2, 2)
    corpus.remove(["2012-12-canada-lists-quds"])
    assert (quds()["countries"], quds()["designated_by"], quds()["statements"]) == (["United States"], 1, 1)


def test_leaders_up_to_a_limit_are_the_head_of_the_whole_list_as_articles_come_and_go(corpus):
    def heads_match() -> None:
        everyone = corpus.query("leaders")
        facts = corpus.store.read("MATCH (f:Fact {predicate: 'LEADS'}) RETURN count(f) AS n")[0]["n"]
        assert len(everyone) == facts > 0 and all(corpus.query("leaders", limit=n) == everyone[:n] for n in range(1, len(everyone) + 1))

    heads_match()
    first = corpus.query("leaders", limit=1)[0]["sources"][0]
    corpus.remove([first])
    heads_match()


def test_an_undated_fact_in_the_timeline_keeps_the_words_that_dated_it(graph):
    graph.ingest([FIXTURES / "answers" / "timeline"])  # "In March, Britain banned Hezbollah …", no article date
    (ban,) = graph.query("timeline", entity="Hezbollah")
    assert (ban["date"], ban["dated_by"], ban["date_text"]) == (None, "undated", "March")


def test_claim_sources_of_a_country_include_what_its_bodies_did(graph):
    graph.ingest([FIXTURES / "rdf"])  # "The Home Office proscribed Hamas …"
    rows = graph.query("claim-sources", subject="UK", predicate="designated_as_terrorist", object="hamas")
    assert [(r["subject"], r["article"]) for r in rows] == [("Home Office", "home-office-lists-hamas")]
    assert [r["subject"] for r in graph.query("claim-sources", subject="home office")] == ["Home Office"]


def test_missing_required_parameter_names_it_and_its_type_the_callers_way():
    with pytest.raises(QueryError, match=r"needs group=<entity>"):
        get("group-profile").bind({})
    with pytest.raises(QueryError, match=r"needs -p group <entity>"):
        get("group-profile").bind({}, cli=True)


def test_unknown_parameter_lists_the_ones_the_query_takes():
    with pytest.raises(QueryError, match=r"has no parameter colour; it takes: entity, depth"):
        get("backing-network").bind({"entity": "Iran", "colour": "red"})


def test_ill_typed_int_is_refused_and_good_strings_are_converted():
    query = get("backing-network")
    with pytest.raises(QueryError, match=r"depth of 'backing-network' must be int, not 'two'"):
        query.bind({"entity": "Iran", "depth": "two"})
    with pytest.raises(QueryError, match=r"must be int, not True"):
        query.bind({"entity": "Iran", "depth": True})
    assert query.bind({"entity": "Iran", "depth": "3"}) == {"entity": "Iran", "depth": 3, "limit": 100}
    assert get("corroborated-claims").bind({}) == {"min_outlets": 2, "limit": 100}


def test_unknown_query_name_suggests_the_closest():
    with pytest.raises(NotFound, match=r"did you mean group-profile"):
        get("group-profiles")
