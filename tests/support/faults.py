"""Hostile peers on loopback: a server that drips its answer, one that never answers.

Each records what it saw, so tests synchronize on what happened (the client gave up,
a connection arrived) rather than on how long anything took.
"""

from __future__ import annotations

import socket
import threading


class DripServer:
    """Answers every connection with `head` at once, then `body` one byte per `interval`
    (or drips the head too, with `drip_head`). `abandoned` is set once a client hangs up
    before the whole answer was sent."""

    def __init__(
        self, body: bytes, *, interval: float = 0.05, drip_head: bool = False, status: int = 200
    ) -> None:
        self.head = (
            f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        self.body = body
        self.interval = interval
        self.drip_head = drip_head
        self.connections = 0
        self.abandoned = threading.Event()
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)  # the request
                slow = self.head + self.body if self.drip_head else self.body
                if not self.drip_head:
                    conn.sendall(self.head)
                for byte in slow:
                    if self._stop.wait(self.interval):
                        return
                    conn.sendall(bytes([byte]))
                    # A peer that shut its socket makes the next send fail, or EOF readable.
                    conn.setblocking(False)
                    try:
                        if conn.recv(1) == b"":
                            raise ConnectionResetError
                    except BlockingIOError:
                        pass
                    finally:
                        conn.setblocking(True)
            except OSError:
                self.abandoned.set()

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()


class SilentServer:
    """Accepts connections and never answers; `connected` is set at the first one."""

    def __init__(self) -> None:
        self.connected = threading.Event()
        self._held: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stopped = False
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                if self._stopped:
                    conn.close()
                    return
                self._held.append(conn)
            self.connected.set()

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._listener.close()
            for conn in self._held:
                conn.close()
