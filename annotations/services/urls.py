from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from .errors import ValidationError


def clean_url(url: str) -> str:
    """A web address a user typed, checked for shape (the fetcher checks where it leads)."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            {"url": _("Enter a full web address starting with http:// or https://.")}
        )
    if len(url) > 2000:
        raise ValidationError({"url": _("The address is longer than 2,000 characters.")})
    return url
