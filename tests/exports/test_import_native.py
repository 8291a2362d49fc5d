from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations.exports import export_stream
from annotations.exports.importing import ImportError_, import_native
from annotations.models import Claim, Document, Role, Verdict
from tests.factories import (
    ClaimFactory,
    DocumentFactory,
    MembershipFactory,
    ProjectFactory,
    UserFactory,
)
from tests.helpers import newsroom, stored

# Stored anew by an import: they say when and where, not what (a document whose creator
# the file does not name is the importing user's).
VOLATILE = {"id", "created_at", "updated_at", "exported_at", "history", "project", "created_by"}


def export_project(project) -> dict:
    text = "".join(export_stream(documents=Document.objects.filter(project=project), fmt="native"))
    return json.loads(text)


def normalised(data: dict) -> dict:
    """The export without ids, timestamps of storage, history and the project.

    References between objects (a verdict's sources, the final verdict) become positions
    in their lists.
    """
    data = copy.deepcopy(data)
    data.pop("projects")
    for document in data["documents"]:
        for claim in document["claims"]:
            source_ids = [source["id"] for source in claim["sources"]]
            verdict_ids = [verdict["id"] for verdict in claim["verdicts"]]
            for verdict in claim["verdicts"]:
                verdict["sources"] = [source_ids.index(pk) for pk in verdict["sources"]]
            if claim["final_verdict"]:
                final = claim["final_verdict"]
                final["verdict"] = verdict_ids.index(final["verdict"])
    return _strip(data)


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _strip(item) for key, item in value.items() if key not in VOLATILE}
    if isinstance(value, list):
        return [_strip(item) for item in value]
    return value


@pytest.fixture
def room(db):
    return newsroom()


@pytest.fixture
def target(room):
    """An empty project where the newsroom's editor and reviewer are members too."""
    project = ProjectFactory(slug="archive", language="ru")
    MembershipFactory(project=project, user=room.editor, role=Role.EDITOR)
    MembershipFactory(project=project, user=room.reviewer, role=Role.REVIEWER)
    return project


def test_export_import_export_gives_the_same_export(room, target):
    before = export_project(room.project)

    result = import_native(data=json.dumps(before).encode(), project=target, actor=room.editor)
    after = export_project(target)

    assert (result.documents, result.claims, result.sources, result.verdicts) == (1, 4, 2, 3)
    assert result.notes == []
    assert normalised(after) == normalised(before)
    assert after["documents"][0]["origin"] == before["documents"][0]["origin"] == "pasted"
    assert after["documents"][0]["id"] != before["documents"][0]["id"]


def test_imported_claims_are_stored_as_given_and_ready(room, target):
    data = export_project(room.project)

    result = import_native(data=data, project=target, actor=room.editor)

    document = Document.objects.get(pk=result.document_ids[0])
    assert document.status == Document.Status.READY
    assert document.created_by == room.editor
    assert document.sha256 == room.document.sha256
    claims = list(document.claims.order_by("position"))
    assert [c.text for c in claims] == [c.text for c in room.claims[:4]]
    assert claims[0].final_verdict.reviewer == room.reviewer
    assert claims[0].final_verdict.rating.scale == target.rating_scale
    assert claims[0].published_at == room.claims[0].published_at
    source = claims[0].sources.get()
    assert source.fetch_count == 1
    assert source.snapshots.get().quote_passage == "экспорт вырос на 3,9%"
    assert source.snapshots.get().body == b""
    # The history carried over: who did what when, as in the newsroom.
    restored = claims[0].history.order_by("history_date", "history_id")
    original = room.claims[0].history.order_by("history_date", "history_id")
    assert [(r.history_user, r.history_date, r.history_change_reason) for r in restored] == [
        (r.history_user, r.history_date, r.history_change_reason) for r in original
    ]
    assert claims[0].created_at == room.claims[0].created_at


def test_verdicts_by_strangers_are_attributed_to_the_importer_with_a_note(room):
    """An account of this installation that is no member of the project is not made
    one by an import, nor credited with work in it."""
    project = ProjectFactory(slug="elsewhere")
    importer = MembershipFactory(project=project, role=Role.EDITOR).user

    result = import_native(data=export_project(room.project), project=project, actor=importer)

    assert {v.reviewer for v in Verdict.objects.filter(claim__document__project=project)} == {
        importer
    }
    assert len(result.notes) == 1
    assert "“reviewer”" in result.notes[0]
    assert importer.username in result.notes[0]
    assert result.placeholders == []
    assert not project.memberships.filter(user=room.reviewer).exists()
    verdict = Verdict.objects.filter(claim__document__project=project).first()
    latest = verdict.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        importer,
        "import: reviewer reviewer",
    )


def test_two_verdicts_that_would_both_be_the_importers_are_refused(room):
    project = ProjectFactory(slug="elsewhere")
    importer = MembershipFactory(project=project, role=Role.EDITOR).user
    data = export_project(room.project)
    claim = data["documents"][0]["claims"][2]
    second = copy.deepcopy(claim["verdicts"][0])
    # An account here, but no member of the project: its verdict would be the importer's.
    UserFactory(username="someone-else")
    second.update(id=second["id"] + 1000, reviewer="someone-else")
    claim["verdicts"].append(second)
    before = stored()

    with pytest.raises(ImportError_) as caught:
        import_native(data=data, project=project, actor=importer)

    assert caught.value.path == "$.documents[0].claims[2].verdicts[1].reviewer"
    assert stored() == before


