"""Generated requests against every documented operation: no 5xx, responses match the schema.

Schemathesis reads the OpenAPI document the project serves and calls the app in-process
with a real token, a bounded number of examples per operation: requests that fit the
schema on every operation, and requests that break it (negative data) on every write.
A third run holds every answer to the contract the document states: statuses, bodies,
headers and required headers documented, undocumented methods refused.

Every schemathesis check runs, ``positive_data_acceptance`` too: a request the schema
allows must not be refused for its form. The rules that a schema can state are in it
(whole-number ids, bounds, exactly one of text, file or url). Where a refusal depends on
what is stored (a rating that is not on this project's scale, a user who is not a
member, an action the claim's current state does not allow, an ETag that is not the
stored version), the operation's 400 says so and the check leaves that operation out;
the list of them is the document's own, and bench/RESULTS.md names them. A generated
``cursor`` is left out of the requests of that check: a cursor is a token the server
hands out, and a forged one is refused.
"""

from __future__ import annotations

import pytest
import schemathesis
import yaml
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    allow_header_conformance,
    ignored_auth,
    missing_required_header,
    not_a_server_error,
    response_headers_conformance,
    status_code_conformance,
    unsupported_method,
)
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
)

from annotations.api.schema import (
    BY_WHAT_IS_STORED,
    DATA_RULES,
    IF_MATCH_OPTIONAL,
    IF_MATCH_REQUIRED,
)
from annotations.models import Claim
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
    ignored_auth,
]
# Operations whose refusals depend on stored data, each stated in its 400 (or its 412).
REFUSED_BY_WHAT_IS_STORED = frozenset(DATA_RULES) | IF_MATCH_REQUIRED | IF_MATCH_OPTIONAL
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def exercise(
    operation,
    headers: dict[str, str],
    *,
    mode: GenerationMode = GenerationMode.POSITIVE,
    examples: int = EXAMPLES_PER_OPERATION,
    checks=CHECKS,
    forge_cursors: bool = True,
) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case):
        if not forge_cursors and case.query:
            case.query.pop("cursor", None)
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
        name = operation.definition.raw["operationId"]
        accepts_what_it_allows = name not in REFUSED_BY_WHAT_IS_STORED
        try:
            exercise(
                operation,
                headers,
                examples=CONTRACT_EXAMPLES_PER_OPERATION,
                checks=[*CONTRACT_CHECKS, positive_data_acceptance]
                if accepts_what_it_allows
                else CONTRACT_CHECKS,
                forge_cursors=False,
            )
        except (Exception, BaseExceptionGroup) as error:  # every operation's, then one report
            failures.append(f"{operation.label}: {_summary(error)}")
    assert failures == [], "\n\n".join(failures)


@pytest.mark.django_db
def test_every_refusal_by_what_is_stored_is_stated_in_the_schema(client):
    """The operations left out of positive_data_acceptance say in their 400 (or 412) why a
    well-formed request can still be refused."""
    document = yaml.safe_load(client.get("/api/schema/").content)
    stated = set()
    for methods in document["paths"].values():
        for operation in methods.values():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            responses = operation["responses"]
            if (
                BY_WHAT_IS_STORED in responses.get("400", {}).get("description", "")
                or "412" in responses
            ):
                stated.add(operation["operationId"])
    assert stated >= REFUSED_BY_WHAT_IS_STORED
    assert "v1_claims_list" not in stated


@pytest.mark.django_db
def test_every_body_says_its_free_text_takes_no_nul(client):
    """The API refuses a NUL in any text field; a generator that reads the schema must not
    send one as valid data, in JSON or in a form."""
    document = yaml.safe_load(client.get("/api/schema/").content)
    components = document["components"]["schemas"]
    silent = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if not isinstance(operation, dict):
                continue
            for media, body in operation.get("requestBody", {}).get("content", {}).items():
                schema = body["schema"]
                refs = [schema.get("$ref")] + [p.get("$ref") for p in schema.get("allOf", [])]
                for ref in filter(None, refs):
                    for name, field in components[ref.rsplit("/", 1)[-1]]["properties"].items():
                        free = field.get("type") == "string" and not field.get("readOnly")
                        if free and not {"enum", "format", "pattern"} & set(field):
                            silent.append(f"{method} {path} {media} {name}")
    assert silent == []
    assert components["SourceInput"]["properties"]["quote"]["pattern"] == r"^[^\x00]*$"


@pytest.mark.django_db
def test_an_address_typed_in_cyrillic_is_answered_as_the_iri_the_schema_says(client, project):
    headers = admin_headers(project)
    document = yaml.safe_load(client.get("/api/schema/").content)
    claim = Claim.objects.filter(document__project=project).first()
    response = client.post(
        f"/api/v1/claims/{claim.pk}/sources/",
        {"url": "https://ru.wikipedia.org/wiki/Казахстан"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    assert response.json()["url"] == "https://ru.wikipedia.org/wiki/Казахстан"
    assert document["components"]["schemas"]["Source"]["properties"]["url"]["format"] == "iri"


def _summary(error: BaseException) -> str:
    """The lines of a schemathesis failure that say what broke, without the noise."""
    text = str(error)
    parts = getattr(error, "exceptions", None)
    if parts and "\n" not in text:
        return " / ".join(_summary(part) for part in parts)
    # Schemathesis's report: the check, the answer's status and body, the request as curl.
    keep = [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith(("Reproduce", "{", "}", '"'))
    ]
    return " | ".join(keep[:14])[:1500]
