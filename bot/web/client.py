"""Who is asking: the client's address, seen through the reverse proxies we trust.

WeChat only calls back on ports 80 and 443, so most deployments sit behind
nginx or a load balancer, and every request then comes from the proxy's
address. Per-client limits (failed dashboard sign-ins) would count everyone
as one client: one guesser would lock the owner out. The forwarded address
is believed only from proxies the operator named, since anyone can send an
X-Forwarded-For header.
"""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import Iterable

Networks = tuple[IPv4Network | IPv6Network, ...]


def parse_networks(spec: str | Iterable[str]) -> Networks:
    """`10.0.0.1, 172.16.0.0/12` → networks; raises ValueError naming a bad entry."""
    parts = spec.split(",") if isinstance(spec, str) else list(spec)
    nets = []
    for part in (p.strip() for p in parts):
        if part:
            try:
                nets.append(ip_network(part, strict=False))
            except ValueError:
                raise ValueError(f"{part!r} is not an IP address or network") from None
    return tuple(nets)


def _trusted(address: str, proxies: Networks) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in proxies)


def client_address(peer: str | None, forwarded_for: list[str], proxies: Networks) -> str:
    """The first address, walking back from the peer, that is not a trusted proxy.

    `forwarded_for` holds each X-Forwarded-For header as received; every proxy
    appends the address it saw, so the right end was written by the proxy
    nearest to us and the left end by whoever sent the request (and may be
    forged). Without a trusted peer the header is ignored.
    """
    hops = [h.strip() for header in forwarded_for for h in header.split(",") if h.strip()]
    current = peer or "?"
    while current != "?" and _trusted(current, proxies) and hops:
        current = hops.pop()
    return current
