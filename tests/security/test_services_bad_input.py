"""Generated input to the services that take numbers, addresses, ratings and import files
from users: each call is either carried out or refused with a ValidationError (a 400 to
the API, a message on the page), never another exception (a 500)."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ValidationError as ApiValidationError

from annotations.api.review import resolve_rating
from annotations.exports.importing import import_native
from annotations.models import Role
from annotations.services.claims import claim_move_boundary, claim_split
from annotations.services.documents import document_create
from annotations.services.errors import ValidationError
from annotations.services.urls import url_clean
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

EXAMPLES = 60
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
OFFSETS = st.one_of(
    st.integers(min_value=-5, max_value=200),
    st.integers(min_value=-(2**63), max_value=2**64),
)
REFUSALS = (ValidationError, ApiValidationError)


class _Undo(Exception):
    pass


def made_or_refused(call) -> str:
    """Run ``call`` and undo what it wrote; say whether it was made or refused."""
    try:
        with transaction.atomic():
            call()
            raise _Undo
    except _Undo:
        return "made"
    except REFUSALS:
        return "refused"


@pytest.fixture
def admin(project):
    return MembershipFactory(project=project, role=Role.ADMIN).user


@pytest.fixture
def claims(project, admin):
    document = document_create(
        project=project,
        actor=admin,
        title="Trade",
        text="Exports grew by 5% in 2023, the ministry said. Imports fell by 3% in 2024.",
    )
    return list(document.claims.order_by("start"))


@FUZZ
@given(at=OFFSETS)
def test_a_split_anywhere_is_made_or_refused(claims, admin, at):
    claim = claims[-1]
    result = made_or_refused(lambda: claim_split(claim=claim, actor=admin, at=at))
    assert result == ("made" if claim.start < at < claim.end else "refused") or (
        result == "refused" and claim.document.text[claim.start : at].strip() == ""
    )


@FUZZ
@given(start=st.none() | OFFSETS, end=st.none() | OFFSETS)
def test_moving_boundaries_anywhere_is_made_or_refused(claims, admin, start, end):
    claim = claims[0]
    made_or_refused(lambda: claim_move_boundary(claim=claim, actor=admin, start=start, end=end))


@FUZZ
@given(text=st.text(max_size=30) | st.from_regex(r"\A\s*[0-9²³¹٠-٩]{1,25}\s*\Z"))
@example(text="true\x00")  # PostgreSQL refuses a NUL in a query
def test_any_rating_text_names_a_rating_or_is_refused(project, text):
    try:
        rating = resolve_rating(project, text)
    except ApiValidationError:
        return
    assert rating.scale_id == project.rating_scale_id


URL_PARTS = st.sampled_from(
    ["http://", "https://", "ftp://", "[", "]", "::1", "zz", ":", "99999", "/", "@", "%", "#"]
)


@FUZZ
@given(url=st.text(max_size=40) | st.lists(URL_PARTS | st.text(max_size=4)).map("".join))
def test_any_address_is_cleaned_or_refused(url):
    try:
        cleaned = url_clean(url)
    except ValidationError:
        return
    assert cleaned.startswith(("http://", "https://"))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["schema_version", "documents", "claims", "text", "start", "end", "x"])
            | st.text(max_size=4),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@FUZZ
@given(data=JSON)
def test_any_json_is_imported_or_refused(project, admin, data):
    made_or_refused(lambda: import_native(data=data, project=project, actor=admin))


@FUZZ
@given(data=st.binary(max_size=64) | st.text(max_size=64))
def test_any_file_is_imported_or_refused(project, admin, data):
    made_or_refused(lambda: import_native(data=data, project=project, actor=admin))
