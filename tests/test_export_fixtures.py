"""A reviewed newsroom project to export, shared by the export and import tests.

``newsroom()`` builds, through the review services where it matters (so that history is
real): a Russian and English document with five claims, of which two are published (one
longer than 75 characters), one reviewed, one untouched and one in the trash; sources
with snapshots (one source in the trash) and verdicts (one in the trash).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from annotations.models import Claim, Document, Project, Role, Snapshot, Source, Verdict
from annotations.services.sources import FetchState
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from annotations.services.workflow import claim_approve, claim_publish
from tests.factories import ClaimFactory, DocumentFactory, MembershipFactory, ProjectFactory

TEXT = (
    "Министр экономики заявил, что экспорт вырос на 5% в 2023 году. "
    "The ministry said exports grew by 5% in 2023, the highest rise since records began in "
    "1991. "
    "Я думаю, это хорошая новость. "
    "Will the growth continue next year? "
    "В 2022 году экспорт упал на 3%."
)
SENTENCES = [match.span() for match in re.finditer(r"[^.?]+[.?]", TEXT)]


@dataclass
class Newsroom:
    project: Project
    editor: object
    reviewer: object
    document: Document
    claims: list[Claim]


def newsroom(slug: str = "newsroom") -> Newsroom:
    project = ProjectFactory(
        slug=slug,
        language="ru",
        organization_name="Проверка фактов",
        organization_url="https://factcheck.example/",
    )
    editor = MembershipFactory(project=project, role=Role.EDITOR, user__username="editor").user
    reviewer = MembershipFactory(
        project=project, role=Role.REVIEWER, user__username="reviewer"
    ).user
    document = DocumentFactory(
        project=project,
        title="Экспорт растёт",
        text=TEXT,
        language="ru",
        author="Министерство экономики",
        source_url="https://news.example/exports",
        published_on=date(2024, 3, 1),
    )
    claims = []
    for position, (start, end) in enumerate(SENTENCES):
        while TEXT[start].isspace():
            start += 1
        claims.append(
            ClaimFactory(
                document=document,
                position=position,
                start=start,
                end=end,
                text=TEXT[start:end],
                kind="opinion" if position == 2 else "fact",
                extracted_kind="fact",
                reasons=["number: 5%"] if position < 2 else [],
                entities=[{"start": 0, "end": 7, "text": "Министр", "type": "PER"}],
                attribution="Министр экономики" if position == 0 else "",
            )
        )
    first, second, third, _fourth, fifth = claims

    for claim in (first, second):
        source = _source(claim, reviewer, "https://stat.example/exports-2023")
        verdict = verdict_submit(
            claim=claim,
            actor=reviewer,
            rating="mostly_false" if claim is first else "true",
            rationale="Росстат даёт 3,9%, а не 5%." if claim is first else "Matches the data.",
            sources=[source],
        )
        claim_set_final_verdict(claim=claim, actor=editor, verdict=verdict)
        claim_approve(claim=claim, actor=editor)
        claim_publish(claim=claim, actor=editor)

    trashed_source = _source(first, reviewer, "https://old.example/gone")
    Source.objects.filter(pk=trashed_source.pk).update(deleted_at=datetime.now(UTC))

    verdict_submit(claim=third, actor=reviewer, rating="not_factual", rationale="An opinion.")
    trashed = verdict_submit(
        claim=third, actor=editor, rating="false", rationale="Withdrawn, in the trash."
    )
    Verdict.objects.filter(pk=trashed.pk).update(deleted_at=datetime.now(UTC))

    Claim.objects.filter(pk=fifth.pk).update(deleted_at=datetime.now(UTC))
    for claim in claims:
        claim.refresh_from_db()
    return Newsroom(project, editor, reviewer, document, claims)


def _source(claim: Claim, reviewer: object, url: str) -> Source:
    source = Source.objects.create(
        claim=claim,
        url=url,
        title="Экспорт в 2023 году",
        quote="экспорт вырос на 3,9%",
        stance="refutes",
        added_by=reviewer,
        fetch_state=FetchState.QUOTE_FOUND,
        fetch_count=1,
        last_fetched_at=datetime(2024, 3, 2, 10, 0, tzinfo=UTC),
    )
    Snapshot.objects.create(
        source=source,
        fetch_number=1,
        final_url=url,
        http_status=200,
        content_type="text/html; charset=utf-8",
        sha256="0" * 64,
        size=1234,
        fetched_at=datetime(2024, 3, 2, 10, 0, tzinfo=UTC),
        title="Экспорт в 2023 году",
        site_name="Статистика",
        text="По данным службы, экспорт вырос на 3,9% за год.",
        body=b"not exported",
        quote_found=True,
        quote_method="exact",
        quote_score=100.0,
        quote_start=18,
        quote_end=39,
        quote_passage="экспорт вырос на 3,9%",
        context_before="По данным службы, ",
        context_after=" за год.",
    )
    return source


def test_the_newsroom_has_what_the_export_tests_rely_on(db):
    room = newsroom()
    statuses = [claim.status for claim in room.claims]
    assert statuses[:4] == ["published", "published", "reviewed", "unreviewed"]
    assert room.claims[4].deleted_at is not None
    assert len(room.claims[1].text) > 75
    assert all(room.document.text[c.start : c.end] == c.text for c in room.claims)
