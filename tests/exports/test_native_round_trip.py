"""Moving a project between installations: native export → import into a fresh
installation → export gives the same file, but for the ids the new installation gives."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command

from annotations.exports import export_stream
from annotations.exports.importing import import_native
from annotations.models import (
    Claim,
    Comment,
    Document,
    Membership,
    Project,
    RatingScale,
    Role,
    Verdict,
)
from annotations.services.comments import comment_add
from annotations.services.publishing import publication_update
from annotations.services.trash import comment_delete
from annotations.services.verdicts import verdict_submit
from tests.factories import MembershipFactory, ProjectFactory
from tests.helpers import Newsroom, assert_error, client_for, newsroom

LONG_AGO = datetime(2024, 3, 5, 9, 30, tzinfo=UTC)


def export_project(project: Project) -> dict:
    text = "".join(export_stream(documents=Document.objects.filter(project=project), fmt="native"))
    return json.loads(text)


def rich_newsroom() -> Newsroom:
    """The newsroom with what a project gathers over months: threaded comments (one in
    the trash with a reply), a published wording, an assignee, a reviewer who has since
    left the project, a document fetched from the web, and times long past."""
    room = newsroom()
    first, second, third, fourth, _fifth = room.claims
    question = comment_add(claim=first, actor=room.reviewer, body="Росстат или ФТС?")
    comment_add(claim=first, actor=room.editor, body="Росстат.", parent=question)
    withdrawn = comment_add(claim=first, actor=room.reviewer, body="Ошибся, удалю.")
    comment_add(claim=first, actor=room.editor, body="Reply to a withdrawn one.", parent=withdrawn)
    comment_delete(comment=withdrawn, actor=room.reviewer)
    comment_add(claim=second, actor=room.editor, body="Ready to publish.")
    publication_update(
        claim=second,
        actor=room.editor,
        summary="Exports grew by 5% in 2023",
        article_url="https://factcheck.example/articles/exports",
    )
    former = MembershipFactory(
        project=room.project, role=Role.REVIEWER, user__username="former", user__first_name="Ex"
    ).user
    verdict_submit(claim=third, actor=former, rating="not_factual", rationale="Мнение.")
    Membership.objects.filter(user=former).delete()
    Claim.objects.filter(pk=fourth.pk).update(assignee=room.reviewer, created_at=LONG_AGO)
    Comment.objects.filter(pk=question.pk).update(created_at=LONG_AGO)
    Document.objects.filter(pk=room.document.pk).update(
        origin=Document.Origin.URL,
        author_type="Organization",
        created_by=room.editor,
        created_at=LONG_AGO,
    )
    return room


def fresh_installation(room: Newsroom) -> tuple[Project, Any]:
    """The newsroom's project and people gone, as on a new installation: only its editor
    has an account again, an editor of an empty project of the same name."""
    settings = Project.objects.filter(pk=room.project.pk).values(
        "slug", "name", "language", "organization_name", "organization_url"
    )[0]
    # What holds on to the project and its people, gone first.
    Verdict.objects.all().delete()
    Comment.objects.all().delete()
    Document.objects.all().delete()
    Project.objects.update(rating_scale=None)
    RatingScale.objects.all().delete()
    Project.objects.all().delete()
    get_user_model().objects.all().delete()
    project = ProjectFactory(**settings)
    editor = MembershipFactory(project=project, role=Role.EDITOR, user__username="editor").user
    return project, editor


def comparable(data: dict) -> dict:
    """The export with the ids an installation gives replaced by what they stand for.

    A reference to an object of the file becomes its position; a history entry's object
    that the file does not carry (it was in the trash) becomes its order of appearance.
    """
    data = json.loads(json.dumps(data))
    data.pop("exported_at")
    for document in data["documents"]:
        document.pop("id")
        for claim in document["claims"]:
            claim_id = claim.pop("id")
            sources = [source.pop("id") for source in claim["sources"]]
            verdicts = [verdict.pop("id") for verdict in claim["verdicts"]]
            comments = [comment.pop("id") for comment in claim.get("comments", [])]
            for verdict in claim["verdicts"]:
                verdict["sources"] = [sources.index(pk) for pk in verdict["sources"]]
            if claim["final_verdict"]:
                final = claim["final_verdict"]
                final["verdict"] = verdicts.index(final["verdict"])
            for comment in claim.get("comments", []):
                if comment["parent"] is not None:
                    comment["parent"] = comments.index(comment["parent"])
            absent: list[int] = []
            for entry in claim["history"].get("entries", []):
                known = {"claim": [claim_id], "verdict": verdicts, "source": sources}
                if entry["object_id"] in known[entry["object"]]:
                    entry["object_id"] = known[entry["object"]].index(entry["object_id"])
                else:
                    absent.append(entry["object_id"]) if entry["object_id"] not in absent else None
                    entry["object_id"] = f"absent {absent.index(entry['object_id'])}"
    return data


def differences(before: Any, after: Any, path: str = "$") -> list[str]:
    """Every path where the two differ: a value changed, or something only one has."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in before.keys() | after.keys():
            if key not in after or key not in before:
                found.append(f"{path}.{key}")
            else:
                found += differences(before[key], after[key], f"{path}.{key}")
        return found
    if isinstance(before, list) and isinstance(after, list):
        shorter, longer = sorted((len(before), len(after)))
        found = [f"{path}[{index}]" for index in range(shorter, longer)]
        for index, (one, other) in enumerate(zip(before[:shorter], after[:shorter], strict=True)):
            found += differences(one, other, f"{path}[{index}]")
        return found
    return [] if before == after else [path]


