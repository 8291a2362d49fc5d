"""What every change made from the claim panel shares: run the service, then show the
fresh panel (htmx) or go back to the document, or show the panel again with the refusal:
a conflict (409) with what is stored now, a permission refusal (403), invalid input (422).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .. import selectors
from ..forms import add_service_error
from ..models import Claim
from ..services.errors import Conflict, PermissionDenied, ValidationError
from .common import is_htmx, render_panel


def claim_url(claim: Claim) -> str:
    return (
        f"{reverse('document_detail', args=[claim.document_id])}?claim={claim.pk}#claim-{claim.pk}"
    )


def panel_done(request: HttpRequest, claim: Claim) -> HttpResponse:
    """After a successful change: the fresh panel for htmx, the document page otherwise."""
    if is_htmx(request):
        return render_panel(request, selectors.claim_get(request.user, claim.pk))
    return redirect(claim_url(claim))


def panel_act(
    request: HttpRequest,
    claim: Claim,
    change: Callable[[], Any],
    *,
    form=None,
    form_name: str = "",
    rebind: Callable[[int], Any] | None = None,
    error_at: str = "",
) -> HttpResponse:
    """Run a service and show the panel again, with its refusal when it refused.

    On a conflict the panel shows what is stored now, and the form (``rebind``) carries
    the stored version so that sending it again applies the reviewer's change on top.
    A refusal not tied to a form is shown at ``error_at``, the panel's section whose
    button was pressed, so that it appears where the reviewer is looking.
    """
    extra: dict[str, Any] = {"error_at": error_at}
    try:
        change()
    except Conflict as conflict:
        extra["conflict"] = conflict
        if rebind is not None and getattr(conflict.current, "version", None) is not None:
            extra[form_name] = rebind(conflict.current.version)
        status = 409
    except PermissionDenied as error:
        extra["action_errors"] = [str(error)]
        status = 403
    except ValidationError as error:
        if form is not None:
            add_service_error(form, error)
            extra[form_name] = form
        else:
            extra["action_errors"] = error.messages
        status = 422
    else:
        return panel_done(request, claim)
    return render_panel(
        request, selectors.claim_get(request.user, claim.pk), status=status, **extra
    )


def panel_invalid(request: HttpRequest, claim: Claim, form_name: str, form) -> HttpResponse:
    return render_panel(request, claim, status=422, **{form_name: form})


def rebound_form(form_class, request: HttpRequest, **kwargs):
    def rebind(version: int):
        data = request.POST.copy()
        data["version"] = str(version)
        form = form_class(data, **kwargs)
        form.is_valid()
        return form

    return rebind
