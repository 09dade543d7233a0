"""What analysts bring kg into: their own Cypher, notebooks (pandas), Gephi/networkx (GraphML),
neo4j-admin (CSV import files), shell completion; and the API that mirrors every command."""
import csv
import io
import json
import os
import re
import runpy
import shlex
import subprocess
import sys

import networkx
import pandas
import pytest

from conftest import EXAMPLES, NEO4J_LOCAL, require_neo4j_local
from kg import queries
from kg.errors import KgError, NotFound
from kg.queries import QueryError
from kg.store import StoreError


@pytest.fixture
def sample(graph):
    graph.ingest([EXAMPLES])
    return graph


def test_own_query_file_says_when_a_name_it_was_given_matches_nothing(kg, tmp_path):
    kg("ingest", str(EXAMPLES))
    question = tmp_path / "units.cypher"
    question.write_text("// param: group entity -- the group, by name or alias\n"
                        "MATCH (:Name {key: toLower($group)})-[:NAMES]->(g:Entity)<-[:PART_OF]-(u:Entity)\n"
                        "RETURN u.name AS unit ORDER BY unit\n")
    result = kg("query", "--file", str(question), "-p", "group", "Nobody Brigade")
    assert result.stdout == "" and "no entity is named 'Nobody Brigade'" in result.stderr
    assert "kg query find-entity -p text 'Nobody Brigade'" in result.stderr


def test_own_cypher_runs_with_parameters_and_every_output_format(kg, tmp_path):
    kg("ingest", str(EXAMPLES))
    text = "MATCH (e:Entity {type: $type}) RETURN e.name AS name, e.articles AS articles ORDER BY name"
    rows = json.loads(kg("query", "--cypher", text, "-p", "type", "Country", "--format", "json").stdout)
    assert {"name": "Iran", "articles": 4} in rows and all(isinstance(r["articles"], int) for r in rows)
    lines = kg("query", "--cypher", text, "-p", "type", "Country", "--format", "csv").stdout.splitlines()
    assert lines[0] == "name,articles" and len(lines) == len(rows) + 1
    question = tmp_path / "busiest.cypher"
    question.write_text("// param: least int = 1 in 1.. -- articles at least\n"
                        "MATCH (e:Entity) WHERE e.articles >= $least RETURN e.name AS name ORDER BY name\n")
    busiest = json.loads(kg("query", "--file", str(question), "-p", "least", "4", "--format", "json").stdout)
    assert {"name": "Iran"} in busiest and len(busiest) < len(rows) + 20
    refused = kg("query", "--file", str(question), "-p", "least", "0", check=False)
    assert refused.returncode == 2 and "least of 'busiest' must be at least 1" in refused.stderr


def test_own_cypher_cannot_write(kg):
    kg("ingest", str(EXAMPLES))
    before = kg("stats").stdout
    result = kg("query", "--cypher", "MATCH (n) DETACH DELETE n", check=False)
    assert result.returncode == 2 and "refused" in result.stderr
    assert kg("stats").stdout == before


def test_cypher_from_python_takes_keyword_parameters(sample):
    rows = sample.cypher("MATCH (e:Entity) WHERE e.name = $name RETURN e.type AS type", name="Iran")
    assert rows == [{"type": "Country"}] and rows.columns == ["type"]
    with pytest.raises(StoreError, match="refused"):
        sample.cypher("CREATE (:Entity {name: 'x'})")


def test_frame_gives_a_dataframe_with_proper_dtypes(sample):
    frame = sample.frame("designations-by-country")
    assert list(frame.columns) == ["country", "group", "first_date", "articles", "outlets", "sources"]
    assert str(frame["articles"].dtype) == "Int64" and str(frame["country"].dtype) == "string"
    assert ("United States", "Islamic Revolutionary Guard Corps") in set(zip(frame["country"], frame["group"]))
    leaders = sample.frame("leaders")
    assert str(leaders["former"].dtype) == "boolean"
    empty = sample.frame("group-profile", group="nobody at all")
    assert empty.empty and "aliases" in empty.columns
    assert str(frame["first_date"].dtype).startswith("datetime64")


