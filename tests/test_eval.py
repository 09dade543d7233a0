"""`kg eval` as an analyst runs it on articles they annotated: tests/gold holds sentences written for
kg with a hand-made gold file; each predicate has a floor the extraction must keep."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parent / "gold"
FLOORS = {"micro": 0.85, "DESIGNATED_AS_TERRORIST": 0.85, "LEADS": 1.0, "PART_OF": 0.9, "SUPPORTS": 0.9,
          "DENIED_DESIGNATION": 1.0}


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    home = tmp_path_factory.mktemp("eval-home")
    out = subprocess.run([sys.executable, "-m", "kg", "--home", str(home), "eval", "--gold", str(GOLD / "gold.json"),
                          str(GOLD / "articles"), "--format", "json", "--by-rule"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout), home


def test_eval_reports_every_predicate_of_the_gold_with_counts(result):
    report, _ = result
    assert set(report["predicates"]) == {c["predicate"] for c in json.loads((GOLD / "gold.json").read_text())["claims"]}
    assert all({"P", "R", "F1", "tp", "fp", "fn"} <= set(v) for v in report["predicates"].values())


@pytest.mark.parametrize("name, floor", FLOORS.items())
def test_extraction_keeps_its_floor_on_our_own_gold(result, name, floor):
    report, _ = result
    f1 = report["micro"]["F1"] if name == "micro" else report["predicates"][name]["F1"]
    assert f1 >= floor, report["misses"] + report["extras"]


def test_no_negative_of_the_gold_is_extracted(result):
    assert result[0]["unsupported"] == 0, result[0]["negatives_hit"]


def test_eval_by_rule_counts_each_rule_and_kg_rules_shows_it(result):
    report, home = result
    assert report["rules"]["leads.title_before_name"]["tp"] >= 1
    rules = json.loads(subprocess.run([sys.executable, "-m", "kg", "--home", str(home), "rules", "--format", "json"],
                                      capture_output=True, text=True, check=True).stdout)
    shown = {r["id"]: r for r in rules}
    assert shown["leads.title_before_name"]["last_eval"]["tp"] == report["rules"]["leads.title_before_name"]["tp"]
    assert all(r["examples"] for r in rules)


def test_a_gold_file_that_is_not_json_is_one_error_line(tmp_path):
    bad = tmp_path / "gold.json"
    bad.write_text("{not json")
    run = subprocess.run([sys.executable, "-m", "kg", "--home", str(tmp_path), "eval", "--gold", str(bad),
                          str(GOLD / "articles")], capture_output=True, text=True)
    assert run.returncode != 0 and str(bad) in run.stderr and "Traceback" not in run.stderr
