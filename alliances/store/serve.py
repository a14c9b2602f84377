"""`alliances serve`: a read-only SPARQL 1.1 endpoint (GET/POST /sparql) over a Store.

A small stdlib ThreadingHTTPServer: every query passes the same gate as `alliances query`
(no updates, SERVICE or FROM), runs with a timeout (the answer is abandoned, the HTTP
reply is 503) and a result-size limit; CORS is off unless asked for.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from alliances.errors import AlliancesError

MAX_BODY = 1_000_000


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, store, host, port, timeout=30.0, max_rows=100_000, cors=None):
        super().__init__((host, port), Handler)
        self.store = store
        self.query_timeout = timeout
        self.max_rows = max_rows
        self.cors = cors
        self.pool = ThreadPoolExecutor(max_workers=4)
        # rdflib's in-memory store is not meant for concurrent queries
        self.lock = threading.Lock() if type(store).__name__ == "MemoryStore" else None
        host_text = f"[{host}]" if ":" in host else host
        self.url = f"http://{host_text}:{self.server_address[1]}/sparql"

    def answer(self, text: str):
        from alliances.store.gate import run_user_query

        def run():
            if self.lock:
                with self.lock:
                    return run_user_query(self.store, text)
            return run_user_query(self.store, text)

        future = self.pool.submit(run)
        try:
            return future.result(timeout=self.query_timeout)
        except FutureTimeout:
            raise TimeoutError from None


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
        server.pool.shutdown(wait=False, cancel_futures=True)


class Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "alliances"

    def log_message(self, fmt, *args):  # quiet; errors go back to the client
        pass

    def _send(self, code: int, body: bytes, content_type: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", self.server.cors)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, code: int, message: str) -> None:
        self._send(code, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def do_GET(self):
        url = urlparse(self.path)
        if url.path != "/sparql":
            return self._error(404, "not found: the endpoint is /sparql")
        queries = parse_qs(url.query).get("query")
        if not queries:
            return self._error(400, "give a SPARQL query: /sparql?query=...")
        self._query(queries[0])

    def do_POST(self):
        if urlparse(self.path).path != "/sparql":
            return self._error(404, "not found: the endpoint is /sparql")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._error(413, f"query larger than {MAX_BODY} bytes")
        body = self.rfile.read(length).decode("utf-8", "replace")
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
        return self._error(415, f"unsupported Content-Type '{mime}'")

    def do_OPTIONS(self):
        self.send_response(204)
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", self.server.cors)
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.end_headers()

    def _query(self, text: str) -> None:
        from alliances.store.results import sparql_csv, sparql_json

        try:
            result = self.server.answer(text)
        except AlliancesError as exc:
            code = 403 if "refused" in str(exc) else 400
            return self._error(code, str(exc))
        except TimeoutError:
            return self._error(503, f"query timed out after {self.server.query_timeout:g} s")
        except Exception as exc:  # noqa: BLE001 - a store error is reported, the server stays up
            return self._error(500, f"query failed: {type(exc).__name__}: {exc}")
        size = len(result.graph) if result.kind == "CONSTRUCT" else len(result.rows)
        if size > self.server.max_rows:
            return self._error(413, f"result of {size} rows exceeds the limit of {self.server.max_rows};"
                                    " add a LIMIT")
        accept = self.headers.get("Accept") or ""
        if result.kind == "CONSTRUCT":
            if "text/turtle" in accept:
                return self._send(200, result.graph.serialize(format="turtle", encoding="utf-8"),
                                  "text/turtle; charset=utf-8")
            return self._send(200, result.graph.serialize(format="nt", encoding="utf-8"),
                              "application/n-triples")
        if "text/csv" in accept and "json" not in accept:
            body = sparql_csv(result).encode("utf-8")
            return self._send(200, body, "text/csv; charset=utf-8")
        body = sparql_json(result)  # SPARQL 1.1 Query Results JSON
        self._send(200, body.encode("utf-8"), "application/sparql-results+json")
