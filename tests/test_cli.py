"""The kg command as a user runs it: a real process, the embedded engine in a temporary folder."""
import csv
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import EXAMPLES, FIXTURES


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
    assert result.returncode == 4  # nothing by that name
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


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BOX = "│┃┏┓┗┛┣┫┳┻╋━─┌┐└┘├┤┬┴┼╇╈┡┩╞╡╪═╤╧"
ANSWERS = FIXTURES / "answers"


def test_timeline_keeps_facts_no_date_is_known_for_after_the_dated_ones(kg):
    kg("ingest", str(ANSWERS / "timeline"))
    rows = json.loads(kg("query", "timeline", "-p", "entity", "IRGC", "--format", "json").stdout)
    assert [(r["subject"], r["dated_by"]) for r in rows] == [("Quds Force", "article"), ("United States", "undated")]
    assert rows[0]["date"] == "2020-05-04" and rows[1]["date"] is None
    (iran,) = json.loads(kg("query", "timeline", "-p", "entity", "Iran", "--format", "json").stdout)
    assert (iran["object"], iran["dated_by"]) == ("Houthis", "undated")
    # "In March, …" in an article with no date: no date kg can place, but the words are shown
    (ban,) = json.loads(kg("query", "timeline", "-p", "entity", "Hezbollah", "--format", "json").stdout)
    assert (ban["subject"], ban["date"], ban["dated_by"], ban["date_text"]) == ("United Kingdom", None, "undated", "March")


def test_a_name_that_matches_nothing_says_so_and_points_to_find_entity(kg):
    kg("ingest", str(EXAMPLES))
    result = kg("query", "group-profile", "-p", "group", "NoSuchGroup")  # an empty answer, not an error
    assert result.stdout == ""
    assert "no entity is named 'NoSuchGroup'" in result.stderr
    assert "kg query find-entity -p text NoSuchGroup" in result.stderr


def test_an_empty_csv_answer_keeps_its_header(kg):
    kg("ingest", str(EXAMPLES))
    result = kg("query", "claims-in-article", "-p", "article", "nope", "--format", "csv")
    assert result.stdout.splitlines() == ["predicate,subject,object,addressee,role,former,date,start,evidence"]
    assert "no article has the id 'nope'" in result.stderr


def test_a_known_name_with_nothing_to_show_is_no_error(kg):
    kg("ingest", str(EXAMPLES))
    result = kg("query", "backing-network", "-p", "entity", "Canada", "--format", "csv")
    assert result.stdout.splitlines() == ["backer,backed,hop,sources"] and "no rows" in result.stderr


@pytest.mark.parametrize("args, says", [
    (["backing-network", "-p", "entity", "Iran", "-p", "depth", "7"], "depth of 'backing-network' must be 1 to 3"),
    (["mentions", "-p", "entity", "Iran", "-p", "limit", "-1"], "limit of 'mentions' must be at least 1"),
    # no upper bound declared: still one the engines can hold (FalkorDB would wrap it round to 0)
    (["mentions", "-p", "entity", "Iran", "-p", "limit", "4294967296"], "limit of 'mentions' must be 1 to 2147483647"),
])
def test_out_of_range_parameters_are_refused_in_one_line(kg, args, says):
    result = kg("query", *args, check=False)
    assert result.returncode == 2 and result.stderr.splitlines() == [f"kg: parameter {says}, not {args[-1]}"]


def words_of(rows: list[dict], *titles: str) -> set[str]:
    """Every word of an answer's values (flags as the table shows them), its column names and table title."""
    values = [v for r in rows for v in r.values() if v is not None]
    texts = [str(x).lower() if isinstance(x, bool) else str(x) for v in values for x in (v if isinstance(v, list) else [v])]
    return {w for text in [*texts, *rows[0], *titles] for w in re.split(r"[\s,]+", text) if w}


def table_words(out: str) -> list[str]:
    return [w for w in re.split(r"[\s" + BOX + r",]+", ANSI.sub("", out)) if w]


