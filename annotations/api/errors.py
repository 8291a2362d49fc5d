"""One error shape for the whole API: ``{"error": code, "detail": message, "fields": {...}}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..services.errors import Conflict


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale_version"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "if_match_required"


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def _first_message(fields: Any) -> str:
    if isinstance(fields, dict):
        for value in fields.values():
            return _first_message(value)
    if isinstance(fields, list) and fields:
        return _first_message(fields[0])
    return str(fields)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    current = None
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, Conflict):
        current = exc.current
        exc = PreconditionFailed(exc.message)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(
            exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        )
        body: dict[str, Any] = {
            "error": "invalid",
            "detail": _first_message(fields) or _("The request is not valid."),
            "fields": fields,
        }
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        body = {
            "error": codes if isinstance(codes, str) else "error",
            "detail": str(detail),
            "fields": {},
        }
    if current is not None:
        body["current_version"] = getattr(current, "version", None)
    response.data = body
    return response


def api_or_page_not_found(request, exception: Exception):
    """Django's 404 for an address no route matches: in the API's error shape under
    ``/api/``, so that a client never has to parse an HTML page; the site's page elsewhere."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": "not_found", "detail": _("Not found."), "fields": {}}, status=404
        )
    return page_not_found(request, exception)
