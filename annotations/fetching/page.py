"""From fetched bytes to the text a reviewer cites: decoding, main text, metadata."""

from __future__ import annotations

import codecs
import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import charset_normalizer
import lxml.html
import trafilatura
from trafilatura.settings import use_config

from .client import FetchResult

if TYPE_CHECKING:
    from .pdf import PdfLimits

# Browsers read these labels as windows-1252, and so do most pages that send them.
_WINDOWS_1252_ALIASES = frozenset(
    {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii"}
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(frozen=True)
class Page:
    """The readable text of a fetched page and what is known about it.

    ``text`` is the main text (article body, without menus and footers); ``full_text``
    is all visible text, for quotes that live outside the main text.
    """

    url: str
    title: str | None
    author: str | None
    date: str | None
    site_name: str | None
    language: str | None
    text: str
    full_text: str
    charset: str


def extract_page(result: FetchResult, *, pdf_limits: PdfLimits | None = None) -> Page:
    """Decode ``result`` and extract its main text and metadata.

    A PDF is read page by page within ``pdf_limits`` (a ``PdfPage``, which knows the page
    of every offset); ``UnreadablePdf`` says why one has no text to give.
    """
    from .pdf import PDF_CONTENT_TYPES, extract_pdf

    if result.content_type in PDF_CONTENT_TYPES:
        return extract_pdf(result, pdf_limits)
    text, charset = decode_body(result.body, result.charset, result.content_type)
    if result.content_type == "text/plain":
        return Page(result.final_url, None, None, None, None, None, text, text, charset)
    full_text = visible_text(text)
    document = trafilatura.bare_extraction(
        text,
        url=result.final_url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        config=_trafilatura_config(),
    )
    main_text = getattr(document, "text", None) or full_text
    return Page(
        url=result.final_url,
        title=_clean(getattr(document, "title", None)) or _html_title(text),
        author=_clean(getattr(document, "author", None)),
        date=_clean(getattr(document, "date", None)),
        site_name=_clean(getattr(document, "sitename", None)),
        language=_clean(getattr(document, "language", None)) or _html_language(text),
        text=main_text,
        full_text=full_text,
        charset=charset,
    )


def decode_body(
    body: bytes, declared: str | None, content_type: str = "text/html"
) -> tuple[str, str]:
    """Decode ``body``, returning the text and the charset used.

    Order: byte order mark, the charset from the HTTP header, a ``<meta>`` charset
    (HTML only), then detection; undecodable bytes become U+FFFD, and so do NUL
    characters, which no text column can store (one for one, so offsets hold).
    """
    text, encoding = _decode(body, declared, content_type)
    return text.replace("\x00", "\ufffd"), encoding


def _decode(body: bytes, declared: str | None, content_type: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace"), encoding
    candidates = [declared]
    if content_type != "text/plain":
        match = _META_CHARSET.search(body[:4096])
        candidates.append(match.group(1).decode("ascii") if match else None)
    for candidate in candidates:
        encoding = _known_encoding(candidate)
        if encoding:
            return body.decode(encoding, errors="replace"), encoding
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    encoding = _known_encoding(best.encoding if best else None) or "utf-8"
    return body.decode(encoding, errors="replace"), encoding


def visible_text(html: str) -> str:
    """All text a browser would show, one block per line."""
    if not html.strip():
        return ""
    # lxml refuses str input that still carries an XML encoding declaration (XHTML).
    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        root = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for element in list(root.iter(*_INVISIBLE_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter("br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr"):
        element.tail = "\n" + (element.tail or "")
    return _BLANK_LINES.sub("\n", root.text_content()).strip()


def compress_body(body: bytes, limit: int) -> bytes:
    """Gzip at most the first ``limit`` bytes of ``body`` for storage."""
    return gzip.compress(body[:limit], compresslevel=6, mtime=0)


def decompress_body(data: bytes) -> bytes:
    """The bytes ``compress_body`` stored."""
    return gzip.decompress(data)


def _known_encoding(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _WINDOWS_1252_ALIASES:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


@lru_cache(maxsize=1)
def _trafilatura_config():
    config = use_config()
    # Trafilatura's timeout relies on SIGALRM, which only works in the main thread;
    # worker threads would fail, and the fetch is already bounded by its own limits.
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _html_title(html: str) -> str | None:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.IGNORECASE | re.DOTALL)
    return _clean(re.sub(r"\s+", " ", match.group(1))) if match else None


def _html_language(html: str) -> str | None:
    match = re.search(r"<html[^>]*\slang\s*=\s*[\"']?([A-Za-z-]+)", html[:4096], re.IGNORECASE)
    return match.group(1).split("-")[0].lower() if match else None
