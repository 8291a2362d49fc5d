"""The fetcher's limits, read from Django settings (the fetching package stays Django-free)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from annotations.fetching.addresses import parse_networks
from annotations.fetching.client import DEFAULT_USER_AGENT, FetchConfig
from annotations.fetching.pdf import PdfLimits

DEFAULT_QUOTE_MIN_SCORE = 85.0


def fetch_config_from_settings() -> FetchConfig:
    """A ``FetchConfig`` from the ``FETCH_*`` settings, with the fetcher's defaults."""
    defaults = FetchConfig()
    allowed = getattr(settings, "FETCH_ALLOWED_NETWORKS", [])
    if isinstance(allowed, str):
        allowed = allowed.split(",")
    allowed = [cidr.strip() for cidr in allowed if cidr.strip()]
    try:
        parse_networks(allowed)
    except ValueError as error:
        raise ImproperlyConfigured(f"FETCH_ALLOWED_NETWORKS: {error}") from error
    return FetchConfig(
        allowed_networks=allowed,
        max_bytes=int(getattr(settings, "FETCH_MAX_BYTES", defaults.max_bytes)),
        connect_timeout=float(getattr(settings, "FETCH_CONNECT_TIMEOUT", defaults.connect_timeout)),
        read_timeout=float(getattr(settings, "FETCH_READ_TIMEOUT", defaults.read_timeout)),
        total_deadline=float(getattr(settings, "FETCH_TOTAL_TIMEOUT", defaults.total_deadline)),
        max_redirects=int(getattr(settings, "FETCH_MAX_REDIRECTS", defaults.max_redirects)),
        user_agent=str(getattr(settings, "FETCH_USER_AGENT", DEFAULT_USER_AGENT)),
        max_retry_after=float(getattr(settings, "FETCH_MAX_RETRY_AFTER", defaults.max_retry_after)),
    )


def pdf_limits_from_settings() -> PdfLimits:
    """How much reading one PDF may take (``PDF_MAX_PAGES``, ``PDF_MAX_MEMORY_MB``,
    ``PDF_READ_TIMEOUT``), with the reader's defaults."""
    defaults = PdfLimits()
    return PdfLimits(
        max_pages=int(getattr(settings, "PDF_MAX_PAGES", defaults.max_pages)),
        max_chars=int(getattr(settings, "DOCUMENT_MAX_CHARS", defaults.max_chars)),
        max_memory=int(getattr(settings, "PDF_MAX_MEMORY_MB", defaults.max_memory // 1024 // 1024))
        * 1024
        * 1024,
        seconds=float(getattr(settings, "PDF_READ_TIMEOUT", defaults.seconds)),
    )


def quote_min_score_from_settings() -> float:
    """The lowest fuzzy score that still counts as finding a quote (``QUOTE_MIN_SCORE``)."""
    return float(getattr(settings, "QUOTE_MIN_SCORE", DEFAULT_QUOTE_MIN_SCORE))