@pytest.fixture
def room(db) -> Newsroom:
    return rich_newsroom()


def test_a_project_moved_to_a_fresh_installation_exports_the_same(room):
    before = export_project(room.project)
    project, admin = fresh_installation(room)

    import_native(data=json.dumps(before), project=project, actor=admin)

    after = export_project(project)
    found = differences(comparable(before), comparable(after))
    assert found == []


def test_the_export_carries_what_the_move_needs(room):
    data = export_project(room.project)

    first, second, third, _fourth = data["documents"][0]["claims"]
    thread = [(c["author"], c["body"], c["parent"]) for c in first["comments"]]
    question = first["comments"][0]
    assert thread == [
        ("reviewer", "Росстат или ФТС?", None),
        ("editor", "Росстат.", question["id"]),
        # Its parent is in the trash; it stays in the thread, at the top.
        ("editor", "Reply to a withdrawn one.", None),
    ]
    assert question["created_at"] == LONG_AGO.isoformat()
    assert second["publication"]["summary"] == "Exports grew by 5% in 2023"
    entries = first["history"]["entries"]
    assert len(entries) == first["history"]["changes"] > 5
    assert entries[-1]["by"] == first["history"]["last_changed_by"]
    assert entries[-1]["at"] == first["history"]["last_changed_at"]
    assert ("editor", "changed") in {(entry["by"], entry["type"]) for entry in entries}
    assert {entry["object"] for entry in entries} == {"claim", "verdict", "source"}
    # The source in the trash is not carried, but its history is.
    carried = {source["id"] for source in first["sources"]}
    assert {e["object_id"] for e in entries if e["object"] == "source"} - carried
    assert [u["username"] for u in data["users"]] == ["editor", "former", "reviewer"]
    assert data["users"][1]["first_name"] == "Ex"
    assert data["projects"][0]["members"] == [
        {"username": "editor", "role": "editor"},
        {"username": "reviewer", "role": "reviewer"},
    ]
    document = data["documents"][0]
    assert (document["origin"], document["created_by"]) == ("url", "editor")
    assert third["verdicts"][1]["reviewer"] == "former"


