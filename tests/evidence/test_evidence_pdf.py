"""PDF sources and uploads: text read page by page, the quote found with its page, and
hostile or unreadable files refused with a clear reason within limits."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.fetching.pdf import PdfLimits, UnreadablePdf, read_pdf
from annotations.fetching.warc import read_capture
from annotations.models import Document, FetchState, Snapshot, Source
from annotations.services.documents import document_create_from_upload
from annotations.services.errors import ValidationError
from annotations.services.sources import source_attach, source_fetch
from tests import pdf_files
from tests.factories import ClaimFactory, DocumentFactory
from tests.helpers import ROOT, wait_for

pytest_plugins = ["tests.fetch_server"]

PDF_TYPE = "application/pdf"
REPORT_PAGES = [
    ["Ministry of Trade", "Annual report on foreign trade, 2023"],
    [
        "Chapter 2. Exports",
        "In 2023 exports of goods grew by 5.3 per cent and reached",
        "28 billion dollars, the highest figure in a decade.",
    ],
    ["Chapter 3. Imports", "Imports fell by 2 per cent over the same period."],
]
QUOTE = "exports of goods grew by 5.3 per cent and reached 28 billion dollars"


@pytest.fixture
def local_sources(settings):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.FETCH_MAX_BACKOFF = 1
    settings.FETCH_READ_TIMEOUT = 2.0
    settings.FETCH_TOTAL_TIMEOUT = 5.0
    settings.PDF_MAX_PAGES = 50
    return settings


@pytest.fixture
def claim(project):
    document = DocumentFactory(
        project=project, language="en", text="Exports grew by 5.3% in 2023, the ministry said."
    )
    return ClaimFactory(document=document)


def attach(claim, user, url, quote="") -> Source:
    with transaction.atomic():
        return source_attach(claim=claim, actor=user, url=url, quote=quote)


def test_a_pdfs_text_is_read_page_by_page_with_its_printed_page_labels():
    pdf = read_pdf(
        pdf_files.text_pdf(REPORT_PAGES, title="Trade 2023", first_label=13), PdfLimits()
    )

    assert pdf.title == "Trade 2023"
    assert pdf.page_labels == ("13", "14", "15")
    for start, lines in zip(pdf.page_starts, REPORT_PAGES, strict=True):
        assert pdf.text[start:].startswith(lines[0])
    offset = pdf.text.index("Imports fell")
    assert pdf.page_at(offset) == "15"
    assert pdf.page_at(0) == "13"


@pytest.mark.redis
def test_a_worker_finds_a_quote_in_a_pdf_source_with_its_page(
    celery_worker, local_sources, captures_dir, fetch_server, claim, reviewer, client
):
    body = pdf_files.text_pdf(REPORT_PAGES, title="Trade 2023", first_label=13)
    url = fetch_server.serve("/report.pdf", body, content_type=PDF_TYPE)
    source = attach(claim, reviewer, url, QUOTE)

    wait_for(lambda: Source.objects.get(pk=source.pk).fetch_state not in ("pending", "fetching"))
    source.refresh_from_db()
    assert source.fetch_state == FetchState.QUOTE_FOUND, source.fetch_error
    assert source.title == "Trade 2023"
    snapshot = Snapshot.objects.get(source=source)
    assert snapshot.content_type == PDF_TYPE
    assert snapshot.quote_page == "14"
    assert snapshot.text[snapshot.quote_start : snapshot.quote_end] == snapshot.quote_passage
    assert " ".join(snapshot.quote_passage.split()).startswith("exports of goods grew by 5.3")
    # The capture keeps the PDF's bytes as they came.
    assert read_capture((captures_dir / snapshot.capture.name).read_bytes()).body == body

    client.force_login(reviewer)
    card = client.get(f"/claims/{claim.pk}/sources/").content.decode()
    assert "Found on p. 14, " in card
    with translation.override("ru"):
        client.cookies["django_language"] = "ru"
        card = client.get(f"/claims/{claim.pk}/sources/", HTTP_ACCEPT_LANGUAGE="ru").content
    assert "с. 14" in card.decode()

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reviewer).key}")
    latest = api.get(f"/api/v1/sources/{source.pk}/").json()["latest_snapshot"]
    assert latest["quote_page"] == "14"


def test_check_source_reports_the_page_of_a_quote_in_a_pdf(fetch_server):
    body = pdf_files.text_pdf(REPORT_PAGES, first_label=13)
    url = fetch_server.serve("/report.pdf", body, content_type=PDF_TYPE)
    env = dict(os.environ, FETCH_ALLOWED_NETWORKS="127.0.0.1/32")
    env.setdefault("SECRET_KEY", "check-source-command-tests-only-not-a-real-secret-key")
    done = subprocess.run(
        [sys.executable, "manage.py", "check_source", url, "--quote", QUOTE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["status"] == "quote_found"
    assert report["quote"]["page"] == "14"


@pytest.mark.parametrize(
    ("make_pdf", "reason"),
    [
        (pdf_files.scanned_pdf, "The PDF has no text layer (it may be a scan)"),
        (
            lambda: pdf_files.text_pdf(REPORT_PAGES, encrypt_with_password=True),
            "The PDF is encrypted: a password is needed to open it.",
        ),
        (lambda: pdf_files.many_pages_pdf(60), "The PDF has more pages than the limit of 50."),
        (
            lambda: pdf_files.deeply_nested_pdf(5000),
            "The PDF's objects are nested too deeply to read.",
        ),
        (lambda: b"%PDF-1.4\nnot really a PDF at all", "The file is not a readable PDF"),
    ],
    ids=["no-text-layer", "encrypted", "too-many-pages", "deep-nesting", "malformed"],
)
def test_an_unreadable_pdf_source_fails_at_once_with_the_reason(
    db, local_sources, local_fetch_config, captures_dir, fetch_server, claim, reviewer,
    make_pdf, reason,
):  # fmt: skip
    url = fetch_server.serve("/file.pdf", make_pdf(), content_type=PDF_TYPE)
    source = attach(claim, reviewer, url, QUOTE)

    outcome = source_fetch(source_id=source.pk, config=local_fetch_config)

    source.refresh_from_db()
    assert outcome.state == source.fetch_state == FetchState.FAILED
    assert outcome.retry_in is None
    assert source.fetch_error.startswith(reason), source.fetch_error
    assert not source.snapshots.exists()
    assert not any(path.is_file() for path in captures_dir.rglob("*"))


def test_a_pdf_that_inflates_past_the_memory_cap_is_refused():
    bomb = pdf_files.inflating_pdf(192 * 1024 * 1024)
    assert len(bomb) < 2 * 1024 * 1024

    with pytest.raises(UnreadablePdf) as failure:
        read_pdf(bomb, PdfLimits(max_memory=128 * 1024 * 1024))

    assert failure.value.code == "pdf_memory"
    assert not failure.value.transient


def test_reading_a_pdf_stops_at_its_time_limit():
    with pytest.raises(UnreadablePdf) as failure:
        read_pdf(pdf_files.many_pages_pdf(40), PdfLimits(seconds=0.01))
    assert failure.value.code == "pdf_timeout"
    assert str(failure.value) == "Reading the PDF took longer than the limit of 0.01 s."


def test_an_uploaded_pdf_becomes_a_document_cut_into_claims(project, reviewer):
    data = pdf_files.text_pdf(REPORT_PAGES, title="Trade 2023")

    document = document_create_from_upload(
        project=project, actor=reviewer, data=data, filename="report.pdf", language="en"
    )

    assert document.source_format == Document.Format.PDF
    assert document.title == "Trade 2023"
    assert "Imports fell by 2 per cent over the same period." in document.text
    claims = list(document.claims.all())
    assert any("Imports fell by 2 per cent" in claim.text for claim in claims)
    for claim in claims:
        assert document.text[claim.start : claim.end] == claim.text


def test_an_unreadable_upload_is_refused_with_a_message_and_nothing_stored(project, reviewer):
    with pytest.raises(ValidationError) as refused:
        document_create_from_upload(
            project=project,
            actor=reviewer,
            data=pdf_files.text_pdf(REPORT_PAGES, encrypt_with_password=True),
            filename="secret.pdf",
        )
    assert refused.value.message_dict == {
        "file": ["The PDF is encrypted: it cannot be read without its password."]
    }
    assert not Document.objects.exists()


def test_the_api_refuses_a_scanned_pdf_with_a_400_in_the_users_language(project, reviewer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=reviewer).key}")
    upload = SimpleUploadedFile("scan.pdf", pdf_files.scanned_pdf(), content_type=PDF_TYPE)

    response = client.post(
        "/api/v1/documents/",
        {"project": project.slug, "file": upload},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    assert response.status_code == 400, response.content
    assert "OCR" in json.dumps(response.json(), ensure_ascii=False)
    assert "текстового слоя" in json.dumps(response.json(), ensure_ascii=False)
    assert not Document.objects.exists()
