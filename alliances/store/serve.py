"""`alliances serve`: a read-only SPARQL 1.1 endpoint (GET/POST /sparql) over a Store.

A small stdlib ThreadingHTTPServer that survives hostile and careless clients:

- every query passes the same gate as `alliances query` (no updates, SERVICE or FROM), in
  a worker process: a pool of forked processes (the memory store's dataset is inherited,
  an on-disk Oxigraph store is opened again in the child), each cut off from the network
  where the OS allows it (a network namespace of its own) and killed at ``--timeout`` or
  past ``--max-memory``; a fresh one takes its place, so the next query is answered;
- reading an answer stops at ``--max-rows`` + 1 rows (HTTP 413 past it);
- the ``Host`` header must name this server (its address, localhost, or ``--allow-host``
  names: DNS rebinding is refused) and browser cross-site requests (an ``Origin`` not
  allowed, ``Sec-Fetch-Site: cross-site``) get 403; CORS is off unless asked for;
- a bad ``Content-Length`` is a 400, idle connections are closed after ``idle_timeout``
  seconds, at most ``max_connections`` are served at once, and no error prints a traceback.
"""

from __future__ import annotations

import ipaddress
import os
import queue
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from alliances.errors import AlliancesError

MAX_BODY = 1_000_000
LOCAL_NAMES = {"localhost", "127.0.0.1", "::1"}
BUSY_REPLY = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 28\r\n"
              b"Connection: close\r\n\r\ntoo many connections; retry\n")


class QueryTimeout(Exception):
    """A query ran past the timeout (its worker was killed)."""


class TooMuchMemory(Exception):
    """A query's worker grew past the memory limit (it was killed)."""


class ServerBusy(Exception):
    """No worker became free within the timeout."""


class WorkerCrashed(Exception):
    """A worker died while running a query (e.g. the engine crashed)."""


# ---------------------------------------------------------------- worker processes

def _unshare_network() -> bool:
    """Move this process into a network namespace of its own (nothing but a down loopback):
    the engine then cannot reach any host, whatever a query says. Linux only, best effort
    (needs root or unprivileged user namespaces)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        clone_newnet, clone_newuser = 0x40000000, 0x10000000
        return libc.unshare(clone_newnet) == 0 or libc.unshare(clone_newuser | clone_newnet) == 0
    except (OSError, AttributeError):
        return False


def answer(store, text: str, accept: str, max_rows: int | None) -> tuple[int, bytes, str]:
    """The HTTP status, body and Content-Type for a query (runs in a worker process).
    The status comes from the exception's type: refused 403, too large 413, bad 400.

    >>> from alliances.store.memory import load
    >>> answer(load(), "ASK { e:nvidia ?p ?o }", "", None)
    (200, b'{"head": {}, "boolean": true}\\n', 'application/sparql-results+json')
    >>> answer(load(), "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", "", None)[0]
    403
    """
    import json

    from alliances.errors import QueryRefused, ResultTooLarge
    from alliances.store.gate import run_user_query
    from alliances.store.results import sparql_csv, sparql_json

    try:
        result = run_user_query(store, text, max_rows=max_rows)
    except QueryRefused as exc:
        return 403, f"{exc}\n".encode(), "text/plain; charset=utf-8"
    except ResultTooLarge:
        return (413, f"the answer has more than {max_rows} rows (or triples), the limit; add a LIMIT\n"
                .encode(), "text/plain; charset=utf-8")
    except AlliancesError as exc:
        return 400, f"{exc}\n".encode(), "text/plain; charset=utf-8"
    except Exception as exc:  # noqa: BLE001 - a store error is reported, the server stays up
        return 500, f"query failed: {type(exc).__name__}: {exc}\n".encode(), "text/plain; charset=utf-8"
    csv = "text/csv" in accept and "json" not in accept
    if result.kind == "CONSTRUCT":
        if "text/turtle" in accept:
            body = result.graph.serialize(format="turtle", encoding="utf-8")
            return 200, body, "text/turtle; charset=utf-8"
        return 200, result.graph.serialize(format="nt", encoding="utf-8"), "application/n-triples"
    if result.kind == "ASK":
        if csv:
            return 200, b"true\n" if result.boolean else b"false\n", "text/csv; charset=utf-8"
        body = json.dumps({"head": {}, "boolean": bool(result.boolean)}) + "\n"
        return 200, body.encode(), "application/sparql-results+json"
    if csv:
        return 200, sparql_csv(result).encode("utf-8"), "text/csv; charset=utf-8"
    return 200, sparql_json(result).encode("utf-8"), "application/sparql-results+json"


def _worker_main(conn, store, max_rows, offline, inherited) -> None:
    """A worker process: answer queries from `conn` until it closes."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    for handle in inherited:  # the listening socket, other workers' pipes: not ours
        try:
            handle.close()
        except OSError:
            pass
    if offline:
        _unshare_network()
    try:
        store = store.for_worker()
    except Exception as exc:  # noqa: BLE001 - reported to the server as one line
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            text, accept = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(answer(store, text, accept, max_rows))


