"""The "same claim as #N" link in the exports and the API, and through a native import."""

from __future__ import annotations

import json

import pytest

from annotations.exports import export_stream
from annotations.exports.importing import ImportError_, import_native
from annotations.exports.schema import first_schema_error
from annotations.models import Claim, Document, Role
from annotations.services.matching import claim_link_same
from tests.factories import MembershipFactory, ProjectFactory
from tests.helpers import client_for, document_of_claims

EARLIER = "Число ДТП на трассе М-4 сократилось на треть по сравнению с прошлым годом."
LATER = "По сравнению с прошлым годом аварий на трассе М-4 стало на треть меньше."
OTHER = "Зарплаты в регионе выросли на 12% за год."


@pytest.fixture
def linked(project, reviewer) -> tuple[Claim, Claim]:
    earlier = document_of_claims(project, [EARLIER, OTHER], language="ru", title="Март")
    later = document_of_claims(project, [LATER], language="ru", title="Апрель").claims.get()
    first = earlier.claims.get(text=EARLIER)
    claim_link_same(claim=later, same_as=first, actor=reviewer)
    later.refresh_from_db()
    return first, later


def export(project) -> dict:
    documents = Document.objects.filter(project=project)
    return json.loads("".join(export_stream(documents=documents, fmt="native")))


def claims_of(data: dict) -> dict[str, dict]:
    return {claim["text"]: claim for d in data["documents"] for claim in d["claims"]}


def copy_target():
    target = ProjectFactory(slug="copy", language="ru")
    return target, MembershipFactory(project=target, role=Role.EDITOR).user


def test_the_native_export_and_json_lines_carry_the_link(linked, project):
    earlier, _later = linked
    data = export(project)
    lines = "".join(export_stream(documents=Document.objects.all(), fmt="jsonl")).splitlines()

    assert first_schema_error(data) is None
    found = claims_of(data)
    assert found[LATER]["same_as"] == earlier.pk
    assert found[EARLIER]["same_as"] is None
    assert {json.loads(line)["text"]: json.loads(line)["same_as"] for line in lines} == {
        EARLIER: None,
        OTHER: None,
        LATER: earlier.pk,
    }


def test_the_api_claim_carries_the_link(linked, reviewer):
    earlier, later = linked
    client = client_for(reviewer)

    assert client.get(f"/api/v1/claims/{later.pk}/").json()["same_as"] == earlier.pk
    assert client.get(f"/api/v1/claims/{earlier.pk}/").json()["same_as"] is None


def test_the_link_survives_a_native_round_trip(linked, project):
    target, editor = copy_target()

    result = import_native(data=export(project), project=target, actor=editor)

    imported = {c.text: c for c in Claim.objects.filter(document__project=target)}
    assert imported[LATER].same_as_id == imported[EARLIER].pk
    assert imported[EARLIER].same_as_id is None and imported[OTHER].same_as_id is None
    assert result.notes == []
    again = claims_of(export(target))
    assert again[LATER]["same_as"] == imported[EARLIER].pk


def test_a_link_to_a_later_claim_of_the_file_is_kept_too(linked, project):
    data = export(project)
    data["documents"].reverse()
    target, editor = copy_target()

    import_native(data=data, project=target, actor=editor)

    imported = {c.text: c for c in Claim.objects.filter(document__project=target)}
    assert imported[LATER].same_as_id == imported[EARLIER].pk
    assert imported[LATER].history.first().history_change_reason == "import"


def test_a_link_to_a_claim_outside_the_file_is_left_out_with_a_note(linked, project):
    _earlier, later = linked
    only_later = Document.objects.filter(pk=later.document_id)
    data = json.loads("".join(export_stream(documents=only_later, fmt="native")))
    target, editor = copy_target()

    result = import_native(data=data, project=target, actor=editor)

    assert Claim.objects.get(document__project=target).same_as_id is None
    assert result.notes == [
        "1 same-claim link(s) point to claims that are not in the file and are left out."
    ]


def test_an_import_refuses_links_that_go_round_in_a_circle(linked, project):
    _earlier, later = linked
    data = export(project)
    claims_of(data)[EARLIER]["same_as"] = later.pk
    target, editor = copy_target()

    with pytest.raises(ImportError_) as raised:
        import_native(data=data, project=target, actor=editor)

    assert raised.value.path.endswith(".same_as")
    assert not Document.objects.filter(project=target).exists()
