"""The extraction pipeline for one article: clean text → paragraphs → spaCy → entities → claims.

`analyse_all` runs it over many articles, in worker processes when asked, yielding results in
input order so the graph is written the same way whatever the number of workers."""
from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from .gazetteer import gazetteer
from .extract import extract
from .model import Analysis, Article, gather
from .nlp import paragraphs, parse, parse_names
from .resolve import Resolved, resolve


def parsed(article: Article) -> tuple[Resolved, list[tuple[int, Doc]]]:
    """The article's paragraphs parsed, their entities resolved (everywhere), and the body's
    paragraphs (offset, doc) that claims are looked for in."""
    spans = list(paragraphs(article.text, 0, len(article.text)))
    in_body = [article.body_start <= offset < article.body_end for offset, _ in spans]
    body_docs = parse(text for (_, text), inside in zip(spans, in_body) if inside)
    other_docs = parse_names(text for (_, text), inside in zip(spans, in_body) if not inside)
    docs = [(offset, next(body_docs if inside else other_docs)) for (offset, _), inside in zip(spans, in_body)]
    for (_, text), (_, doc) in zip(spans, docs):
        if text in (article.title, f"By {article.author}"):  # Title Case fools the NER: gazetteer names only
            doc.ents = [e for e in doc.ents if e.label_ == "DATE"]
    # the NER's names from the body only: in the header and the page furniture after the body
    # (headline lists, "Latest news", ad-block notices) only the gazetteer's names count, so only
    # the tokenizer, sentencizer and span ruler run there (kg.nlp.parse_names)
    resolved = resolve(docs, names_from=(article.body_start, article.body_end))
    body = [paragraph for paragraph, inside in zip(docs, in_body) if inside]
    return resolved, body


def analyse(article: Article) -> Analysis:
    resolved, body = parsed(article)
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
    if workers <= 1:
        yield from map(analyse, articles)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_init_worker) as pool:
        yield from pool.imap(analyse, articles, chunksize=4)
