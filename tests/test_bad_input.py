"""Bad files never stop a batch: each one gets a one-line message naming the file and the reason,
the good articles are still ingested, and the exit status says whether anything failed.

The fixed bad files live in tests/fixtures/bad-input/; the ones that cannot be stored in git (a
symbolic link loop, an oversized file, a copy of an article, a FIFO, a link to /etc/passwd, a file
name that is not UTF-8, NUL bytes) are made in a temporary folder."""
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


def _ingested(root, target):
    """`kg ingest target` into root/home: (target, the run, its stderr lines, the home); then the engine stopped."""
    result = run_kg(root / "home", "ingest", str(target))
    yield target, result, result.stderr.splitlines(), root / "home"
    engine.stop(root / "home")


def _assert_failed_but_wrote(result, articles: int) -> None:
    """The ingest exited 1 without a traceback, having written the good articles."""
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert result.stdout.strip().startswith(f"kg ingest: {articles} articles written")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """One ingest of a folder holding a good article beside the files an adversarial user would try."""
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    corpus.mkdir()
    text = ARTICLE.read_text()
    shutil.copy(ARTICLE, corpus / "irgc.txt")
    (corpus / "one-line.txt").write_text("The IRGC was listed again " * 40_000 + "\n")  # 1,040,000 characters
    filler = "\n\n".join(["Markets in the region were largely unmoved by the news."] * 100)
    late = text.replace("\n\n", "\n\n" + filler + "\n\n", 1).replace("Quds Force", "Quds\x00 Force")
    assert late.index("\x00") > 4096
    (corpus / "nul-late.txt").write_text(late)
    (corpus / "utf-16.txt").write_bytes(text.replace("2019", "2018").encode("utf-16"))  # with its BOM
    (corpus / os.fsdecode(b"caf\xe9.txt")).write_text(text.replace("2019", "2017"))
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    yield from _ingested(root, corpus)


def test_hostile_batch_lands_the_good_files_and_exits_non_zero(hostile):
    _, result, _, _ = hostile
    _assert_failed_but_wrote(result, 3)
    assert "3 files FAILED" in result.stdout and "1 files skipped" in result.stdout


def test_a_paragraph_over_the_language_models_limit_is_refused_by_name(hostile):
    line = line_about(hostile[2], "one-line.txt")
    assert line.startswith("error:") and "1,040,000 characters" in line and "1,000,000" in line


def test_nul_bytes_past_the_first_block_are_removed_with_a_warning(hostile):
    _, _, lines, home = hostile
    line = line_about(lines, "nul-late.txt")
    assert line.startswith("warning:") and "1 NUL characters removed" in line
    from kg.api import KnowledgeGraph

    with KnowledgeGraph.open(home=home) as graph:
        [row] = graph.store.read("MATCH (a:Article {id: 'nul-late'}) RETURN a.claims AS claims")
        text = graph.article_text("nul-late")
    assert "\x00" not in text and "Quds Force" in text and row["claims"] > 0


def test_utf16_with_a_byte_order_mark_is_decoded_as_text(hostile):
    _, _, lines, home = hostile
    assert "decoded as UTF-16 (byte order mark)" in line_about(lines, "utf-16.txt")
    from kg.api import KnowledgeGraph

    with KnowledgeGraph.open(home=home) as graph:
        [row] = graph.store.read("MATCH (a:Article {id: 'utf-16'})-[:STATES]->(c:Claim)-[:OF]->(f:Fact) "
                                 "WHERE f.predicate = 'DESIGNATED_AS_TERRORIST' RETURN count(c) > 0 AS found")
    assert row["found"]


def test_a_file_name_that_is_not_utf8_is_refused_by_a_printable_name(hostile):
    line = line_about(hostile[2], "caf\N{REPLACEMENT CHARACTER}.txt")
    assert line.startswith("error:") and "file name is not valid UTF-8" in line


def test_a_fifo_is_skipped_by_name_without_blocking(hostile):
    line = line_about(hostile[2], "pipe.txt")
    assert line.startswith("skipped:") and "not a regular file (a FIFO)" in line


def test_a_link_to_a_file_outside_the_folders_given_is_refused(hostile):
    _, _, lines, home = hostile
    line = line_about(lines, "passwd.txt")
    assert line.startswith("error:") and "outside the folders given" in line and "--follow-links" in line
    from kg.api import KnowledgeGraph

    with KnowledgeGraph.open(home=home) as graph:
        assert graph.store.read("MATCH (a:Article {id: 'passwd'}) RETURN a.id AS id") == []


