"""The extraction pipeline for one article: clean text → paragraphs → spaCy → entities → claims.

`analyse_all` runs it over many articles, in worker processes when asked, yielding results in
input order so the graph is written the same way whatever the number of workers."""
from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

from spacy.tokens import Doc

from .gazetteer import gazetteer
from .extract import extract
from .model import Analysis, Article, gather
from .nlp import paragraphs, parse, parse_names
from .resolve import Resolved, resolve


BATCH = 16  # paragraphs per model batch: as cheap per word as larger ones, and an article is done soon


def parsed(article: Article) -> tuple[Resolved, list[tuple[int, Doc]]]:
    """The article's paragraphs parsed, their entities resolved (everywhere), and the body's
    paragraphs (offset, doc) that claims are looked for in."""
    return next(parsed_stream([article]))[1:]


def parsed_stream(articles: Iterable[Article]) -> Iterator[tuple[Article, Resolved, list[tuple[int, Doc]]]]:
    """`parsed` of each article, in order, the bodies of all of them parsed as one stream of
    paragraphs (BATCH at a time); each article comes out as soon as its last paragraph is parsed,
    so a progress bar moves article by article."""
    pending: deque[tuple[Article, list[tuple[int, str]], list[bool]]] = deque()

    def bodies() -> Iterator[str]:
        for article in articles:
            spans = list(paragraphs(article.text, 0, len(article.text)))
            in_body = [article.body_start <= offset < article.body_end for offset, _ in spans]
            pending.append((article, spans, in_body))
            yield from (text for (_, text), inside in zip(spans, in_body) if inside)

    stream = parse(bodies(), batch_size=BATCH)
    ready: deque[Doc] = deque()  # parsed paragraphs of the articles in `pending`, in order
    while True:
        if not pending:  # the model reads on; an article with no body paragraph needs nothing of it
            ready.extend(islice(stream, 1))
            if not pending:
                return
        article, spans, in_body = pending[0]
        need = sum(in_body)
        while len(ready) < need:
            ready.append(next(stream))
        pending.popleft()
        body_docs = [ready.popleft() for _ in range(need)]
        yield (article, *_resolved(article, spans, in_body, iter(body_docs)))


def _resolved(article: Article, spans: list[tuple[int, str]], in_body: list[bool],
              body_docs: Iterator[Doc]) -> tuple[Resolved, list[tuple[int, Doc]]]:
    other_docs = parse_names(text for (_, text), inside in zip(spans, in_body) if not inside)
    docs = [(offset, next(body_docs if inside else other_docs)) for (offset, _), inside in zip(spans, in_body)]
    for (_, text), (_, doc) in zip(spans, docs):
        if text in (article.title, f"By {article.author}"):  # Title Case fools the NER: gazetteer names only
            doc.ents = [e for e in doc.ents if e.label_ == "DATE"]
    # the NER's names from the body only: in the header and the page furniture after the body
    # (headline lists, "Latest news", ad-block notices) only the gazetteer's names count, so only
    # the tokenizer, sentencizer and span ruler run there (kg.nlp.parse_names)
    resolved = resolve(docs, names_from=(article.body_start, article.body_end))
    return resolved, [paragraph for paragraph, inside in zip(docs, in_body) if inside]


def analyse(article: Article) -> Analysis:
    return _analysis(article, *parsed(article))


def _analysis(article: Article, resolved: Resolved, body: list[tuple[int, Doc]]) -> Analysis:
    found = extract(article, body)
    entities = resolved.entities
    gather(entities, found.entities)
    for entity in list(entities.values()):  # a government body brings its state along
        if entity.country and entity.country not in entities:
            state = gazetteer().entities[entity.country]
            entities[state.key] = state
    return Analysis(article, entities, resolved.mentions + found.mentions, found.claims)


def _init_worker() -> None:
    from .nlp import pipeline

    pipeline()


def analyse_all(articles: Iterable[Article], workers: int = 1) -> Iterator[Analysis]:
    """`analyse` of each article, in input order, each as soon as it is done; in one process the
    bodies of all of them are parsed as one stream (parsed_stream)."""
    if workers <= 1:
        for article, resolved, body in parsed_stream(articles):
            yield _analysis(article, resolved, body)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_init_worker) as pool:
        yield from pool.imap(analyse, articles, chunksize=4)
