"""ETag and If-Match for versioned objects (claims, verdicts): no lost updates over HTTP."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from .errors import PreconditionFailed, PreconditionRequired

_TAG = re.compile(r'^(?:W/)?"?(?P<kind>[a-z]+)-(?P<pk>\d+)-v(?P<version>\d+)"?$')


def etag_for(obj) -> str:
    return f'"{obj._meta.model_name}-{obj.pk}-v{obj.version}"'


def with_etag(response: Response, obj) -> Response:
    response["ETag"] = etag_for(obj)
    return response


def expected_version(request: Request, obj) -> int:
    """The version the client last read, from If-Match (required on every update)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired(
            _("Send If-Match with the ETag you last read, so that no change is lost.")
        )
    if header == "*":
        return obj.version
    for candidate in header.split(","):
        match = _TAG.match(candidate.strip())
        if match and int(match["pk"]) == obj.pk and match["kind"] == obj._meta.model_name:
            return int(match["version"])
    raise PreconditionFailed(
        _("If-Match does not match this object; read it again and retry with its ETag.")
    )
