"""CSV written by PostgreSQL itself (``COPY ... TO STDOUT``): the same bytes as the
``csv`` module writes, and a connection that stays usable however the stream ends.

Run with ``DATABASE_URL=postgres://...``; skipped on SQLite, which has no such path.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from django.db import connection

from annotations.exports import csv_copy, export_stream, tabular
from annotations.models import Claim, Document, Rating, Source, Verdict
from tests.factories import ClaimFactory, DocumentFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL writes CSV only on PostgreSQL"
)

TEXTS = [
    "=SUM(A1:A2)",
    "+7 (495) 123-45-67",
    "-3% за год",
    "@channel",
    "\tTabbed",
    "\rCarriage return",
    'Он сказал: "да, конечно"',
    "line one\nline two",
    "crlf\r\nline",
    "comma, here",
    '"',
    "\\.",
    "Экспорт вырос на 5%.",
    "NULL",
    " leading space",
]
SCORES = [0.0, 1.0, 0.5, 0.1 + 0.2, 1 / 3, 1e-05, 0.0001, 2.5e-07, 5e-324, 0.9999999999999999]
MOMENT = datetime(2024, 3, 2, 10, 0, tzinfo=UTC)


def _document(project, title: str, texts: list[str], **claim_fields) -> list[Claim]:
    document = DocumentFactory(project=project, title=title, text=" ".join(texts))
    claims, start = [], 0
    for position, text in enumerate(texts):
        claims.append(
            ClaimFactory(
                document=document,
                position=len(texts) - position if position % 2 else position + len(texts),
                start=start,
                end=start + len(text),
                text=text,
                checkworthiness=SCORES[position % len(SCORES)],
                status=["unreviewed", "in_review", "reviewed", "approved", "published"][
                    position % 5
                ],
                kind=["fact", "opinion", "prediction", "question", "other"][position % 5],
                **claim_fields,
            )
        )
        start += len(text) + 1
    return claims


def _review(claims: list[Claim], ratings: list[Rating], reviewer) -> None:
    """Sources (some in the trash, some made at the same moment) and verdicts: final and
    live, final in the trash, and another claim's verdict set as final."""
    urls = ["https://stat.example/a,b", 'https://q.example/"q"', "=http://x.example", ""]
    verdicts = []
    for index, claim in enumerate(claims):
        for number in range(index % 4):
            source = Source.objects.create(
                claim=claim, url=urls[(index + number) % len(urls)], added_by=reviewer
            )
            Source.objects.filter(pk=source.pk).update(
                created_at=MOMENT if number < 2 else MOMENT.replace(hour=9),
                deleted_at=MOMENT if (index + number) % 5 == 0 else None,
            )
        if index % 3 == 2:
            continue
        verdicts.append(
            Verdict.objects.create(
                claim=claim,
                reviewer=reviewer,
                rating=ratings[index % len(ratings)],
                rationale=TEXTS[(index + 3) % len(TEXTS)],
                deleted_at=MOMENT if index % 7 == 4 else None,
            )
        )
    for index, verdict in enumerate(verdicts):
        final = verdicts[index - 1] if index % 6 == 5 else verdict
        Claim.objects.filter(pk=verdict.claim_id).update(final_verdict=final)


def newsrooms() -> None:
    """A Russian and an English project, one with ratings whose labels try the rules."""
    reviewer = UserFactory(username="reviewer")
    odd = UserFactory(username='=odd, "name"')
    russian = ProjectFactory(language="ru")
    english = ProjectFactory(language="en")
    scale = russian.rating_scale
    extra = [
        ("formula", "=Formula", {"ru": {"label": "-Минус"}}, None),
        ("empty", "Empty", {"ru": {"label": ""}}, -2),
        ("falsy", "Falsy", {"ru": {"label": False}, "en": {"label": 0}}, 0),
        ("untranslated", "Base, with comma", {"en": {"label": 'English "quoted"'}}, 7),
        ("tab", "\tTab", {}, None),
    ]
    for position, (value, label, translations, numeric) in enumerate(extra, start=100):
        Rating.objects.create(
            scale=scale,
            value=value,
            label=label,
            translations=translations,
            numeric_value=numeric,
            position=position,
        )
    for project, assignee in ((russian, odd), (english, reviewer)):
        ratings = list(Rating.objects.filter(scale=project.rating_scale).order_by("pk"))
        for title in ("=Title", "Заголовок, с запятой", ""):
            claims = _document(project, title, TEXTS, assignee=assignee)
            _review(claims, ratings, reviewer)
    Claim.objects.filter(text="NULL").update(deleted_at=MOMENT)