def test_frame_dtypes_come_from_the_query_not_from_the_values(sample):
    # no article of the examples says since when a leader leads, or until when: the columns are empty
    leaders = sample.frame("leaders")
    assert leaders["since"].isna().all() and leaders["until"].isna().all()
    assert str(leaders["since"].dtype).startswith("datetime64") and str(leaders["until"].dtype) == "string"
    assert leaders["until"].iloc[0] is pandas.NA
    # an answer with no rows has the dtypes an answer with rows has
    none = sample.frame("designations-by-country", country="Narnia")
    some = sample.frame("designations-by-country")
    assert none.empty and none.dtypes.to_dict() == some.dtypes.to_dict()
    assert {c: str(t) for c, t in none.dtypes.items()} == {
        "country": "string", "group": "string", "first_date": "datetime64[ns]", "articles": "Int64",
        "outlets": "Int64", "sources": "object"}


ASKED = {"timeline": {"entity": "IRGC"}, "group-profile": {"group": "IRGC"}, "hierarchy": {"group": "IRGC"},
         "backing-network": {"entity": "Iran"}, "mentions": {"entity": "Iran"}, "claim-sources": {"subject": "US"},
         "find-entity": {"text": "Iran"}, "claims-in-article": {"article": "2022-03-gaza-factions"}}


def test_every_canned_query_declares_the_columns_it_answers_with(sample):
    for name, query in queries.library().items():
        assert list(query.columns) == sample.query(name, **ASKED.get(name, {})).columns, name


def test_api_errors_speak_python_and_share_one_root(sample):
    with pytest.raises(QueryError, match=r"needs group=<entity>") as missing:
        sample.query("group-profile")
    with pytest.raises(QueryError, match=r"depth of 'backing-network' must be 1 to 3, not 9"):
        sample.frame("backing-network", entity="Iran", depth=9)
    with pytest.raises(NotFound, match="no canned query named 'nosuch'") as unknown:
        sample.query("nosuch")
    assert isinstance(missing.value, (KgError, ValueError)) and isinstance(unknown.value, (KgError, LookupError))
    with pytest.raises(NotFound, match="no entity named 'nobody'"):
        sample.view(entity="nobody")


def test_unmatched_says_which_names_match_nothing(sample):
    assert sample.unmatched("designations-by-country", country="Narnia", group="IRGC") == [
        ("country", "Narnia", "entity")]
    assert sample.unmatched("claims-in-article", article="2021-06-uk-debate") == []


def test_graphml_opens_in_networkx_with_every_entity_and_claim(sample):
    out = io.StringIO()
    edges = sample.export_graphml(out)
    drawn = networkx.read_graphml(io.BytesIO(out.getvalue().encode()))
    assert drawn.number_of_nodes() == sample.store.read("MATCH (e:Entity) RETURN count(e) AS n")[0]["n"]
    claims = sample.store.read("MATCH (c:Claim) RETURN count(c) AS n")[0]["n"]
    agencies = sample.store.read("MATCH ()-[r:AGENCY_OF]->() RETURN count(r) AS n")[0]["n"]
    assert drawn.number_of_edges() == edges == claims + agencies
    assert drawn.nodes["irgc"]["name"] == "Islamic Revolutionary Guard Corps"
    designations = [d for s, o, d in drawn.edges("united-states", data=True) if o == "irgc"]
    assert designations and designations[0]["predicate"] == "DESIGNATED_AS_TERRORIST"
    assert "Revolutionary Guard" in designations[0]["evidence"] and designations[0]["former"] is False


