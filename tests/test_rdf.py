"""RDF export: the ontology mirrors schema.toml, exports parse back with the graph's counts, quad
formats keep one named graph per claim, SPARQL over the export answers like the canned Cypher
query, and the SHACL shapes accept kg's own output and reject broken data."""
import io
import os
import re
import subprocess
import sys
import tomllib
from urllib.parse import unquote

import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import OWL, RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from conftest import EXAMPLES, FIXTURES, ROOT
from kg import rdf
from kg.cli import cli
from kg.rdf import KGO

SCHEMA = tomllib.loads((ROOT / "schema" / "schema.toml").read_text())
ONTOLOGY = Graph().parse(ROOT / "schema" / "ontology.ttl")
PARSE = {"trig": "trig", "nquads": "nquads", "jsonld": "json-ld", "turtle": "turtle", "nt": "nt"}


def export(graph, fmt: str, **filters) -> str:
    out = io.StringIO()
    rdf.write(graph.store, out, fmt, **filters)
    return out.getvalue()


def parse(text: str, fmt: str) -> Dataset:
    data = Dataset()
    data.parse(data=text, format=PARSE[fmt])
    return data


def count(graph, cypher: str) -> int:
    return graph.store.read(cypher)[0]["n"]


def test_ontology_declares_every_label_relationship_and_predicate_of_schema_toml():
    for label in SCHEMA["nodes"]:
        assert (rdf.term(label), RDF.type, OWL.Class) in ONTOLOGY, label
    for name in [*SCHEMA["relationships"], *SCHEMA["predicates"]]:
        assert (rdf.term(name), RDF.type, OWL.ObjectProperty) in ONTOLOGY, name
    assert rdf.term("AGENCY_OF") == KGO.agencyOf and rdf.term("DESIGNATED_AS_TERRORIST") == KGO.designatedAsTerrorist
    for declared in ONTOLOGY.subjects(RDF.type, None):
        if str(declared).startswith(str(KGO)):
            assert ONTOLOGY.value(declared, RDFS.label) and ONTOLOGY.value(declared, RDFS.comment), declared


def test_every_format_parses_back_with_the_graphs_counts(graph):
    graph.ingest([EXAMPLES])
    claims = count(graph, "MATCH (c:Claim) RETURN count(c) AS n")
    entities = count(graph, "MATCH (e:Entity) RETURN count(e) AS n")
    articles = count(graph, "MATCH (a:Article) RETURN count(a) AS n")
    assert claims > 10
    for fmt in rdf.FORMATS:
        data = parse(export(graph, fmt), fmt)
        assert len(set(data.subjects(RDF.type, KGO.Claim))) == claims, fmt
        assert len(set(data.subjects(RDF.type, KGO.Entity))) == entities, fmt
        assert len(set(data.subjects(RDF.type, KGO.Article))) == articles, fmt
        named = [g for g in data.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)]
        # quad formats: one named graph per claim holding its one statement; triple formats: none
        assert len(named) == (claims if fmt in rdf.QUAD_FORMATS else 0), fmt
        for g in named:
            ((s, p, o),) = list(g)
            claim = data.value(predicate=KGO.assertion, object=g.identifier)
            assert (claim, KGO.predicate, p) in data and (claim, KGO.subject, s) in data
        used = {p for p in data.predicates() if str(p).startswith(str(KGO))}
        used |= {o for o in data.objects(None, RDF.type) if str(o).startswith(str(KGO))}
        assert not {t for t in used if (t, RDF.type, None) not in ONTOLOGY}, f"{fmt}: undeclared ontology terms"


