"""Full-text search over claims and document titles, with Russian and English word forms.

PostgreSQL: each claim keeps a ``search_vector`` (a trigger fills it with the Russian or
English configuration, as its document's language says) under a GIN index, and each
document a ``title_vector`` and a ``text_vector`` likewise. SQLite: FTS5 tables of
Snowball stems, kept by triggers that call ``search_terms`` (registered on each
connection, see ``apps``).

Snowball alone does not bring every form of a word to one stem ("Казахстан" and
"Казахстане" differ), so a query word is widened to all the forms of its lexeme before
stemming: "в Казахстане" asks for any form of "Казахстан". Both databases see the same
query, so they find the same claims.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet

from .extraction.morphology import morph_analyzer
from .models import Claim, Document
from .rowsql import RowSQL

# A query longer than this is cut: each word is a clause of the database query.
MAX_QUERY_WORDS = 16

_WORD = re.compile(r"\w+")
_CYRILLIC = re.compile(r"[а-яё]")
# Parts of speech that carry no search meaning (PostgreSQL's Russian stop words are
# mostly these); a query made only of them finds nothing.
_FUNCTION_TAGS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO"})
_ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
    ]
)

# The PostgreSQL text search configuration for a language code; anything not English is
# read as Russian (whose configuration stems Latin words as English).
CONFIGURATIONS = {"en": "english", "ru": "russian"}

Match = Literal["all", "any"]


@lru_cache(maxsize=4)
def _stemmer(language: str):
    import Stemmer

    return Stemmer.Stemmer(language)


def stem(word: str) -> str:
    """The Snowball stem of a lower-case word: Russian for Cyrillic, English otherwise."""
    if _CYRILLIC.search(word):
        return _stemmer("russian").stemWord(word.replace("ё", "е"))
    return _stemmer("english").stemWord(word)


def search_terms(text: str | None) -> str:
    """What the SQLite index keeps of a text: the stems of its words, space-separated."""
    if not text:
        return ""
    return " ".join(stem(word) for word in _WORD.findall(text.lower()))


def _is_function_word(word: str) -> bool:
    if _CYRILLIC.search(word):
        parses = morph_analyzer().parse(word)
        return bool(parses) and parses[0].tag.POS in _FUNCTION_TAGS
    return word in _ENGLISH_FUNCTION_WORDS


def query_words(query: str) -> list[str]:
    """The words of a query that are searched for, lower-case, without repeats."""
    words: list[str] = []
    for word in _WORD.findall(query.lower()):
        if word not in words and not _is_function_word(word):
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def word_forms(word: str) -> list[str]:
    """A query word and the other forms of its lexeme (Russian: every case and number of
    a noun, every form of a verb); an English word stands for itself, Snowball joins its
    forms."""
    if not _CYRILLIC.search(word) or "_" in word:
        return [word]
    forms = [word]
    lemmas: set[str] = set()
    for parse in morph_analyzer().parse(word)[:3]:
        if parse.normal_form in lemmas:
            continue
        lemmas.add(parse.normal_form)
        for form in parse.lexeme:
            if form.word not in forms:
                forms.append(form.word)
    return forms


def _postgres_tsquery(
    words: list[str], configurations: list[str], match: Match
) -> tuple[str, list[str]] | None:
    """A tsquery where each word is any of its forms' distinct stems (in Russian; in
    English the word's own stem), in each configuration; None when the query can find
    nothing (a word of ``match="all"``, or every word, only stop words).

    The stems are asked of the database first and the query is sent as a constant: the
    planner then sees each stem once and can tell a rare word from a common one by its
    statistics. Twenty forms of "Ромашкино" stemmed inside the query read as twenty
    lexemes, a tenth of the documents by estimate, and the list was walked whole (120 ms
    at 37,000 documents) instead of read from the index."""
    columns = ", ".join(
        f"ARRAY(SELECT DISTINCT lexeme FROM unnest(to_tsvector('{c}', %s)))"  # noqa: S608
        for _ in words
        for c in configurations
    )
    # The English configuration keeps a Cyrillic word as it is written: the word as typed
    # finds it there; all its forms would be twenty more lexemes for the planner to count.
    params = [
        " ".join(word_forms(word)) if c == "russian" else word
        for word in words
        for c in configurations
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}", params)
        found = cursor.fetchone()
    clauses: list[str] = []
    width = len(configurations)
    for index in range(len(words)):
        stems = sorted(
            {stem for found_in in found[index * width : (index + 1) * width] for stem in found_in}
        )
        if stems:
            clauses.append("(" + " | ".join(_tsquery_lexeme(stem) for stem in stems) + ")")
        elif match == "all":
            return None
    if not clauses:
        return None
    joined = (" & " if match == "all" else " | ").join(clauses)
    return "%s::tsquery", [joined]


def _tsquery_lexeme(stem: str) -> str:
    """A stem quoted as a tsquery lexeme, matched as it is (no further stemming)."""
    return "'" + stem.replace("\\", "\\\\").replace("'", "''") + "'"


def _sqlite_match(words: list[str], match: Match) -> str:
    """An FTS5 query: each word is any of its forms' stems, quoted."""
    clauses = []
    for word in words:
        stems = dict.fromkeys(stem(form) for form in word_forms(word))
        clauses.append("(" + " OR ".join('"' + s.replace('"', '""') + '"' for s in stems) + ")")
    return (" AND " if match == "all" else " OR ").join(clauses)


