"""Checking one source end to end: fetch, extract, then find the quote or suggest."""

from __future__ import annotations

from dataclasses import dataclass, field

from .client import FetchConfig, fetch
from .errors import BlockedAddress, FetchError
from .page import Page, extract_page
from .pdf import PdfLimits, PdfPage
from .quotes import QuoteMatch, locate_quote
from .suggest import Suggestion, suggest_passages

QUOTE_FOUND = "quote_found"
QUOTE_NOT_FOUND = "quote_not_found"
FETCHED = "fetched"
FAILED = "failed"
BLOCKED = "blocked"


@dataclass
class CheckReport:
    """The outcome of ``check_source``; ``to_dict`` gives the CLI's JSON shape.

    ``quote_text`` says which text the quote's offsets index: "main" (``page.text``)
    or "full" (``page.full_text``, when the quote is outside the main text).
    """

    status: str
    url: str
    final_url: str | None = None
    http_status: int | None = None
    page: Page | None = None
    quote_given: bool = False
    quote: QuoteMatch | None = None
    quote_text: str | None = None
    suggestions: list[Suggestion] = field(default_factory=list)
    error: str | None = None
    error_transient: bool | None = None

    @property
    def quote_page(self) -> str | None:
        """For a PDF, the page the located passage starts on."""
        if isinstance(self.page, PdfPage) and self.quote is not None:
            return self.page.page_at(self.quote.start)
        return None

    @property
    def title(self) -> str | None:
        return self.page.title if self.page else None

    def to_dict(self) -> dict:
        quote = None
        if self.quote_given:
            quote = {"found": False, "method": None, "score": None, "start": None, "end": None}
            quote["passage"] = None
            quote["page"] = None
            if self.quote is not None:
                quote.update(
                    found=True,
                    method=self.quote.method,
                    score=self.quote.score,
                    start=self.quote.start,
                    end=self.quote.end,
                    passage=self.quote.passage,
                    text=self.quote_text,
                    page=self.quote_page,
                )
        return {
            "status": self.status,
            "final_url": self.final_url,
            "http_status": self.http_status,
            "title": self.title,
            "quote": quote,
            "suggestions": [suggestion.to_dict() for suggestion in self.suggestions],
            "error": self.error,
        }


def check_source(
    url: str,
    *,
    quote: str | None = None,
    claim: str | None = None,
    config: FetchConfig,
    min_score: float = 85.0,
    pdf_limits: PdfLimits | None = None,
) -> CheckReport:
    """Fetch ``url`` and look for ``quote`` (or suggest passages for ``claim``).

    Never raises ``FetchError``: failures become a report with status ``blocked`` or
    ``failed`` and a message.
    """
    quote = (quote or "").strip() or None
    report = CheckReport(status=FAILED, url=url, quote_given=quote is not None)
    try:
        result = fetch(url, config)
    except BlockedAddress as error:
        report.status, report.error, report.error_transient = BLOCKED, str(error), False
        return report
    except FetchError as error:
        report.status, report.error, report.error_transient = FAILED, str(error), error.transient
        return report
    report.final_url = result.final_url
    report.http_status = result.status
    try:
        page = extract_page(result, pdf_limits=pdf_limits)
    except FetchError as error:  # a PDF with no text to read
        report.status, report.error, report.error_transient = FAILED, str(error), False
        return report
    report.page = page
    if quote is not None:
        report.quote, report.quote_text = find_quote_in_page(page, quote, min_score)
        report.status = QUOTE_FOUND if report.quote else QUOTE_NOT_FOUND
    else:
        report.status = FETCHED
    if report.quote is None and (claim or quote):
        report.suggestions = suggest_passages(page.text, claim or quote or "", language=None)
    return report


def find_quote_in_page(
    page: Page, quote: str, min_score: float
) -> tuple[QuoteMatch | None, str | None]:
    """Look in the main text, then in all visible text; say which one the offsets index."""
    match = locate_quote(page.text, quote, min_score=min_score)
    if match is not None:
        return match, "main"
    if page.full_text != page.text:
        match = locate_quote(page.full_text, quote, min_score=min_score)
        if match is not None:
            return match, "full"
    return None, None
