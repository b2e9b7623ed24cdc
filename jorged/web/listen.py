"""The web port, taken before anything else: from systemd, or bound here.

`listening_socket` runs first thing in `jorged` (before the heavy imports and the
store), so a connection arriving during a start waits in the kernel's backlog and
is then answered (429 until the journal is ready): never refused. Under socket
activation systemd passes the socket as fd 3 (`LISTEN_FDS`, `LISTEN_PID`: the
`sd_listen_fds` protocol); the variables are removed so children do not take it.
"""

from __future__ import annotations

import os
import socket
from collections.abc import MutableMapping

#: The first fd systemd passes (SD_LISTEN_FDS_START).
LISTEN_FDS_START = 3
BACKLOG = 2048


def inherited_socket(
    env: MutableMapping[str, str] | None = None, *, pid: int | None = None
) -> socket.socket | None:
    """The listening socket systemd passed to this process, if any."""
    environ = os.environ if env is None else env
    fds = environ.get("LISTEN_FDS", "")
    owner = environ.get("LISTEN_PID", "")
    for name in ("LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"):
        environ.pop(name, None)
    me = os.getpid() if pid is None else pid
    if not (fds.isdigit() and int(fds) >= 1 and owner.isdigit() and int(owner) == me):
        return None
    os.set_inheritable(LISTEN_FDS_START, False)  # noqa: FBT003 - os's own signature
    sock = socket.socket(fileno=LISTEN_FDS_START)
    sock.setblocking(False)  # noqa: FBT003
    return sock


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (IPv6 when the host is one)."""
    infos = socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        sock.bind(address)
        sock.listen(BACKLOG)
        sock.setblocking(False)  # noqa: FBT003
    except OSError:
        sock.close()
        raise
    return sock


def listening_socket(host: str, port: int) -> socket.socket:
    """systemd's socket when it passed one, else host:port bound now."""
    return inherited_socket() or bind(host, port)
