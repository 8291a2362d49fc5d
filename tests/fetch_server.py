"""A local HTTP server that plays the web for tests that fetch sources.

Nothing in the test suite may reach the internet, so sources are served from
127.0.0.1 by ``FetchTestServer``, which can also misbehave on purpose: answer slowly,
trickle bytes, send chunked bodies without a length, redirect anywhere.

Fixtures (import them into a conftest or a test module):

- ``fetch_server``: a started ``FetchTestServer``, stopped after the test.
- ``local_fetch_config``: a ``FetchConfig`` that allows only 127.0.0.1/32, with short
  timeouts so failing cases stay fast.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from annotations.fetching.client import FetchConfig

HTML = "text/html; charset=utf-8"


@dataclass
class Route:
    """What the server answers on one path."""

    body: bytes | Iterable[bytes] = b""
    status: int = 200
    content_type: str | None = HTML
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunked: bool = False
    send_length: bool = True
    pause_between_chunks: float = 0.0


@dataclass(frozen=True)
class SeenRequest:
    path: str
    headers: dict[str, str]


class FetchTestServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 with per-path canned responses."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route | Callable[[BaseHTTPRequestHandler], None]] = {}
        self.requests: list[SeenRequest] = []
        self._server = ThreadingHTTPServer((host, 0), _make_handler(self))
        self._server.daemon_threads = True
        # A short poll interval keeps shutdown, and so every test's teardown, quick.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def host(self) -> str:
        return self._server.server_address[0]

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def serve(self, path: str, body: str | bytes | Iterable[bytes] = b"", **options) -> str:
        """Answer ``path`` with ``body`` (str is sent as UTF-8); returns its URL."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body=body, **options)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        """Answer ``path`` with a redirect to ``location``; returns its URL."""
        self.routes[path] = Route(status=status, content_type=None, headers={"Location": location})
        return self.url(path)

    def handle(self, path: str, handler: Callable[[BaseHTTPRequestHandler], None]) -> str:
        """Let ``handler`` write the whole response for ``path``; returns its URL."""
        self.routes[path] = handler
        return self.url(path)

    def start(self) -> FetchTestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FetchTestServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _make_handler(site: FetchTestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            site.requests.append(SeenRequest(self.path, dict(self.headers.items())))
            route = site.routes.get(self.path.split("?", 1)[0])
            try:
                if route is None:
                    self._answer(Route(body=b"not here", status=404, content_type="text/plain"))
                elif isinstance(route, Route):
                    self._answer(route)
                else:
                    route(self)
            except (BrokenPipeError, ConnectionResetError):
                # The client gave up first, which is what several tests want.
                pass

        def _answer(self, route: Route) -> None:
            if route.delay:
                time.sleep(route.delay)
            chunks = [route.body] if isinstance(route.body, bytes) else list(route.body)
            self.send_response(route.status)
            if route.content_type:
                self.send_header("Content-Type", route.content_type)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if route.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            elif route.send_length:
                self.send_header("Content-Length", str(sum(len(chunk) for chunk in chunks)))
            self.send_header("Connection", "close")
            self.end_headers()
            for chunk in chunks:
                if route.pause_between_chunks:
                    time.sleep(route.pause_between_chunks)
                if route.chunked:
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                else:
                    self.wfile.write(chunk)
                self.wfile.flush()
            if route.chunked:
                self.wfile.write(b"0\r\n\r\n")
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def fetch_server():
    """A running ``FetchTestServer`` on 127.0.0.1."""
    with FetchTestServer() as server:
        yield server


@pytest.fixture
def local_fetch_config() -> FetchConfig:
    """Allows only the local test server, with timeouts short enough for tests."""
    return FetchConfig(
        allowed_networks=["127.0.0.1/32"],
        connect_timeout=2.0,
        read_timeout=2.0,
        total_deadline=5.0,
    )
