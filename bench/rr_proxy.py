"""A small round-robin HTTP/1.1 forwarder on 127.0.0.1 for bench/soak.py: each request (not
each connection) goes to the next backend, over a kept-alive connection to it, as a load
balancer in front of several ``bot.py run --webhook`` instances would do.

    python bench/rr_proxy.py --port 8080 --backend 127.0.0.1:9001 --backend 127.0.0.1:9002

Prints ``listening <port>`` once it accepts connections; on SIGTERM or SIGINT it prints one
JSON line (requests forwarded per backend, requests that failed) and exits. Only what the
bench sends is supported: requests and responses with a Content-Length (or none), no
chunked bodies, no pipelining.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import signal
import sys
from dataclasses import dataclass, field

BAD_GATEWAY = b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"


def _content_length(head: bytes) -> int | None:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return None


def _closes(head: bytes) -> bool:
    return any(
        line.lower().replace(b" ", b"") == b"connection:close" for line in head.split(b"\r\n")
    )


async def read_message(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """One HTTP message: (head with its blank line, body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = _content_length(head)
    body = await reader.readexactly(length) if length else b""
    return head, body


@dataclass
class Backend:
    host: str
    port: int
    forwarded: int = 0
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = field(default_factory=list)

    async def forward(self, request: bytes) -> bytes:
        """The backend's response to ``request``; a kept-alive connection the backend has
        closed meanwhile is replaced once."""
        for attempt in range(2):
            reused = bool(self.idle)
            reader, writer = (
                self.idle.pop() if reused else await asyncio.open_connection(self.host, self.port)
            )
            try:
                writer.write(request)
                await writer.drain()
                head, body = await read_message(reader)
            except (OSError, asyncio.IncompleteReadError):
                writer.close()
                if reused and attempt == 0:
                    continue
                raise
            if _closes(head):
                writer.close()
            else:
                self.idle.append((reader, writer))
            self.forwarded += 1
            return head + body
        raise AssertionError("unreachable")


class RoundRobin:
    def __init__(self, backends: list[Backend]) -> None:
        self.backends = backends
        self._next = itertools.cycle(backends)
        self.failed = 0

    async def serve_client(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while True:
                try:
                    head, body = await read_message(reader)
                except (asyncio.IncompleteReadError, ConnectionError):
                    return  # the client is done
                try:
                    response = await next(self._next).forward(head + body)
                except (OSError, asyncio.IncompleteReadError):
                    self.failed += 1
                    response = BAD_GATEWAY
                writer.write(response)
                await writer.drain()
                if _closes(head):
                    return
        finally:
            writer.close()

    def stats(self) -> dict[str, object]:
        return {
            "forwarded": [b.forwarded for b in self.backends],
            "failed": self.failed,
        }


async def serve(port: int, backends: list[Backend]) -> dict[str, object]:
    proxy = RoundRobin(backends)
    server = await asyncio.start_server(proxy.serve_client, "127.0.0.1", port, backlog=512)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(f"listening {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await stop.wait()
    for backend in backends:
        for _, writer in backend.idle:
            with contextlib.suppress(OSError):
                writer.close()
    return proxy.stats()


def parse_backend(text: str) -> Backend:
    host, _, port = text.rpartition(":")
    return Backend(host or "127.0.0.1", int(port))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0, help="0: a free port (printed)")
    parser.add_argument("--backend", action="append", type=parse_backend, required=True)
    args = parser.parse_args(argv)
    stats = asyncio.run(serve(args.port, args.backend))
    print(json.dumps(stats), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
