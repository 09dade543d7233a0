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
