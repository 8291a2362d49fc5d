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
from django.core.management import call_command
from django.db import transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.exports.schema import first_schema_error
from annotations.models import Snapshot
from annotations.services.documents import document_create_from_url, document_fetch_url
from annotations.services.sources import source_attach, source_fetch
from tests import pdf_files
from tests.helpers import manage, subprocess_env

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


def zip_entries(archive: zipfile.ZipFile) -> dict[str, bytes]:
    """The ZIP's files by name; the export's moment left out, as it differs by run."""
    entries = {name: archive.read(name) for name in archive.namelist()}
    data = json.loads(entries.pop("export.json"))
    data.pop("exported_at")
    entries["export.json"] = json.dumps(data, sort_keys=True).encode()
    return entries


def warc_problems(path) -> str:
    checked = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return "" if checked.returncode == 0 else checked.stdout + checked.stderr


def test_the_command_writes_the_same_zip_as_the_api(evidence, project, editor, tmp_path):
    target = tmp_path / "evidence.zip"

    call_command("export_claims", "--project", project.slug, "--with-captures", "-o", str(target))

    written = zip_entries(zipfile.ZipFile(target))
    assert written == zip_entries(download(api(editor), project))
    warcs = [name for name in written if name.endswith(".warc.gz")]
    assert len(warcs) == 3
    for name in warcs:
        path = tmp_path / name.replace("/", "_")
        path.write_bytes(written[name])
        assert warc_problems(path) == ""
        assert f'"sha256": "{hashlib.sha256(written[name]).hexdigest()}"' in (
            written["captures/manifest.json"].decode()
        )
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".part"] == []


def test_the_command_pipes_the_zip_and_names_a_missing_capture(
    evidence, captures_dir, project, transactional_db
):
    snapshot = Snapshot.objects.exclude(capture="").first()
    (captures_dir / snapshot.capture.name).unlink()
    env = {
        **subprocess_env(),
        "CAPTURE_STORAGE_OPTIONS": json.dumps({"location": str(captures_dir)}),
    }

    done = manage("export_claims", "--project", project.slug, "--with-captures", env=env)

    assert done.returncode == 0, done.stderr.decode()
    archive = zipfile.ZipFile(io.BytesIO(done.stdout))
    assert first_schema_error(json.loads(archive.read("export.json"))) is None
    assert len([name for name in archive.namelist() if name.endswith(".warc.gz")]) == 2
    path = f"captures/sources/{snapshot.source_id}/fetch-1.warc.gz"
    warnings = [line for line in done.stderr.decode().splitlines() if line.startswith("Warning:")]
    assert warnings == [f"Warning: the capture {path} is missing from the storage."]


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--format", "csv"], "--with-captures writes the native format, not csv."),
        (["--delimiter", "comma"], "--delimiter is for CSV"),
        (["--project", "nowhere"], "There is no project “nowhere”."),
    ],
)
def test_the_command_refuses_what_does_not_go_with_captures(db, arguments, said, tmp_path):
    target = tmp_path / "out.zip"
    project_given = "--project" in arguments
    done = manage(
        "export_claims",
        *([] if project_given else ["--project", "newsroom"]),
        *arguments,
        "--with-captures",
        "-o",
        str(target),
    )

    assert done.returncode == 2
    (line,) = done.stderr.decode().strip().splitlines()
    assert said in line
    assert done.stdout == b""
    assert list(tmp_path.iterdir()) == []