def read_csv(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_neo4j_csv_files_hold_the_whole_graph_in_the_import_format(sample, tmp_path):
    written = sample.export_neo4j_csv(tmp_path / "import")
    count = lambda cypher: sample.store.read(cypher)[0]["n"]  # noqa: E731
    entities = read_csv(tmp_path / "import" / "entity.csv")
    assert len(entities) == written.nodes["entity.csv"] == count("MATCH (e:Entity) RETURN count(e) AS n")
    irgc = next(e for e in entities if e["key:ID(Entity)"] == "irgc")
    assert irgc[":LABEL"] == "Entity;Organization" and "IRGC" in irgc["aliases:string[]"].split(";")
    claims = read_csv(tmp_path / "import" / "claim.csv")
    assert len(claims) == count("MATCH (c:Claim) RETURN count(c) AS n")
    assert {c["former:boolean"] for c in claims} <= {"true", "false", ""} and "rule:string" in claims[0]
    # a claim has no key: the files name it by the engine's id, which the import does not store
    ids = {"Entity": {e["key:ID(Entity)"] for e in entities}, "Claim": {c[":ID(Claim)"] for c in claims},
           "Article": {a["id:ID(Article)"] for a in read_csv(tmp_path / "import" / "article.csv")},
           "Fact": {f["key:ID(Fact)"] for f in read_csv(tmp_path / "import" / "fact.csv")}}
    for name in ("states.csv", "of.csv", "fact_subject.csv", "fact_object.csv", "mentions.csv", "agency_of.csv"):
        rows = read_csv(tmp_path / "import" / name)
        rel = name.removesuffix(".csv").upper()
        assert len(rows) == count(f"MATCH ()-[r:{rel}]->() RETURN count(r) AS n") > 0, name
        start, end = (c for c in rows[0] if c.startswith((":START_ID", ":END_ID")))
        space = lambda column: column[column.index("(") + 1:-1]  # noqa: E731
        assert all(r[start] in ids.get(space(start), {r[start]}) and r[end] in ids.get(space(end), {r[end]})
                   for r in rows), name
        assert {r[":TYPE"] for r in rows} == {rel}
    assert "--nodes=" in written.import_command() and f"--relationships={tmp_path / 'import' / 'states.csv'}" in \
        written.import_command()


def test_export_commands_write_graphml_and_neo4j_csv(kg, tmp_path):
    kg("ingest", str(EXAMPLES))
    kg("export", "graphml", "--out", str(tmp_path / "kg.graphml"))
    assert networkx.read_graphml(tmp_path / "kg.graphml").number_of_nodes() > 5
    result = kg("export", "neo4j-csv", "--out", str(tmp_path / "import"))
    assert (tmp_path / "import" / "claim.csv").exists()
    # the database name right after `full`: every word after --relationships=… would be one more file
    command = shlex.split(result.stdout.splitlines()[-1])
    assert command[:5] == ["neo4j-admin", "database", "import", "full", "neo4j"]
    assert all(word.startswith("--") for word in command[5:]) and f"--nodes={tmp_path / 'import' / 'claim.csv'}" in command


@pytest.mark.neo4j
def test_the_printed_import_command_loads_the_whole_graph_into_neo4j_5(kg, tmp_path):
    """The command kg prints, run by neo4j-admin's entry point (AdminTool) from the jars that
    scripts/neo4j-local builds, makes a database with every node and relationship of the graph."""
    require_neo4j_local()
    launcher = runpy.run_path(str(NEO4J_LOCAL), run_name="neo4j_local")
    kg("ingest", str(EXAMPLES))
    printed = kg("export", "neo4j-csv", "--out", str(tmp_path / "import")).stdout.splitlines()[-1]
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "neo4j.conf").write_text(f"server.directories.data={tmp_path / 'data'}\n")
    env = {**os.environ, "NEO4J_HOME": str(tmp_path), "NEO4J_CONF": str(tmp_path / "conf")}
    admin = ["java", "-Xmx512m", "-cp", launcher["classpath"](), "org.neo4j.cli.AdminTool"]
    done = subprocess.run([*admin, *shlex.split(printed)[1:], f"--report-file={tmp_path / 'import.report'}"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    count = lambda what, x: json.loads(kg("query", "--cypher", f"MATCH {what} RETURN count({x}) AS n",  # noqa: E731
                                          "--format", "json").stdout)[0]["n"]
    assert re.search(rf"Imported:\s+{count('(n)', 'n')} nodes\s+{count('()-[r]->()', 'r')} relationships", done.stdout)


def test_view_claims_only_leaves_out_entities_no_claim_is_about(sample, tmp_path):
    everything = sample.view()
    only = sample.view(tmp_path / "claims.html", claims_only=True)
    assert {n["claims"] for n in only.nodes} and min(n["claims"] for n in only.nodes) > 0
    assert {n["id"] for n in everything.nodes if n["claims"]} == {n["id"] for n in only.nodes}
    assert len(only.nodes) < len(everything.nodes)
    assert (tmp_path / "claims.html").exists()
    near = sample.view(entity="IRGC", claims_only=True)
    assert near.nodes and all(n["claims"] for n in near.nodes)


def test_bash_completion_script_is_printed_for_the_kg_command():
    env = {**os.environ, "_KG_COMPLETE": "bash_source"}
    result = subprocess.run([sys.executable, "-m", "kg"], env=env, capture_output=True, text=True)
    assert result.returncode == 0 and "_kg_completion()" in result.stdout and "complete " in result.stdout