def _rss(pid: int) -> int | None:
    """Resident memory of process `pid` in bytes (Linux), or None."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class Worker:
    def __init__(self, process, conn, baseline):
        self.process = process
        self.conn = conn
        self.baseline = baseline

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(10)
        self.conn.close()


class WorkerPool:
    """`size` forked worker processes; a query takes a free one or waits (up to the timeout)."""

    def __init__(self, store, size=2, timeout=30.0, max_rows=None, max_memory=2048 * 2**20,
                 inherited=()):
        import multiprocessing

        self._ctx = multiprocessing.get_context("fork")
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_memory = max_memory
        self.offline = not store.reaches_network
        self._inherited = list(inherited)
        self._lock = threading.Lock()
        self._workers: set[Worker] = set()
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._closed = False
        self.started = 0
        for _ in range(size):
            self._idle.put(self._spawn())

    def _spawn(self) -> Worker:
        parent, child = self._ctx.Pipe()
        with self._lock:
            others = [w.conn for w in self._workers]
        process = self._ctx.Process(
            target=_worker_main, name="alliances-query", daemon=True,
            args=(child, self.store, self.max_rows, self.offline, self._inherited + others + [parent]))
        process.start()
        child.close()
        ready = parent.poll(60) and parent.recv()
        if not ready or ready[0] != "ready":
            process.kill()
            process.join(10)
            parent.close()
            why = ready[1] if ready else "no answer within 60 s"
            raise AlliancesError(f"serve: a query worker could not start: {why}")
        worker = Worker(process, parent, _rss(process.pid) or 0)
        with self._lock:
            self._workers.add(worker)
            self.started += 1
        return worker

    def _retire(self, worker: Worker) -> None:
        """Kill `worker` now; a fresh one is started in the background."""
        worker.stop()
        with self._lock:
            self._workers.discard(worker)
            if self._closed:
                return
        threading.Thread(target=self._replace, name="alliances-respawn", daemon=True).start()

    def _replace(self) -> None:
        try:
            worker = self._spawn()
        except (AlliancesError, OSError) as exc:
            print(f"serve: {exc}", file=sys.stderr)
            return
        with self._lock:
            closed = self._closed
        if closed:
            worker.stop()
        else:
            self._idle.put(worker)

    def run(self, text: str, accept: str) -> tuple[int, bytes, str]:
        """Run one query on a free worker; kill the worker at the timeout or memory limit."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise ServerBusy from None
        deadline = time.monotonic() + self.timeout
        healthy = False
        try:
            worker.conn.send((text, accept))
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise QueryTimeout
                if worker.conn.poll(min(0.2, left)):
                    reply = worker.conn.recv()
                    healthy = True
                    return reply
                rss = _rss(worker.process.pid)
                if rss is not None and rss - worker.baseline > self.max_memory:
                    raise TooMuchMemory
                if not worker.process.is_alive():
                    raise WorkerCrashed
        except (EOFError, OSError):
            raise WorkerCrashed from None
        finally:
            if healthy:
                self._idle.put(worker)
            else:
                self._retire(worker)

    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return sorted(w.process.pid for w in self._workers)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._workers)
        for worker in workers:
            worker.stop()


# ---------------------------------------------------------------- the HTTP server

class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, store, host, port, timeout=30.0, max_rows=100_000, cors=None, allow_hosts=(),
                 workers=2, max_memory_mb=2048, max_connections=32, idle_timeout=10.0):
        super().__init__((host, port), Handler)
        self.store = store
        self.query_timeout = timeout
        self.max_rows = max_rows
        self.cors = cors
        self.idle_timeout = idle_timeout
        self._slots = threading.BoundedSemaphore(max_connections)
        self.bound = host.strip("[]").lower()
        self.wildcard = self.bound in ("0.0.0.0", "::", "")
        self.allowed_names = LOCAL_NAMES | {self.bound} | {h.strip().lower() for h in allow_hosts}
        host_text = f"[{host}]" if ":" in host else host
        self.url = f"http://{host_text}:{self.server_address[1]}/sparql"
        try:
            if hasattr(store, "dataset"):
                store.dataset  # noqa: B018 - loaded once here; forked workers inherit it
            self.pool = WorkerPool(store, workers, timeout, max_rows, max_memory_mb * 2**20,
                                   inherited=[self.socket])
        except BaseException:
            self.socket.close()
            raise

    # -- who may ask
    def host_allowed(self, header: str | None) -> bool:
        """Whether a Host header names this server (a name rebinding could not forge)."""
        if header is None:
            return True  # HTTP/1.0 clients; every browser sends Host
        host = header.strip().lower()
        match = re.fullmatch(r"\[([0-9a-f:.]+)\](?::\d+)?|([^:\[\]]+)(?::\d+)?", host)
        if not match:
            return False
        name = (match.group(1) or match.group(2)).rstrip(".")
        if name in self.allowed_names:
            return True
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return False
        return address.is_loopback or self.wildcard

    def origin_allowed(self, origin: str) -> bool:
        origin = origin.strip().lower().rstrip("/")
        if self.cors == "*" or (self.cors and origin == self.cors.strip().lower().rstrip("/")):
            return True
        match = re.fullmatch(r"https?://(.+)", origin)
        return bool(match) and self.host_allowed(match.group(1)) and not origin.endswith("://null")

    # -- bounded threads, quiet errors
    def process_request(self, request, client_address):
        if not self._slots.acquire(blocking=False):
            try:
                request.settimeout(1)
                request.sendall(BUSY_REPLY)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address):
        kind, exc, _ = sys.exc_info()
        if kind in (BrokenPipeError, ConnectionResetError, TimeoutError):
            return  # the client went away
        print(f"serve: request from {client_address[0]} failed: {kind.__name__}: {exc}", file=sys.stderr)

    def server_close(self):
        super().server_close()
        pool = getattr(self, "pool", None)
        if pool is not None:
            pool.close()