CALL_FOR_DESIGNATION = """
MATCH (a:Article {id: '2021-06-uk-debate'}), (mp:Entity {id: 'person-tom-ashdown'}),
      (body:Entity {id: 'uk-home-office'}), (g:Entity {id: 'irgc'})
MERGE (f:Fact {key: 'CALLED_FOR_DESIGNATION|' + mp.key + '|' + g.key}) ON CREATE SET f.predicate = 'CALLED_FOR_DESIGNATION'
CREATE (a)-[:STATES]->(c:Claim {evidence: 'Ashdown urged the Home Office to proscribe the IRGC.', start: 0}),
       (c)-[:SPEAKER]->(mp), (c)-[:ADDRESSEE]->(body), (c)-[:OF]->(f)
MERGE (f)-[:FACT_SUBJECT]->(mp)
MERGE (f)-[:FACT_OBJECT]->(g)
"""


def test_claim_resources_carry_modality_evidence_and_provenance(graph):
    graph.ingest([EXAMPLES])
    graph.store.write([(CALL_FOR_DESIGNATION, {})])
    data = parse(export(graph, "trig"), "trig")
    iris = rdf.Iris()
    [call_id] = [c["id"] for c in graph.claims() if c["evidence"].startswith("Ashdown urged")]
    call = iris.claim(call_id)
    assert data.value(call, KGO.predicate) == KGO.calledForDesignation
    assert data.value(call, KGO.modality) == Literal("called_for")
    assert data.value(call, KGO.addressee) == iris.entity("uk-home-office")
    assert data.value(call, KGO.speaker) == iris.entity("person-tom-ashdown")
    # the call's statement lives only in its own named graph, never as a bare fact
    statement = (iris.entity("person-tom-ashdown"), KGO.calledForDesignation, iris.entity("irgc"))
    assert statement in data.graph(iris.assertion(call_id)) and statement not in data.default_graph
    us = iris.entity("united-states")
    (designation,) = [c for c in data.subjects(KGO.subject, us) if data.value(c, KGO.object) == iris.entity("irgc")
                      and data.value(c, KGO.predicate) == KGO.designatedAsTerrorist]
    article = data.value(designation, rdf.PROV.wasDerivedFrom)
    assert article == iris.article("2019-04-us-lists-irgc")
    text = graph.article_text("2019-04-us-lists-irgc")
    start, end = int(data.value(designation, KGO.start)), int(data.value(designation, KGO.end))
    assert text[start:end] == str(data.value(designation, KGO.evidence))
    assert str(data.value(designation, KGO.date)).startswith("2019-04")
    activity = data.value(designation, rdf.PROV.wasGeneratedBy)
    assert data.value(activity, KGO.version) == Literal(rdf.__version__)
    (same,) = data.objects(iris.entity("united-states"), OWL.sameAs)
    assert same == URIRef("http://www.wikidata.org/entity/Q30")


def test_sparql_over_the_export_matches_designations_by_country(graph):
    graph.ingest([EXAMPLES, FIXTURES / "rdf"])  # the Home Office's act rolls up to the United Kingdom
    store = pyoxigraph.Store()
    store.load(export(graph, "nquads").encode(), pyoxigraph.RdfFormat.N_QUADS)
    sparql = """
    PREFIX kgo: <https://kg.example.org/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT DISTINCT ?countryName ?groupName WHERE {
      GRAPH ?claim { ?actor kgo:designatedAsTerrorist ?group }
      { ?actor a kgo:Country . BIND(?actor AS ?country) } UNION { ?actor kgo:agencyOf ?country . ?country a kgo:Country }
      ?country rdfs:label ?countryName . ?group rdfs:label ?groupName .
    } ORDER BY ?countryName ?groupName
    """
    answer = [(s["countryName"].value, s["groupName"].value) for s in store.query(sparql)]
    expected = [(r["country"], r["group"]) for r in graph.query("designations-by-country")]
    assert answer == expected and ("United Kingdom", "Hamas") in answer and len(answer) >= 3