def test_people_the_new_installation_lacks_come_as_inactive_placeholders(room):
    data = export_project(room.project)
    project, editor = fresh_installation(room)

    result = import_native(data=data, project=project, actor=editor)

    assert result.placeholders == ["former", "reviewer"]
    assert result.comments == 4
    assert any("“former”, “reviewer”" in note for note in result.notes)
    users = get_user_model().objects.filter(username__in=["former", "reviewer"])
    assert [(u.username, u.is_active, u.has_usable_password()) for u in users.order_by("pk")] == [
        ("former", False, False),
        ("reviewer", False, False),
    ]
    assert users.get(username="former").first_name == "Ex"
    # Members where the file says so; someone who had left keeps the credit, not a place.
    assert dict(project.memberships.values_list("user__username", "role")) == {
        "editor": "editor",
        "reviewer": "reviewer",
    }
    claims = Claim.objects.filter(document__project=project).order_by("position")
    assert claims[3].assignee.username == "reviewer"
    assert claims[3].created_at == LONG_AGO
    assert sorted(claims[2].verdicts.values_list("reviewer__username", flat=True)) == [
        "former",
        "reviewer",
    ]
    question = Comment.objects.get(body="Росстат или ФТС?")
    assert (question.author.username, question.created_at) == ("reviewer", LONG_AGO)
    assert question.replies.get().author == editor


def test_the_importer_maps_people_to_accounts_of_the_new_installation(room):
    data = export_project(room.project)
    project, editor = fresh_installation(room)
    anna = MembershipFactory(project=project, role=Role.REVIEWER, user__username="anna.k").user

    result = import_native(
        data=data, project=project, actor=editor, users={"reviewer": "anna.k", "former": "editor"}
    )

    assert result.placeholders == []
    verdicts = Verdict.objects.filter(claim__document__project=project)
    assert set(verdicts.values_list("reviewer__username", flat=True)) == {"anna.k", "editor"}
    assert Claim.objects.get(document__project=project, position=3).assignee == anna
    assert not get_user_model().objects.filter(username__in=["reviewer", "former"]).exists()


def test_a_mapping_to_nobody_is_refused_before_anything_is_stored(room):
    data = export_project(room.project)
    project, editor = fresh_installation(room)

    with pytest.raises(ValidationError) as caught:
        import_native(data=data, project=project, actor=editor, users={"reviewer": "nobody"})

    assert "“nobody”" in caught.value.message_dict["users"][0]
    assert not Document.objects.exists()
    assert not get_user_model().objects.exclude(pk=editor.pk).exists()


def test_a_file_of_version_1_0_still_imports(room):
    data = export_project(room.project)
    data["schema_version"] = "1.0"
    data.pop("users")
    data["projects"][0].pop("members")
    document = data["documents"][0]
    for key in ("author_type", "created_by"):
        document.pop(key)
    for claim in document["claims"]:
        claim.pop("comments")
        claim.pop("publication")
        claim["history"].pop("entries")
    project, editor = fresh_installation(room)

    result = import_native(data=data, project=project, actor=editor)

    assert result.claims == 4
    claim = Claim.objects.get(document__project=project, position=0)
    assert [(r.history_user, r.history_change_reason) for r in claim.history.all()] == [
        (editor, "import")
    ]


def test_the_command_and_the_api_take_a_mapping(room, tmp_path):
    data = export_project(room.project)
    project, editor = fresh_installation(room)
    MembershipFactory(project=project, role=Role.REVIEWER, user__username="anna.k")
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_claims", str(path), "--project", project.slug, "--user", "editor",
        "--users", "reviewer=anna.k", "--users", "former=editor", stdout=out, stderr=err,
    )  # fmt: skip
    assert "Imported into" in out.getvalue()
    assert err.getvalue() == ""

    answer = client_for(editor).post(
        f"/api/v1/projects/{project.slug}/import/?users=reviewer=nobody", data, format="json"
    )
    assert_error(answer, 400)
    assert "users" in answer.json()["fields"]
    answer = client_for(editor).post(
        f"/api/v1/projects/{project.slug}/import/?users=reviewer=anna.k", data, format="json"
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["placeholders"] == ["former"]
