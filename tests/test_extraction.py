"""Claim extraction on articles written for these tests, with hard negatives: a call, a vote or a
refusal is never a designation, and names that share words stay apart."""
import pytest

from kg.dates import resolve_date
from kg.pipeline import analyse
from kg.read import read_article

from conftest import FIXTURES

ARTICLES = FIXTURES / "extraction"


def claims_of(name: str) -> set[tuple]:
    result = analyse(read_article(ARTICLES / f"{name}.txt"))
    return {(c.predicate, c.subject, c.object) for c in result.claims}


def analysis(name: str):
    return analyse(read_article(ARTICLES / f"{name}.txt"))


def test_a_listing_is_a_designation_with_its_date():
    result = analysis("canada-lists-guards")
    listing = next(c for c in result.claims if c.predicate == "DESIGNATED_AS_TERRORIST")
    assert (listing.subject, listing.object) == ("canada", "irgc")
    assert listing.date == "2024-06-19" and listing.date_precision == "day"
    assert "Canada listed" in listing.evidence
    assert result.article.text[listing.start:listing.end] == listing.evidence


def test_has_not_listed_is_a_denial_never_a_designation():
    found = claims_of("canada-lists-guards")
    assert ("DENIED_DESIGNATION", "australia", "irgc") in found
    assert ("DESIGNATED_AS_TERRORIST", "australia", "irgc") not in found


def test_a_call_names_who_urges_and_the_authority_urged():
    result = analysis("calls-are-not-designations")
    call = next(c for c in result.claims if c.predicate == "CALLED_FOR_DESIGNATION")
    assert (call.subject, call.object, call.addressee) == ("european-parliament", "irgc", "european-union")
    designations = {(c.subject, c.object) for c in result.claims if c.predicate == "DESIGNATED_AS_TERRORIST"}
    assert designations == {("united-states", "kataib-hezbollah")}


def test_a_refusal_by_the_authority_is_recorded_as_denied():
    assert ("DENIED_DESIGNATION", "european-union", "irgc") in claims_of("calls-are-not-designations")


def test_boilerplate_after_latest_news_is_never_a_source_of_claims():
    result = analysis("canada-lists-guards")
    assert all(c.start < result.article.body_end for c in result.claims)
    assert not any(c.subject == "germany" for c in result.claims)


def test_leadership_from_an_apposition_with_its_role():
    result = analysis("canada-lists-guards")
    lead = next(c for c in result.claims if c.predicate == "LEADS")
    assert lead.object == "irgc" and lead.role == "commander"


def test_transliterations_meet_in_one_entity():
    result = analysis("transliterations")
    qaani = result.entities["esmail-qaani"]
    assert {"Ismail Ghaani", "Ghaani"} <= qaani.aliases
    assert ("LEADS", "esmail-qaani", "quds-force") in {(c.predicate, c.subject, c.object) for c in result.claims}
    assert any("Qods Force" in reason or "gazetteer" in reason for reason in result.entities["quds-force"].reasons)


def test_names_that_share_words_stay_apart():
    result = analysis("transliterations")
    keys = set(result.entities)
    assert {"ismail-haniyeh", "esmail-qaani", "hezbollah", "kataib-hezbollah", "israel-katz"} <= keys
    assert "Israel Katz" not in result.entities.get("israel", result.entities["israel-katz"]).aliases - {"Israel Katz"}
    assert ("LEADS", "ismail-haniyeh", "hamas") in {(c.predicate, c.subject, c.object) for c in result.claims}


def test_iran_backed_is_support():
    assert ("SUPPORTS", "iran", "houthis") in claims_of("transliterations")


@pytest.mark.parametrize("text, article_date, expected", [
    ("In April", "2019-06-10", ("2019-04", "month")),
    ("January last year", "2021-05-17", ("2020-01", "month")),
    ("earlier this year", "2019-11-20", ("2019", "year")),
    ("January 3, 2020", None, ("2020-01-03", "day")),
    ("In April", None, (None, None)),
])
def test_relative_dates_resolve_against_the_article_date(text, article_date, expected):
    found = resolve_date(text, article_date)
    assert (found.iso, found.precision) == expected and found.text == text


def test_two_spellings_in_two_articles_are_one_node_with_both_aliases(graph):
    graph.ingest([FIXTURES / "resolution"])
    rows = graph.store.read("MATCH (e:Person) WHERE e.name STARTS WITH 'Mohammad' "
                            "RETURN e.name AS name, e.aliases AS aliases, e.merge_reasons AS reasons")
    assert len(rows) == 1
    assert {"Mohammad Bagheri", "Mohammad Baqeri"} <= set(rows[0]["aliases"])
    articles = graph.store.read("MATCH (a:Article)-[:MENTIONS]->(e:Person) WHERE e.name STARTS WITH 'Mohammad' "
                                "RETURN count(DISTINCT a) AS n")
    assert articles == [{"n": 2}]


