"""Which IP addresses the fetcher may connect to.

Only publicly routable unicast addresses are reachable, unless an operator lists a
network in ``allowed_networks`` (tests allow ``127.0.0.1/32`` for their local server).
The check runs on the addresses a socket is actually opened to, so a name that
resolves to a public address during a check and a private one afterwards cannot slip
through.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import BlockedAddress, ConnectionFailed

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Cloud instance metadata endpoints hand out credentials; they fall inside the
# link-local, ULA and CGNAT ranges refused below, and are named so the refusal
# message says what they are.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)

# Spelled out rather than relying only on ``is_global``, whose tables changed between
# Python patch releases.
_REFUSED_NETWORKS: tuple[tuple[IPNetwork, str], ...] = tuple(
    (ipaddress.ip_network(cidr), reason)
    for cidr, reason in (
        ("0.0.0.0/8", "an unspecified address"),
        ("10.0.0.0/8", "a private address"),
        ("100.64.0.0/10", "a carrier-grade NAT address"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address"),
        ("172.16.0.0/12", "a private address"),
        ("192.0.0.0/24", "a reserved address"),
        ("192.0.2.0/24", "a documentation address"),
        ("192.88.99.0/24", "a reserved address"),
        ("192.168.0.0/16", "a private address"),
        ("198.18.0.0/15", "a benchmarking address"),
        ("198.51.100.0/24", "a documentation address"),
        ("203.0.113.0/24", "a documentation address"),
        ("224.0.0.0/4", "a multicast address"),
        ("240.0.0.0/4", "a reserved address"),
        ("::/128", "an unspecified address"),
        ("::1/128", "a loopback address"),
        ("::/96", "an IPv4-compatible IPv6 address"),
        ("::ffff:0:0/96", "an IPv4-mapped IPv6 address"),
        ("64:ff9b::/96", "a NAT64 address"),
        ("64:ff9b:1::/48", "a NAT64 address"),
        ("100::/64", "a discard-only address"),
        ("2001::/32", "a Teredo address"),
        ("2001:db8::/32", "a documentation address"),
        ("fc00::/7", "a private (unique local) address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a site-local address"),
        ("ff00::/8", "a multicast address"),
    )
)

_SIXTOFOUR = ipaddress.ip_network("2002::/16")


def parse_networks(cidrs: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Parse CIDR strings; a bad entry raises ``ValueError`` naming it."""
    networks = []
    for cidr in cidrs:
        cidr = cidr.strip()
        if not cidr:
            continue
        try:
            networks.append(ipaddress.ip_network(cidr, strict=False))
        except ValueError as error:
            raise ValueError(f"Not a network in CIDR notation: {cidr!r}") from error
    return tuple(networks)


def refusal_reason(address: IPAddress) -> str | None:
    """Why ``address`` is not publicly reachable, or None if it is."""
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    for network, reason in _REFUSED_NETWORKS:
        if address.version == network.version and address in network:
            return reason
    if isinstance(address, ipaddress.IPv6Address) and address in _SIXTOFOUR:
        embedded = address.sixtofour
        if embedded is not None and refusal_reason(embedded) is not None:
            return "a 6to4 address embedding a non-public IPv4 address"
    if not address.is_global:
        return "not a publicly routable address"
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Decides, per IP address, whether a connection may be opened."""

    allowed_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_cidrs(cls, cidrs: Iterable[str]) -> AddressPolicy:
        return cls(parse_networks(cidrs))

    def is_allowed(self, address: IPAddress) -> bool:
        return any(
            address.version == network.version and address in network
            for network in self.allowed_networks
        ) or (refusal_reason(address) is None)

    def check(self, address: IPAddress, *, host: str | None = None) -> None:
        """Raise ``BlockedAddress`` unless a connection to ``address`` is allowed."""
        if self.is_allowed(address):
            return
        reason = refusal_reason(address) or "not allowed"
        shown = f"{host} ({address})" if host and host != str(address) else str(address)
        raise BlockedAddress(
            f"Refused to connect to {shown}: {reason}.",
            params={"address": shown, "reason": reason},
        )

    def resolve(self, host: str, port: int) -> list[IPAddress]:
        """Resolve ``host`` and check every address it has.

        One refused address refuses the host: a name that mixes public and private
        addresses is a classic way to reach the private one on a retry.
        """
        literal = ip_literal(host)
        addresses = [literal] if literal is not None else resolve_host(host, port)
        if not addresses:
            raise ConnectionFailed(
                f"The name {host} has no addresses.", code="no_addresses", params={"host": host}
            )
        for address in addresses:
            self.check(address, host=host)
        return addresses


def ip_literal(host: str) -> IPAddress | None:
    """The address ``host`` spells, if it is an IP literal (IPv6 without brackets)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to, in resolver order, without duplicates.

    All name resolution of the fetcher goes through this function, so tests can
    substitute it.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise ConnectionFailed(
            f"Could not resolve the name {host}.", code="unresolvable", params={"host": host}
        ) from error
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canonname, sockaddr in infos:
        # Drop an IPv6 scope id ("fe80::1%eth0"); the address itself is what's checked.
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses
