"""Text → claims: sentence and list-item segmentation, features, kind and check-worthiness.

Pure Python, no Django. Heavy models (natasha, pymorphy2, the scorer's weights) load on
first use, so importing this package stays cheap.
"""

from .claim import ExtractedClaim
from .claims import extract_claims
from .decoding import TextDecodeError, decode_text
from .language import detect_language
from .learned import LearnedScorer
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
    "LearnedScorer",
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
