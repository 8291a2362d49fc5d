"""Each document's review progress is kept by the services that change its claims."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from annotations.models import Claim, Document
from annotations.services.claims import claim_merge, claim_split
from annotations.services.documents import document_create
from annotations.services.progress import document_progress_refresh, progress_recount_all
from annotations.services.trash import claim_delete, claim_restore
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from annotations.services.workflow import claim_approve, claims_assign
from tests.factories import ClaimFactory, DocumentFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "The ministry said exports grew by 5% in 2023. Imports fell by 2% last year. "
    "I think that is good news."
)


def progress(document: Document) -> dict[str, int]:
    document.refresh_from_db()
    return {
        "claims": document.claim_count,
        "reviewed": document.reviewed_count,
        "approved": document.approved_count,
        "checkworthy": document.checkworthy_count,
        "checkworthy_reviewed": document.checkworthy_reviewed,
    }


def counted(document: Document) -> dict[str, int]:
    """The same figures counted from the claims as stored."""
    from annotations.extraction.scoring import CHECKWORTHY

    alive = Claim.objects.alive().filter(document=document)
    done = ["reviewed", "approved", "published"]
    return {
        "claims": alive.count(),
        "reviewed": alive.filter(status__in=done).count(),
        "approved": alive.filter(status__in=["approved", "published"]).count(),
        "checkworthy": alive.filter(checkworthiness__gte=CHECKWORTHY).count(),
        "checkworthy_reviewed": alive.filter(
            checkworthiness__gte=CHECKWORTHY, status__in=done
        ).count(),
    }


@pytest.fixture
def document(project, reviewer):
    return document_create(project=project, actor=reviewer, title="Trade", text=TEXT)


def test_storing_the_extracted_claims_counts_them(document):
    figures = progress(document)
    assert figures["claims"] == Claim.objects.filter(document=document).count() >= 2
    assert figures == counted(document)
    assert figures["reviewed"] == 0


def test_verdicts_approval_and_the_trash_keep_the_counts(document, reviewer, editor):
    first, second = Claim.objects.filter(document=document).order_by("position")[:2]
    claims_assign(claims=[first, second], actor=editor, assignee=reviewer)
    assert progress(document) == counted(document)
    verdict = verdict_submit(claim=first, actor=reviewer, rating="false", rationale="No.")
    assert progress(document)["reviewed"] == 1
    claim_set_final_verdict(claim=first, actor=editor, verdict=verdict)
    claim_approve(claim=first, actor=editor)
    assert progress(document)["approved"] == 1
    before = progress(document)["claims"]
    claim_delete(claim=second, actor=reviewer)
    assert progress(document)["claims"] == before - 1
    claim_restore(claim=second, actor=reviewer)
    assert progress(document)["claims"] == before
    assert progress(document) == counted(document)


def test_splitting_and_merging_keep_the_counts(document, reviewer):
    first = Claim.objects.filter(document=document).order_by("position").first()
    before = progress(document)["claims"]
    claim_split(claim=first, actor=reviewer, at=first.start + 12)
    assert progress(document)["claims"] == before + 1
    first.refresh_from_db()
    claim_merge(claim=first, actor=reviewer)
    assert progress(document)["claims"] == before
    assert progress(document) == counted(document)


def test_importing_counts_the_imported_claims(project, editor):
    from annotations.exports.importing import import_native

    source = DocumentFactory(project=project, text=TEXT)
    ClaimFactory(document=source, position=0, start=0, end=45, status="reviewed")
    document_progress_refresh(document_ids=[source.pk])
    from annotations.exports import export_stream

    exported = "".join(
        export_stream(
            documents=Document.objects.filter(pk=source.pk),
            fmt="native",
            language="en",
            base_url="http://testserver/",
        )
    )
    Document.objects.filter(pk=source.pk).delete()
    import_native(data=exported, project=project, actor=editor)
    imported = Document.objects.get(project=project)
    assert (
        progress(imported)
        == counted(imported)
        == {
            "claims": 1,
            "reviewed": 1,
            "approved": 0,
            "checkworthy": 1,
            "checkworthy_reviewed": 1,
        }
    )


def test_the_recount_repairs_counts_written_around_the_services(document):
    Document.objects.filter(pk=document.pk).update(claim_count=99, reviewed_count=42)
    assert progress_recount_all(batch=1) >= 1
    assert progress(document) == counted(document)


def test_the_recount_command_says_how_many_documents_it_recounted(document):
    Document.objects.filter(pk=document.pk).update(claim_count=0)
    out = io.StringIO()
    call_command("recount_progress", stdout=out)
    assert out.getvalue().strip() == "1 documents recounted."
    assert progress(document) == counted(document)
