"""Find article files and read them into `Article`s, refusing bad input with a reason that
names the file, so one broken file never stops a batch."""
from __future__ import annotations

import codecs
import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .clean import normalise, segment
from .model import Article

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
DEFAULT_MAX_BYTES = 5_000_000
MAX_PARAGRAPH = 1_000_000  # spaCy's default nlp.max_length: the longest text one parse takes
# text with a byte order mark: its encoding (UTF-32 first, as its little-endian mark starts like UTF-16's)
BOMS = [(codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16")]


@dataclass
class Problem:
    """A file that was not ingested (`skipped` files are not errors: just not articles)."""

    path: str
    reason: str
    skipped: bool = False

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def shown(path: Path | str) -> str:
    """A path as it can be printed, even when its name is not valid UTF-8."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def find_files(paths: Iterable[str | Path], follow_links: bool = False) -> Iterator[Path | Problem]:
    """Every file under `paths`, in a stable order; symlink loops, unreadable folders, FIFOs and
    devices are reported, and so are symbolic links leading outside the folders given (unless
    `follow_links`): a link to /etc/passwd in a folder of articles is not an article."""
    paths = list(map(Path, paths))
    inside = [os.path.realpath(p) for p in paths if p.is_dir()]
    for root in paths:
        if root.is_dir():
            seen: set[str] = set()
            yield from _walk(root, seen, None if follow_links else inside)
        elif root.exists() or root.is_symlink():
            yield _not_regular(root) or root
        else:
            yield Problem(shown(root), "no such file or folder")


def _not_regular(path: Path) -> Problem | None:
    """Why `path` is not a file to read (a FIFO would block the read forever), or None."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return Problem(shown(path), "broken symbolic link: skipped", skipped=True)
    except OSError as exc:
        return Problem(shown(path), f"cannot read the file ({exc.strerror})")
    if stat.S_ISREG(mode):
        return None
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return Problem(shown(path), f"not a regular file ({kind}): skipped", skipped=True)


def _outside(path: Path, inside: list[str] | None) -> Problem | None:
    if inside is None or not path.is_symlink():
        return None
    target = os.path.realpath(path)
    if any(target == folder or target.startswith(folder.rstrip(os.sep) + os.sep) for folder in inside):
        return None
    return Problem(shown(path), f"symbolic link to {shown(target)}, outside the folders given: refused "
                                f"(--follow-links reads it)")


def _walk(folder: Path, seen: set[str], inside: list[str] | None) -> Iterator[Path | Problem]:
    real = os.path.realpath(folder)
    if real in seen:
        yield Problem(shown(folder), "symbolic link loop: this folder was already read, skipped")
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield Problem(shown(folder), f"cannot list folder ({exc.strerror})")
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        refused = _outside(path, inside)
        if refused:
            yield refused
        elif entry.is_dir():
            yield from _walk(path, seen, inside)
        else:
            yield _not_regular(path) or path


class _TextOfHtml(HTMLParser):
    """Visible text of an HTML page, one block per line."""

    BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "li", "title", "article", "section", "tr"}
    HIDDEN = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden:
            self.hidden -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, text):
        if not self.hidden:
            self.parts.append(" ".join(text.split()) if text.strip() else "")

    def text(self) -> str:
        lines = [ln.strip() for ln in "".join(self.parts).split("\n")]
        return "\n\n".join(ln for ln in lines if ln)


