"""The fetcher refuses every spelling of a non-public address before connecting."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from annotations.fetching import addresses, client
from annotations.fetching.client import FetchConfig, fetch
from annotations.fetching.errors import BlockedAddress, ConnectionFailed, InvalidURL

pytest_plugins = ["tests.fetch_server"]

FAKE_DNS = {
    "internal.example": ["10.0.0.5"],
    "mixed.example": ["93.184.216.34", "10.0.0.5"],
    "mixed-v6.example": ["93.184.216.34", "::1"],
    "metadata.example": ["169.254.169.254"],
    "public.example": ["93.184.216.34"],
    "site.test": ["127.0.0.1"],
    "169.254.169.254.nip.io": ["169.254.169.254"],
}


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every address a socket is opened to; only 127.0.0.1 really connects."""
    opened: list[str] = []
    real_create_connection = socket.create_connection

    def guarded_connect(address: str, port: int, timeout: float | None) -> socket.socket:
        opened.append(address)
        if address != "127.0.0.1":
            raise AssertionError(f"a socket was opened to {address}")
        return real_create_connection((address, port), timeout=timeout)

    def no_create_connection(*args: object, **kwargs: object) -> None:
        raise AssertionError("socket.create_connection called outside the guarded path")

    def fake_resolve(host: str, port: int) -> list[addresses.IPAddress]:
        if host not in FAKE_DNS:
            raise AssertionError(f"unexpected lookup of {host}")
        return [ipaddress.ip_address(address) for address in FAKE_DNS[host]]

    monkeypatch.setattr(client, "connect_socket", guarded_connect)
    monkeypatch.setattr(addresses, "resolve_host", fake_resolve)
    monkeypatch.setattr(socket, "create_connection", no_create_connection)
    return opened


BYPASS_URLS = [
    "http://2130706433/",
    "http://017700000001/",
    "http://0177.0.0.1/",
    "http://0x7f.0.0.1/",
    "http://0x7f000001/",
    "http://0x7f.1/",
    "http://127.1/",
    "http://127.0.1/",
    "http://0/",
    "http://0.0.0.0/",
    "http://127.0.0.1/",
    "http://127.0.0.1./",
    "http://[::]/",
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::127.0.0.1]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[64:ff9b:1::a00:1]/",
    "http://[2002:7f00:1::]/",
    "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[fd00:ec2::254]/",
    "http://[ff02::1]/",
    "http://localhost/",
    "http://localhost./",
    "http://LOCALHOST/",
    "http://LocalHost:8000/admin",
    "http://api.localhost/",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.100.100.200/latest/meta-data/",
    "http://100.64.0.1/",
    "http://10.0.0.1/",
    "https://10.0.0.1:8443/",
    "http://192.168.1.1/",
    "http://172.16.0.1/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://198.18.0.1/",
    "http://example.org@127.0.0.1/",
    "http://127.0.0.1#@example.org/",
    "http://127.0.0.1\\@example.org/",
    "http://127.0.0.1:80\\@example.org/",
    "http://user:secret@example.org/",
    "http://%31%32%37.0.0.1/",
    "http://%6c%6f%63%61%6c%68%6f%73%74/",
    "http://１２７．０．０．１/",
    "http://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/",
    "file:///etc/passwd",
    "gopher://127.0.0.1:70/_stats",
    "ftp://example.org/file.txt",
    "dict://127.0.0.1:11211/stat",
    "javascript:alert(1)",
    "ldap://127.0.0.1/",
    "http://internal.example/",
    "http://mixed.example/",
    "http://mixed-v6.example/",
    "http://metadata.example/latest/meta-data/",
    "http://169.254.169.254.nip.io/",
    "http://[fe80::1%25eth0]/",
    "http://0x7f.0x0.0x0.0x1/",
    "http://127.000.000.001/",
    "http://①②⑦.0.0.1/",
    "http://127。0。0。1/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://0251.0376.0251.0376/",
]


@pytest.mark.parametrize("url", BYPASS_URLS)
def test_it_refuses_non_public_addresses_without_connecting(url: str, connects: list[str]) -> None:
    with pytest.raises(BlockedAddress) as raised:
        fetch(url, FetchConfig())
    assert connects == []
    assert raised.value.transient is False
    assert str(raised.value)


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.2:{port}/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/",
        "//127.0.0.2:{port}/scheme-relative",
        "http://0x7f000002:{port}/",
        "http://localhost:{port}/",
        "http://internal.example/",
    ],
)
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_it_refuses_redirects_to_non_public_addresses(
    fetch_server, connects: list[str], target: str, status: int
) -> None:
    url = fetch_server.redirect("/go", target.format(port=fetch_server.port), status=status)
    with pytest.raises(BlockedAddress):
        fetch(url, FetchConfig(allowed_networks=["127.0.0.1/32"]))
    assert connects == ["127.0.0.1"]


