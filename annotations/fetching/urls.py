"""Turning a cited address into exactly one host, port and request target.

The host is normalised the way browsers do (percent-decoding, IDNA mapping, the
numeric IPv4 spellings ``2130706433``, ``0177.0.0.1``, ``0x7f.1``), so the address
that gets checked is the address that gets connected to, however it was written.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote_to_bytes, urljoin, urlsplit

import idna

from .addresses import IPAddress
from .errors import BlockedAddress, InvalidURL

DEFAULT_PORTS = {"http": 80, "https": 443}

# Characters a host may not contain once decoded (WHATWG "forbidden host code points").
_FORBIDDEN_HOST_CHARS = re.compile(r"[\x00-\x20#%/:<>?@\[\\\]^|\x7f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
_IPV4_PART_DIGITS = {8: "[0-7]+", 10: "[0-9]+", 16: "[0-9a-f]+"}
_SAFE_PATH_CHARS = "/%:@!$&'()*+,;=-._~"
_SAFE_QUERY_CHARS = _SAFE_PATH_CHARS + "?"


@dataclass(frozen=True)
class Target:
    """One parsed hop: where to connect and what to ask for."""

    url: str
    scheme: str
    host: str
    port: int
    request_target: str
    ip: IPAddress | None

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.port != DEFAULT_PORTS[self.scheme]:
            host = f"{host}:{self.port}"
        return host


def clean_url(url: str) -> str:
    """Strip what browsers strip and unify the backslash, which they read as a slash."""
    url = url.strip(" \x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f")
    url = url.replace("\t", "").replace("\n", "").replace("\r", "")
    if _CONTROL_CHARS.search(url):
        raise InvalidURL("The address contains control characters.")
    scheme, sep, rest = url.partition(":")
    if sep and scheme.lower() in DEFAULT_PORTS:
        url = scheme + sep + rest.replace("\\", "/")
    return url


def parse_target(url: str) -> Target:
    """Parse ``url`` into a ``Target``.

    Raises ``BlockedAddress`` for schemes other than http(s) and for addresses with a
    user name or password (refused rather than stripped: they would be sent nowhere
    the reviewer meant, and ``http://trusted.example@10.0.0.1/`` is a common
    disguise), and ``InvalidURL`` for anything malformed.
    """
    url = clean_url(url)
    if not url:
        raise InvalidURL("The address is empty.")
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise InvalidURL(f"The address {url!r} is malformed.") from error
    scheme = parts.scheme.lower()
    if not scheme:
        raise InvalidURL(f"The address {url!r} has no scheme; add http:// or https://.")
    if scheme not in DEFAULT_PORTS:
        raise BlockedAddress(
            f"Only http and https addresses are fetched, not {scheme}:.",
            code="scheme_refused",
            params={"scheme": scheme},
        )
    netloc = parts.netloc
    if "@" in netloc:
        raise BlockedAddress(
            "Addresses with a user name or password are refused.", code="credentials_refused"
        )
    host_text, port = _split_host_port(netloc, scheme)
    host, ip = normalize_host(host_text)
    path = quote(parts.path or "/", safe=_SAFE_PATH_CHARS)
    query = quote(parts.query, safe=_SAFE_QUERY_CHARS)
    request_target = f"{path}?{query}" if query else path
    shown_host = f"[{host}]" if ":" in host else host
    port_suffix = "" if port == DEFAULT_PORTS[scheme] else f":{port}"
    normalized = f"{scheme}://{shown_host}{port_suffix}{request_target}"
    return Target(normalized, scheme, host, port, request_target, ip)


def resolve_location(base_url: str, location: str) -> str:
    """The absolute address a redirect's Location header points to."""
    return urljoin(base_url, clean_url(location))


def _split_host_port(netloc: str, scheme: str) -> tuple[str, int]:
    if not netloc:
        raise InvalidURL("The address has no host.")
    if netloc.startswith("["):
        end = netloc.find("]")
        if end == -1:
            raise InvalidURL("The address has an unterminated IPv6 literal.")
        host, rest = netloc[: end + 1], netloc[end + 1 :]
        if rest and not rest.startswith(":"):
            raise InvalidURL("The address has text after its IPv6 literal.")
        port_text = rest[1:]
    else:
        host, _sep, port_text = netloc.partition(":")
    if not port_text:
        return host, DEFAULT_PORTS[scheme]
    if not port_text.isascii() or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise InvalidURL(f"The port {port_text!r} is not valid.")
    return host, int(port_text)


def normalize_host(raw: str) -> tuple[str, IPAddress | None]:
    """The canonical host and, when it spells an IP address, that address."""
    if raw.startswith("["):
        try:
            address = ipaddress.IPv6Address(raw[1:-1])
        except ValueError as error:
            raise InvalidURL(f"{raw} is not a valid IPv6 address.") from error
        return str(address), address
    try:
        host = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError as error:
        raise InvalidURL(f"The host {raw!r} is not valid UTF-8.") from error
    if not host.isascii():
        try:
            # UTS #46 mapping folds full-width digits and dots, so "１２７．０．０．１"
            # becomes 127.0.0.1 before the IPv4 check below.
            host = idna.uts46_remap(host, std3_rules=False, transitional=False)
        except idna.IDNAError as error:
            raise InvalidURL(f"The host {raw!r} is not a valid name.") from error
    host = host.lower()
    if _FORBIDDEN_HOST_CHARS.search(host):
        raise InvalidURL(f"The host {raw!r} contains characters not allowed in a host.")
    if _ends_in_number(host):
        address = _parse_ipv4(host)
        return str(address), address
    host = host.removesuffix(".")
    if not host:
        raise InvalidURL("The address has no host.")
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=False).decode("ascii")
        except idna.IDNAError as error:
            raise InvalidURL(f"The host {raw!r} is not a valid name.") from error
    if host == "localhost" or host.endswith(".localhost"):
        # Reserved for loopback (RFC 6761) whatever the local resolver says.
        raise BlockedAddress(
            f"Refused to connect to {host}: a loopback name.",
            params={"address": host, "reason": "a loopback name"},
        )
    return host, None


def _ends_in_number(host: str) -> bool:
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    last = labels[-1]
    if last.isascii() and last.isdigit():
        return True
    return bool(re.fullmatch(r"0x[0-9a-f]*", last))


def _parse_ipv4(host: str) -> ipaddress.IPv4Address:
    """Parse the IPv4 spellings browsers accept (1 to 4 parts, octal, hex)."""
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    if len(labels) > 4 or "" in labels:
        raise InvalidURL(f"The host {host!r} is not a valid IPv4 address.")
    numbers = [_parse_ipv4_part(label, host) for label in labels]
    if any(number > 255 for number in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise InvalidURL(f"The host {host!r} is not a valid IPv4 address.")
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number * 256 ** (3 - index)
    return ipaddress.IPv4Address(value)


def _parse_ipv4_part(label: str, host: str) -> int:
    base = 10
    if label[:2] == "0x":
        label, base = label[2:] or "0", 16
    elif len(label) > 1 and label.startswith("0"):
        label, base = label[1:], 8
    # int() alone would also accept "+1", " 1" and "1_0".
    if not re.fullmatch(_IPV4_PART_DIGITS[base], label):
        raise InvalidURL(f"The host {host!r} is not a valid IPv4 address.")
    return int(label, base)