def read_article(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Article | Problem:
    """Read one file into an Article, or say why it cannot be one."""
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        return Problem(shown(path), f"not an article file type ({suffix or 'no extension'}): skipped", skipped=True)
    if shown(path) != str(path):
        return Problem(shown(path), "the file name is not valid UTF-8: rename the file")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Problem(str(path), f"too large ({size:,} bytes; the limit is {max_bytes:,}, see --max-bytes)")
        raw = path.read_bytes()
    except PermissionError:
        return Problem(str(path), "permission denied: cannot read the file")
    except OSError as exc:
        return Problem(str(path), f"cannot read the file ({exc.strerror})")
    warnings = []
    encoding = next((name for bom, name in BOMS if raw.startswith(bom)), None)
    if encoding:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            return Problem(str(path), f"not valid {encoding.upper()} (byte {exc.start}) despite its byte order mark")
        warnings.append(f"decoded as {encoding.upper()} (byte order mark)")
    elif raw.startswith((b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04")) or b"\x00" in raw[:4096]:
        return Problem(str(path), "binary content, not text")
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            text = raw.decode("cp1252", errors="replace")
            warnings.append(f"not valid UTF-8 (byte {exc.start}); decoded as Windows-1252")
    if "\x00" in text:
        warnings.append(f"{text.count(chr(0))} NUL characters removed")
        text = text.replace("\x00", "")
    if suffix in HTML_SUFFIXES or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        parser = _TextOfHtml()
        parser.feed(text)
        text = parser.text()
        warnings.append("HTML: its visible text was extracted")
    if not text.strip():
        return Problem(str(path), "empty file" if not raw else "no text (only whitespace)")
    too_long = _too_long(text)
    if too_long:
        return Problem(str(path), too_long)
    text = normalise(text)
    article = Article(id=path.stem, path=str(path), paths=[str(path)], text=text, warnings=warnings,
                      content_hash=hashlib.sha256(text.encode()).hexdigest())
    return segment(article)


def _too_long(text: str) -> str | None:
    """Why the language model cannot parse `text` (a paragraph longer than one parse takes), or None."""
    longest = max(map(len, text.split("\n")))
    if longest > MAX_PARAGRAPH:
        return (f"a paragraph of {longest:,} characters, over the {MAX_PARAGRAPH:,} the language model reads at "
                f"once: break it into paragraphs (line breaks)")
    return None


def _lone_surrogate(text: str) -> str | None:
    """Where `text` holds a lone surrogate (valid in JSON, "\\ud800", but not Unicode text), or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"a lone surrogate (\\u{ord(text[exc.start]):04x} at character {exc.start:,})"
    return None


@dataclass
class Copy:
    """A file whose content is an article already read under another name: one article, both names."""

    article_id: str
    path: str


def read_articles(paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES,
                  follow_links: bool = False) -> Iterator[Article | Copy | Problem]:
    """Articles under `paths`, one per distinct content; a second file with an already used id is refused.
    A path may also be `-` (standard input), a URL (a page or a feed) or a JSON Lines file."""
    id_of_hash: dict[str, str] = {}
    path_of_id: dict[str, str] = {}
    for item in _read_sources(paths, max_bytes, follow_links):
        if isinstance(item, Problem):
            yield item
        elif item.content_hash in id_of_hash:
            yield Copy(id_of_hash[item.content_hash], item.path)
        elif item.id in path_of_id:
            yield Problem(item.path, f"article id {item.id!r} is already used by {path_of_id[item.id]}: rename the file")
        else:
            id_of_hash[item.content_hash] = item.id
            path_of_id[item.id] = item.path
            yield item


JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSONL_FIELDS = {"id", "text", "title", "date", "outlet", "url", "author"}


def _read_sources(paths: Iterable[str | Path], max_bytes: int, follow_links: bool = False) -> Iterator[Article | Problem]:
    """Every article of `paths` in order: files and folders, `-` for standard input, URLs."""
    from .feeds import is_url, read_url

    for path in paths:
        if str(path) == "-":
            yield from read_stdin(max_bytes)
        elif is_url(path):
            yield from read_url(str(path), max_bytes)
        else:
            for found in find_files([path], follow_links):
                if isinstance(found, Problem):
                    yield found
                elif found.suffix.lower() in JSONL_SUFFIXES:
                    yield from read_jsonl(found, max_bytes)
                else:
                    yield read_article(found, max_bytes)


def read_stdin(max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Problem]:
    """Standard input: JSON Lines when it starts with `{`, else one plain-text article whose id
    is `stdin-` and the start of its content digest. Bytes that are not UTF-8 are kept as
    surrogates ("surrogateescape") and then read as a file's would be, whatever the locale."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        raw = buffer.read(max_bytes + 1)
        over, text = len(raw) > max_bytes, raw.decode("utf-8-sig", errors="surrogateescape")
    else:  # a text stream put in its place (a notebook, a test)
        text = sys.stdin.read(max_bytes + 1)
        over = len(text) > max_bytes
    if over:
        yield Problem("<stdin>", f"too large (over {max_bytes:,} bytes, see --max-bytes)")
    elif text.lstrip().startswith("{"):
        yield from _jsonl_records("<stdin>", text.splitlines(), "stdin")
    elif not text.strip():
        yield Problem("<stdin>", "no text on standard input")
    else:
        warnings = []
        if _lone_surrogate(text):  # bytes that are not UTF-8, kept by the reader as surrogates
            try:
                text = text.encode("utf-8", "surrogateescape").decode("cp1252", errors="replace")
            except UnicodeEncodeError:
                yield Problem("<stdin>", f"text that is not valid Unicode: {_lone_surrogate(text)}")
                return
            warnings.append("not valid UTF-8; decoded as Windows-1252")
        too_long = _too_long(text)
        if too_long:
            yield Problem("<stdin>", too_long)
            return
        text = normalise(text)
        digest = hashlib.sha256(text.encode()).hexdigest()
        yield segment(Article(id=f"stdin-{digest[:12]}", path="<stdin>", paths=["<stdin>"], text=text,
                              content_hash=digest, warnings=warnings))


def read_jsonl(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article | Problem]:
    """One article per line of a JSON Lines file, `{"id", "text", "title", "date", "outlet", "url",
    "author"}` (only text is needed); a bad line is one Problem naming the file and line."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield Problem(str(path), f"too large ({size:,} bytes; the limit is {max_bytes:,}, see --max-bytes)")
            return
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        yield Problem(str(path), f"JSON Lines must be UTF-8 (byte {exc.start} is not)")
        return
    except OSError as exc:
        yield Problem(str(path), f"cannot read the file ({exc.strerror})")
        return
    yield from _jsonl_records(str(path), lines, path.stem)


def _jsonl_records(origin: str, lines: list[str], stem: str) -> Iterator[Article | Problem]:
    for number, line in enumerate(lines, 1):
        if line.strip():
            yield _record(f"{origin}:{number}", line, f"{stem}-{number}")


def _record(where: str, line: str, default_id: str) -> Article | Problem:
    """One JSON Lines record as an Article: its fields win over what the reader guesses from the text."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Problem(where, f"not JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(record, dict):
        return Problem(where, "a JSON Lines record must be an object with a text")
    wrong = sorted(k for k in JSONL_FIELDS & set(record) if record[k] is not None and not isinstance(record[k], str))
    if wrong:
        return Problem(where, f"{', '.join(wrong)} must be strings")
    if not (record.get("text") or "").strip():
        return Problem(where, "no text (the record needs a non-empty \"text\")")
    for field in sorted(JSONL_FIELDS & set(record)):
        bad = _lone_surrogate(record[field] or "")
        if bad:
            return Problem(where, f"its {field} holds {bad}, which is not valid Unicode: fix the record")
    too_long = _too_long(record["text"])
    if too_long:
        return Problem(where, too_long)
    warnings = [f"fields left out (kg reads {', '.join(sorted(JSONL_FIELDS))}): {', '.join(sorted(set(record) - JSONL_FIELDS))}"
                ] if set(record) - JSONL_FIELDS else []
    day = _iso_date(record.get("date"))
    if record.get("date") and day is None:
        warnings.append(f"date {record['date']!r} is not a date kg can read: left out")
    text = normalise(record["text"])
    source = record.get("url") or where
    article = Article(id=record.get("id") or default_id, path=source, paths=[source], text=text,
                      content_hash=hashlib.sha256(text.encode()).hexdigest(), title=record.get("title"),
                      outlet=record.get("outlet"), author=record.get("author"), date=day, warnings=warnings)
    return segment(article)


def _iso_date(text: str | None) -> str | None:
    """An ISO yyyy-mm-dd date for a date in any common form ("2019-04-08", "April 8, 2019")."""
    if not text:
        return None
    import dateparser

    parsed = dateparser.parse(text, languages=["en"], settings={"STRICT_PARSING": True})
    return parsed.date().isoformat() if parsed else None


def expected_articles(paths: Iterable[str | Path], follow_links: bool = False) -> int | None:
    """How many articles `paths` should give (for a progress bar), or None when it cannot be
    known before reading: standard input and URLs."""
    from .feeds import is_url

    if any(str(p) == "-" or is_url(p) for p in paths):
        return None
    total = 0
    for found in find_files(paths, follow_links):
        if isinstance(found, Path):
            if found.suffix.lower() in JSONL_SUFFIXES:
                with found.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            else:
                total += 1
    return total