def test_it_reaches_an_allowed_local_network(fetch_server, connects: list[str]) -> None:
    url = fetch_server.serve("/page", "<p>hello</p>")
    result = fetch(url, FetchConfig(allowed_networks=["127.0.0.1/32"]))
    assert result.status == 200
    assert result.body == b"<p>hello</p>"
    with pytest.raises(BlockedAddress):
        fetch(
            f"http://127.0.0.2:{fetch_server.port}/page",
            FetchConfig(allowed_networks=["127.0.0.1/32"]),
        )
    assert connects == ["127.0.0.1"]


def test_it_follows_a_relative_redirect_on_an_allowed_host(fetch_server, connects) -> None:
    fetch_server.serve("/final", "done", content_type="text/plain")
    url = fetch_server.redirect("/start", "/final", status=301)
    result = fetch(url, FetchConfig(allowed_networks=["127.0.0.1/32"]))
    assert result.final_url == fetch_server.url("/final")
    assert connects == ["127.0.0.1", "127.0.0.1"]


def test_it_connects_to_the_checked_address_but_keeps_the_host_name(
    fetch_server, connects: list[str]
) -> None:
    fetch_server.serve("/named", "named")
    result = fetch(
        f"http://site.test:{fetch_server.port}/named",
        FetchConfig(allowed_networks=["127.0.0.1/32"]),
    )
    assert result.body == b"named"
    assert result.address == "127.0.0.1"
    assert connects == ["127.0.0.1"]
    assert fetch_server.requests[-1].headers["Host"] == f"site.test:{fetch_server.port}"


def test_it_connects_only_to_the_address_that_was_resolved_and_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A second lookup could answer differently (DNS rebinding); there must not be one.
    lookups: list[str] = []
    opened: list[str] = []

    def resolve_once(host: str, port: int) -> list[addresses.IPAddress]:
        lookups.append(host)
        answer = "93.184.216.34" if len(lookups) == 1 else "127.0.0.1"
        return [ipaddress.ip_address(answer)]

    def refuse(address: str, port: int, timeout: float | None) -> socket.socket:
        opened.append(address)
        raise ConnectionRefusedError

    monkeypatch.setattr(addresses, "resolve_host", resolve_once)
    monkeypatch.setattr(client, "connect_socket", refuse)
    with pytest.raises(ConnectionFailed):
        fetch("http://rebind.example/", FetchConfig())
    assert lookups == ["rebind.example"]
    assert opened == ["93.184.216.34"]


@pytest.mark.parametrize(
    "url",
    [
        "",
        "example.org/page",
        "http://",
        "http:///path",
        "http://[::1/",
        "http://a b.example/",
        "http://256.0.0.1/",
        "http://1.2.3.4.5/",
        "http://0x7g.0.0.1/",
        "http://example.org:99999/",
        "http://example.org:-1/",
        "http://exa%00mple.org/",
    ],
)
def test_it_rejects_malformed_addresses(url: str, connects: list[str]) -> None:
    with pytest.raises(InvalidURL):
        fetch(url, FetchConfig())
    assert connects == []


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.216.34", True),
        ("8.8.8.8", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("2002:5db8:d822::1", True),
        ("127.0.0.1", False),
        ("100.100.100.200", False),
        ("fd00:ec2::254", False),
        ("2002:a00:1::1", False),
    ],
)
def test_the_policy_allows_only_public_addresses(address: str, allowed: bool) -> None:
    policy = addresses.AddressPolicy()
    assert policy.is_allowed(ipaddress.ip_address(address)) is allowed


def test_allowed_networks_open_only_what_they_name() -> None:
    policy = addresses.AddressPolicy.from_cidrs(["127.0.0.1/32", "10.1.0.0/16"])
    assert policy.is_allowed(ipaddress.ip_address("127.0.0.1"))
    assert policy.is_allowed(ipaddress.ip_address("10.1.2.3"))
    assert not policy.is_allowed(ipaddress.ip_address("127.0.0.2"))
    assert not policy.is_allowed(ipaddress.ip_address("10.2.0.1"))
    assert not policy.is_allowed(ipaddress.ip_address("::1"))


def test_a_bad_allowed_network_is_reported() -> None:
    with pytest.raises(ValueError, match="not-a-network"):
        addresses.parse_networks(["not-a-network"])
