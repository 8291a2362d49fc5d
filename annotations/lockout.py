"""Failed logins, throttled by django-axes: which address a request comes from, and what a
locked-out client is told.

Axes counts failures per account and per address (see ``AXES_*`` in the settings) for
the login page and for the API's token endpoint alike; once either count reaches the
limit, every attempt for that account or from that address is refused until the
cool-off has passed, even with the right password.
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext


def client_address(request: HttpRequest) -> str | None:
    """The client's address. Behind the TLS-terminating proxy (``SECURE_PROXY_SSL``) it is
    the last one of ``X-Forwarded-For``, the one the proxy itself added; a client can put
    anything before it."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR")


def lockout_message(minutes: int) -> str:
    return ngettext(
        "Too many failed logins for this account or from this address. "
        "Try again in %(minutes)s minute.",
        "Too many failed logins for this account or from this address. "
        "Try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """429 with ``Retry-After``: JSON in the API's error shape for API clients, the login
    page with the message for people."""
    cool_off = get_cool_off(request)
    seconds = max(1, math.ceil(cool_off.total_seconds())) if cool_off else 3600
    message = lockout_message(math.ceil(seconds / 60))
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"error": "locked_out", "detail": message, "fields": {}}, status=429
        )
    else:
        form = AuthenticationForm(request)
        response = render(
            request,
            "registration/login.html",
            {"form": form, "locked_out": message, "next": request.POST.get("next", "")},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response
