"""Suggesting the page passages most likely to support a claim.

When a reviewer gave no quote, or the quote is not on the page, the page's sentences
are ranked by BM25 against the claim. Russian words are compared by lemma (pymorphy2),
so "заявила" in the page matches "заявил" in the claim; English words by a light stem.
"""

from __future__ import annotations

import inspect
import math
import re
import types
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache

import razdel

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
# A sentence ends at ., ! or ? (with closing quotes or brackets) before a space, or at
# a line break.
_ENGLISH_SENTENCE = re.compile(r"[^\n]+?(?:[.!?]+[\"'”’)\]]*(?=\s)|\n|$)")
_MAX_SENTENCE_CHARS = 1000
_K1 = 1.5
_B = 0.75
_STOPWORDS = frozenset(
    {
        *("a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "with"),
        *("is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "as", "from"),
        *("has", "have", "had", "not", "but", "he", "she", "they", "we", "i", "you", "his"),
        *("и", "в", "во", "на", "с", "со", "по", "к", "ко", "о", "об", "от", "до", "за", "из"),
        *("у", "не", "что", "как", "это", "а", "но", "же", "ли", "бы", "он", "она", "они"),
        *("быть", "который", "этот", "тот", "для", "при", "так", "также", "весь", "свой"),
    }
)


@dataclass(frozen=True)
class Suggestion:
    """A passage of the page; ``page_text[start:end] == text``."""

    start: int
    end: int
    text: str
    score: float

    def to_dict(self) -> dict:
        return asdict(self)


def suggest_passages(
    page_text: str, claim: str, *, language: str | None = None, limit: int = 3
) -> list[Suggestion]:
    """The ``limit`` sentences of ``page_text`` closest to ``claim``, best first."""
    language = language or guess_language(claim + " " + page_text[:5000])
    query = [term for term in terms(claim, language) if term not in _STOPWORDS]
    if not query or limit <= 0:
        return []
    sentences = [span for span in sentence_spans(page_text, language) if span[1] > span[0]]
    documents = [Counter(terms(page_text[start:end], language)) for start, end in sentences]
    if not documents:
        return []
    average_length = sum(sum(doc.values()) for doc in documents) / len(documents) or 1.0
    document_frequency = Counter(term for doc in documents for term in set(doc))
    unique_query = sorted(set(query))
    ranked: list[tuple[float, int, int]] = []
    for (start, end), doc in zip(sentences, documents, strict=True):
        length = sum(doc.values())
        score = 0.0
        for term in unique_query:
            frequency = doc.get(term, 0)
            if not frequency:
                continue
            df = document_frequency[term]
            idf = math.log(1 + (len(documents) - df + 0.5) / (df + 0.5))
            score += (
                idf
                * frequency
                * (_K1 + 1)
                / (frequency + _K1 * (1 - _B + _B * length / average_length))
            )
        if score > 0:
            ranked.append((score, start, end))
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return [
        Suggestion(start, end, page_text[start:end], round(score, 3))
        for score, start, end in ranked[:limit]
    ]


def guess_language(text: str) -> str:
    """ "ru" when Cyrillic letters outnumber Latin ones, otherwise "en"."""
    return "ru" if len(_CYRILLIC.findall(text)) >= len(_LATIN.findall(text)) else "en"


def sentence_spans(text: str, language: str) -> list[tuple[int, int]]:
    """Sentence boundaries as (start, end) offsets, without surrounding whitespace."""
    if language == "ru":
        raw = [(sentence.start, sentence.stop) for sentence in razdel.sentenize(text)]
    else:
        raw = [match.span() for match in _ENGLISH_SENTENCE.finditer(text)]
    spans = []
    for start, end in raw:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        # Text without punctuation (menus, tables) would otherwise be one huge "sentence".
        for piece_start in range(start, end, _MAX_SENTENCE_CHARS):
            spans.append((piece_start, min(end, piece_start + _MAX_SENTENCE_CHARS)))
    return spans


def terms(text: str, language: str) -> list[str]:
    """The comparable forms of the words in ``text``."""
    words = [word.lower().replace("ё", "е") for word in _TOKEN.findall(text)]
    if language == "ru":
        return [lemma(word) if _CYRILLIC.match(word) else _stem(word) for word in words]
    return [_stem(word) for word in words]


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The dictionary form of a Russian word."""
    return _morph().parse(word)[0].normal_form.replace("ё", "е")


@lru_cache(maxsize=1)
def _morph():
    import pymorphy2
    from pymorphy2.units import base

    if not hasattr(base.inspect, "getargspec"):
        # pymorphy2 0.9 calls inspect.getargspec, removed in Python 3.11; give only
        # pymorphy2 its equivalent instead of changing the inspect module for everyone.
        base.inspect = types.SimpleNamespace(
            getargspec=lambda function: inspect.getfullargspec(function)[:4]
        )
    return pymorphy2.MorphAnalyzer()


def _stem(word: str) -> str:
    """A deliberately light English stem: enough to match plurals and tenses."""
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word