def test_only_editors_import(room, target):
    viewer = MembershipFactory(project=target, role=Role.REVIEWER).user
    before = stored()

    with pytest.raises(PermissionDenied):
        import_native(data=export_project(room.project), project=target, actor=viewer)

    assert stored() == before


def six_claims(room) -> dict:
    """An export whose second document has six claims."""
    text = "Один. Два. Три. Четыре. Пять. Шесть."
    document = DocumentFactory(project=room.project, text=text, title="Шесть")
    offset = 0
    for position, word in enumerate(text.split(" ")):
        start = text.index(word, offset)
        offset = start + len(word)
        ClaimFactory(document=document, position=position, start=start, end=offset, text=word)
    data = export_project(room.project)
    assert len(data["documents"][1]["claims"]) == 6
    return data


def broken(data: dict, change) -> dict:
    data = copy.deepcopy(data)
    change(data)
    return data


def fifth_claim(data: dict) -> dict:
    return data["documents"][1]["claims"][4]


BAD_FILES = [
    (
        "the fifth claim ends after the text",
        lambda d: fifth_claim(d).update(end=10_000),
        "$.documents[1].claims[4].end",
    ),
    (
        "the fifth claim's end is not a number",
        lambda d: fifth_claim(d).update(end="29"),
        "$.documents[1].claims[4].end",
    ),
    (
        "the fifth claim's text is not its slice",
        lambda d: fifth_claim(d).update(text="Пять!"),
        "$.documents[1].claims[4].text",
    ),
    (
        "the fifth claim starts where it ends",
        lambda d: fifth_claim(d).update(start=fifth_claim(d)["end"]),
        "$.documents[1].claims[4].end",
    ),
    (
        "the fifth claim has an unknown kind",
        lambda d: fifth_claim(d).update(kind="rumour"),
        "$.documents[1].claims[4].kind",
    ),
    (
        "the fifth claim lacks its status",
        lambda d: fifth_claim(d).pop("status"),
        "$.documents[1].claims[4]",
    ),
    (
        "a document's hash does not match its text",
        lambda d: d["documents"][1].update(sha256="0" * 64),
        "$.documents[1].sha256",
    ),
    (
        "a rating the project's scale lacks",
        lambda d: d["documents"][0]["claims"][0]["verdicts"][0]["rating"].update(
            value="pants_on_fire"
        ),
        "$.documents[0].claims[0].verdicts[0].rating.value",
    ),
    (
        "a verdict relying on a source the claim lacks",
        lambda d: d["documents"][0]["claims"][0]["verdicts"][0].update(sources=[123456]),
        "$.documents[0].claims[0].verdicts[0].sources[0]",
    ),
    (
        "a final verdict that is none of the claim's verdicts",
        lambda d: d["documents"][0]["claims"][0]["final_verdict"].update(verdict=123456),
        "$.documents[0].claims[0].final_verdict.verdict",
    ),
    (
        "a published claim without a final verdict",
        lambda d: d["documents"][0]["claims"][0].update(final_verdict=None),
        "$.documents[0].claims[0].final_verdict",
    ),
    (
        "a timestamp without a UTC offset",
        lambda d: d["documents"][0]["claims"][0].update(published_at="2024-03-01T10:00:00"),
        "$.documents[0].claims[0].published_at",
    ),
    (
        "a later format version",
        lambda d: d.update(schema_version="2.0"),
        "$.schema_version",
    ),
]


@pytest.mark.parametrize(
    ("change", "path"), [case[1:] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES]
)
def test_a_bad_file_names_the_path_of_its_first_problem_and_stores_nothing(
    room, target, change, path
):
    data = broken(six_claims(room), change)
    before = stored()

    with pytest.raises(ValidationError) as caught:
        import_native(data=json.dumps(data), project=target, actor=room.editor)

    assert isinstance(caught.value, ImportError_)
    assert caught.value.path == path
    assert caught.value.messages[0].startswith(f"{path}: ")
    assert stored() == before


def test_the_first_of_several_problems_is_reported(room, target):
    data = six_claims(room)
    data["documents"][1]["claims"][5]["end"] = "x"
    data["documents"][1]["claims"][3]["kind"] = "rumour"

    with pytest.raises(ImportError_) as caught:
        import_native(data=data, project=target, actor=room.editor)

    assert caught.value.path == "$.documents[1].claims[3].kind"


def test_a_file_that_is_not_json_is_refused(room, target):
    before = stored()

    for data, problem in [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[]", "must hold one JSON object"),
    ]:
        with pytest.raises(ImportError_) as caught:
            import_native(data=data, project=target, actor=room.editor)
        assert caught.value.path == "$"
        assert problem in caught.value.messages[0]
    assert stored() == before


def test_a_failure_while_writing_rolls_everything_back(room, target, monkeypatch):
    data = six_claims(room)
    before = stored()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    # The second document fails after the first one was written.
    calls = []
    original = Claim.objects.bulk_create

    def bulk_create(objs, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            fail()
        return original(objs, *args, **kwargs)

    monkeypatch.setattr(Claim.objects, "bulk_create", bulk_create)
    with pytest.raises(RuntimeError):
        import_native(data=data, project=target, actor=room.editor)

    assert stored() == before
