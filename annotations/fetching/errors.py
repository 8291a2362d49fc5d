"""Why a source could not be fetched.

Every failure of the fetcher is a ``FetchError`` carrying a message a reviewer can read
(in English, for logs and the command line), a stable ``code`` with its ``params`` from
which the application writes the message in the reader's language, and ``transient``,
which tells the caller whether trying again later can help.
"""

from __future__ import annotations

from typing import Any


class FetchError(Exception):
    """A source could not be fetched; ``str(error)`` is meant for people."""

    transient: bool = False
    code: str = "unexpected"

    def __init__(
        self,
        message: str,
        *,
        transient: bool | None = None,
        code: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if transient is not None:
            self.transient = transient
        if code is not None:
            self.code = code
        self.params: dict[str, Any] = params or {}


class InvalidURL(FetchError):
    """The address is not a well-formed http(s) URL."""

    code = "invalid_url"


class BlockedAddress(FetchError):
    """The address is refused by policy: scheme, credentials or a non-public IP."""

    code = "refused_address"


class TooLarge(FetchError):
    """The body is larger than the configured cap."""

    code = "too_large"


class UnsupportedContentType(FetchError):
    """The server sent something that is not a readable page."""

    code = "unsupported_content_type"


class TooManyRedirects(FetchError):
    """The redirect chain is longer than allowed (or loops)."""

    code = "too_many_redirects"


class HTTPStatusError(FetchError):
    """The server answered with an error status.

    5xx and 429 are transient; ``retry_after`` holds the server's requested delay in
    seconds (already capped) when it sent a usable Retry-After header.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message,
            transient=status == 429 or status >= 500,
            code="http_status",
            params={"status": status, "retry_after": retry_after},
        )
        self.status = status
        self.retry_after = retry_after


class FetchTimeout(FetchError):
    """Connecting, reading or the whole fetch took longer than allowed."""

    code = "total_timeout"

    transient = True


class ConnectionFailed(FetchError):
    """The server could not be reached (DNS failure, refused connection, TLS error)."""

    code = "connect_failed"

    transient = True
