"""Why a fetch failed, in the reader's language.

The fetcher reports a stable code and its parameters (``FetchError.code``,
``.params``); sources and documents store both, and the message is written here, at
display, in the language active for the request. A row stored before codes were kept
(or imported) has only its English text, which is shown as it is.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

# One sentence per code; parameters a language does not need may be left out.
MESSAGES = {
    "invalid_url": _("The address is not a valid web address."),
    "scheme_refused": _("Only http and https addresses are fetched, not %(scheme)s:."),
    "credentials_refused": _("Addresses with a user name or password are refused."),
    "refused_address": _("Refused to connect to %(address)s: %(reason)s."),
    "unresolvable": _("Could not resolve the name %(host)s."),
    "no_addresses": _("The name %(host)s has no addresses."),
    "connect_failed": _("Could not connect to %(host)s."),
    "tls_failed": _("The secure (TLS) connection to %(host)s failed."),
    "request_failed": _("The request to %(host)s failed: the connection broke."),
    "read_failed": _("The connection broke while reading the page."),
    "decode_failed": _("The page's compressed body could not be decompressed."),
    "connect_timeout": _("Connecting to %(host)s took longer than %(seconds)s s."),
    "read_timeout": _("No data arrived for %(seconds)s s."),
    "total_timeout": _("The fetch took longer than its overall limit of %(seconds)s s."),
    "too_large": _("The page is larger than the limit of %(limit)s MB."),
    "unsupported_content_type": _("The address serves %(content_type)s, not a readable page."),
    "no_content_type": _("The address serves no content type, not a readable page."),
    "too_many_redirects": _("More than %(limit)s redirects."),
    "http_status": _("The server answered with status %(status)s."),
    "no_text": _("The page has no readable text."),
    "text_too_long": _("The page's text is longer than the document limit."),
    "unexpected": _("The page could not be processed (an internal error was logged)."),
    "processing_failed": _("The text could not be cut into claims (an internal error was logged)."),
}

# The refusal reasons of the address guard, by the stable phrase it reports.
REASONS = {
    "a cloud metadata address": _("a cloud metadata address"),
    "an unspecified address": _("an unspecified address"),
    "a private address": _("a private address"),
    "a carrier-grade NAT address": _("a carrier-grade NAT address"),
    "a loopback address": _("a loopback address"),
    "a loopback name": _("a loopback name"),
    "a link-local address": _("a link-local address"),
    "a reserved address": _("a reserved address"),
    "a documentation address": _("a documentation address"),
    "a benchmarking address": _("a benchmarking address"),
    "a multicast address": _("a multicast address"),
    "an IPv4-compatible IPv6 address": _("an IPv4-compatible IPv6 address"),
    "an IPv4-mapped IPv6 address": _("an IPv4-mapped IPv6 address"),
    "a NAT64 address": _("a NAT64 address"),
    "a discard-only address": _("a discard-only address"),
    "a Teredo address": _("a Teredo address"),
    "a private (unique local) address": _("a private (unique local) address"),
    "a site-local address": _("a site-local address"),
    "a 6to4 address embedding a non-public IPv4 address": _(
        "a 6to4 address embedding a non-public IPv4 address"
    ),
    "not a publicly routable address": _("not a publicly routable address"),
    "not allowed": _("not allowed"),
}


def fetch_message(code: str, params: dict[str, Any] | None, fallback: str = "") -> str:
    """The message for ``code`` in the active language; ``fallback`` for an unknown code."""
    template = MESSAGES.get(code)
    if template is None:
        return fallback
    values = {key: _shown(value) for key, value in (params or {}).items()}
    if "reason" in values:
        values["reason"] = str(REASONS.get(values["reason"], values["reason"]))
    try:
        message = str(template) % values
    except (KeyError, TypeError, ValueError):
        return fallback or code
    retry_after = (params or {}).get("retry_after")
    if retry_after:
        message += " " + gettext("It asks to retry after %(seconds)s s.") % {
            "seconds": _shown(retry_after)
        }
    attempts = (params or {}).get("gave_up_after")
    if attempts:
        message += " " + ngettext(
            "Gave up after %(attempts)s attempt.", "Gave up after %(attempts)s attempts.", attempts
        ) % {"attempts": attempts}
    return message


def _shown(value: Any) -> Any:
    if isinstance(value, float):
        return f"{value:g}"
    return value
