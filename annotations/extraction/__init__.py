"""Text → claims: sentence and list-item segmentation, features, kind and check-worthiness.

Pure Python, no Django. Heavy models (natasha, pymorphy2) load on first use, so importing
this package stays cheap.
"""

from .claims import ExtractedClaim, extract_claims
from .decoding import TextDecodeError, decode_text
from .language import detect_language
from .markup import (
    DocumentTooLarge,
    PlainText,
    check_size,
    guess_format,
    links_within,
    to_plain_text,
)
from .scoring import ClaimScorer, RuleScorer, Scored

__all__ = [
    "ClaimScorer",
    "DocumentTooLarge",
    "ExtractedClaim",
    "PlainText",
    "RuleScorer",
    "Scored",
    "TextDecodeError",
    "check_size",
    "decode_text",
    "detect_language",
    "extract_claims",
    "guess_format",
    "links_within",
    "to_plain_text",
]
