"""What the OpenAPI document adds to drf-spectacular's: the answers that are not 2xx.

drf-spectacular describes each view's success. The rest of the contract is the same for
every operation and lives in one place: the error shape of ``errors.exception_handler``,
the statuses each kind of operation can answer with, the ``If-Match``/``ETag`` handshake
of versioned objects (claims, verdicts), the list filters that apply only to lists, the
rules between fields that a request body must keep (exactly one of text, file or url),
and, in each operation's 400, the refusals that depend on what is stored: a schema can
say what a well-formed request is, not which rating is on a project's scale today.
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
# Refusals that depend on stored data, not on the request's form: a request the schema
# allows can still be refused with 400 for these reasons.
BY_WHAT_IS_STORED = "Refused by what is stored, though the request is well formed: "
CLAIM_STATE = "an action the claim's current state does not allow (see the claim's `status`)"
DATA_RULES = {
    "v1_auth_token_create": "no active user with this username and password.",
    "v1_claims_partial_update": "a claim in the trash.",
    "v1_claims_destroy": "a claim already in the trash.",
    "v1_claims_approve_create": f"{CLAIM_STATE}, or no final verdict to approve.",
    "v1_claims_publish_create": f"{CLAIM_STATE}: only an approved claim is published.",
    "v1_claims_unpublish_create": f"{CLAIM_STATE}: only a published claim is unpublished.",
    "v1_claims_reopen_create": f"{CLAIM_STATE}.",
    "v1_claims_final_verdict_create": f"{CLAIM_STATE}; a rating not on the project's current "
    "scale; a verdict that is not one of this claim's.",
    "v1_claims_verdicts_create": f"{CLAIM_STATE}; a rating not on the project's current scale; "
    "sources that are not this claim's.",
    "v1_claims_split_create": "a split point outside the claim's text or at its edge; a claim in "
    "the trash.",
    "v1_claims_merge_create": "the last claim of the document, or a neighbour that cannot be "
    "merged.",
    "v1_claims_boundary_create": "a span that leaves the document, is only whitespace, or covers "
    "another claim whole.",
    "v1_claims_carry_over_create": "an earlier claim without a final verdict to carry over.",
    "v1_claims_comments_create": "a reply to a comment on another claim.",
    "v1_claims_same_as_create": "a claim outside the projects you can read, in the trash, or "
    "this claim itself.",
    "v1_claims_same_as_destroy": "no such link to undo.",
    "v1_claims_assign_create": "claims outside the project, or an assignee who is not a member.",
    "v1_claims_purge_create": "a claim that is not in the trash.",
    "v1_claims_restore_create": "a claim that is not in the trash.",
    "v1_documents_create": "a project you cannot add documents to; a file that cannot be read.",
    "v1_documents_versions_create": "a document in the trash or not ready yet; the same text as "
    "its latest version.",
    "v1_documents_watch_create": "a version that is not the document's latest.",
    "v1_projects_create": "a slug another project already has.",
    "v1_projects_import_create": "a native export whose claims do not match their documents' "
    "text, or that names what does not exist here.",
    "v1_projects_members_create": "no user with this username.",
    "v1_projects_members_destroy": "no member with this username; the project's last admin.",
    "v1_projects_references_create": "a file or page without ClaimReview in it; an address the "
    "safe fetcher refuses.",
    "v1_sources_refetch_create": "a source in the trash.",
    "v1_verdicts_partial_update": "a rating not on the project's current scale; a verdict in the "
    "trash.",
    "v1_verdicts_purge_create": "a verdict that is not in the trash.",
    "v1_verdicts_restore_create": "a verdict that is not in the trash.",
}
# A web address as ``services.urls.url_clean`` takes it, a little stricter (Latin host
# names only): http or https, a host, no white space, quotes or angle brackets.
WEB_ADDRESS = r'^\s*https?://[A-Za-z0-9.-]+(:[0-9]{1,4})?([/?#][^\s\x00-\x1f\x7f"<>\\^`{|}]*)?\s*$'
# Bodies whose fields go together, and text fields that must say something: JSON Schema
# rules added to drf-spectacular's components.
BODY_RULES = {
    "PatchedDocumentDetails": {
        "properties": {
            "title": {"pattern": r"\S"},
            "source_url": {"pattern": f"^$|{WEB_ADDRESS}"},
        }
    },
    "SourceInput": {"properties": {"url": {"pattern": WEB_ADDRESS}}},
    "CommentInput": {"properties": {"body": {"pattern": r"\S"}}},
    # One source of text, and a title with pasted text.
    "DocumentInput": {
        "oneOf": [
            {
                "required": ["text", "title"],
                "properties": {"text": {"minLength": 1}, "title": {"pattern": r"\S"}},
            },
            {"required": ["file"], "not": {"required": ["text"]}},
            {"required": ["url"], "not": {"required": ["text"]}},
        ],
    },
    # A file or an address, not both.
    "ReferenceImportInput": {"oneOf": [{"required": ["file"]}, {"required": ["url"]}]},
    # The slug is made of Latin letters and digits, from the name when none is given.
    "Project": {
        "properties": {"name": {"pattern": r"\S"}},
        "anyOf": [
            {"required": ["slug"], "properties": {"slug": {"pattern": "[A-Za-z0-9]"}}},
            {
                "properties": {"name": {"pattern": "[A-Za-z0-9]"}, "slug": {"maxLength": 0}},
            },
        ],
    },
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
    "cursor",
    "ordering",
    "updated_since",
}


# Addresses answered as they were typed or served: a reviewer's link to
# https://ru.wikipedia.org/wiki/Казахстан stays readable, so they are IRIs (RFC 3987), not
# ASCII-only URIs; the Web Annotation export, which needs URIs, percent-encodes them.
TYPED_ADDRESSES = {
    ("Source", "url"),
    ("TrashedSource", "url"),
    ("SimilarClaim", "url"),
    ("Snapshot", "final_url"),
}


def document_errors(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """Postprocessing hook: the error answers, headers and parameters of every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    for component, field in TYPED_ADDRESSES:
        address = schemas.get(component, {}).get("properties", {}).get(field)
        if address is not None and address.get("format") == "uri":
            address["format"] = "iri"
    for name, rules in BODY_RULES.items():
        if name in schemas:
            _add_rules(schemas[name], rules)
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
            for parameter in parameters:
                _no_nul(parameter)
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
            _no_files_in_json(operation, schemas)
            _no_nulls_in_forms(operation, schemas)
            _no_nul_in_bodies(operation, schemas)
            if name in DATA_RULES and "400" in responses:
                responses["400"] = {
                    **responses["400"],
                    "description": f"{responses['400']['description']} "
                    f"{BY_WHAT_IS_STORED}{DATA_RULES[name]}",
                }
            if name in WITH_ETAG:
                for code, response in responses.items():
                    if code.startswith("2"):
                        response.setdefault("headers", {})["ETag"] = ETAG
    return result


