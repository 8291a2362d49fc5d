"""``manage.py export_claims``, run in a subprocess as an operator would."""

from __future__ import annotations

import csv
import io
import json

from annotations.exports.schema import first_schema_error
from tests.factories import UserFactory
from tests.helpers import manage, newsroom


def test_it_writes_the_native_export_of_a_document_to_stdout(transactional_db):
    room = newsroom()

    done = manage("export_claims", "--document", str(room.document.pk), "--format", "native")

    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout.decode("utf-8"))
    assert first_schema_error(data) is None
    assert [c["id"] for c in data["documents"][0]["claims"]] == [c.pk for c in room.claims[:4]]
    assert done.stderr == b""


def test_it_writes_a_project_to_a_file(transactional_db, tmp_path):
    room = newsroom()
    target = tmp_path / "claims.csv"

    done = manage("export_claims", "--project", "newsroom", "--format", "csv", "-o", str(target))

    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == b""
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    # A Russian project's cells are separated by semicolons, as its spreadsheets expect.
    assert data.decode("utf-8-sig").startswith("document_id;document_title;")
    text = io.StringIO(data.decode("utf-8-sig"), newline="")
    found = list(csv.DictReader(text, delimiter=";"))
    assert [row["text"] for row in found] == [c.text for c in room.claims[:4]]
    assert [p.name for p in tmp_path.iterdir()] == ["claims.csv"]


def test_the_csv_delimiter_can_be_chosen(transactional_db):
    newsroom()

    done = manage(
        "export_claims", "--project", "newsroom", "--format", "csv", "--delimiter", "comma"
    )
    refused = manage("export_claims", "--project", "newsroom", "--delimiter", "tab")

    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode("utf-8-sig").startswith("document_id,document_title,")
    assert refused.returncode == 2
    assert b"--delimiter" in refused.stderr


def test_claimreview_length_warnings_go_to_stderr(transactional_db):
    room = newsroom()

    done = manage(
        "export_claims",
        "--project",
        "newsroom",
        "--format",
        "claimreview",
        "--base-url",
        "https://factcheck.example",
    )

    assert done.returncode == 0
    reviews = json.loads(done.stdout)
    assert len(reviews) == 2
    (warning,) = done.stderr.decode().strip().splitlines()
    assert f"Claim {room.claims[1].pk} is" in warning


def test_a_user_sees_only_their_projects(transactional_db):
    room = newsroom()
    UserFactory(username="stranger")

    as_member = manage(
        "export_claims", "--document", str(room.document.pk), "--user", "editor", "--format", "csv"
    )
    as_stranger = manage("export_claims", "--document", str(room.document.pk), "--user", "stranger")
    project_as_stranger = manage("export_claims", "--project", "newsroom", "--user", "stranger")

    assert as_member.returncode == 0, as_member.stderr.decode()
    assert as_stranger.returncode == 2
    assert (
        as_stranger.stderr.decode().strip()
        == f"CommandError: There is no document {room.document.pk}."
    )
    assert as_stranger.stdout == b""
    assert project_as_stranger.returncode == 2
    assert "There is no project “newsroom”." in project_as_stranger.stderr.decode()


def test_unknown_documents_projects_and_users_exit_with_status_2(transactional_db):
    newsroom()

    for args, message in [
        (["--document", "999999"], "There is no document 999999."),
        (["--project", "nowhere"], "There is no project “nowhere”."),
        (["--project", "newsroom", "--user", "nobody"], "There is no user “nobody”."),
    ]:
        done = manage("export_claims", *args)
        assert done.returncode == 2, args
        assert done.stderr.decode().strip().splitlines() == [f"CommandError: {message}"]
        assert done.stdout == b""
