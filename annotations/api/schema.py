"""What the OpenAPI document adds to drf-spectacular's: the answers that are not 2xx.

drf-spectacular describes each view's success. The rest of the contract is the same for
every operation and lives in one place: the error shape of ``errors.exception_handler``,
the statuses each kind of operation can answer with, the ``If-Match``/``ETag`` handshake
of versioned objects (claims, verdicts), and the list filters that apply only to lists.
"""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "description": "Every error: a stable code, a message in the language of Accept-Language, "
    "and the messages per field of the request that caused it.",
    "properties": {
        "error": {"type": "string", "example": "invalid"},
        "detail": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": True},
        "current_version": {
            "type": "integer",
            "description": "On 412: the version stored now, to read again and retry with.",
        },
    },
    "required": ["error", "detail", "fields"],
}

STATUS = {
    "400": "The request is not valid: `fields` says what to correct.",
    "401": "No valid token or session.",
    "403": "Your role in the project does not allow this.",
    "404": "Not found, or in a project you are not a member of (or no such page of a list).",
    "412": "The object changed since the version in If-Match: read it again and retry.",
    "428": "This change needs If-Match with the ETag you last read.",
    "429": "Too many requests: wait for the seconds in Retry-After.",
}

IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "description": "The ETag of the claim or verdict as you last read it; the change is "
    'refused (412) if it changed since. `*` means "whatever is stored now".',
    "schema": {"type": "string", "example": '"claim-31-v4"'},
}
ETAG = {
    "description": "The object's version, for If-Match on the next change.",
    "schema": {"type": "string", "example": '"claim-31-v4"'},
}
RETRY_AFTER = {
    "description": "Seconds to wait before the next request.",
    "schema": {"type": "integer"},
}

# Changes to a versioned object that must say which version they change.
IF_MATCH_REQUIRED = {
    "v1_claims_partial_update",
    "v1_claims_split_create",
    "v1_claims_merge_create",
    "v1_claims_boundary_create",
    "v1_verdicts_partial_update",
}
# Changes that check the version when the client sends one.
IF_MATCH_OPTIONAL = {
    "v1_claims_approve_create",
    "v1_claims_publish_create",
    "v1_claims_unpublish_create",
    "v1_claims_reopen_create",
    "v1_claims_final_verdict_create",
    "v1_claims_verdicts_create",
}
# Answers that carry the object's ETag.
WITH_ETAG = {
    "v1_claims_retrieve",
    "v1_claims_partial_update",
    "v1_claims_split_create",
    "v1_claims_merge_create",
    "v1_claims_boundary_create",
    "v1_verdicts_retrieve",
    "v1_verdicts_partial_update",
    "v1_verdicts_restore_create",
}
# Query parameters of the claim and document lists; actions on one object, and changes,
# take none of them.
LIST_ONLY = {
    "assignee",
    "document",
    "kind",
    "min_checkworthiness",
    "project",
    "q",
    "rating",
    "status",
    "page",
    "page_size",
}


def document_errors(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """Postprocessing hook: the error answers, headers and parameters of every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            name = operation.get("operationId", "")
            parameters = operation.setdefault("parameters", [])
            if "{" in path or method != "get":
                parameters[:] = [
                    p for p in parameters if p.get("in") != "query" or p["name"] not in LIST_ONLY
                ]
            codes = {"401", "403", "404", "429"}
            # A change can be refused for the object's state as well as for its input.
            if method != "get" or any(p.get("in") == "query" for p in parameters):
                codes.add("400")
            if name in IF_MATCH_REQUIRED or name in IF_MATCH_OPTIONAL:
                parameters.append({**IF_MATCH, "required": name in IF_MATCH_REQUIRED})
                codes.add("412")
            if name in IF_MATCH_REQUIRED:
                codes.add("428")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(code, {"description": STATUS[code], "content": error})
            responses["429"].setdefault("headers", {})["Retry-After"] = RETRY_AFTER
            if name in WITH_ETAG:
                for code, response in responses.items():
                    if code.startswith("2"):
                        response.setdefault("headers", {})["ETag"] = ETAG
    return result
