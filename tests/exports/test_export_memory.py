"""An export's memory stays flat: it holds a chunk of claims at a time, never the whole."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime

import pytest

from annotations.exports import FORMATS, export_stream, rows
from annotations.models import Claim, ClaimStatus, Document, Snapshot, Source, Verdict
from tests.factories import DocumentFactory, ProjectFactory, UserFactory

CLAIMS_PER_DOCUMENT = 40
SENTENCE = "В {n} году экспорт вырос на {n}% и достиг {n} млрд рублей. "


def fill(project, documents: int) -> None:
    """Documents of published claims, each with a source, a snapshot and a final verdict."""
    rating = project.rating_scale.ratings.get(value="true")
    reviewer = UserFactory()
    moment = datetime(2024, 3, 2, 10, 0, tzinfo=UTC)
    for number in range(documents):
        sentences = [SENTENCE.format(n=number * 100 + i) for i in range(CLAIMS_PER_DOCUMENT)]
        document = DocumentFactory(project=project, text="".join(sentences))
        offset, claims = 0, []
        for position, sentence in enumerate(sentences):
            claims.append(
                Claim(
                    document=document,
                    position=position,
                    start=offset,
                    end=offset + len(sentence) - 1,
                    text=sentence[:-1],
                    status=ClaimStatus.PUBLISHED,
                    published_at=moment,
                )
            )
            offset += len(sentence)
        claims = Claim.objects.bulk_create(claims)
        sources = Source.objects.bulk_create(
            Source(claim=claim, url=f"https://stat.example/{claim.pk}", quote=claim.text[:20])
            for claim in claims
        )
        Snapshot.objects.bulk_create(
            Snapshot(
                source=source,
                fetch_number=1,
                final_url=source.url,
                http_status=200,
                fetched_at=moment,
            )
            for source in sources
        )
        verdicts = Verdict.objects.bulk_create(
            Verdict(claim=claim, reviewer=reviewer, rating=rating, rationale="Совпадает с данными.")
            for claim in claims
        )
        for claim, verdict in zip(claims, verdicts, strict=True):
            claim.final_verdict = verdict
        Claim.objects.bulk_update(claims, ["final_verdict"])


def peak(project, fmt: str) -> int:
    tracemalloc.start()
    try:
        size = sum(map(len, export_stream(documents=project.documents.all(), fmt=fmt)))
        assert size > 0
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_of_six_times_the_claims_takes_no_more_memory(db, monkeypatch, fmt):
    monkeypatch.setattr(rows, "CHUNK_SIZE", CLAIMS_PER_DOCUMENT)
    small, large = ProjectFactory(), ProjectFactory()
    fill(small, 2)
    fill(large, 12)
    assert Claim.objects.filter(document__project=large).count() == 480
    peak(small, fmt)  # Whatever is read once per process (translations, statements).

    assert peak(large, fmt) < 1.3 * peak(small, fmt)
    assert Document.objects.count() == 14
