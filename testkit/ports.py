"""Loopback TCP ports: a free one to listen on, and waiting until something listens."""

from __future__ import annotations

import socket
import time


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (for a webhook listener or a database server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_listening(port: int, timeout: float = 10.0) -> None:
    """Return once 127.0.0.1:``port`` accepts a connection; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError as exc:
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"nothing listens on 127.0.0.1:{port} after {timeout}s"
                ) from exc
            time.sleep(0.05)
