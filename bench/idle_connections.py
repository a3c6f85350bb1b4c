#!/usr/bin/env python3
"""Hold N idle HTTP/1.1 keep-alive connections open against 127.0.0.1:PORT.

Usage: idle_connections.py PORT [COUNT=1000] [HOLD_SECONDS=30] [PATH=/healthz]

Each connection sends one `GET PATH HTTP/1.1` (keep-alive) and reads the whole response, so
the server has accepted it, parsed a request and answered on it. Then the script prints
`ready N` on stdout and keeps every connection open and idle until HOLD_SECONDS pass or it
receives SIGTERM/SIGINT. Before it exits it prints `open M` (connections the server has not
closed meanwhile) on stdout. bench/run.sh reads the server's RSS between the two lines.

Exit status: 0 when all COUNT connections got a 2xx answer and stayed open, 1 when some
failed or were closed by the server, 2 on bad arguments. Standard library only.
"""

import resource
import select
import signal
import socket
import sys
import time

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0


def raise_nofile(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = needed + 64
    if soft != resource.RLIM_INFINITY and soft < want:
        target = want if hard == resource.RLIM_INFINITY else min(hard, max(want, soft))
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        if target < want:
            sys.exit(f"idle_connections: RLIMIT_NOFILE hard limit {hard} is below {want}")


def read_response(sock: socket.socket) -> tuple[int, bool]:
    """Read one HTTP/1.1 response; return (status, server_wants_close)."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed before the response head")
        buf += chunk
        if len(buf) > 1 << 20:
            raise ValueError("response head too large")
    head, _, body = buf.partition(b"\r\n\r\n")
    lines = head.decode("iso-8859-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise ValueError(f"bad status line {lines[0]!r}")
    status = int(parts[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    close = "close" in headers.get("connection", "").lower()
    if "chunked" in headers.get("transfer-encoding", "").lower():
        # Small bodies only: read until the terminating zero-size chunk.
        while not (body.endswith(b"0\r\n\r\n")):
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed inside a chunked body")
            body += chunk
    else:
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed inside the body")
            body += chunk
    return status, close


def still_open(sock: socket.socket) -> bool:
    """True when the peer has not closed or reset the connection (nothing should be readable)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
        if not readable:
            return True
        data = sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        return bool(data)  # unexpected bytes (e.g. a 408) still mean "not closed yet"
    except (BlockingIOError, InterruptedError):
        return True
    except OSError:
        return False


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        port = int(sys.argv[1])
        count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
        hold = float(sys.argv[3]) if len(sys.argv) > 3 else 30.0
    except ValueError:
        print("idle_connections: PORT, COUNT and HOLD_SECONDS must be numbers", file=sys.stderr)
        return 2
    path = sys.argv[4] if len(sys.argv) > 4 else "/healthz"

    stop = False

    def on_signal(_signum, _frame):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    raise_nofile(count)
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "User-Agent: mwrasp-bench-idle\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n"
    ).encode("ascii")

    socks: list[socket.socket] = []
    failures = 0
    closing = 0
    started = time.monotonic()
    for i in range(count):
        if stop:
            break
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=CONNECT_TIMEOUT)
            s.settimeout(READ_TIMEOUT)
            s.sendall(request)
            status, close = read_response(s)
        except (OSError, ValueError) as exc:
            failures += 1
            if failures <= 5:
                print(f"idle_connections: connection {i}: {exc}", file=sys.stderr)
            continue
        if not 200 <= status < 300:
            failures += 1
            if failures <= 5:
                print(f"idle_connections: connection {i}: HTTP {status}", file=sys.stderr)
        if close:
            closing += 1
        socks.append(s)
    elapsed = time.monotonic() - started
    print(
        f"idle_connections: {len(socks)} connected in {elapsed:.2f}s, "
        f"{failures} failed, {closing} answered 'Connection: close'",
        file=sys.stderr,
    )
    print(f"ready {len(socks)}", flush=True)

    deadline = time.monotonic() + hold
    while not stop and time.monotonic() < deadline:
        time.sleep(0.1)

    alive = sum(1 for s in socks if still_open(s))
    print(f"open {alive}", flush=True)
    for s in socks:
        s.close()
    return 0 if failures == 0 and alive == count else 1


if __name__ == "__main__":
    sys.exit(main())
