"""Every fetch of a source is archived as a WARC 1.1 file that readers can download and
verify: request, response and a metadata record with the body's SHA-256 and capture time."""

from __future__ import annotations

import errno
import gzip
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.fetching.warc import read_capture
from annotations.models import FetchState, Snapshot, Source
from annotations.services.sources import source_attach, source_fetch
from tests.factories import ClaimFactory, DocumentFactory, UserFactory
from tests.helpers import wait_for

pytest_plugins = ["tests.fetch_server"]

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Trade figures for 2023</title></head><body><article>
<h1>Trade figures for 2023</h1>
<p>The ministry reported that exports grew by 5.3% in 2023 and reached 28 billion dollars,
the highest figure in a decade. Imports fell slightly over the same period.</p>
</article></body></html>"""
QUOTE = "exports grew by 5.3% in 2023 and reached 28 billion dollars"


@pytest.fixture
def local_sources(settings):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.FETCH_MAX_BACKOFF = 1
    settings.FETCH_READ_TIMEOUT = 2.0
    settings.FETCH_TOTAL_TIMEOUT = 5.0
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


def warcio_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def stored_file(captures_dir: Path, snapshot: Snapshot) -> Path:
    return captures_dir / snapshot.capture.name


def api_client(user) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.mark.redis
def test_a_worker_archives_the_fetch_as_a_warc_that_warcio_checks(
    celery_worker, local_sources, captures_dir, fetch_server, claim, reviewer
):
    url = fetch_server.serve("/trade", PAGE)
    source = attach(claim, reviewer, url, QUOTE)

    wait_for(lambda: Source.objects.get(pk=source.pk).fetch_state == FetchState.QUOTE_FOUND)
    snapshot = Snapshot.objects.get(source=source)
    path = stored_file(captures_dir, snapshot)
    assert path.is_file()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == snapshot.capture_sha256

    checked = warcio_check(path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("digest pass") == 4

    capture = read_capture(path.read_bytes())
    assert capture.types == ["warcinfo", "request", "response", "metadata"]
    assert capture.target_uri == url
    assert capture.status == 200
    assert capture.body == PAGE.encode("utf-8")
    body_sha256 = hashlib.sha256(PAGE.encode("utf-8")).hexdigest()
    assert capture.metadata["payload-sha256"] == [body_sha256] == [snapshot.sha256]
    assert capture.metadata["capture-time"] == [
        snapshot.fetched_at.isoformat().replace("+00:00", "Z")
    ]
    assert capture.metadata["ip-address"] == ["127.0.0.1"]


def test_a_compressed_page_is_archived_decoded_with_its_original_encoding_named(
    db, local_sources, local_fetch_config, captures_dir, fetch_server, claim, reviewer
):
    url = fetch_server.serve(
        "/gz", gzip.compress(PAGE.encode("utf-8")), headers={"Content-Encoding": "gzip"}
    )
    first = fetch_server.redirect("/old", url, status=301)
    source = attach(claim, reviewer, first, QUOTE)

    outcome = source_fetch(source_id=source.pk, config=local_fetch_config)

    assert outcome.state == FetchState.QUOTE_FOUND
    path = stored_file(captures_dir, Snapshot.objects.get(pk=outcome.snapshot_id))
    assert warcio_check(path).returncode == 0
    warc_text = gzip.decompress(path.read_bytes()).decode("utf-8")
    assert "X-Archive-Orig-Content-Encoding: gzip" in warc_text
    assert "\r\nContent-Encoding:" not in warc_text
    capture = read_capture(path.read_bytes())
    assert capture.body == PAGE.encode("utf-8")
    assert capture.metadata["requested-uri"] == [first]
    assert capture.metadata["redirect"] == [f"301 {first} {url}"]


def test_members_download_the_capture_from_the_source_card_and_the_api(
    db, local_sources, local_fetch_config, captures_dir, fetch_server, claim, reviewer, client
):
    source = attach(claim, reviewer, fetch_server.serve("/trade", PAGE), QUOTE)
    snapshot = Snapshot.objects.get(
        pk=source_fetch(source_id=source.pk, config=local_fetch_config).snapshot_id
    )
    stored = stored_file(captures_dir, snapshot).read_bytes()

    client.force_login(reviewer)
    card = client.get(f"/claims/{claim.pk}/sources/").content.decode()
    link = f"/snapshots/{snapshot.pk}/capture/"
    assert f'href="{link}"' in card
    assert "Archived capture (WARC)" in card
    page = client.get(link)
    assert page.status_code == 200
    assert page["Content-Type"] == "application/warc"
    assert f"source-{source.pk}-fetch-1-" in page["Content-Disposition"]
    assert b"".join(page.streaming_content) == stored

    api = api_client(reviewer)
    latest = api.get(f"/api/v1/sources/{source.pk}/").json()["latest_snapshot"]
    assert latest["capture_sha256"] == hashlib.sha256(stored).hexdigest()
    listed = api.get(f"/api/v1/claims/{claim.pk}/").json()
    assert listed["sources"][0]["latest_snapshot"]["capture_url"] == latest["capture_url"]
    download = api.get(latest["capture_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == stored


def test_people_outside_the_project_cannot_download_a_capture(
    db, local_sources, local_fetch_config, captures_dir, fetch_server, claim, reviewer, client
):
    source = attach(claim, reviewer, fetch_server.serve("/trade", PAGE), QUOTE)
    snapshot_id = source_fetch(source_id=source.pk, config=local_fetch_config).snapshot_id
    link = f"/snapshots/{snapshot_id}/capture/"
    api_link = f"/api/v1/sources/{source.pk}/snapshots/{snapshot_id}/capture/"

    assert client.get(link).status_code == 302  # to the login page
    assert APIClient().get(api_link).status_code == 401
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(link).status_code == 404
    assert api_client(outsider).get(api_link).status_code == 404
    # A snapshot id of another source does not leak through a source one may see.
    other = attach(claim, reviewer, fetch_server.serve("/other", PAGE))
    mixed = f"/api/v1/sources/{other.pk}/snapshots/{snapshot_id}/capture/"
    assert api_client(reviewer).get(mixed).status_code == 404


class FullDiskStorage(FileSystemStorage):
    """Writes half the file, then fails the way a full disk does."""

    def _save(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.read()
        path.write_bytes(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_capture_that_cannot_be_written_fails_the_fetch_and_leaves_nothing_half_written(
    db, local_sources, local_fetch_config, settings, tmp_path, fetch_server, claim, reviewer
):
    settings.FETCH_MAX_ATTEMPTS = 2
    location = tmp_path / "full"
    settings.STORAGES = {
        **settings.STORAGES,
        "captures": {
            "BACKEND": f"{__name__}.FullDiskStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    source = attach(claim, reviewer, fetch_server.serve("/trade", PAGE), QUOTE)

    first = source_fetch(source_id=source.pk, config=local_fetch_config)
    assert first.state == FetchState.PENDING  # a full disk may be freed: tried again
    assert first.retry_in is not None
    last = source_fetch(source_id=source.pk, config=local_fetch_config)

    source.refresh_from_db()
    assert last.state == source.fetch_state == FetchState.FAILED
    assert source.fetch_error == (
        "The archived capture could not be stored: the storage is full. (gave up after 2 attempts)"
    )
    assert not source.snapshots.exists()
    assert [path for path in location.rglob("*") if path.is_file()] == []


def test_a_second_delivery_of_the_same_fetch_keeps_one_capture(
    db, local_sources, local_fetch_config, captures_dir, fetch_server, claim, reviewer
):
    source = attach(claim, reviewer, fetch_server.serve("/trade", PAGE), QUOTE)
    outcome = source_fetch(source_id=source.pk, config=local_fetch_config)
    snapshot = Snapshot.objects.get(pk=outcome.snapshot_id)
    # The same work claimed again, as after a worker that ran past its hard limit.
    Source.objects.filter(pk=source.pk).update(
        fetch_state=FetchState.PENDING, fetch_count=0, attempts=0
    )

    assert source_fetch(source_id=source.pk, config=local_fetch_config) is None

    assert Snapshot.objects.filter(source=source).count() == 1
    files = [path for path in captures_dir.rglob("*") if path.is_file()]
    assert files == [stored_file(captures_dir, snapshot)]


def test_captures_go_to_an_s3_compatible_bucket_when_the_settings_say_so(settings):
    from django.core.files.storage import storages
    from storages.backends.s3 import S3Storage

    from annotations.models.captures import capture_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "captures": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "captures", "endpoint_url": "http://127.0.0.1:9000"},
        },
    }
    storage = capture_storage()
    assert isinstance(storage, S3Storage)
    assert storage is storages["captures"]
    assert storage.bucket_name == "captures"
    assert storage.endpoint_url == "http://127.0.0.1:9000"
