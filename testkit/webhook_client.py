"""Requests to the bot's webhook listener over a plain socket, so a test (or bench) sees
exactly how much of a body the bot took before it answered."""

from __future__ import annotations

import socket
import time


def raw_post(
    port: int, headers: dict[str, str], body: bytes, *, declared: int | None = None
) -> tuple[int | None, int]:
    """POST over a plain socket: send the headers (Content-Length ``declared``, else the
    body's), then as much of the body as the server takes before it answers. Returns
    (status, bytes of the body sent)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        head = [
            "POST /telegram HTTP/1.1",
            "Host: 127.0.0.1",
            f"Content-Length: {len(body) if declared is None else declared}",
        ]
        head += [f"{k}: {v}" for k, v in headers.items()]
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        sent = 0
        sock.setblocking(False)
        answer = b""
        deadline = time.monotonic() + 10
        while b"\r\n" not in answer and time.monotonic() < deadline:
            try:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
                continue
            except BlockingIOError:
                pass
            if sent < len(body):
                try:
                    sent += sock.send(body[sent : sent + 65536])
                except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                    time.sleep(0.01)
            else:
                time.sleep(0.01)
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else None
    return status, sent


def json_headers(secret: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return headers
