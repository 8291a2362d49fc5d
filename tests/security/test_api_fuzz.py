"""Generated requests against every documented operation: no 5xx, responses match the schema.

Schemathesis reads the OpenAPI document the project serves and calls the app in-process
with a real token, a bounded number of examples per operation: requests that fit the
schema on every operation, and requests that break it (negative data) on every write.
A third run holds every answer to the contract the document states: statuses, bodies,
headers and required headers documented, undocumented methods refused.

One schemathesis check stays out: ``positive_data_acceptance`` expects every request the
schema allows to succeed, but some refusals depend on stored data that no schema can
state (a rating that is not on this project's scale, a user who is not a member, an
action the claim's current state does not allow); they answer 400, which the document
lists for every change.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    allow_header_conformance,
    missing_required_header,
    not_a_server_error,
    response_headers_conformance,
    status_code_conformance,
    unsupported_method,
)
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from annotations.services.documents import document_create
from factcheck.wsgi import application
from tests.factories import MembershipFactory

EXAMPLES_PER_OPERATION = 8
NEGATIVE_EXAMPLES_PER_WRITE = 6
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
CONTRACT_EXAMPLES_PER_OPERATION = 6
CONTRACT_CHECKS = [
    *CHECKS,
    status_code_conformance,
    response_headers_conformance,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
]
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def exercise(
    operation,
    headers: dict[str, str],
    *,
    mode: GenerationMode = GenerationMode.POSITIVE,
    examples: int = EXAMPLES_PER_OPERATION,
    checks=CHECKS,
) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=checks)

    run()


@pytest.fixture
def keep_test_connection():
    """The app runs in-process, inside the test's transaction: like Django's test client,
    don't let the end of each request close the database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def admin_headers(project) -> dict[str, str]:
    """A project admin's token, with a document of claims to act on."""
    user = MembershipFactory(project=project, role="admin").user
    token = Token.objects.create(user=user)
    document = document_create(
        project=project,
        actor=user,
        title="Trade",
        text="Exports grew by 5% in 2023, the ministry said. I think that is good.",
    )
    assert document.claims.exists()
    return {"Authorization": f"Token {token.key}"}


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
def test_generated_requests_never_crash_and_match_the_schema(project):
    headers = admin_headers(project)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        try:
            exercise(operation, headers)
        except Exception as error:  # collect every operation's failure, then report
            failures.append(f"{operation.label}: {_summary(error)}")
    assert failures == [], "\n\n".join(failures)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
def test_requests_that_break_the_schema_never_crash_a_write(project):
    headers = admin_headers(project)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    failures: list[str] = []
    writes = [
        operation
        for operation in (result.ok() for result in schema.get_all_operations())
        if operation.method.upper() in WRITES
    ]
    assert len(writes) > 20
    for operation in writes:
        try:
            exercise(
                operation,
                headers,
                mode=GenerationMode.NEGATIVE,
                examples=NEGATIVE_EXAMPLES_PER_WRITE,
                checks=[not_a_server_error],
            )
        except Exception as error:  # collect every operation's failure, then report
            failures.append(f"{operation.label}: {_summary(error)}")
    assert failures == [], "\n\n".join(failures)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
def test_every_operation_answers_as_its_schema_says(project):
    headers = admin_headers(project)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            exercise(
                operation,
                headers,
                examples=CONTRACT_EXAMPLES_PER_OPERATION,
                checks=CONTRACT_CHECKS,
            )
        except (Exception, BaseExceptionGroup) as error:  # every operation's, then one report
            failures.append(f"{operation.label}: {_summary(error)}")
    assert failures == [], "\n\n".join(failures)


def _summary(error: BaseException) -> str:
    """The lines of a schemathesis failure that say what broke, without the noise."""
    parts = getattr(error, "exceptions", None)
    if parts:
        return " / ".join(_summary(part) for part in parts)
    text = str(error)
    keep = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith(("curl", "Reproduce", "{", "}", '"'))
    ]
    return " | ".join(keep[:12])[:900]
