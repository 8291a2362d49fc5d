import re
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from .errors import ValidationError

# What no web address holds (RFC 3987): spaces and other white space, control
# characters, and the delimiters that mark where an address ends in text and markup.
# Pasted text often carries them; stored, they break every export that names the address.
NOT_IN_AN_ADDRESS = re.compile(r'[\s\x00-\x1f\x7f"<>\\^`{|}]')


def url_clean(url: str) -> str:
    """A web address a user typed, checked for shape (the fetcher checks where it leads).

    Letters of any script are kept as typed (an IRI such as a Russian Wikipedia page);
    exports that need ASCII encode them."""
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
    if NOT_IN_AN_ADDRESS.search(url):
        raise ValidationError(
            {"url": _("A web address has no spaces, line breaks, quotes or angle brackets.")}
        )
    if len(url) > 2000:
        raise ValidationError({"url": _("The address is longer than 2,000 characters.")})
    return url
