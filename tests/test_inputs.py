"""Articles that come with their metadata or from elsewhere than files: JSON Lines, standard
input, pages and RSS feeds by URL (served here by a local HTTP server on 127.0.0.1)."""
import functools
import http.server
import json
import threading

import pytest

from conftest import FIXTURES

ANSWERS = FIXTURES / "answers"
ARTICLES = ("MATCH (a:Article) RETURN a.id AS id, a.title AS title, a.date AS date, a.outlet AS outlet, "
            "a.author AS author, a.paths AS paths ORDER BY id")


def articles(kg) -> dict[str, dict]:
    return {r["id"]: r for r in json.loads(kg("query", "--cypher", ARTICLES, "--format", "json").stdout)}


def test_json_lines_fields_win_over_what_the_reader_guesses(kg):
    result = kg("ingest", str(ANSWERS / "jsonl" / "articles.jsonl"), check=False)
    assert "2 articles written" in result.stdout
    found = articles(kg)
    assert set(found) == {"eu-lists-hamas", "articles-2"}  # a record without an id: file name and line
    given = found["eu-lists-hamas"]
    assert (given["title"], given["date"], given["outlet"], given["author"]) == (
        "Given Title", "2021-03-02", "Wire Desk", "Ada Quill")  # not the text's headline and dateline
    assert given["paths"] == ["https://news.example.org/eu-lists-hamas"]
    claims = json.loads(kg("query", "claims-in-article", "-p", "article", "eu-lists-hamas", "--format", "json").stdout)
    assert ("European Union", "DESIGNATED_AS_TERRORIST", "Hamas") in {
        (c["subject"], c["predicate"], c["object"]) for c in claims}


def test_a_bad_json_lines_record_is_one_error_naming_its_line_and_the_rest_is_ingested(kg):
    result = kg("ingest", str(ANSWERS / "jsonl" / "articles.jsonl"), check=False)
    path = ANSWERS / "jsonl" / "articles.jsonl"
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and errors[0].startswith(f"error: {path}:3: not JSON (")
    assert errors[1] == f'error: {path}:4: no text (the record needs a non-empty "text")'
    assert result.returncode == 1 and "2 articles written" in result.stdout


def test_standard_input_takes_plain_text_or_json_lines(kg):
    text = "Iran supports Hezbollah, a report said on Tuesday.\n"
    first = kg("ingest", "-", stdin=text)
    assert "1 articles written" in first.stdout
    assert "0 articles written" in kg("ingest", "-", stdin=text).stdout  # the same text is the same article
    (plain,) = articles(kg)
    assert plain.startswith("stdin-")
    kg("ingest", "-", stdin=json.dumps({"id": "piped", "text": text.replace("Tuesday", "Friday")}) + "\n")
    assert "piped" in articles(kg)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def site(tmp_path):
    """The pages and feed of tests/fixtures/answers/web, served on 127.0.0.1; yields its base URL."""
    root = tmp_path / "site"
    root.mkdir()
    for page in (ANSWERS / "web").glob("*.html"):
        (root / page.name).write_text(page.read_text())
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    host = f"127.0.0.1:{server.server_address[1]}"
    (root / "feed.xml").write_text((ANSWERS / "web" / "feed.xml").read_text().replace("{host}", host))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://{host}"
    server.shutdown()


def test_an_rss_feed_brings_each_entrys_page_with_the_entrys_metadata(kg, site):
    result = kg("ingest", f"{site}/feed.xml", check=False)
    assert "2 articles written" in result.stdout
    assert f"error: {site}/gone.html: the server answered 404" in result.stderr and result.returncode == 1
    found = articles(kg)
    listed = found["ottawa-lists-guards"]
    assert (listed["title"], listed["date"], listed["outlet"]) == (
        "Canada Lists the Guards as Terrorists", "2024-06-19", "Northern Ledger World")
    assert listed["paths"] == [f"{site}/ottawa-lists-guards.html"]
    claims = json.loads(kg("query", "claims-in-article", "-p", "article", "ottawa-lists-guards",
                           "--format", "json").stdout)
    assert ("Canada", "DESIGNATED_AS_TERRORIST", "Islamic Revolutionary Guard Corps") in {
        (c["subject"], c["predicate"], c["object"]) for c in claims}
    assert "Copyright" not in json.dumps(claims) and "Home" not in json.dumps(claims)  # the page's text only


def test_a_list_of_urls_reads_each_page_with_what_the_page_says_of_itself(kg, site, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# pages to read\n{site}/brussels-weighs-listing.html\n\n{site}/missing.html\n")
    result = kg("ingest", "--urls", str(listing), check=False)
    assert "1 articles written" in result.stdout and f"error: {site}/missing.html" in result.stderr
    page = articles(kg)["brussels-weighs-listing"]
    assert page["title"].startswith("Brussels Weighs a Listing")
    calls = json.loads(kg("query", "calls-for-designation", "--format", "json").stdout)
    assert [(c["caller"], c["addressees"]) for c in calls] == [("Germany", ["European Union"])]


def test_a_page_with_a_paragraph_over_the_language_models_limit_is_refused_by_its_url(kg, site, tmp_path):
    (tmp_path / "site" / "one-line.html").write_text(  # served by `site`
        "<html><body><article><p>" + "The IRGC was listed again " * 40_000 + "</p></article></body></html>")
    result = kg("ingest", f"{site}/one-line.html", f"{site}/brussels-weighs-listing.html", check=False)
    assert "Traceback" not in result.stderr and result.returncode == 1
    [line] = [line for line in result.stderr.splitlines() if "one-line.html" in line]
    assert line.startswith(f"error: {site}/one-line.html: a paragraph of 1,0") and "1,000,000" in line
    assert "1 articles written" in result.stdout


def test_a_dateline_with_the_agency_and_date_in_brackets_is_left_out_of_the_first_sentence():
    from kg.nlp import paragraphs

    text = "ISLAMABAD, (Example Wire - Sample News - 11th Aug, 2025) The United States has designated the group."
    assert list(paragraphs(text, 0, len(text))) == [(text.index("The United"), "The United States has designated the group.")]


def test_an_acronym_in_brackets_opening_a_sentence_is_no_dateline():
    from kg.nlp import paragraphs

    text = "NATO (the alliance) said it had no plans."
    assert list(paragraphs(text, 0, len(text))) == [(0, text)]
