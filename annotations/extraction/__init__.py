"""Text → claims: sentence and list-item segmentation, features, kind and check-worthiness.

Pure Python, no Django. Heavy models (natasha, pymorphy2) load on first use, so importing
this package stays cheap. The hot modules run compiled when a current build of them exists
(see ``compiled``); ``COMPILED`` says whether they do.
"""

from .compiled import activate

# Before any submodule is imported: the compiled ones must be found first.
COMPILED = activate(__path__)

from .claim import ExtractedClaim
from .claims import extract_claims
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
    "COMPILED",
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