def test_a_revoked_designation_is_recorded_as_revoked():
    found = claims_of("houthis-listing-reversed")
    assert ("REVOKED_DESIGNATION", "us-state-department", "houthis") in found


def test_a_revocation_is_never_read_as_a_new_designation():
    """"revoked the designation" names a designation but makes none: the Houthis' designations are
    the outgoing administration's act and the listing a removal presupposes ("removed the Houthis
    from its terrorism list": they were on it)."""
    result = analysis("houthis-listing-reversed")
    rules = {c.rule for c in result.claims if c.predicate == "DESIGNATED_AS_TERRORIST" and c.object == "houthis"}
    assert rules == {"designation.verb", "designation.removed_from_list"}


def test_the_object_of_a_relative_clause_is_the_designated_group():
    assert ("DESIGNATED_AS_TERRORIST", "european-union", "hamas") in claims_of("houthis-listing-reversed")


def test_backed_by_is_support_from_the_agent():
    assert ("SUPPORTS", "iran", "houthis") in claims_of("houthis-listing-reversed")


def test_possessive_title_in_apposition_is_leadership():
    result = analysis("houthis-listing-reversed")
    lead = next(c for c in result.claims if c.predicate == "LEADS" and c.subject == "hassan-nasrallah")
    assert lead.object == "hezbollah" and lead.role == "secretary-general"


def test_a_former_leader_gets_the_end_of_his_tenure():
    result = analysis("houthis-listing-reversed")
    lead = next(c for c in result.claims if c.predicate == "LEADS" and c.subject == "qasem-soleimani")
    assert lead.object == "quds-force" and lead.former and lead.until == "2020-01"
    assert lead.date is None  # the strike's date is not the date of the leadership


def test_according_to_names_the_speaker_not_the_outlet():
    result = analysis("houthis-listing-reversed")
    claim = next(c for c in result.claims if c.object == "quds-force" and c.predicate == "DESIGNATED_AS_TERRORIST")
    assert result.entities[claim.speaker].name == "Dana Whitfield"
    assert claim.date == "2007"


def test_an_authority_s_designation_of_a_group_is_a_designation():
    found = analysis("guards-and-proxies")
    claim = next(c for c in found.claims if c.object == "irgc" and c.predicate == "DESIGNATED_AS_TERRORIST")
    assert claim.subject == "united-states" and claim.date == "2019"


def test_a_designation_only_weighed_is_no_claim():
    found = claims_of("guards-and-proxies")
    assert not any(s == "european-union" for _, s, _ in found)


def test_designated_by_in_a_participle_names_the_authority():
    assert ("DESIGNATED_AS_TERRORIST", "canada", "hamas") in claims_of("guards-and-proxies")


def test_rejecting_calls_to_proscribe_is_a_denial():
    found = claims_of("guards-and-proxies")
    assert ("DENIED_DESIGNATION", "united-kingdom", "irgc") in found
    assert ("CALLED_FOR_DESIGNATION", "united-kingdom", "irgc") not in found


def test_sanctions_are_not_designations():
    assert {p for p, _, _ in claims_of("guards-and-proxies")} >= {"SUPPORTS", "PART_OF", "LEADS"}
    assert not any(s == "us-treasury" for _, s, _ in claims_of("guards-and-proxies"))


@pytest.mark.parametrize("claim", [
    ("LEADS", "hossein-salami", "irgc"),          # was appointed commander of
    ("SUPPORTS", "iran", "hezbollah"),            # has armed and funded
    ("SUPPORTS", "iran", "houthis"),              # Tehran's support for
    ("PART_OF", "basij", "irgc"),                 # belongs to
])
def test_structural_claims_in_other_wordings(claim):
    assert claim in claims_of("guards-and-proxies")


@pytest.mark.parametrize("claim", [
    ("DESIGNATED_AS_TERRORIST", "paraguay", "hezbollah"),   # a state the gazetteer does not list
    ("DESIGNATED_AS_TERRORIST", "paraguay", "hamas"),       # both objects of one verb
    ("DESIGNATED_AS_TERRORIST", "argentina", "hezbollah"),  # "became the first country to designate"
    ("DESIGNATED_AS_TERRORIST", "canada", "irgc"),          # "Canada's government"
    ("DENIED_DESIGNATION", "kuwait", "hezbollah"),          # "has yet to"
])
def test_designations_in_many_wordings(claim):
    assert claim in claims_of("designations-around-the-world")


def test_a_parliament_that_calls_is_a_body_of_its_own_never_its_state():
    result = analysis("designations-around-the-world")
    call = next(c for c in result.claims if c.predicate == "CALLED_FOR_DESIGNATION" and c.object == "irgc")
    caller = result.entities[call.subject]
    assert (caller.name, caller.type) == ("Sweden's parliament", "Organization")
    assert not any(c.subject == "sweden" for c in result.claims)