def test_follow_links_reads_links_outside_and_still_skips_devices(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "irgc.txt").symlink_to(ARTICLE)
    (corpus / "zero.txt").symlink_to("/dev/zero")
    result = run_kg(tmp_path / "home", "ingest", str(corpus), "--follow-links")
    engine.stop(tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert "kg ingest: 1 articles written" in result.stdout
    assert "not a regular file (a device): skipped" in line_about(result.stderr.splitlines(), "zero.txt")


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    """One ingest of a JSON Lines file: a good record beside the records an adversarial user would write."""
    root = tmp_path_factory.mktemp("hostile-records")
    text = ARTICLE.read_text()
    lines = [{"id": "irgc", "text": text},
             {"id": "one-line", "text": "The IRGC was listed again " * 40_000},  # 1,040,000 characters, one paragraph
             {"id": "surrogate", "text": text.replace("Quds Force", "Quds\ud800 Force")},  # valid JSON: "\ud800"
             {"id": "nul", "text": text.replace("2019", "2016").replace("Quds Force", "Quds\x00 Force")}]
    path = root / "records.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    yield from _ingested(root, path)


def test_hostile_records_are_refused_by_line_and_the_good_one_lands(records):
    _, result, _, home = records
    _assert_failed_but_wrote(result, 1)
    from kg.api import KnowledgeGraph

    with KnowledgeGraph.open(home=home) as graph:
        assert graph.store.read("MATCH (a:Article) RETURN a.id AS id, a.status AS status") == [
            {"id": "irgc", "status": "done"}]
    doctor = run_kg(home, "doctor")
    assert doctor.returncode == 0 and "no problems found" in doctor.stdout, doctor.stdout


def test_a_record_with_a_paragraph_over_the_language_models_limit_is_refused_by_line(records):
    line = line_about(records[2], "records.jsonl:2")
    assert line.startswith("error:") and "a paragraph of 1,040,000 characters" in line and "1,000,000" in line


def test_a_record_with_a_lone_surrogate_is_refused_by_line(records):
    line = line_about(records[2], "records.jsonl:3")
    assert line.startswith("error:") and "its text holds a lone surrogate (\\ud800" in line
    assert "not valid Unicode" in line


def test_a_record_the_graph_cannot_store_is_refused_before_its_batch_is_sent(records):
    # a NUL byte survives reading a JSON Lines record ("\u0000"); the row check before writing refuses
    # the article, where FalkorDB would have kept the half of the batch before the failing statement
    line = line_about(records[2], "records.jsonl:4")
    assert line == f"error: {records[0]}:4: cannot be written to the graph: it holds a NUL byte"


def test_standard_input_with_a_paragraph_over_the_limit_is_refused_and_the_file_beside_it_lands(tmp_path):
    env = {**os.environ, "KG_HOME": str(tmp_path / "home")}
    env.pop("NEO4J_URI", None)
    result = subprocess.run([sys.executable, "-m", "kg", "ingest", "-", str(ARTICLE)], env=env, capture_output=True,
                            text=True, timeout=300, input="The IRGC was listed again " * 40_000)
    engine.stop(tmp_path / "home")
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    [line] = [line for line in result.stderr.splitlines() if "<stdin>" in line]
    assert line.startswith("error: <stdin>: a paragraph of 1,040,000 characters")
    assert result.stdout.strip().startswith("kg ingest: 1 articles written")


def test_json_lines_on_standard_input_refuse_a_bad_record_by_line(tmp_path):
    env = {**os.environ, "KG_HOME": str(tmp_path / "home")}
    env.pop("NEO4J_URI", None)
    text = ARTICLE.read_text()
    piped = json.dumps({"id": "irgc", "text": text}) + "\n" + json.dumps({"text": "Quds\udfff Force"}) + "\n"
    result = subprocess.run([sys.executable, "-m", "kg", "ingest", "-"], env=env, capture_output=True, text=True,
                            timeout=300, input=piped)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert "error: <stdin>:2: its text holds a lone surrogate (\\udfff at character 4)" in result.stderr
    assert result.stdout.strip().startswith("kg ingest: 1 articles written")

    # plain text that is not UTF-8 is read as a file would be: as Windows-1252, with a warning
    result = subprocess.run([sys.executable, "-m", "kg", "ingest", "-"], env=env, capture_output=True, timeout=300,
                            input=text.replace("2019", "2015").replace("Quds Force", "Quds Force \xe9t\xe9").encode("cp1252"))
    engine.stop(tmp_path / "home")
    assert b"Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert b"warning: <stdin>: not valid UTF-8; decoded as Windows-1252" in result.stderr
    assert result.stdout.strip().startswith(b"kg ingest: 1 articles written")
