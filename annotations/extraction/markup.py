"""Plain text and link positions from text, Markdown or HTML sources.

The plain text is what gets stored and annotated, so every offset in ``links`` points
into it. Links inside a document are candidate sources for the claim around them.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from .lexicon import word_set

FORMATS = ("text", "markdown", "html")


class DocumentTooLarge(ValueError):
    """The document is longer than the configured limit."""


@dataclass(frozen=True)
class PlainText:
    """Plain text to store, with the links it held: {"start", "end", "url", "text"}."""

    text: str
    links: list[dict[str, Any]] = field(default_factory=list)


def check_size(text: str, limit_chars: int) -> None:
    """Raise ``DocumentTooLarge`` when ``text`` has more than ``limit_chars`` characters."""
    if len(text) > limit_chars:
        raise DocumentTooLarge(
            f"The document has {len(text):,} characters; the limit is {limit_chars:,}."
        )


def guess_format(filename: str | None, content: str) -> str:
    """Guess "text", "markdown" or "html" from the file name, else from the content."""
    name = (filename or "").lower()
    if name.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if name.endswith((".md", ".markdown", ".mdown")):
        return "markdown"
    if name.endswith(".txt"):
        return "text"
    head = content[:4096].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")) or len(_HTML_HINT.findall(head)) >= 2:
        return "html"
    if _MARKDOWN_HINT.search(content[:8192]):
        return "markdown"
    return "text"


_HTML_HINT = re.compile(r"</?(?:p|div|br|h[1-6]|li|ul|ol|span|a|body|article)\b[^>]*>")
_MARKDOWN_HINT = re.compile(
    r"^#{1,6}\s+\S|\[[^\]\n]+\]\([^)\s]+\)|^\s*[-*+]\s+\S.*\n\s*[-*+]\s+\S|\*\*[^*\n]+\*\*",
    re.MULTILINE,
)


def to_plain_text(source: str, fmt: str) -> PlainText:
    """Convert ``source`` in format ``fmt`` ("text", "markdown" or "html") to plain text."""
    if fmt == "text":
        return PlainText(source, [])
    if fmt == "markdown":
        return _markdown_to_plain(source)
    if fmt == "html":
        return _html_to_plain(source)
    raise ValueError(f"unknown format {fmt!r}; use one of {FORMATS}")


class _Writer:
    """Accumulates text, collapsing whitespace like a browser, and tracks link spans."""

    def __init__(self, collapse: bool) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.collapse = collapse
        self.pending_space = False
        self.pending_breaks = 0
        self.links: list[dict[str, Any]] = []
        self._open: list[dict[str, Any]] = []

    def text(self, chunk: str) -> None:
        if not self.collapse:
            self.emit(chunk)
            return
        for index, word in enumerate(re.split(r"\s+", chunk)):
            if index > 0:
                self.pending_space = True
            if word:
                self.emit(word)

    def line_break(self, count: int = 1) -> None:
        if self.length:
            self.pending_breaks = max(self.pending_breaks, count)
        self.pending_space = False

    def open_link(self, url: str) -> None:
        self._open.append({"start": None, "url": url})

    def close_link(self) -> None:
        link = self._open.pop()
        if link["start"] is not None and link["url"]:
            start = link["start"]
            text = "".join(self.parts)[start : self.length]
            self.links.append(
                {"start": start, "end": self.length, "url": link["url"], "text": text}
            )

    def emit(self, chunk: str) -> None:
        if not chunk:
            return
        if self.pending_breaks:
            self.raw("\n" * self.pending_breaks)
        elif self.pending_space and self.length:
            self.raw(" ")
        self.pending_breaks = 0
        self.pending_space = False
        for link in self._open:
            if link["start"] is None:
                link["start"] = self.length
        self.raw(chunk)

    def raw(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.length += len(chunk)

    def result(self) -> PlainText:
        text = "".join(self.parts)
        return PlainText(text, sorted(self.links, key=lambda link: link["start"]))


_BLOCKS = word_set(
    """
    p div section article header footer aside main nav blockquote figure figcaption li
    ul ol dl dt dd table tr h1 h2 h3 h4 h5 h6 pre address hr form fieldset caption
    details summary
    """
)
_DROPPED = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe"})


def _html_to_plain(source: str) -> PlainText:
    import lxml.html
    from lxml import etree

    writer = _Writer(collapse=True)
    if not source.strip():
        return PlainText("", [])
    try:
        root = lxml.html.fromstring(source)
    except (etree.ParserError, ValueError):
        return PlainText(source, [])

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag in _DROPPED or not tag:
            if element.tail:
                writer.text(element.tail)
            return
        block = tag in _BLOCKS
        if block:
            writer.line_break()
        if tag == "br":
            writer.line_break()
        is_link = tag == "a" and element.get("href")
        if is_link:
            writer.open_link(element.get("href").strip())
        if element.text:
            writer.text(element.text)
        for child in element:
            walk(child)
        if is_link:
            writer.close_link()
        if block:
            writer.line_break()
        elif tag in {"td", "th"}:
            writer.pending_space = True
        if element.tail:
            writer.text(element.tail)

    walk(root)
    return writer.result()


_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+\s*)?$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_QUOTE_MARK = re.compile(r"^\s{0,3}(?:>\s?)+")
_REFERENCE = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+[\"'(].*[\"')])?\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_INLINE = re.compile(
    r"(?P<escape>\\[\\`*_{}\[\]()#+\-.!>~|])"
    r"|(?P<code>`+)(?P<code_text>.+?)(?P=code)"
    r"|!\[(?P<alt>[^\]]*)\]\((?P<img>[^)\s]*)(?:\s+\"[^\"]*\")?\)"
    r"|\[(?P<link_text>[^\]]+)\]\((?P<url><[^>]*>|[^)\s]*)(?:\s+[\"'][^\"']*[\"'])?\)"
    r"|\[(?P<ref_text>[^\]]+)\]\[(?P<ref>[^\]]*)\]"
    r"|<(?P<auto>(?:https?|ftp)://[^>\s]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>"
    r"|(?P<strong>\*\*|__)(?=\S)(?P<strong_text>.+?)(?<=\S)(?P=strong)"
    r"|(?<![\w*])\*(?=[^\s*])(?P<em_star>[^*]+?)(?<=\S)\*(?![\w*])"
    r"|(?<![\w_])_(?=[^\s_])(?P<em_under>[^_]+?)(?<=\S)_(?![\w_])"
    r"|~~(?P<strike>.+?)~~"
)


def _markdown_to_plain(source: str) -> PlainText:
    lines = source.splitlines()
    references = {}
    for line in lines:
        match = _REFERENCE.match(line)
        if match:
            references[match[1].strip().lower()] = match[2]

    writer = _Writer(collapse=False)
    in_code = False
    first = True
    for line in lines:
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if not first:
            writer.raw("\n")
        first = False
        if in_code:
            writer.raw(line)
            continue
        if _REFERENCE.match(line) or _RULE.match(line) or _TABLE_RULE.match(line):
            continue
        if _SETEXT.match(line) and writer.length and not writer.parts[-1].endswith("\n"):
            continue
        heading = _HEADING.match(line)
        content = heading[1] if heading else _QUOTE_MARK.sub("", line)
        if content.strip().startswith("|") and content.strip().endswith("|"):
            content = " ".join(cell.strip() for cell in content.strip().strip("|").split("|"))
        _write_inline(writer, content, references)
    return writer.result()


def _write_inline(writer: _Writer, content: str, references: dict[str, str]) -> None:
    cursor = 0
    for match in _INLINE.finditer(content):
        writer.raw(content[cursor : match.start()])
        cursor = match.end()
        if match["escape"]:
            writer.raw(match["escape"][1])
        elif match["code"]:
            writer.raw(match["code_text"])
        elif match["img"] is not None and match["alt"] is not None:
            writer.raw(match["alt"])
        elif match["link_text"] is not None:
            url = match["url"].strip("<>")
            _write_link(writer, match["link_text"], url, references)
        elif match["ref_text"] is not None:
            key = (match["ref"] or match["ref_text"]).strip().lower()
            _write_link(writer, match["ref_text"], references.get(key, ""), references)
        elif match["auto"]:
            writer.open_link(match["auto"])
            writer.emit(match["auto"])
            writer.close_link()
        else:
            inner = match["strong_text"] or match["em_star"] or match["em_under"] or match["strike"]
            _write_inline(writer, inner or "", references)
    writer.raw(content[cursor:])


def _write_link(writer: _Writer, text: str, url: str, references: dict[str, str]) -> None:
    writer.open_link(url)
    start = writer.length
    _write_inline(writer, text, references)
    link = writer._open[-1]
    if link["start"] is None and writer.length > start:
        link["start"] = start
    writer.close_link()


def links_within(start: int, end: int, links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The links lying inside ``[start, end)``: candidate sources for the claim there."""
    return [link for link in links if start <= link["start"] and link["end"] <= end]