def as_the_csv_module_writes(text: str) -> str:
    """``text`` parsed and written again by the ``csv`` module."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(csv.reader(io.StringIO(text, newline="")))
    return buffer.getvalue()


def both_ways(monkeypatch, **kwargs) -> tuple[str, str]:
    """The export as PostgreSQL writes it and as the ``csv`` module writes it."""
    kwargs.setdefault("documents", Document.objects.all())
    # Pieces of a few rows: some with a line break within a cell, some without.
    monkeypatch.setattr(csv_copy, "COPY_ROWS", 3)
    copied = "".join(export_stream(fmt="csv", **kwargs))
    with monkeypatch.context() as patched:
        patched.setattr(tabular, "copies_csv", lambda connection: False)
        written = "".join(export_stream(fmt="csv", **kwargs))
    return copied, written


@pytest.mark.parametrize("language", [None, "en", "ru"])
def test_the_database_writes_the_bytes_the_csv_module_writes(db, monkeypatch, language):
    newsrooms()

    copied, written = both_ways(monkeypatch, language=language)

    assert copied == written
    assert written[1:] == as_the_csv_module_writes(written[1:])
    assert written.count("\r\n") > len(TEXTS) * 6
    assert "'=SUM(A1:A2)" in written


def test_it_writes_one_project_some_claims_and_nothing_the_same(db, monkeypatch):
    newsrooms()
    every_third = Claim.objects.order_by("pk").values_list("pk", flat=True)[::3]
    scopes = [
        {"documents": Document.objects.filter(project__language="en")},
        {"documents": None, "claims": Claim.objects.filter(pk__in=every_third)},
        {"documents": Document.objects.none()},
    ]

    for scope in scopes:
        copied, written = both_ways(monkeypatch, **scope)
        assert copied == written


def test_it_is_the_database_that_writes_the_rows(db, monkeypatch):
    newsrooms()

    def refuse(*args, **kwargs):
        raise AssertionError("the csv module wrote the rows")

    monkeypatch.setattr(tabular, "written_rows", refuse)
    text = "".join(export_stream(documents=Document.objects.all(), fmt="csv"))

    assert text.startswith("\ufeffdocument_id,")
    assert "Заголовок, с запятой" in text


def test_with_floats_written_to_fewer_digits_the_csv_module_writes_the_rows(db, monkeypatch):
    # Read as Python reads it, the smallest float is 5e-324; written by PostgreSQL with
    # extra_float_digits at 0, 4.94065645841247e-324.
    ClaimFactory(checkworthiness=5e-324)
    with connection.cursor() as cursor:
        cursor.execute("SET extra_float_digits = 0")  # Undone with the test's transaction.

    copied, written = both_ways(monkeypatch)

    assert copied == written
    assert written[1:] == as_the_csv_module_writes(written[1:])
    assert ",5e-324," in copied


def _closed_early() -> None:
    """Read the start of an export too large to be sent before it is closed."""
    paragraph = "Экспорт вырос. " * 2000
    document = DocumentFactory(text=paragraph * 300)
    Claim.objects.bulk_create(
        Claim(
            document=document,
            position=position,
            start=position * len(paragraph),
            end=(position + 1) * len(paragraph),
            text=paragraph,
        )
        for position in range(300)
    )
    stream = export_stream(documents=Document.objects.all(), fmt="csv")
    next(stream)
    next(stream)
    stream.close()


def test_a_stream_closed_early_in_a_transaction_leaves_it_usable(db, monkeypatch):
    monkeypatch.setattr(csv_copy, "COPY_ROWS", 2)
    _closed_early()

    assert Claim.objects.count() == 300


@pytest.mark.django_db(transaction=True)
def test_a_stream_closed_early_outside_a_transaction_leaves_the_connection_usable(monkeypatch):
    monkeypatch.setattr(csv_copy, "COPY_ROWS", 2)
    _closed_early()

    assert Claim.objects.count() == 300


@pytest.mark.parametrize("jit", ["on", "off"])
def test_the_jit_setting_is_as_it_was_after_the_export(db, jit):
    ClaimFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('jit', %s, false)", [jit])

    "".join(export_stream(documents=Document.objects.all(), fmt="csv"))

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit')")
        assert cursor.fetchone()[0] == jit
