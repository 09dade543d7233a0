"""The extraction pipeline for one article: clean text → paragraphs → spaCy → entities → claims.

`analyse_all` runs it over many articles, in worker processes when asked, yielding results in
input order so the graph is written the same way whatever the number of workers."""
from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from itertools import islice

from spacy.tokens import Doc

from .gazetteer import gazetteer
from .extract import extract
from .model import Analysis, Article, gather
from .nlp import paragraphs, parse, parse_names
from .resolve import Resolved, resolve


TOGETHER = 8  # articles whose bodies are parsed as one stream by analyse_all
BATCH = 256  # paragraphs per model batch: larger batches cost the model less per word


def parsed(article: Article) -> tuple[Resolved, list[tuple[int, Doc]]]:
    """The article's paragraphs parsed, their entities resolved (everywhere), and the body's
    paragraphs (offset, doc) that claims are looked for in."""
    return parsed_together([article])[0]


def parsed_together(articles: list[Article]) -> list[tuple[Resolved, list[tuple[int, Doc]]]]:
    """`parsed` of each article, the bodies of all of them parsed as one stream."""
    split = []
    for article in articles:
        spans = list(paragraphs(article.text, 0, len(article.text)))
        split.append((spans, [article.body_start <= offset < article.body_end for offset, _ in spans]))
    body_docs = parse((text for spans, in_body in split for (_, text), inside in zip(spans, in_body) if inside),
                      batch_size=BATCH)
    out = []
    for article, (spans, in_body) in zip(articles, split):
        other_docs = parse_names(text for (_, text), inside in zip(spans, in_body) if not inside)
        docs = [(offset, next(body_docs if inside else other_docs)) for (offset, _), inside in zip(spans, in_body)]
        for (_, text), (_, doc) in zip(spans, docs):
            if text in (article.title, f"By {article.author}"):  # Title Case fools the NER: gazetteer names only
                doc.ents = [e for e in doc.ents if e.label_ == "DATE"]
        # the NER's names from the body only: in the header and the page furniture after the body
        # (headline lists, "Latest news", ad-block notices) only the gazetteer's names count, so only
        # the tokenizer, sentencizer and span ruler run there (kg.nlp.parse_names)
        resolved = resolve(docs, names_from=(article.body_start, article.body_end))
        out.append((resolved, [paragraph for paragraph, inside in zip(docs, in_body) if inside]))
    return out


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
    """`analyse` of each article, in input order; in one process the bodies of TOGETHER articles at a
    time are parsed as one stream."""
    if workers <= 1:
        for chunk in _chunks(articles, TOGETHER):
            for article, (resolved, body) in zip(chunk, parsed_together(chunk)):
                yield _analysis(article, resolved, body)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_init_worker) as pool:
        yield from pool.imap(analyse, articles, chunksize=4)



def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