def _add_rules(component: dict[str, Any], rules: dict[str, Any]) -> None:
    """Merge rules between fields into a body's schema: its own properties' constraints
    (``pattern``, ``minLength``) join drf-spectacular's, the combinators are added."""
    for field, constraints in rules.get("properties", {}).items():
        component.setdefault("properties", {}).setdefault(field, {}).update(constraints)
    for key in ("oneOf", "anyOf"):
        if key in rules:
            component[key] = rules[key]


def _no_files_in_json(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """A file is uploaded as multipart form data: the JSON form of a body that has a file
    field takes everything but the file."""
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json", {}).get("schema", {})
    ref = body.get("$ref", "")
    component = schemas.get(ref.rsplit("/", 1)[-1], {}) if ref else {}
    if "file" in component.get("properties", {}):
        content["application/json"]["schema"] = {
            "allOf": [{"$ref": ref}, {"not": {"required": ["file"]}}]
        }


def _no_nul(parameter: dict[str, Any]) -> None:
    """Text in a query or path is refused with a NUL character in it (Django's forms and
    databases take none): free text says so in its pattern."""
    schema = parameter.get("schema", {})
    free = schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema)
    if parameter.get("in") in {"query", "path"} and free:
        schema["pattern"] = "^[^\\x00]*$"


def _no_nul_in_bodies(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """A body's free text is refused with a NUL character in it, as in a query (DRF's text
    fields take none), whichever media type carries it: its schema says so."""
    for media in operation.get("requestBody", {}).get("content", {}).values():
        body = media.get("schema", {})
        refs = [body.get("$ref", "")] + [part.get("$ref", "") for part in body.get("allOf", [])]
        for ref in filter(None, refs):
            component = schemas.get(ref.rsplit("/", 1)[-1], {})
            for field in component.get("properties", {}).values():
                free = field.get("type") == "string" and not {"enum", "format", "pattern"} & set(
                    field
                )
                if free and not field.get("readOnly"):
                    field["pattern"] = "^[^\\x00]*$"


FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def _no_nulls_in_forms(operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """A form has no null: a field that JSON may send as null is, in a form, a value of
    its type or left out (``null`` in a form is the text "null")."""
    content = operation.get("requestBody", {}).get("content", {})
    for media_type in FORMS:
        ref = content.get(media_type, {}).get("schema", {}).get("$ref", "")
        component = schemas.get(ref.rsplit("/", 1)[-1], {}) if ref else {}
        typed = {
            name: {"type": field["type"]}
            for name, field in component.get("properties", {}).items()
            if field.get("nullable") and "type" in field and not field.get("readOnly")
        }
        if typed:
            content[media_type]["schema"] = {"allOf": [{"$ref": ref}, {"properties": typed}]}
