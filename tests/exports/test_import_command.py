"""``manage.py import_claims``, run in a subprocess as an operator would."""

from __future__ import annotations

import json

from annotations.models import Document, Role
from tests.factories import MembershipFactory, ProjectFactory
from tests.helpers import manage, newsroom, stored


def exported(room, tmp_path):
    target = tmp_path / "export.json"
    done = manage("export_claims", "--project", room.project.slug, "-o", str(target))
    assert done.returncode == 0, done.stderr.decode()
    return target


def test_it_imports_an_export_into_another_project(transactional_db, tmp_path):
    room = newsroom()
    archive = ProjectFactory(slug="archive")
    MembershipFactory(project=archive, user=room.editor, role=Role.ADMIN)
    path = exported(room, tmp_path)

    done = manage("import_claims", str(path), "--project", "archive")

    assert done.returncode == 0, done.stderr.decode()
    assert "Imported into “archive”: 1 document, 4 claims," in done.stdout.decode()
    # The reviewer is no member of the archive: their verdicts are the admin's now.
    assert "“reviewer”" in done.stderr.decode()
    document = Document.objects.get(project=archive)
    assert document.origin == Document.Origin.PASTED
    assert document.claims.count() == 4


def test_it_reads_standard_input_and_acts_as_the_given_user(transactional_db, tmp_path):
    room = newsroom()
    archive = ProjectFactory(slug="archive")
    MembershipFactory(project=archive, user=room.editor, role=Role.EDITOR)
    MembershipFactory(project=archive, user=room.reviewer, role=Role.REVIEWER)
    data = exported(room, tmp_path).read_bytes()

    done = manage("import_claims", "-", "--project", "archive", "--user", "editor", input=data)

    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""
    assert Document.objects.get(project=archive).created_by == room.editor


def test_a_bad_file_exits_2_naming_the_path_and_stores_nothing(transactional_db, tmp_path):
    room = newsroom()
    path = exported(room, tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["documents"][0]["claims"][3]["end"] = 100_000
    path.write_text(json.dumps(data), encoding="utf-8")
    before = stored()

    done = manage("import_claims", str(path), "--project", room.project.slug, "--user", "editor")

    assert done.returncode == 2
    (line,) = done.stderr.decode().strip().splitlines()
    assert line.startswith("CommandError: $.documents[0].claims[3].end: ")
    assert stored() == before


def test_refusals_exit_2_with_one_line(transactional_db, tmp_path):
    room = newsroom()
    path = exported(room, tmp_path)
    before = stored()

    cases = [
        (["--project", "nowhere"], "There is no project “nowhere”."),
        (["--project", room.project.slug, "--user", "nobody"], "There is no user “nobody”."),
        (
            ["--project", room.project.slug, "--user", "reviewer"],
            "This needs the Editor role in the project.",
        ),
        # The newsroom has editors but no admin to act for the operator.
        (["--project", room.project.slug], "The project has no admin to import as; pass --user."),
        # A mapping of the file's people that is not OLD=NEW, or names nobody here.
        (
            ["--project", room.project.slug, "--user", "editor", "--users", "reviewer"],
            "Give --users as OLD=NEW pairs of usernames, not “reviewer”.",
        ),
        (
            ["--project", room.project.slug, "--user", "editor", "--users", "former=editor,=x"],
            "Give --users as OLD=NEW pairs of usernames, not “=x”.",
        ),
        (
            ["--project", room.project.slug, "--user", "editor", "--users", "reviewer=nobody"],
            "There is no user “nobody” to attribute the file's work to.",
        ),
    ]
    for args, message in cases:
        done = manage("import_claims", str(path), *args)
        assert done.returncode == 2, args
        assert done.stderr.decode().strip().splitlines() == [f"CommandError: {message}"]
    missing = manage(
        "import_claims", str(tmp_path / "missing.json"), "--project", "newsroom", "--user", "editor"
    )
    assert missing.returncode == 2
    assert "Cannot read" in missing.stderr.decode()
    assert stored() == before
