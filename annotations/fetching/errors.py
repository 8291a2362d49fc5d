"""Why a source could not be fetched.

Every failure of the fetcher is a ``FetchError`` carrying a message a reviewer can read
and ``transient``, which tells the caller whether trying again later can help.
"""

from __future__ import annotations


class FetchError(Exception):
    """A source could not be fetched; ``str(error)`` is meant for people."""

    transient: bool = False

    def __init__(self, message: str, *, transient: bool | None = None) -> None:
        super().__init__(message)
        self.message = message
        if transient is not None:
            self.transient = transient


class InvalidURL(FetchError):
    """The address is not a well-formed http(s) URL."""


class BlockedAddress(FetchError):
    """The address is refused by policy: scheme, credentials or a non-public IP."""


class TooLarge(FetchError):
    """The body is larger than the configured cap."""


class UnsupportedContentType(FetchError):
    """The server sent something that is not a readable page."""


class TooManyRedirects(FetchError):
    """The redirect chain is longer than allowed (or loops)."""


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
        super().__init__(message, transient=status == 429 or status >= 500)
        self.status = status
        self.retry_after = retry_after


class FetchTimeout(FetchError):
    """Connecting, reading or the whole fetch took longer than allowed."""

    transient = True


class ConnectionFailed(FetchError):
    """The server could not be reached (DNS failure, refused connection, TLS error)."""

    transient = True