def test_every_state_is_a_country_of_the_gazetteer_with_a_reason():
    result = analysis("designations-around-the-world")
    paraguay = result.entities["paraguay"]
    assert paraguay.type == "Country" and any("gazetteer alias 'Paraguay'" in r for r in paraguay.reasons)


@pytest.mark.parametrize("claim", [
    ("DESIGNATED_AS_TERRORIST", "united-kingdom", "qassam-brigades"),  # passive with "by"
    ("PART_OF", "qassam-brigades", "hamas"),                          # "the armed wing of"
    ("SUPPORTS", "iran", "kataib-hezbollah"),                         # "a militia backed by Iran"
    ("SUPPORTS", "iran", "houthis"),                                  # "supplies"
    ("PART_OF", "kataib-hezbollah", "popular-mobilization-forces"),   # "X includes A and B"
    ("PART_OF", "asaib-ahl-al-haq", "popular-mobilization-forces"),
    ("LEADS", "esmail-qaani", "quds-force"),                          # "succeeded … as head of"
])
def test_militias_and_their_wings(claim):
    assert claim in claims_of("militias-and-wings")


def test_a_wire_dateline_is_not_the_subject_of_the_first_sentence():
    found = claims_of("wire-story")
    assert ("DESIGNATED_AS_TERRORIST", "united-states", "irgc") in found
    assert not any(s.startswith("organization:") for _, s, _ in found)


@pytest.mark.parametrize("claim", [
    ("DESIGNATED_AS_TERRORIST", "iran", "us-central-command"),  # "responded by naming … a terrorist organization"
    ("DESIGNATED_AS_TERRORIST", "us-treasury", "quds-force"),   # "on the Treasury Department's list of … Terrorists"
])
def test_wire_story_designations(claim):
    assert claim in claims_of("wire-story")


def test_a_refusal_and_a_listing_in_one_sentence_stay_apart():
    found = claims_of("refusal-and-listing")
    assert {("DENIED_DESIGNATION", "united-kingdom", "irgc"), ("DESIGNATED_AS_TERRORIST", "united-kingdom", "hamas")} <= found
    assert ("DENIED_DESIGNATION", "united-kingdom", "hamas") not in found


def test_a_call_by_a_described_group_names_the_group_and_the_administration_urged():
    result = analysis("past-heads-and-descriptions")
    call = next(c for c in result.claims if c.predicate == "CALLED_FOR_DESIGNATION")
    assert (call.subject, call.addressee) == ("ncri", "united-states")


def test_a_head_described_in_the_past_tense_is_a_former_leader():
    lead = next(c for c in analysis("past-heads-and-descriptions").claims if c.predicate == "LEADS")
    assert (lead.subject, lead.object, lead.former) == ("qasem-soleimani", "quds-force", True)


def test_the_head_of_an_x_of_y_name_stands_for_it_later_in_the_article():
    assert ("DESIGNATED_AS_TERRORIST", "council-of-the-eu", "person:ahmed-khaled-muller") in claims_of("lists-and-removals")


def test_a_decree_acts_for_the_body_that_issued_it():
    found = claims_of("lists-and-removals")
    assert {("DESIGNATED_AS_TERRORIST", "bahrain-interior-ministry", g) for g in ("hezbollah", "houthis")} <= found


def test_a_sentence_that_names_no_actor_is_the_last_designators_act():
    """"Also banned … are A and B" after the ministry's decree."""
    assert ("DESIGNATED_AS_TERRORIST", "bahrain-interior-ministry", "hamas") in claims_of("lists-and-removals")


def test_a_group_to_be_removed_from_a_terror_list_is_on_it():
    found = claims_of("lists-and-removals")
    assert ("DESIGNATED_AS_TERRORIST", "kazakhstan", "taliban") in found
    assert not any(p == "REVOKED_DESIGNATION" for p, _, _ in found)  # only weighed


def test_a_parliament_that_designates_calls_on_its_state_and_lists_no_one():
    result = analysis("chambers-call")
    found = {(c.predicate, c.subject, c.object, c.addressee) for c in result.claims}
    assert ("CALLED_FOR_DESIGNATION", "germany-bundestag", "organization:lantern-guard", "germany") in found
    assert ("DESIGNATED_AS_TERRORIST", "germany-interior-ministry", "organization:lantern-guard", None) in found
    chambers = {"germany-bundestag", "israel-knesset", "netherlands-house-of-representatives"}
    assert not [c for c in result.claims if c.subject in chambers and c.predicate != "CALLED_FOR_DESIGNATION"]
    assert ("CALLED_FOR_DESIGNATION", "netherlands-house-of-representatives", "organization:lantern-guard") in \
        {(p, s, o) for p, s, o, _ in found}  # a chamber's call stays a call