def test_filters_keep_one_articles_or_one_entitys_claims(graph):
    graph.ingest([EXAMPLES])
    data = parse(export(graph, "trig", article="2021-06-uk-debate"), "trig")
    sources = set(data.objects(None, rdf.PROV.wasDerivedFrom))
    assert sources == {rdf.Iris().article("2021-06-uk-debate")}
    assert set(data.subjects(RDF.type, KGO.Article)) == sources

    irgc = rdf.Iris().entity("irgc")
    data = parse(export(graph, "trig", entity="Islamic Revolutionary Guard Corps"), "trig")
    claims = set(data.subjects(RDF.type, KGO.Claim))
    assert claims and all(irgc in set(data.objects(c, None)) for c in claims)
    with pytest.raises(rdf.RdfError, match="no entity"):
        export(graph, "trig", entity="Nobody At All")


def test_entity_iris_are_safe_for_any_name_under_a_chosen_base(graph):
    name = 'Jaysh "al-Adl" / جيش العدل'
    graph.store.write([("CREATE (e:Entity:Organization {key: $id, id: $id, name: $name, type: 'Organization', "
                        "aliases: ['Jundallah', $name], lookup: ['jundallah', toLower($name)], wikidata: 'Q1054335'}) "
                        "CREATE (:Name {key: 'jundallah'})-[:NAMES]->(e)", {"id": name, "name": name})])
    text = export(graph, "nt", entity="jundallah", base="urn:kg:test/")
    data = parse(text, "nt")
    (entity,) = data.subjects(RDF.type, KGO.Entity)
    assert entity.startswith("urn:kg:test/entity/") and " " not in entity and '"' not in entity
    assert unquote(entity.removeprefix("urn:kg:test/entity/")) == name
    assert data.value(entity, RDFS.label) == Literal(name)
    assert set(data.objects(entity, SKOS.altLabel)) == {Literal("Jundallah")}
    assert (entity, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q1054335")) in data


def test_streamed_nquads_page_by_page_equal_one_pass(graph, monkeypatch):
    graph.ingest([EXAMPLES])
    whole = parse(export(graph, "nquads"), "nquads")
    monkeypatch.setattr(rdf, "PAGE", 3)
    monkeypatch.setattr(rdf, "CHUNK", 7)
    paged = parse(export(graph, "nquads"), "nquads")
    assert set(paged.quads()) == set(whole.quads()) and len(set(whole.quads())) > 100


def test_export_conforms_to_the_shapes_and_validate_rdf_reports_violations(graph, tmp_path):
    graph.ingest([EXAMPLES])
    good = tmp_path / "kg.trig"
    good.write_text(export(graph, "trig"))
    result = CliRunner().invoke(cli, ["validate-rdf", str(good)])
    assert result.exit_code == 0 and "conforms" in result.output

    broken = parse(good.read_text(), "trig")
    claim = next(broken.subjects(RDF.type, KGO.Claim))
    broken.remove((claim, KGO.subject, None))
    broken.set((claim, KGO.modality, Literal("rumoured")))
    bad = tmp_path / "bad.nq"
    bad.write_text(broken.serialize(format="nquads"))
    result = CliRunner().invoke(cli, ["validate-rdf", str(bad)])
    assert result.exit_code == 1
    assert "exactly one subject" in result.output and "modality is one of" in result.output


def readme_sparql() -> str:
    (query,) = re.findall(r"```sparql\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    return query


def sparql_rows(text: str, fmt: pyoxigraph.RdfFormat) -> list[tuple[str, str]]:
    store = pyoxigraph.Store()
    store.load(text.encode(), fmt)
    return [(s["countryName"].value, s["groupName"].value) for s in store.query(readme_sparql())]


def test_the_readme_sparql_answers_the_same_on_json_ld_as_on_trig(graph):
    graph.ingest([EXAMPLES, FIXTURES / "rdf"])
    on_trig = sparql_rows(export(graph, "trig"), pyoxigraph.RdfFormat.TRIG)
    assert ("United Kingdom", "Hamas") in on_trig and len(on_trig) >= 3
    assert sparql_rows(export(graph, "jsonld"), pyoxigraph.RdfFormat.JSON_LD) == on_trig


@pytest.mark.parametrize("extension, parser", [("ttl", "turtle"), ("nq", "nquads"), ("nt", "nt"),
                                                ("jsonld", "json-ld"), ("trig", "trig")])
def test_export_rdf_takes_the_format_from_the_out_extension(graph, engine_home, tmp_path, extension, parser):
    if graph.store.backend != "falkordb":
        pytest.skip("the command runs on the embedded engine")
    graph.ingest([EXAMPLES])
    out = tmp_path / f"kg.{extension}"
    result = CliRunner(env={"KG_HOME": str(engine_home), "NEO4J_URI": None}).invoke(
        cli, ["export", "rdf", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = Dataset()
    data.parse(out, format=parser)
    claims = count(graph, "MATCH (c:Claim) RETURN count(c) AS n")
    assert len(set(data.subjects(RDF.type, KGO.Claim))) == claims


def test_an_export_that_fails_leaves_the_file_it_would_replace_as_it_was(kg, tmp_path):
    kept = tmp_path / "yesterday.ttl"
    kept.write_text("@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c .\n")
    result = kg("export", "rdf", "--entity", "nobody", "--out", str(kept), check=False)
    assert result.returncode == 4 and "nobody" in result.stderr
    assert kept.read_text().endswith("ex:a ex:b ex:c .\n") and sorted(tmp_path.iterdir()) == [tmp_path / "home", kept]


def test_an_unknown_extension_is_refused_before_any_work(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kg", "export", "rdf", "--out", str(tmp_path / "kg.txt")],
                            capture_output=True, text=True, env={**os.environ, "KG_HOME": str(tmp_path / "home")})
    assert result.returncode == 2 and "cannot tell the RDF format from the extension '.txt'" in result.stderr
    assert not (tmp_path / "kg.txt").exists()


@pytest.mark.parametrize("name, text, line, says", [
    ("bad.ttl", '@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', 3, "newline found"),
    ("bad.nq", "<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> .\n<http://ex.org/a> <http://ex.org/b> oops .\n",
     2, "Invalid line"),
    ("bad.jsonld", '[{"@id": "http://ex.org/a",\n  "x": }]\n', 2, "not JSON"),
    # exports cut short: in the middle of a literal, after a property's prefix (rdflib fails an assert
    # or runs off the end of the text there)
    ("cut.ttl", '@prefix ex: <http://ex.org/> .\nex:claim ex:says "The ministry listed', 2, "Quote expected"),
    ("cut.trig", '@prefix ex: <http://ex.org/> .\nex:g {\n  ex:claim ex:says "The ministry', 3, "Quote expected"),
    ("cut-after-prefix.ttl", '@prefix ex: <http://ex.org/> .\nex:claim ex:says "x" ;\n  ex:', 3,
     "the text ends inside a statement"),
])
def test_validate_rdf_on_a_file_that_does_not_parse_says_where_in_one_line(tmp_path, name, text, line, says):
    bad = tmp_path / name
    bad.write_text(text)
    result = subprocess.run([sys.executable, "-m", "kg", "validate-rdf", str(bad)], capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout == ""
    (message,) = result.stderr.splitlines()
    assert message.startswith(f"kg validate-rdf: {bad}:{line}: ") and says in message


def test_a_claim_without_its_evidence_does_not_validate(graph, tmp_path):
    graph.ingest([EXAMPLES])
    data = parse(export(graph, "trig"), "trig")
    claim = next(data.subjects(RDF.type, KGO.Claim))
    data.remove((claim, KGO.evidence, None))
    bad = tmp_path / "no-evidence.nq"
    bad.write_text(data.serialize(format="nquads"))
    result = rdf.validate(bad)
    assert not result.conforms and "a claim quotes the sentence that states it" in result.report
