"""Test helpers for the hostile suite: a counting loopback HTTP server, and `alliances serve`
in a thread. Both bind 127.0.0.1 on a free port, and stop when their `with` block ends."""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Counter(ThreadingHTTPServer):
    """Counts every connection it accepts (whatever is sent on it) and answers 500."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _CountingHandler)
        self.connections = 0
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"

    def verify_request(self, request, client_address):
        with self.lock:
            self.connections += 1
        return True


class _CountingHandler(BaseHTTPRequestHandler):
    timeout = 5

    def log_message(self, *args):
        pass

    def _count(self):
        with self.server.lock:
            self.server.requests.append(f"{self.command} {self.path}")
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = do_HEAD = _count


@contextlib.contextmanager
def in_thread(server):
    """Run an http.server `server` in a thread; shut it down and close it on exit."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def counting_server():
    """A loopback server counting what reaches it."""
    return in_thread(Counter())


def running_serve(store, **options):
    """`alliances serve` over `store` on 127.0.0.1:0, in a thread; yields the server."""
    from alliances.store.serve import make_server

    return in_thread(make_server(store, "127.0.0.1", 0, **options))
