from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from .errors import ValidationError


def clean_url(url: str) -> str:
    """A web address a user typed, checked for shape (the fetcher checks where it leads)."""
    url = (url or "").strip()
    refusal = ValidationError(
        {"url": _("Enter a full web address starting with http:// or https://.")}
    )
    try:
        parts = urlsplit(url)
        # Reading the host and port checks them: "http://[zz]/" has no valid host.
        hostname, _port = parts.hostname, parts.port
    except ValueError:
        raise refusal from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise refusal
    if len(url) > 2000:
        raise ValidationError({"url": _("The address is longer than 2,000 characters.")})
    return url