def _configurations(language: str | None) -> list[str]:
    if language in CONFIGURATIONS:
        return [CONFIGURATIONS[language]]
    return sorted(set(CONFIGURATIONS.values()))


_CLAIM_VECTOR = '{table}."search_vector"'
# Kept by a trigger in the configuration of the document's language (migration 0022).
_TITLE_VECTOR = '{table}."title_vector"'
# The text's distinct words, kept likewise (migration 0023).
_TEXT_VECTOR = '{table}."text_vector"'


# The SQLite full-text indexes, by the table they index.
SQLITE_INDEXES = (
    "annotations_claim_search",
    "annotations_document_search",
    "annotations_document_text_search",
)


def tidy_index() -> None:
    """Merge each SQLite full-text index into one piece (FTS5's ``optimize``).

    FTS5 writes every claim saved as a small segment of its own and merges them only in
    part as it goes: after a year of claims saved one by one a word's list lies in dozens
    of segments, and each check of a claim against a query looks in all of them (87 µs a
    check at a million claims against 12 µs merged; a common word's list read in 32 ms
    against 18). Merged once a day, the index stays near one piece. PostgreSQL's GIN
    index needs nothing: autovacuum empties its pending list.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for index in SQLITE_INDEXES:
            cursor.execute(f"INSERT INTO {index} ({index}) VALUES ('optimize')")  # noqa: S608


def search_claims(
    query: str,
    *,
    scope: QuerySet[Claim] | None = None,
    language: str | None = None,
    match: Match = "all",
    ranked: bool = False,
) -> QuerySet[Claim]:
    """The claims of ``scope`` whose words match the query, any form of each word.

    ``scope`` is a queryset from the scoped selectors (``claims_for``, ``queue_for``...);
    without it every claim is searched. ``language`` ("ru", "en") is the language of the
    query; without it both are tried. ``match="any"`` finds claims with at least one of
    the words (candidates to rank) instead of all of them. With ``ranked`` each claim
    comes annotated with ``search_rank``, higher for a better match; the order is left
    to the caller. Lists in an order of their own leave it out: on SQLite a common
    word's rank costs far more per row than finding the row does. A query with no
    searchable words finds nothing.
    """
    claims = Claim.objects.all() if scope is None else scope
    words = query_words(query)
    if not words:
        return claims.none()
    if connection.vendor == "postgresql":
        built = _postgres_tsquery(words, _configurations(language), match)
        if built is None:
            return claims.none()
        tsquery, params = built
        condition = f"{_CLAIM_VECTOR} @@ {tsquery}"
        claims = claims.filter(RowSQL(condition, params, BooleanField()))
        if not ranked:
            return claims
        return claims.annotate(
            search_rank=RowSQL(f"ts_rank_cd({_CLAIM_VECTOR}, {tsquery})", params, FloatField())
        )
    fts = _sqlite_match(words, match)
    matching = (
        '{table}."id" IN (SELECT rowid FROM annotations_claim_search '
        "WHERE annotations_claim_search MATCH %s)"
    )
    claims = claims.filter(RowSQL(matching, [fts], BooleanField()))
    if not ranked:
        return claims
    rank = (
        "(SELECT -rank FROM annotations_claim_search WHERE annotations_claim_search "
        'MATCH %s AND rowid = {table}."id")'
    )
    return claims.annotate(search_rank=RowSQL(rank, [fts], FloatField()))


def search_documents(
    query: str,
    *,
    scope: QuerySet[Document],
    language: str | None = None,
    in_text: bool = True,
) -> QuerySet[Document]:
    """The documents of ``scope`` whose title holds every word of the query (any form),
    or, with ``in_text``, whose text does: an article is found by what it says, whatever
    became of the claims cut from it. A document's text never changes (a new version is
    a new document), so its words are indexed once, when it is stored (migration 0023)."""
    words = query_words(query)
    if not words:
        return scope.none()
    if connection.vendor == "postgresql":
        built = _postgres_tsquery(words, _configurations(language), "all")
        if built is None:
            return scope.none()
        tsquery, params = built
        vectors = [_TITLE_VECTOR] + ([_TEXT_VECTOR] if in_text else [])
        condition = " OR ".join(f"{vector} @@ {tsquery}" for vector in vectors)
        return scope.filter(RowSQL(f"({condition})", params * len(vectors), BooleanField()))
    fts = _sqlite_match(words, "all")
    indexes = ["annotations_document_search"] + (
        ["annotations_document_text_search"] if in_text else []
    )
    match = '{{table}}."id" IN (SELECT rowid FROM {index} WHERE {index} MATCH %s)'
    condition = " OR ".join(match.format(index=index) for index in indexes)
    return scope.filter(RowSQL(f"({condition})", [fts] * len(indexes), BooleanField()))
