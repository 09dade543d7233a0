"""The pipeline for one article: the body is parsed whole, the page furniture after it only for the
gazetteer's names (that is all kg reads there), and its names still count as mentions."""
import hashlib

from kg.clean import normalise, segment
from kg.model import Article
from kg.pipeline import analyse, parsed

TEXT = """Harbour patrols stepped up

Canada said on Monday that Hamas remains on its list of terrorist entities.

Latest news

Ministers Meet Hezbollah Envoys in Secret Talks

Share this article
"""


def article() -> Article:
    text = normalise(TEXT)
    return segment(Article(id="furniture", path="-", text=text, content_hash=hashlib.sha256(text.encode()).hexdigest()))


def test_page_furniture_is_read_for_the_gazetteers_names_only():
    a = article()
    resolved, body = parsed(a)
    assert [doc.text for _, doc in body] == ["Harbour patrols stepped up",
                                             "Canada said on Monday that Hamas remains on its list of terrorist entities."]
    assert all(t.dep_ and t.pos_ for _, doc in body for t in doc)
    headline = a.text.index("Ministers Meet")
    assert any(m.entity == "hezbollah" and m.start >= headline for m in resolved.mentions)


def test_the_body_still_gives_its_claims():
    claims = {(c.predicate, c.subject, c.object) for c in analyse(article()).claims}
    assert claims == {("DESIGNATED_AS_TERRORIST", "canada", "hamas")}


def test_ingest_reports_each_article_as_soon_as_the_model_has_read_it(graph, tmp_path, monkeypatch):
    """The progress callback hears of each article once its paragraphs are parsed, not after the
    articles parsed with it: twelve articles of twenty paragraphs, written four at a time."""
    from kg import pipeline

    folder = tmp_path / "harbours"
    folder.mkdir()
    for n in range(12):
        lines = [f"Harbour report {n}", "", "March 2, 2023", ""]
        lines += [f"The port authority of harbour {n} counted {k} ships on the northern quay." for k in range(20)]
        (folder / f"harbour-{n:02}.txt").write_text("\n\n".join(lines) + "\n")
    fed = [0]  # paragraphs handed to the model so far

    def counting(texts, batch_size):
        def counted():
            for text in texts:
                fed[0] += 1
                yield text
        return parse(counted(), batch_size)

    parse = pipeline.parse
    monkeypatch.setattr(pipeline, "parse", counting)
    reported: list[int] = []  # paragraphs fed when each article was reported done
    report = graph.ingest([folder], batch_size=4,
                          progress=lambda event, n: reported.append(fed[0]) if event == "article" else None)
    assert report.written == 12 and len(reported) == 12
    body = fed[0] // 12  # paragraphs of an article's body: headline, dateline and twenty
    ahead = 32  # the model takes paragraphs 16 at a time, and holds the next 16 while it works
    assert all(given <= body * (k + 1) + ahead for k, given in enumerate(reported)), reported
