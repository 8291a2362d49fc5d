"""Fetching pages from the local test server: redirects, limits, errors."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import socket
import threading
import time
from datetime import UTC, datetime

import pytest

from annotations.fetching import client
from annotations.fetching.client import DEFAULT_USER_AGENT, FetchConfig, fetch, parse_retry_after
from annotations.fetching.errors import (
    ConnectionFailed,
    FetchTimeout,
    HTTPStatusError,
    TooLarge,
    TooManyRedirects,
    UnsupportedContentType,
)

pytest_plugins = ["tests.fetch_server"]


def test_it_fetches_a_page(fetch_server, local_fetch_config) -> None:
    url = fetch_server.serve("/a", "<p>Привет</p>", headers={"ETag": '"x1"'})
    result = fetch(url, local_fetch_config)
    assert result.status == 200
    assert result.final_url == url
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert result.body == "<p>Привет</p>".encode()
    assert result.sha256 == hashlib.sha256(result.body).hexdigest()
    assert result.headers["etag"] == '"x1"'
    assert result.redirects == []
    assert result.elapsed >= 0


def test_it_names_the_project_in_the_user_agent(fetch_server, local_fetch_config) -> None:
    fetch(fetch_server.serve("/ua", "ok"), local_fetch_config)
    assert fetch_server.requests[-1].headers["User-Agent"] == DEFAULT_USER_AGENT
    assert DEFAULT_USER_AGENT.startswith("factcheck/")


def test_it_follows_a_chain_of_redirects(fetch_server, local_fetch_config) -> None:
    fetch_server.serve("/end", "the end")
    fetch_server.redirect("/three", "/end", status=308)
    fetch_server.redirect("/two", "three", status=307)
    fetch_server.redirect("/one", fetch_server.url("/two"), status=301)
    result = fetch(fetch_server.url("/one"), local_fetch_config)
    assert result.final_url == fetch_server.url("/end")
    assert result.url == fetch_server.url("/one")
    assert [(hop.status, hop.to_url) for hop in result.redirects] == [
        (301, fetch_server.url("/two")),
        (307, fetch_server.url("/three")),
        (308, fetch_server.url("/end")),
    ]


def test_it_follows_five_redirects_but_not_six(fetch_server, local_fetch_config) -> None:
    fetch_server.serve("/r0", "landed")
    for hop in range(1, 7):
        fetch_server.redirect(f"/r{hop}", f"/r{hop - 1}")
    assert fetch(fetch_server.url("/r5"), local_fetch_config).body == b"landed"
    with pytest.raises(TooManyRedirects):
        fetch(fetch_server.url("/r6"), local_fetch_config)


def test_it_stops_a_redirect_loop(fetch_server, local_fetch_config) -> None:
    fetch_server.redirect("/ping", "/pong")
    fetch_server.redirect("/pong", "/ping")
    with pytest.raises(TooManyRedirects):
        fetch(fetch_server.url("/ping"), local_fetch_config)


def test_a_slow_server_hits_the_read_timeout(fetch_server, local_fetch_config) -> None:
    url = fetch_server.serve("/slow", "late", delay=1.0)
    config = dataclasses.replace(local_fetch_config, read_timeout=0.2)
    started = time.monotonic()
    with pytest.raises(FetchTimeout) as raised:
        fetch(url, config)
    assert time.monotonic() - started < 0.8
    assert raised.value.transient


def test_a_trickling_server_hits_the_overall_deadline(fetch_server, local_fetch_config) -> None:
    url = fetch_server.serve("/drip", [b"x" * 10] * 40, pause_between_chunks=0.05)
    config = dataclasses.replace(local_fetch_config, read_timeout=0.5, total_deadline=0.4)
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="overall"):
        fetch(url, config)
    assert time.monotonic() - started < 0.9


def test_it_refuses_a_declared_body_over_the_cap(fetch_server, local_fetch_config) -> None:
    url = fetch_server.serve("/big", b"a" * 5000)
    with pytest.raises(TooLarge):
        fetch(url, dataclasses.replace(local_fetch_config, max_bytes=1000))


@pytest.mark.parametrize(
    "options", [{"chunked": True}, {"send_length": False}], ids=["chunked", "no-length"]
)
def test_it_stops_reading_an_undeclared_body_at_the_cap(
    fetch_server, local_fetch_config, options
) -> None:
    url = fetch_server.serve("/stream", [b"b" * 1000] * 200, **options)
    with pytest.raises(TooLarge):
        fetch(url, dataclasses.replace(local_fetch_config, max_bytes=10_000))


def test_the_cap_applies_to_the_decompressed_body(fetch_server, local_fetch_config) -> None:
    bomb = gzip.compress(b"z" * 2_000_000)
    url = fetch_server.serve("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(TooLarge):
        fetch(url, dataclasses.replace(local_fetch_config, max_bytes=100_000))


def test_it_decompresses_gzip(fetch_server, local_fetch_config) -> None:
    url = fetch_server.serve(
        "/gz", gzip.compress(b"<p>packed</p>"), headers={"Content-Encoding": "gzip"}
    )
    assert fetch(url, local_fetch_config).body == b"<p>packed</p>"


def test_a_body_exactly_at_the_cap_is_accepted(fetch_server, local_fetch_config) -> None:
    url = fetch_server.serve("/edge", [b"c" * 500] * 2, chunked=True)
    assert len(fetch(url, dataclasses.replace(local_fetch_config, max_bytes=1000)).body) == 1000


@pytest.mark.parametrize("content_type", ["image/png", "application/octet-stream", None])
def test_it_refuses_content_that_is_not_a_page(
    fetch_server, local_fetch_config, content_type
) -> None:
    url = fetch_server.serve("/blob", b"\x89PNG....", content_type=content_type)
    with pytest.raises(UnsupportedContentType):
        fetch(url, local_fetch_config)


@pytest.mark.parametrize("content_type", ["text/plain", "application/xhtml+xml", "TEXT/HTML"])
def test_it_accepts_page_content_types(fetch_server, local_fetch_config, content_type) -> None:
    url = fetch_server.serve("/ok", "text", content_type=content_type)
    assert fetch(url, local_fetch_config).content_type == content_type.lower()


def test_a_server_error_is_transient(fetch_server, local_fetch_config) -> None:
    url = fetch_server.serve("/err", "oops", status=500)
    with pytest.raises(HTTPStatusError) as raised:
        fetch(url, local_fetch_config)
    assert raised.value.status == 500
    assert raised.value.transient
    assert raised.value.retry_after is None


def test_a_missing_page_is_permanent(fetch_server, local_fetch_config) -> None:
    with pytest.raises(HTTPStatusError) as raised:
        fetch(fetch_server.url("/nowhere"), local_fetch_config)
    assert raised.value.status == 404
    assert not raised.value.transient
    assert "404" in str(raised.value)


@pytest.mark.parametrize(("status", "header", "seconds"), [(429, "30", 30.0), (503, "7", 7.0)])
def test_rate_limits_expose_retry_after(
    fetch_server, local_fetch_config, status, header, seconds
) -> None:
    url = fetch_server.serve("/busy", "slow down", status=status, headers={"Retry-After": header})
    with pytest.raises(HTTPStatusError) as raised:
        fetch(url, local_fetch_config)
    assert raised.value.transient
    assert raised.value.retry_after == seconds


def test_retry_after_is_capped(fetch_server, local_fetch_config) -> None:
    url = fetch_server.serve("/busy", "", status=429, headers={"Retry-After": "999999"})
    with pytest.raises(HTTPStatusError) as raised:
        fetch(url, dataclasses.replace(local_fetch_config, max_retry_after=600))
    assert raised.value.retry_after == 600


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        ("Wed, 25 Nov 2026 12:01:30 GMT", 90.0),
        ("Wed, 25 Nov 2026 11:00:00 GMT", 0.0),
        ("Fri, 25 Dec 2026 12:00:00 GMT", 3600.0),
        ("soon", None),
        ("", None),
        (None, None),
        ("-5", None),
    ],
)
def test_it_parses_retry_after(value, expected) -> None:
    now = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after(value, cap=3600, now=now) == expected


def test_a_closed_port_is_a_transient_connection_failure(local_fetch_config) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConnectionFailed) as raised:
        fetch(f"http://127.0.0.1:{port}/", local_fetch_config)
    assert raised.value.transient


def test_tls_failures_are_reported_as_connection_failures(fetch_server, local_fetch_config) -> None:
    # The local server speaks plain HTTP, so the TLS handshake cannot succeed.
    fetch_server.serve("/tls", "plain")
    with pytest.raises(ConnectionFailed):
        fetch(f"https://127.0.0.1:{fetch_server.port}/tls", local_fetch_config)


def test_a_connect_timeout_is_transient(monkeypatch, local_fetch_config) -> None:
    def hang(address: str, port: int, timeout: float | None) -> socket.socket:
        raise TimeoutError("timed out")

    monkeypatch.setattr(client, "connect_socket", hang)
    with pytest.raises(FetchTimeout) as raised:
        fetch("http://127.0.0.1:9/", local_fetch_config)
    assert raised.value.transient
    assert "Connecting to 127.0.0.1" in str(raised.value)


def test_an_unknown_name_is_a_connection_failure(monkeypatch) -> None:
    def no_such_name(*args: object, **kwargs: object) -> list:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    with pytest.raises(ConnectionFailed, match=r"Could not resolve the name nowhere\.example"):
        fetch("http://nowhere.example/", FetchConfig())


def test_proxy_settings_in_the_environment_are_ignored(
    monkeypatch, fetch_server, local_fetch_config
) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://10.255.255.1:3128")
    monkeypatch.setenv("NO_PROXY", "")
    url = fetch_server.serve("/direct", "direct")
    assert fetch(url, local_fetch_config).body == b"direct"


class DrippingHeaders:
    """Answers with a status line and headers sent a byte at a time, each byte well within
    the read timeout of the one before; notes whether the client stayed to the end."""

    def __init__(self) -> None:
        self.sent_everything = False
        self.done = threading.Event()

    def __call__(self, handler) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Padding: " + b"p" * 40
        try:
            for byte in head + b"\r\nContent-Length: 2\r\nConnection: close\r\n\r\n":
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(0.1)
            handler.wfile.write(b"ok")
            handler.wfile.flush()
            self.sent_everything = True
        finally:
            self.done.set()

    def finished(self) -> bool:
        """Whether the server got to its last byte, once it has stopped trying."""
        assert self.done.wait(30)
        return self.sent_everything


def test_headers_sent_a_byte_at_a_time_are_bounded_by_the_overall_deadline(
    fetch_server, local_fetch_config
) -> None:
    server = DrippingHeaders()
    url = fetch_server.handle("/drip-headers", server)
    config = dataclasses.replace(local_fetch_config, read_timeout=1.0, total_deadline=1.5)
    with pytest.raises(FetchTimeout, match="overall") as raised:
        fetch(url, config)
    assert raised.value.transient
    # The client hung up at its deadline, long before the server was through its headers.
    assert not server.finished()


def test_a_redirect_whose_headers_drip_is_bounded_by_the_same_deadline(
    fetch_server, local_fetch_config
) -> None:
    server = DrippingHeaders()
    first = fetch_server.redirect("/moved", fetch_server.handle("/drip-headers", server))
    config = dataclasses.replace(local_fetch_config, read_timeout=1.0, total_deadline=1.5)
    with pytest.raises(FetchTimeout, match="overall"):
        fetch(first, config)
    assert not server.finished()