def test_piped_tables_are_not_wrapped_and_long_text_is_cut_at_a_word(kg):
    kg("ingest", str(EXAMPLES))
    rows = json.loads(kg("query", "timeline", "-p", "entity", "IRGC", "--format", "json").stdout)
    known = words_of(rows, "timeline", f"({len(rows)} rows)")
    out = kg("query", "timeline", "-p", "entity", "IRGC").stdout
    lines = out.splitlines()
    assert max(map(len, lines)) > 80 and len(lines) == len(rows) + 5  # title, rules, header: one line per row
    cut = [w for w in table_words(out) if w not in known]
    assert cut and all(w.endswith("…") and w[:-1] in known for w in cut)
    full = kg("query", "timeline", "-p", "entity", "IRGC", "--full").stdout
    assert all(r["evidence"] in full for r in rows) and "…" not in full


# side by side near the limit of 80, 100 or 120 columns, or one block per row (corroborated-claims)
SHOWN = [["calls-for-designation"], ["leaders"], ["claim-sources", "-p", "subject", "US"],
         ["claims-in-article", "-p", "article", "2022-03-gaza-factions"], ["hierarchy", "-p", "group", "IRGC"],
         ["find-entity", "-p", "text", "Iran"], ["corroborated-claims", "-p", "min_outlets", "1"]]


def test_terminal_tables_fit_the_width_without_breaking_a_word(kg):
    kg("ingest", str(EXAMPLES))
    for args in SHOWN:
        rows = json.loads(kg("query", *args, "--format", "json").stdout)
        known = words_of(rows, args[0], f"({len(rows)}", "rows)", "row)")
        for width in (80, 100, 120):
            out = ANSI.sub("", kg("query", *args, terminal_width=width).stdout)
            assert max(map(len, out.splitlines())) <= width
            broken = [w for w in table_words(out) if not (w in known or (w.endswith("…") and w[:-1] in known))]
            assert not broken, (args[0], width, broken)


def test_counts_are_integers_and_csv_flags_true_or_false(kg):
    kg("ingest", str(EXAMPLES))
    matrix = json.loads(kg("query", "designation-matrix", "--format", "json").stdout)
    assert matrix and all(type(r["statements"]) is int and type(r["designated_by"]) is int for r in matrix)
    assert ".0" not in kg("query", "designation-matrix").stdout
    lines = kg("query", "leaders", "--format", "csv").stdout.splitlines()
    former = lines[0].split(",").index("former")
    assert {next(csv.reader([line]))[former] for line in lines[1:]} <= {"true", "false"}


def test_commands_that_do_not_analyse_never_import_spacy(kg, tmp_path):
    """Fast starts: spaCy, dateparser and rigour are for ingesting; `kg --help` and `kg queries`
    need no graph, so neither kg.api nor the engine's client either."""
    kg("ingest", str(ANSWERS / "timeline"))
    heavy = ["spacy", "dateparser", "rigour", "kg.api", "falkordb", "redis"]
    probe = (f"import atexit, sys; atexit.register(lambda: print(*[m for m in {heavy!r} if m in sys.modules], "
             "file=sys.stderr)); from kg.cli import main; sys.argv = ['kg', *sys.argv[1:]]; main()")
    env = {**os.environ, "KG_HOME": str(tmp_path / "home")}
    for args, imported in ((["--help"], ""), (["queries"], ""),
                           (["query", "timeline", "-p", "entity", "Iran"], "kg.api falkordb redis")):
        result = subprocess.run([sys.executable, "-c", probe, *args], env=env, capture_output=True, text=True)
        assert result.returncode == 0 and result.stderr.splitlines()[-1] == imported, (args, result.stderr)


def test_ingest_shows_a_loading_phase_then_a_rate_and_the_time_left(kg):
    shown = ANSI.sub("", kg("ingest", str(EXAMPLES), terminal_width=160).stderr)
    assert "loading the language model" in shown
    assert re.search(r"ingesting .* 4/4 articles .* claims [\d.]+ articles/s .* left", shown)
