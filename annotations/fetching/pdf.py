"""The text of a PDF, page by page, read with pdfminer.six in a child process.

Reading happens in ``pdf_reader.py`` under a memory, processor-time and wall-clock cap,
so a hostile file fails with a clear reason instead of taking the worker down. The
pages' texts are joined with a blank line; ``PdfPage.page_at(offset)`` tells which page
(its printed label when the PDF has labels, else its number) an offset falls on.
"""

from __future__ import annotations

import json
import subprocess
import sys
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from .errors import FetchError
from .page import Page

PDF_CONTENT_TYPES = ("application/pdf", "application/x-pdf")
PAGE_SEPARATOR = "\n\n"
_READER = Path(__file__).with_name("pdf_reader.py")

__all__ = [
    "PDF_CONTENT_TYPES",
    "PdfLimits",
    "PdfPage",
    "UnreadablePdf",
    "extract_pdf",
    "is_pdf",
    "read_pdf",
]


@dataclass(frozen=True)
class PdfLimits:
    """How much reading one PDF may take."""

    max_pages: int = 2000
    max_chars: int = 2 * 1024 * 1024
    max_memory: int = 768 * 1024 * 1024
    seconds: float = 60.0


class UnreadablePdf(FetchError):
    """The PDF's text cannot be read; ``code`` says why, the message says it to people."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message, transient=False)
        self.code = code


@dataclass(frozen=True)
class PdfPage(Page):
    """A PDF's text as a ``Page``, with where each of its pages starts."""

    page_starts: tuple[int, ...] = ()
    page_labels: tuple[str, ...] = ()

    def page_at(self, offset: int) -> str | None:
        """The label of the page holding ``offset`` of ``text``."""
        if not self.page_starts:
            return None
        return self.page_labels[max(0, bisect_right(self.page_starts, offset) - 1)]


def is_pdf(data: bytes, content_type: str = "") -> bool:
    """Whether ``data`` is a PDF (by its type, or by the signature that opens every PDF)."""
    return content_type in PDF_CONTENT_TYPES or data[:1024].lstrip().startswith(b"%PDF-")


def read_pdf(data: bytes, limits: PdfLimits, *, url: str = "") -> PdfPage:
    """The text of the PDF ``data``, or ``UnreadablePdf`` saying why there is none."""
    command = [
        sys.executable,
        str(_READER),
        str(limits.max_pages),
        str(limits.max_chars),
        str(limits.max_memory),
        str(max(1, int(limits.seconds) + 1)),
    ]
    try:
        # The command is this interpreter and a file of ours; the PDF only goes to stdin.
        done = subprocess.run(  # noqa: S603
            command, input=data, capture_output=True, timeout=limits.seconds, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise UnreadablePdf(
            f"Reading the PDF took longer than the limit of {limits.seconds:g} s.",
            code="pdf_timeout",
        ) from error
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        # Killed by its memory or processor cap before it could answer.
        raise UnreadablePdf(
            "Reading the PDF needed more memory or processor time than allowed.",
            code="pdf_memory",
        ) from None
    if "error" in answer:
        raise _failure(answer["error"], answer.get("detail", ""), limits)
    labels = tuple(page["label"] for page in answer["pages"])
    texts = [page["text"] for page in answer["pages"]]
    if not "".join(texts).strip():
        raise UnreadablePdf(
            "The PDF has no text layer (it may be a scan); it needs recognising (OCR) first.",
            code="pdf_no_text",
        )
    starts: list[int] = []
    position = 0
    for text in texts:
        starts.append(position)
        position += len(text) + len(PAGE_SEPARATOR)
    text = PAGE_SEPARATOR.join(texts)
    return PdfPage(
        url=url,
        title=answer.get("title"),
        author=answer.get("author"),
        date=None,
        site_name=None,
        language=None,
        text=text,
        full_text=text,
        charset="",
        page_starts=tuple(starts),
        page_labels=labels,
    )


def extract_pdf(result, limits: PdfLimits | None = None) -> PdfPage:
    """``read_pdf`` for a fetched ``FetchResult``."""
    return read_pdf(result.body, limits or PdfLimits(), url=result.final_url)


def _failure(code: str, detail: str, limits: PdfLimits) -> UnreadablePdf:
    if code == "encrypted":
        return UnreadablePdf(f"The PDF is encrypted: {detail}.", code="pdf_encrypted")
    if code == "too_many_pages":
        return UnreadablePdf(
            f"The PDF has more pages than the limit of {limits.max_pages}.",
            code="pdf_too_many_pages",
        )
    if code == "too_long":
        return UnreadablePdf(
            f"The PDF's text is longer than the limit of {limits.max_chars} characters.",
            code="pdf_too_long",
        )
    if code == "too_complex":
        return UnreadablePdf(
            "The PDF's objects are nested too deeply to read.", code="pdf_too_complex"
        )
    if code == "memory":
        return UnreadablePdf("Reading the PDF needed more memory than allowed.", code="pdf_memory")
    return UnreadablePdf(f"The file is not a readable PDF ({detail}).", code="pdf_malformed")
