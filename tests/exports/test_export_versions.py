"""Exports name the version of the document a claim belongs to, and the version before it."""

from __future__ import annotations

import csv
import io
import json

import pytest

from annotations.exports import export_stream
from annotations.exports.importing import ImportError_, import_native
from annotations.exports.schema import first_schema_error
from annotations.models import Claim, Document, Role
from annotations.services.versions import document_add_version
from tests.factories import MembershipFactory, ProjectFactory
from tests.helpers import client_for, document_of_claims

FIRST = ["Exports grew by 5% in 2023.", "Imports fell by 2% in 2023."]
SECOND = ["Exports grew by 5% in 2023.", "Imports fell by 3% in 2023."]


@pytest.fixture
def versions(project, reviewer) -> tuple[Document, Document]:
    """An article stored twice: the second version holds the claims now."""
    first = document_of_claims(project, FIRST, language="en", title="Trade")
    second = document_add_version(document=first, actor=reviewer, text=" ".join(SECOND)).document
    first.refresh_from_db()
    return first, second


def export(fmt: str, project) -> str:
    documents = Document.objects.filter(project=project)
    return "".join(export_stream(documents=documents, fmt=fmt, delimiter=","))


def test_the_native_export_gives_each_document_its_version_and_the_one_before(versions, project):
    first, second = versions
    data = json.loads(export("native", project))

    assert first_schema_error(data) is None
    listed = {document["id"]: document for document in data["documents"]}
    assert (listed[first.pk]["version"], listed[first.pk]["previous_version"]) == (1, None)
    assert (listed[second.pk]["version"], listed[second.pk]["previous_version"]) == (2, first.pk)
    assert listed[first.pk]["claims"] == []
    assert [claim["text"] for claim in listed[second.pk]["claims"]] == SECOND


def test_json_lines_and_csv_name_the_version_of_each_claims_document(versions, project):
    first, second = versions
    lines = [json.loads(line) for line in export("jsonl", project).splitlines()]
    rows = list(csv.DictReader(io.StringIO(export("csv", project).lstrip("\ufeff"))))

    assert len(lines) == len(rows) == 2
    for line in lines:
        assert (line["document"], line["document_version"]) == (second.pk, 2)
        assert line["document_previous_version"] == first.pk
    for row in rows:
        assert (row["document_id"], row["document_version"]) == (str(second.pk), "2")
        assert row["document_previous_version"] == str(first.pk)


def test_a_first_version_has_no_previous_one_in_csv(project):
    document_of_claims(project, FIRST, language="en")
    rows = list(csv.DictReader(io.StringIO(export("csv", project).lstrip("\ufeff"))))

    assert [(row["document_version"], row["document_previous_version"]) for row in rows] == [
        ("1", ""),
        ("1", ""),
    ]


def test_the_api_shows_a_claims_document_version(versions, reviewer):
    first, second = versions
    claim = Claim.objects.get(document=second, text=SECOND[1])

    body = client_for(reviewer).get(f"/api/v1/claims/{claim.pk}/").json()

    assert (body["document"], body["document_version"]) == (second.pk, 2)
    assert body["document_previous_version"] == first.pk


def test_a_native_import_keeps_the_versions_linked(versions, project):
    data = export("native", project)
    target = ProjectFactory(slug="copy")
    editor = MembershipFactory(project=target, role=Role.EDITOR).user

    result = import_native(data=data, project=target, actor=editor)

    old, new = Document.objects.filter(pk__in=result.document_ids).order_by("pk")
    assert (old.version_number, old.previous_version_id) == (1, None)
    assert (new.version_number, new.previous_version_id) == (2, old.pk)
    # The superseded version is out of the project's document list, as it was.
    assert old.superseded_at is not None and new.superseded_at is None
    assert list(Claim.objects.filter(document=new).values_list("text", flat=True)) == SECOND


def test_an_import_refuses_a_previous_version_listed_after_its_next_one(versions, project):
    data = json.loads(export("native", project))
    data["documents"].reverse()
    target = ProjectFactory(slug="copy")
    editor = MembershipFactory(project=target, role=Role.EDITOR).user

    with pytest.raises(ImportError_) as raised:
        import_native(data=data, project=target, actor=editor)

    assert raised.value.path == "$.documents[0].previous_version"
    assert not Document.objects.filter(project=target).exists()


def test_an_import_refuses_two_next_versions_of_one_document(versions, project):
    data = json.loads(export("native", project))
    twin = json.loads(json.dumps(data["documents"][1]))
    twin["id"] += 1000
    twin["claims"] = []
    data["documents"].append(twin)
    target = ProjectFactory(slug="copy")
    editor = MembershipFactory(project=target, role=Role.EDITOR).user

    with pytest.raises(ImportError_) as raised:
        import_native(data=data, project=target, actor=editor)

    assert raised.value.path == "$.documents[2].previous_version"
    assert not Document.objects.filter(project=target).exists()
