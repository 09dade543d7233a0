"""Bad files never stop a batch: each one gets a one-line message naming the file and the reason,
the good articles are still ingested, and the exit status says whether anything failed.

The fixed bad files live in tests/fixtures/bad-input/; the ones that cannot be stored in git (a
symbolic link loop, an oversized file, a copy of an article) are made in a temporary folder."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import EXAMPLES, FIXTURES
from kg import engine

ARTICLE = EXAMPLES / "2019-04-us-lists-irgc.txt"


def run_kg(home, *args):
    env = {**os.environ, "KG_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    return subprocess.run([sys.executable, "-m", "kg", *args], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One ingest of a folder mixing good articles with every kind of bad file."""
    root = tmp_path_factory.mktemp("bad-batch")
    corpus = root / "corpus"
    shutil.copytree(FIXTURES / "bad-input", corpus)
    shutil.copy(ARTICLE, corpus / "irgc.txt")
    shutil.copy(ARTICLE, corpus / "irgc-copy.txt")  # the same content under a second name
    (corpus / "huge.txt").write_text("The IRGC was listed. " * 2000)
    (corpus / "nested").mkdir()
    (corpus / "nested" / "back-up").symlink_to("..")  # a folder that contains itself
    result = run_kg(root / "home", "ingest", str(corpus), "--max-bytes", "20000")
    lines = result.stderr.splitlines()
    yield corpus, result, lines, root / "home"
    engine.stop(root / "home")


def line_about(lines, name):
    found = [line for line in lines if f"{os.sep}{name}:" in line]
    assert len(found) == 1, f"expected one line about {name} in:\n" + "\n".join(lines)
    return found[0]


def test_batch_with_bad_files_exits_non_zero_with_a_summary(batch):
    _, result, _, _ = batch
    assert result.returncode == 1
    summary = result.stdout.strip()
    assert summary.startswith("kg ingest: 3 articles written")
    assert "5 files FAILED" in summary and "2 files skipped" in summary


def test_empty_file_is_refused(batch):
    assert line_about(batch[2], "empty.txt").startswith("error:")
    assert "empty file" in line_about(batch[2], "empty.txt")


def test_whitespace_only_file_is_refused(batch):
    assert "no text (only whitespace)" in line_about(batch[2], "whitespace.txt")


def test_image_under_a_text_name_is_refused_as_binary(batch):
    assert "binary content, not text" in line_about(batch[2], "screenshot.txt")


def test_unknown_file_types_are_skipped_with_a_note(batch):
    assert line_about(batch[2], "pixel.png").startswith("skipped:")
    assert "not an article file type (.png)" in line_about(batch[2], "pixel.png")
    assert line_about(batch[2], "outlets.csv").startswith("skipped:")


def test_too_large_file_names_the_limit_and_the_option(batch):
    line = line_about(batch[2], "huge.txt")
    assert "too large" in line and "20,000" in line and "--max-bytes" in line


def test_symbolic_link_loop_is_read_once(batch):
    assert "symbolic link loop" in line_about(batch[2], "back-up")


def test_non_utf8_file_is_ingested_with_a_reported_fallback(batch):
    _, _, lines, home = batch
    assert "decoded as Windows-1252" in line_about(lines, "windows-1252.txt")
    entities = [json.loads(x) for x in run_kg(home, "export", "entities").stdout.splitlines()]
    assert "Quds Force" in {e["name"] for e in entities}


def test_html_is_ingested_as_its_visible_text(batch):
    _, _, lines, home = batch
    assert "visible text was extracted" in line_about(lines, "page.html")
    from kg.api import KnowledgeGraph

    with KnowledgeGraph.open(home=home) as graph:
        text = graph.article_text("page")
    assert "Canada listed the Quds Force as a terrorist entity" in text
    assert "tracker" not in text and "color" not in text and "<p>" not in text


def test_same_content_under_two_names_is_one_article_with_both_paths(batch):
    corpus, result, _, home = batch
    assert "1 duplicate files folded into their article" in result.stdout
    from kg.api import KnowledgeGraph

    with KnowledgeGraph.open(home=home) as graph:
        rows = graph.store.read("MATCH (a:Article) WHERE a.content_hash IS NOT NULL "
                                "AND size(a.paths) > 1 RETURN a.id AS id, a.paths AS paths")
    assert len(rows) == 1
    assert sorted(rows[0]["paths"]) == [str(corpus / "irgc-copy.txt"), str(corpus / "irgc.txt")]


def test_only_skipped_files_exit_zero(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ARTICLE, corpus / "irgc.txt")
    shutil.copy(FIXTURES / "bad-input" / "outlets.csv", corpus)
    result = run_kg(tmp_path / "home", "ingest", str(corpus))
    engine.stop(tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert "skipped:" in result.stderr and "1 files skipped" in result.stdout


def test_unreadable_file_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    shutil.copy(ARTICLE, secret)
    secret.chmod(0)
    if os.access(secret, os.R_OK):
        pytest.skip("running as root, which reads files whatever their permissions: "
                    "an unreadable file cannot be made here")
    from kg.read import Problem, read_article

    problem = read_article(secret)
    assert isinstance(problem, Problem) and "permission denied" in str(problem)
