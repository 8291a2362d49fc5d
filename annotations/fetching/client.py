"""The project's one outbound HTTP client.

``fetch`` follows redirects itself so every hop is parsed and checked again, and opens
each socket through ``GuardedHTTPConnection``, which resolves the host, refuses it if
any of its addresses is not allowed and then connects to one of those very addresses
(the Host header and TLS certificate check still use the name). Environment proxy
settings are never read: urllib3 used directly has no such behaviour.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import http.client
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import certifi
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import (
    DecodeError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from .addresses import AddressPolicy
from .errors import (
    BlockedAddress,
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    TooLarge,
    TooManyRedirects,
    UnsupportedContentType,
)
from .urls import Target, parse_target, resolve_location

DEFAULT_USER_AGENT = "factcheck/0.1 (+https://github.com/factcheck/factcheck)"
PAGE_CONTENT_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/pdf",
    "application/x-pdf",
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
KEPT_HEADERS = (
    "content-type",
    "content-length",
    "content-language",
    "last-modified",
    "etag",
    "date",
    "retry-after",
)
_CHUNK_SIZE = 64 * 1024

__all__ = [
    "DEFAULT_USER_AGENT",
    "BlockedAddress",
    "FetchConfig",
    "FetchError",
    "FetchResult",
    "Redirect",
    "fetch",
    "parse_retry_after",
]


@dataclass(frozen=True)
class FetchConfig:
    """Limits for one fetch; the Django side fills it from settings."""

    allowed_networks: list[str] = field(default_factory=list)
    max_bytes: int = 5 * 1024 * 1024
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_deadline: float = 30.0
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT
    allowed_content_types: tuple[str, ...] = PAGE_CONTENT_TYPES
    max_retry_after: float = 3600.0


@dataclass(frozen=True)
class Redirect:
    status: int
    from_url: str
    to_url: str


@dataclass(frozen=True)
class FetchResult:
    """A successfully fetched page, body already decompressed."""

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    sha256: str
    headers: dict[str, str]
    redirects: list[Redirect]
    elapsed: float
    # The IP address the final response came from, as evidence of what was reached.
    address: str | None = None
    # The exchange as sent and received, for the archived capture: the request's headers,
    # the response's reason phrase and all its headers in the order they came.
    request_headers: dict[str, str] = field(default_factory=dict)
    reason: str = ""
    response_headers: list[tuple[str, str]] = field(default_factory=list)


def connect_socket(address: str, port: int, timeout: float | None) -> socket.socket:
    """Open a TCP connection to an already checked IP address."""
    return socket.create_connection((address, port), timeout=timeout)


class _GuardedConnectionMixin:
    """Connects only to addresses the policy allows, chosen at connect time."""

    host: str
    port: int
    timeout: float | None
    socket_options: list | None
    address_policy: AddressPolicy
    connected_address: str | None = None

    def _new_conn(self) -> socket.socket:
        addresses = self.address_policy.resolve(self.host, self.port)
        last_error: OSError | None = None
        for address in addresses:
            try:
                sock = connect_socket(str(address), self.port, self.timeout)
            except OSError as error:
                last_error = error
                continue
            for option in self.socket_options or ():
                sock.setsockopt(*option)
            self.connected_address = str(address)
            return sock
        if isinstance(last_error, TimeoutError):
            raise FetchTimeout(
                f"Connecting to {self.host} took longer than {self.timeout:g} s.",
                code="connect_timeout",
                params={"host": self.host, "seconds": self.timeout},
            ) from last_error
        raise ConnectionFailed(
            f"Could not connect to {self.host}: {last_error}.", params={"host": self.host}
        ) from last_error


class GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    def __init__(self, *args, address_policy: AddressPolicy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.address_policy = address_policy


class GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    def __init__(self, *args, address_policy: AddressPolicy, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.address_policy = address_policy


class _Deadline:
    """Hangs up the current connection when the fetch's overall time is up.

    Socket timeouts bound each read, not their sum: a server sending its status line and
    headers a byte at a time stays within every read timeout while never finishing. The
    timer shuts the socket down at the deadline, whatever the client is waiting for.
    """

    def __init__(self, deadline: float) -> None:
        self.at = deadline
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.expired:
                self._hang_up()

    def passed(self) -> bool:
        return self.expired or time.monotonic() >= self.at - 0.01

    def cancel(self) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            self._hang_up()

    def _hang_up(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)


def fetch(url: str, config: FetchConfig) -> FetchResult:
    """Fetch ``url`` within ``config``'s limits or raise a ``FetchError``.

    Redirects are followed (at most ``config.max_redirects``), each hop parsed and
    checked again. Only 2xx responses with an allowed content type are returned.
    """
    started = time.monotonic()
    deadline = _Deadline(started + config.total_deadline)
    try:
        return _follow(url, config, started, deadline)
    finally:
        deadline.cancel()


def _follow(url: str, config: FetchConfig, started: float, deadline: _Deadline) -> FetchResult:
    policy = AddressPolicy.from_cidrs(config.allowed_networks)
    redirects: list[Redirect] = []
    current = url
    while True:
        target = parse_target(current)
        if target.ip is not None:
            # Literal addresses are refused before any connection is attempted.
            policy.check(target.ip)
        connection, response, sock = _send(target, config, policy, deadline)
        try:
            location = response.headers.get("location")
            if response.status in REDIRECT_STATUSES and location:
                next_url = resolve_location(target.url, location)
                redirects.append(Redirect(response.status, target.url, next_url))
                if len(redirects) > config.max_redirects:
                    raise TooManyRedirects(
                        f"More than {config.max_redirects} redirects starting at {url}.",
                        params={"limit": config.max_redirects},
                    )
                current = next_url
                continue
            if not 200 <= response.status < 300:
                raise _status_error(response, config)
            content_type, charset = _check_content_type(response, config)
            body = _read_body(sock, response, config, deadline)
            return FetchResult(
                url=url,
                final_url=target.url,
                status=response.status,
                content_type=content_type,
                charset=charset,
                body=body,
                sha256=hashlib.sha256(body).hexdigest(),
                headers=_kept_headers(response),
                redirects=redirects,
                elapsed=time.monotonic() - started,
                address=getattr(connection, "connected_address", None),
                request_headers=request_headers(target, config),
                reason=response.reason or "",
                response_headers=list(response.headers.items()),
            )
        finally:
            response.close()
            connection.close()


def _send(
    target: Target, config: FetchConfig, policy: AddressPolicy, deadline: _Deadline
) -> tuple[HTTPConnection, urllib3.BaseHTTPResponse, socket.socket]:
    connection_class: Callable[..., HTTPConnection]
    kwargs: dict = {"address_policy": policy}
    if target.scheme == "https":
        connection_class = GuardedHTTPSConnection
        kwargs.update(cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())
    else:
        connection_class = GuardedHTTPConnection
    connection = connection_class(
        target.host,
        target.port,
        timeout=_remaining(deadline.at, config.connect_timeout),
        **kwargs,
    )
    headers = request_headers(target, config)
    try:
        connection.connect()
        # Kept because http.client drops ``connection.sock`` as soon as a response
        # says "Connection: close", while the body is still to be read from it.
        sock = connection.sock
        deadline.watch(sock)
        connection.timeout = _remaining(deadline.at, config.read_timeout)
        connection.request("GET", target.request_target, headers=headers, preload_content=False)
        response = connection.getresponse()
    except FetchError:
        connection.close()
        raise
    except (TimeoutError, Urllib3Timeout) as error:
        connection.close()
        raise _timeout(target, config, deadline) from error
    except Exception as error:
        connection.close()
        if deadline.passed():
            raise _timeout(target, config, deadline) from error
        if isinstance(error, SSLError | ssl.SSLError | ssl.CertificateError):
            raise ConnectionFailed(
                f"The TLS connection to {target.host} failed: {error}",
                transient=False,
                code="tls_failed",
                params={"host": target.host},
            ) from error
        if isinstance(error, OSError | http.client.HTTPException | ProtocolError):
            raise ConnectionFailed(
                f"The request to {target.url} failed: {error}",
                code="request_failed",
                params={"host": target.host},
            ) from error
        raise
    if deadline.expired:
        # http.client takes the hang-up for the end of the headers it had so far.
        connection.close()
        raise _timeout(target, config, deadline)
    return connection, response, sock


def request_headers(target: Target, config: FetchConfig) -> dict[str, str]:
    """The headers every request of the fetcher sends."""
    return {
        "Host": target.host_header,
        "User-Agent": config.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,*/*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
    }


def _read_body(
    sock: socket.socket,
    response: urllib3.BaseHTTPResponse,
    config: FetchConfig,
    deadline: _Deadline,
) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > config.max_bytes:
        raise _too_large(config, int(declared))
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            # Reading with a timeout no longer than what is left of the deadline keeps
            # a server that trickles one byte at a time from holding the worker.
            timeout = _remaining(deadline.at, config.read_timeout)
            if sock.fileno() != -1:
                sock.settimeout(timeout)
            chunk = response.read1(_CHUNK_SIZE)
            if not chunk:
                break
            size += len(chunk)
            if size > config.max_bytes:
                raise _too_large(config)
            chunks.append(chunk)
    except (TimeoutError, ReadTimeoutError, Urllib3Timeout) as error:
        raise _timeout(None, config, deadline) from error
    except DecodeError as error:
        raise ConnectionFailed(
            f"The response body could not be decompressed: {error}",
            transient=False,
            code="decode_failed",
        ) from error
    except (OSError, http.client.HTTPException, ProtocolError) as error:
        if deadline.passed():
            raise _timeout(None, config, deadline) from error
        raise ConnectionFailed(
            f"The connection broke while reading the page: {error}", code="read_failed"
        ) from error
    if deadline.expired:
        # The hang-up can look like the end of a body sent without a length.
        raise _timeout(None, config, deadline)
    return b"".join(chunks)


def _kept_headers(response: urllib3.BaseHTTPResponse) -> dict[str, str]:
    return {name: response.headers[name] for name in KEPT_HEADERS if name in response.headers}


def _remaining(deadline: float, limit: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchTimeout("The fetch took longer than its overall time limit.")
    return min(limit, remaining)


def _timeout(target: Target | None, config: FetchConfig, deadline: _Deadline) -> FetchTimeout:
    if deadline.passed():
        return FetchTimeout(
            f"The fetch took longer than its overall limit of {config.total_deadline:g} s.",
            code="total_timeout",
            params={"seconds": config.total_deadline},
        )
    where = f" from {target.host}" if target else ""
    return FetchTimeout(
        f"No data arrived{where} for {config.read_timeout:g} s.",
        code="read_timeout",
        params={"seconds": config.read_timeout},
    )


def _too_large(config: FetchConfig, declared: int | None = None) -> TooLarge:
    megabytes = f"{config.max_bytes / 1024 / 1024:.1f}"
    if declared is not None:
        message = f"The page is {declared} bytes, more than the limit of {megabytes} MB."
    else:
        message = f"The page is larger than the limit of {megabytes} MB."
    return TooLarge(message, params={"limit": megabytes})


def _check_content_type(
    response: urllib3.BaseHTTPResponse, config: FetchConfig
) -> tuple[str, str | None]:
    header = response.headers.get("content-type", "")
    mime, _sep, params = header.partition(";")
    mime = mime.strip().lower()
    if mime not in config.allowed_content_types:
        shown = mime or "no content type"
        raise UnsupportedContentType(
            f"The address serves {shown}, not a readable page.",
            code="unsupported_content_type" if mime else "no_content_type",
            params={"content_type": mime},
        )
    charset = None
    for param in params.split(";"):
        name, _sep, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    return mime, charset


def _status_error(response: urllib3.BaseHTTPResponse, config: FetchConfig) -> HTTPStatusError:
    status = response.status
    retry_after = None
    if status in (429, 503):
        retry_after = parse_retry_after(
            response.headers.get("retry-after"), cap=config.max_retry_after
        )
    reason = http.client.responses.get(status, "")
    message = f"The server answered {status} {reason}".rstrip() + "."
    if retry_after is not None:
        message += f" It asks to retry after {retry_after:g} s."
    return HTTPStatusError(message, status=status, retry_after=retry_after)


def parse_retry_after(
    value: str | None, *, cap: float, now: datetime | None = None
) -> float | None:
    """Seconds to wait from a Retry-After header (delay or HTTP-date), capped at ``cap``."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(seconds, 0.0), cap)
