"""The kg command as a user runs it: a real process, the embedded engine in a temporary folder."""
import json
import os
import subprocess
import sys

import pytest

from conftest import EXAMPLES


@pytest.fixture
def kg(tmp_path):
    env = {**os.environ, "KG_HOME": str(tmp_path / "home")}
    env.pop("NEO4J_URI", None)

    def run(*args, check=True):
        result = subprocess.run([sys.executable, "-m", "kg", *args], env=env, capture_output=True, text=True,
                                timeout=300)
        if check and result.returncode != 0:
            raise AssertionError(f"kg {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
        return result

    yield run
    run("engine", "stop", check=False)


def test_ingest_then_designations_by_country_lists_groups_with_their_sources(kg):
    out = kg("ingest", str(EXAMPLES)).stdout
    assert "4 articles written" in out
    rows = json.loads(kg("query", "designations-by-country", "--format", "json").stdout)
    pairs = {(r["country"], r["group"]) for r in rows}
    assert ("United States", "Islamic Revolutionary Guard Corps") in pairs
    assert ("Canada", "Quds Force") in pairs
    # a call to designate is not a designation
    assert ("United Kingdom", "Islamic Revolutionary Guard Corps") not in pairs
    us_irgc = next(r for r in rows if r["group"] == "Islamic Revolutionary Guard Corps")
    assert us_irgc["sources"] == ["2019-04-us-lists-irgc"]


def test_ingesting_twice_changes_nothing(kg):
    kg("ingest", str(EXAMPLES))
    before = kg("stats").stdout
    second = kg("ingest", str(EXAMPLES)).stdout
    assert "0 articles written" in second and "4 unchanged" in second
    assert kg("stats").stdout == before


def test_query_filter_parameter_by_alias(kg):
    kg("ingest", str(EXAMPLES))
    rows = json.loads(kg("query", "designations-by-country", "-p", "country", "usa", "--format", "json").stdout)
    assert {r["country"] for r in rows} == {"United States"}


def test_a_list_cut_at_its_limit_says_so(kg):
    kg("ingest", str(EXAMPLES))
    cut = kg("query", "mentions", "-p", "entity", "IRGC", "-p", "limit", "1", "--format", "csv")
    assert len(cut.stdout.splitlines()) == 2 and "the first 1 rows; there may be more" in cut.stderr
    whole = kg("query", "mentions", "-p", "entity", "IRGC", "--format", "csv")
    assert "there may be more" not in whole.stderr


def test_unknown_query_suggests_a_close_name(kg):
    result = kg("query", "designation-by-country", check=False)
    assert result.returncode == 2
    assert "did you mean designations-by-country" in result.stderr


def test_unknown_parameter_is_refused_before_running(kg):
    result = kg("query", "designations-by-country", "-p", "colour", "red", check=False)
    assert result.returncode == 2 and "has no parameter colour" in result.stderr


def test_export_claims_is_json_lines_of_the_scorer_contract(kg):
    kg("ingest", str(EXAMPLES))
    lines = kg("export", "claims").stdout.splitlines()
    claims = [json.loads(line) for line in lines]
    assert claims and all({"predicate", "subject", "object", "article", "evidence"} <= set(c) for c in claims)
    call = [c for c in claims if c["predicate"] == "CALLED_FOR_DESIGNATION"]
    assert all(c["subject"]["name"] and c["object"]["name"] for c in call)


def test_help_explains_commands_with_an_example(kg):
    out = kg("--help").stdout
    assert "ingest" in out and "Example" in out
    assert "kg ingest examples/articles" in kg("ingest", "--help").stdout


def test_engine_status_and_stop(kg):
    kg("engine", "start")
    assert "running" in kg("engine", "status").stdout
    assert "stopped" in kg("engine", "stop").stdout
    assert kg("engine", "status", check=False).returncode == 3


def test_each_exported_claim_knows_how_many_articles_and_outlets_state_it(kg, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("2019-04-us-lists-irgc", "2022-03-gaza-factions"):
        (corpus / f"{name}.txt").write_text((EXAMPLES / f"{name}.txt").read_text())
    kg("ingest", str(corpus))
    claims = [json.loads(line) for line in kg("export", "claims").stdout.splitlines()]
    part_of = [c for c in claims if c["predicate"] == "PART_OF" and c["object"]["name"].startswith("Islamic Rev")]
    assert len(part_of) == 2  # stated once in each article
    assert all(c["articles_stating"] == 2 and c["outlets_stating"] == 1 for c in part_of)  # one outlet
