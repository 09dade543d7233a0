"""Articles from the web: a page's URL, or an RSS/Atom feed's URL whose every entry's page is
read. feedparser reads feeds, trafilatura finds a page's article text and metadata (title,
author, date, site name); what a feed entry says about itself wins over what the page suggests.
Each URL that cannot be read is one Problem naming it; the others are still read."""
from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from .clean import normalise, segment
from .model import Article
from .names import slug
from .read import Problem, _too_long

TIMEOUT = 30  # seconds per request
USER_AGENT = "kg (knowledge graph of news articles)"
_FEED_TYPES = ("rss", "atom", "xml")


def is_url(text: str) -> bool:
    return bool(re.match(r"^https?://", str(text)))


def urls_in(path: Path) -> list[str]:
    """The URLs of a list file: one a line; blank lines and lines starting with # are left out."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_url(url: str, max_bytes: int) -> Iterator[Article | Problem]:
    """The article at `url`, or, when it is a feed, the article of each of its entries."""
    try:
        body, kind = _fetch(url, max_bytes)
    except ValueError as exc:
        yield Problem(url, str(exc))
        return
    if any(t in kind for t in _FEED_TYPES) or body.lstrip()[:200].lower().startswith((b"<?xml", b"<rss", b"<feed")):
        yield from _feed(url, body, max_bytes)
    else:
        yield _page(url, body)


def _fetch(url: str, max_bytes: int) -> tuple[bytes, str]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            body = response.read(max_bytes + 1)
            kind = response.headers.get("Content-Type", "").lower()
    except urllib.error.HTTPError as exc:
        raise ValueError(f"the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise ValueError(f"cannot fetch it ({getattr(exc, 'reason', exc)})") from None
    if len(body) > max_bytes:
        raise ValueError(f"too large (over {max_bytes:,} bytes, see --max-bytes)")
    return body, kind


def _feed(url: str, body: bytes, max_bytes: int) -> Iterator[Article | Problem]:
    import feedparser

    feed = feedparser.parse(body)
    if not feed.entries:
        yield Problem(url, f"a feed without entries ({feed.get('bozo_exception') or 'nothing to read'})")
        return
    outlet = feed.feed.get("title")
    for entry in feed.entries:
        link = entry.get("link")
        if not link:
            yield Problem(url, f"feed entry {entry.get('title', '?')!r} has no link")
            continue
        try:
            page, _ = _fetch(link, max_bytes)
        except ValueError as exc:
            yield Problem(link, f"{exc} (an entry of the feed {url})")
            continue
        published = entry.get("published_parsed") or entry.get("updated_parsed")
        yield _page(link, page, title=entry.get("title"), author=entry.get("author"), outlet=outlet,
                    day=date(*published[:3]).isoformat() if published else None)


def _page(url: str, body: bytes, title: str | None = None, author: str | None = None, outlet: str | None = None,
          day: str | None = None) -> Article | Problem:
    import trafilatura

    found = trafilatura.bare_extraction(body.decode("utf-8", errors="replace"), url=url, with_metadata=True,
                                        include_comments=False)
    if found is None or not (found.text or "").strip():
        return Problem(url, "no article text found on the page")
    too_long = _too_long(found.text)
    if too_long:
        return Problem(url, too_long)
    text = normalise(found.text)
    article = Article(id=_id_of(url), path=url, paths=[url], text=text,
                      content_hash=hashlib.sha256(text.encode()).hexdigest(),
                      title=title or found.title, author=author or found.author,
                      outlet=outlet or found.sitename, date=day or found.date)
    return segment(article)


def _id_of(url: str) -> str:
    """A readable id: the page's last path segment (without extension), else its host."""
    parts = urlsplit(url)
    last = Path(parts.path).stem if parts.path.strip("/") else ""
    return slug(last or parts.netloc)
