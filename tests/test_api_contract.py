"""The OpenAPI document says what the API does: every answer an operation can give, with
its body and headers, is documented, and every request the document allows is accepted.

Schemathesis generates requests from the schema the project serves and holds the answers
to it with all of its checks (the crash and data checks of ``test_api_fuzz`` and the
contract checks here). One check stays out: ``positive_data_acceptance`` expects every
request the schema allows to succeed, but some refusals depend on stored data that no
schema can state (a rating that is not on this project's scale, a user who is not a
member, an action the claim's current state does not allow); they answer 400, which the
document lists for every change.
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
    content_type_conformance,
    missing_required_header,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from annotations.services.documents import document_create
from factcheck.wsgi import application
from tests.factories import MembershipFactory

EXAMPLES_PER_OPERATION = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
]


@pytest.fixture
def keep_test_connection():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def exercise(operation, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
def test_every_operation_answers_as_its_schema_says(project):
    user = MembershipFactory(project=project, role="admin").user
    token = Token.objects.create(user=user)
    document_create(
        project=project,
        actor=user,
        title="Trade",
        text="Exports grew by 5% in 2023, the ministry said. I think that is good.",
    )
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            exercise(operation, headers)
        except (Exception, BaseExceptionGroup) as error:  # every operation's, then one report
            failures.append(f"{operation.label}: {_summary(error)}")
    assert failures == [], "\n\n".join(failures)


def _summary(error: BaseException) -> str:
    parts = getattr(error, "exceptions", None)
    if parts:
        return " / ".join(_summary(part) for part in parts)
    text = str(error)
    keep = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith(("curl", "Reproduce", "{", "}", '"'))
    ]
    return " | ".join(keep[:10])[:700]
