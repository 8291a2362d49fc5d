"""A project export that carries its evidence: the native JSON and every archived capture
of its sources and articles in one ZIP, with a manifest of their SHA-256."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile

import pytest
from django.db import transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.exports.schema import first_schema_error
from annotations.models import Snapshot
from annotations.services.documents import document_create_from_url, document_fetch_url
from annotations.services.sources import source_attach, source_fetch
from tests import pdf_files

pytest_plugins = ["tests.fetch_server"]

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Trade</title>
</head><body><article><h1>Trade figures</h1><p>The ministry reported that exports grew by
5.3% in 2023 and reached 28 billion dollars. Imports fell by 2% over the same year.</p>
<p>Analysts expect growth to continue in 2024, the ministry said.</p></article></body></html>"""


@pytest.fixture
def local_sources(settings):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.FETCH_READ_TIMEOUT = 2.0
    settings.FETCH_TOTAL_TIMEOUT = 5.0
    return settings


@pytest.fixture
def evidence(local_sources, local_fetch_config, captures_dir, fetch_server, project, reviewer):
    """An article imported from an address, a claim of it citing a page and a PDF, both
    fetched: three captures."""
    article = fetch_server.serve("/article", PAGE)
    with transaction.atomic():
        document = document_create_from_url(project=project, actor=reviewer, url=article)
    document_fetch_url(document_id=document.pk)
    claim = document.claims.order_by("start").first()
    cited = [
        fetch_server.serve("/data", PAGE),
        fetch_server.serve(
            "/report.pdf",
            pdf_files.text_pdf([["Exports grew by 5.3 per cent in 2023."]]),
            content_type="application/pdf",
        ),
    ]
    for url in cited:
        with transaction.atomic():
            source = source_attach(claim=claim, actor=reviewer, url=url, quote="exports grew")
        source_fetch(source_id=source.pk, config=local_fetch_config)
    assert Snapshot.objects.exclude(capture="").count() == 2
    return document


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def download(client: APIClient, project) -> zipfile.ZipFile:
    response = client.get(f"/api/v1/projects/{project.slug}/export-with-captures/")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip"
    assert f"{project.slug}-with-captures.zip" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_zip_holds_the_native_export_and_every_capture_as_stored(
    evidence, captures_dir, project, editor, tmp_path
):
    archive = download(api(editor), project)

    data = json.loads(archive.read("export.json"))
    assert first_schema_error(data) is None, first_schema_error(data)
    exported = [
        source["url"] for d in data["documents"] for c in d["claims"] for source in c["sources"]
    ]
    assert len(exported) == 2
    manifest = json.loads(archive.read("captures/manifest.json"))
    assert manifest["format"] == "factcheck-captures/1"
    entries = manifest["captures"]
    assert sorted(entry["kind"] for entry in entries) == ["document", "source", "source"]
    for entry in entries:
        stored = archive.read(entry["path"])
        assert hashlib.sha256(stored).hexdigest() == entry["sha256"]
        assert entry["matches"] is True
        path = tmp_path / entry["path"].replace("/", "_")
        path.write_bytes(stored)
        checked = subprocess.run(
            [sys.executable, "-m", "warcio.cli", "check", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert checked.returncode == 0, checked.stdout
    snapshots = {snapshot.pk: snapshot for snapshot in Snapshot.objects.all()}
    for entry in (e for e in entries if e["kind"] == "source"):
        snapshot = snapshots[entry["snapshot"]]
        assert entry["sha256"] == snapshot.capture_sha256
        assert archive.read(entry["path"]) == (captures_dir / snapshot.capture.name).read_bytes()
    assert any(entry["url"].endswith("/report.pdf") for entry in entries)


def test_a_capture_gone_from_the_storage_is_listed_as_missing(
    evidence, captures_dir, project, editor
):
    snapshot = Snapshot.objects.exclude(capture="").first()
    (captures_dir / snapshot.capture.name).unlink()

    manifest = json.loads(download(api(editor), project).read("captures/manifest.json"))

    missing = [entry for entry in manifest["captures"] if entry.get("missing")]
    assert [entry["snapshot"] for entry in missing] == [snapshot.pk]
    assert len(manifest["captures"]) == 3


def test_under_blind_review_only_editors_get_it_and_outsiders_never(
    evidence, project, reviewer, editor, outsider
):
    project.blind_review = True
    project.save(update_fields=["blind_review"])
    url = f"/api/v1/projects/{project.slug}/export-with-captures/"
    assert api(reviewer).get(url).status_code == 403
    assert api(outsider).get(url).status_code == 404
    assert api(editor).get(url).status_code == 200