def make_server(store, host="127.0.0.1", port=7878, **options) -> SparqlServer:
    try:
        return SparqlServer(store, host, port, **options)
    except OSError as exc:
        raise AlliancesError(f"serve: cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def serve_forever(server: SparqlServer) -> None:
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


class Forbidden(Exception):
    """A request this server refuses to answer (HTTP 403)."""


class BadRequest(Exception):
    """A malformed request (HTTP 400)."""


class Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "alliances"

    def setup(self):
        self.timeout = self.server.idle_timeout  # a silent client is dropped after this
        super().setup()

    def log_message(self, fmt, *args):  # quiet; errors go back to the client
        pass

    def _send(self, code: int, body: bytes, content_type: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", self.server.cors)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, code: int, message: str) -> None:
        self._send(code, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _check_caller(self) -> None:
        """Refuse DNS rebinding (a Host that is not ours) and browser cross-site requests."""
        if not self.server.host_allowed(self.headers.get("Host")):
            raise Forbidden("this server answers requests for its own address or localhost only"
                            " (alliances serve --allow-host NAME adds a name)")
        origin = self.headers.get("Origin")
        if origin is not None and not self.server.origin_allowed(origin):
            raise Forbidden(f"cross-site request from {origin[:80]} refused"
                            " (alliances serve --cors ORIGIN allows one)")
        site = (self.headers.get("Sec-Fetch-Site") or "").strip().lower()
        if site in ("cross-site", "same-site") and origin is None and self.server.cors != "*":
            raise Forbidden("cross-site request refused (alliances serve --cors ORIGIN allows one)")

    def _guarded(self, work) -> None:
        try:
            self._check_caller()
            work()
        except Forbidden as exc:
            self._error(403, str(exc))
        except BadRequest as exc:
            self.close_connection = True
            self._error(400, str(exc))

    def do_GET(self):
        self._guarded(self._get)

    def do_POST(self):
        self._guarded(self._post)

    def do_OPTIONS(self):
        self._guarded(self._options)

    def _get(self):
        url = urlparse(self.path)
        if url.path != "/sparql":
            return self._error(404, "not found: the endpoint is /sparql")
        queries = parse_qs(url.query).get("query")
        if not queries:
            return self._error(400, "give a SPARQL query: /sparql?query=...")
        self._query(queries[0])

    def _body(self) -> str:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            raise BadRequest("send the query with a Content-Length, not chunked")
        lengths = {v.strip() for v in self.headers.get_all("Content-Length") or []}
        if len(lengths) > 1:
            raise BadRequest("several different Content-Length headers")
        length = lengths.pop() if lengths else "0"
        if not re.fullmatch(r"\d{1,9}", length):
            raise BadRequest(f"bad Content-Length '{length[:40]}'")
        if int(length) > MAX_BODY:
            raise BadRequest(f"query larger than {MAX_BODY} bytes")
        body = self.rfile.read(int(length))
        if len(body) < int(length):
            raise BadRequest("the body is shorter than its Content-Length")
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("the query is not UTF-8") from None

    def _post(self):
        if urlparse(self.path).path != "/sparql":
            return self._error(404, "not found: the endpoint is /sparql")
        body = self._body()
        mime = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if mime == "application/sparql-query":
            return self._query(body)
        if mime == "application/x-www-form-urlencoded":
            form = parse_qs(body)
            if "update" in form:
                return self._error(403, "updates are not allowed: the graph is read-only")
            if "query" in form:
                return self._query(form["query"][0])
            return self._error(400, "give a SPARQL query in the 'query' field")
        if mime == "application/sparql-update":
            return self._error(403, "updates are not allowed: the graph is read-only")
        return self._error(415, f"unsupported Content-Type '{mime[:60]}'")

    def _options(self):
        self.send_response(204)
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", self.server.cors)
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _query(self, text: str) -> None:
        timeout = self.server.query_timeout
        try:
            code, body, content_type = self.server.pool.run(text, self.headers.get("Accept") or "")
        except QueryTimeout:
            return self._error(503, f"query stopped after {timeout:g} s (the timeout)")
        except TooMuchMemory:
            return self._error(503, "query stopped: it needed more memory than the limit")
        except ServerBusy:
            return self._error(503, f"server busy: no query worker free within {timeout:g} s")
        except WorkerCrashed:
            return self._error(500, "query failed: the engine crashed (the server goes on)")
        self._send(code, body, content_type)
