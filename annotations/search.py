"""Full-text search over claims and document titles, with Russian and English word forms.

PostgreSQL: each claim keeps a ``search_vector`` (a trigger fills it with the Russian or
English configuration, as its document's language says) under a GIN index, and each
document a ``title_vector`` likewise. SQLite: FTS5 tables of Snowball stems, kept by triggers that
call ``search_terms`` (registered on each connection, see ``apps``).

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
from django.db.models import BooleanField, Exists, FloatField, OuterRef, Q, QuerySet

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
) -> tuple[str, list[str]]:
    """A tsquery where each word is any of its forms, in each configuration."""
    clauses: list[str] = []
    params: list[str] = []
    for word in words:
        forms = " or ".join(word_forms(word))
        clauses.append(
            "(" + " || ".join(f"websearch_to_tsquery('{c}', %s)" for c in configurations) + ")"
        )
        params.extend([forms] * len(configurations))
    joined = (" && " if match == "all" else " || ").join(clauses)
    return f"({joined})", params


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


# SQLite: a query word found in more than this share of all claims is checked claim by
# claim as a page is walked in its order, instead of reading every match into a list
# first (see ``search_claims``).
SQLITE_WALK_SHARE = 0.02
# Below this many matches the list is cheap however the page is walked.
SQLITE_WALK_MIN_MATCHES = 1000


def _sqlite_walk(fts: str) -> bool:
    """Whether the claims matching an FTS5 query are common enough to be checked one by
    one on the walk of a page: a few matches in a list cost little; tens of thousands,
    read whole before the first row of the page, cost more than the walk does. The
    matches are counted only up to the line (a common word's full count cost 4 ms at a
    million claims)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM annotations_claim_search "
            "WHERE annotations_claim_search MATCH %s LIMIT CAST(max(%s, "
            "coalesce((SELECT max(rowid) FROM annotations_claim), 0) * %s) AS INTEGER) + 1)",
            [fts, SQLITE_WALK_MIN_MATCHES, SQLITE_WALK_SHARE],
        )
        (counted,) = cursor.fetchone()
        cursor.execute("SELECT coalesce(max(rowid), 0) FROM annotations_claim")
        (total,) = cursor.fetchone()
    return counted > max(SQLITE_WALK_MIN_MATCHES, SQLITE_WALK_SHARE * total)


# The SQLite full-text indexes, by the table they index.
SQLITE_INDEXES = ("annotations_claim_search", "annotations_document_search")


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
    walked: bool = False,
    ranked: bool = False,
) -> QuerySet[Claim]:
    """The claims of ``scope`` whose words match the query, any form of each word.

    ``scope`` is a queryset from the scoped selectors (``claims_for``, ``queue_for``...);
    without it every claim is searched. ``language`` ("ru", "en") is the language of the
    query; without it both are tried. ``match="any"`` finds claims with at least one of
    the words (candidates to rank) instead of all of them. ``walked`` says the caller
    reads one page in an order of its own and stops there (a list, not a ranking of
    every match): on SQLite a common query is then checked claim by claim on the walk.
    With ``ranked`` each claim comes annotated with ``search_rank``, higher for a better
    match; the order is left to the caller. Lists in an order of their own leave it out:
    on SQLite a common word's rank costs far more per row than finding the row does. A
    query with no searchable words finds nothing.
    """
    claims = Claim.objects.all() if scope is None else scope
    words = query_words(query)
    if not words:
        return claims.none()
    if connection.vendor == "postgresql":
        tsquery, params = _postgres_tsquery(words, _configurations(language), match)
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
    if walked and _sqlite_walk(fts):
        matching = (
            "EXISTS (SELECT 1 FROM annotations_claim_search WHERE annotations_claim_search "
            'MATCH %s AND rowid = {table}."id")'
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
    in_claims: bool = True,
    in_title: bool = True,
) -> QuerySet[Document]:
    """The documents of ``scope`` whose title matches the query (all its words, any form;
    unless not ``in_title``) or, with ``in_claims``, that hold a claim (outside the trash)
    that does."""
    words = query_words(query)
    if not words:
        return scope.none()
    if connection.vendor == "postgresql":
        tsquery, params = _postgres_tsquery(words, _configurations(language), "all")
        condition = f"{_TITLE_VECTOR} @@ {tsquery}"
    else:
        condition = (
            '{table}."id" IN (SELECT rowid FROM annotations_document_search '
            "WHERE annotations_document_search MATCH %s)"
        )
        params = [_sqlite_match(words, "all")]
    by_title = Q(RowSQL(condition, params, BooleanField()))
    if not in_claims:
        return scope.filter(by_title)
    claims = search_claims(
        query,
        scope=Claim.objects.alive().filter(document_id=OuterRef("pk")),
        language=language,
        walked=True,
    )
    # EXISTS lets the database walk the documents in the list's order and stop at a page
    # when most documents match, or start from the index when few do (joined to the
    # title by OR it must gather every match: see views.paging.page_of_either).
    if not in_title:
        return scope.filter(Exists(claims))
    return scope.filter(by_title | Q(Exists(claims)))
