"""This machine's network addresses, read from its interfaces: the QR's address and the Host
allow-list (orgkit/web.py) both come from here.

A route lookup (what Streamlit's "Network URL" does) finds nothing on a venue's Wi-Fi without a
default route, and a laptop that changes networks changes addresses while the app runs. So the
addresses are read from the kernel's interface list (IPv4 by the SIOCGIFCONF ioctl, IPv6 from
/proc/net/if_inet6; elsewhere what the host name resolves to) and read again every REREAD_S
seconds. Standard library only, no streamlit: tested in a network namespace of its own.
"""
from __future__ import annotations

import array
import ipaddress
import socket
import struct
import threading
import time

REREAD_S = 5.0
_SIOCGIFCONF = 0x8912
_IFREQ_SIZE = 40  # struct ifreq on 64-bit Linux: a 16-byte name and a 24-byte union
_MAX_INTERFACES = 256
_cache: tuple[float, frozenset[str]] | None = None
_lock = threading.Lock()


def interface_addresses() -> frozenset[str]:
    """Every address of this machine's interfaces that are up, as text (loopback included)."""
    found = set()
    try:
        found |= _ipv4_by_ioctl()
    except OSError:
        found |= _resolved()
    try:
        with open("/proc/net/if_inet6", encoding="ascii") as lines:
            found |= {str(ipaddress.IPv6Address(bytes.fromhex(line.split()[0])))
                      for line in lines if line.strip()}
    except (OSError, ValueError, IndexError):
        pass
    return frozenset(found)


def machine_addresses() -> frozenset[str]:
    """interface_addresses(), read again when the last reading is REREAD_S seconds old."""
    global _cache
    now = time.monotonic()
    with _lock:
        if _cache is None or now - _cache[0] >= REREAD_S:
            _cache = (now, interface_addresses())
        return _cache[1]


def lan_address() -> str | None:
    """The address a phone in the room opens: the one the default route leaves from when there
    is one (as `streamlit run` prints it), else the first private IPv4 of an interface, else any
    other reachable one; None when the machine has only loopback addresses."""
    addresses = machine_addresses()
    routed = _routed()
    if routed in addresses:
        return routed
    usable = [ipaddress.ip_address(a) for a in addresses]
    usable = [a for a in usable if not (a.is_loopback or a.is_link_local or a.is_unspecified)]
    usable.sort(key=lambda a: (a.version, not a.is_private, a))
    return str(usable[0]) if usable else None


def _ipv4_by_ioctl() -> set[str]:
    import fcntl  # POSIX only; elsewhere the OSError path resolves the host name

    buffer = array.array("B", bytes(_IFREQ_SIZE * _MAX_INTERFACES))
    address, _ = buffer.buffer_info()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        result = fcntl.ioctl(sock.fileno(), _SIOCGIFCONF,
                             struct.pack("iL", len(buffer), address))
    used = struct.unpack("iL", result)[0]
    data = buffer.tobytes()
    return {socket.inet_ntoa(data[at + 20:at + 24]) for at in range(0, used, _IFREQ_SIZE)}


def _resolved() -> set[str]:
    try:
        return {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
    except OSError:
        return {"127.0.0.1"}


def _routed() -> str | None:
    """The local address of a route towards a public address (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(("192.0.2.1", 80))  # TEST-NET-1: never answered, only routed
            return sock.getsockname()[0]
    except OSError:
        return None
