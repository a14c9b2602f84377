"""Any SPARQL 1.1 endpoint as a Store, through the SPARQL 1.1 protocol (stdlib urllib).

Queries are POSTed URL-encoded (`query=...`, the form every SPARQL 1.1 server accepts;
Virtuoso 7.2 never answers a direct `application/sparql-query` POST); SELECT/ASK answers
are read as SPARQL JSON results, CONSTRUCT answers as N-Triples or Turtle. Errors become one line:
"endpoint http://...: HTTP 500 ...".

>>> EndpointStore("ftp://x")
Traceback (most recent call last):
...
alliances.errors.AlliancesError: --endpoint ftp://x: give an http:// or https:// URL
"""

from __future__ import annotations

import json

from alliances.errors import AlliancesError
from alliances.store.base import QueryResult, Store

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8")
# CONSTRUCT/DESCRIBE ask for a graph only: Virtuoso answers them as SPARQL JSON rows ?s ?p ?o
# when JSON is acceptable.
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9"


MAX_REPLY = 512 * 2**20  # bytes of one answer read at most


def check_url(url: str) -> str:
    """`url` if it is an http(s) URL with a host (and a valid port), else AlliancesError.

    >>> check_url("http://[::1")
    Traceback (most recent call last):
    ...
    alliances.errors.AlliancesError: --endpoint http://[::1: not a valid URL (Invalid IPv6 URL)
    """
    from urllib.parse import urlsplit

    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise AlliancesError(f"--endpoint {url}: give an http:// or https:// URL")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise AlliancesError(f"--endpoint {url}: not a valid URL ({exc})") from None
    if not parts.hostname or any(c in url for c in " \t\r\n"):
        raise AlliancesError(f"--endpoint {url}: not a valid URL (no host, or a space in it)")
    return url


class EndpointStore(Store):
    reaches_network = True

    def __init__(self, url: str, timeout: float = 60.0, max_reply: int | None = None,
                 deadline: float | None = None):
        self.url = check_url(url)
        self.timeout = timeout  # for each read of the socket
        # for the whole answer: a server trickling a byte a minute would otherwise never end
        self.deadline = max(300.0, 5 * timeout) if deadline is None else deadline
        self.max_reply = MAX_REPLY if max_reply is None else max_reply
        self.description = f"endpoint {url}"

    def _read(self, response, started: float) -> bytes:
        """The body, refused past max_reply bytes (read in chunks, never more than that)
        or once `deadline` seconds have passed since `started` (time.monotonic())."""
        import time

        declared = response.headers.get("Content-Length")
        if declared and declared.strip().isdigit() and int(declared) > self.max_reply:
            raise AlliancesError(f"endpoint {self.url}: the answer is {int(declared)} bytes, more than"
                                 f" {self.max_reply // 2**20} MB; add a LIMIT")
        chunks, size = [], 0
        while True:
            if time.monotonic() - started > self.deadline:
                raise AlliancesError(f"endpoint {self.url}: the answer took more than {self.deadline:g} s"
                                     " in all; stopped")
            chunk = response.read1(min(2**20, self.max_reply + 1 - size))  # what has come, no more
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_reply:
                raise AlliancesError(f"endpoint {self.url}: the answer is larger than"
                                     f" {self.max_reply // 2**20} MB; add a LIMIT")

    def _post(self, query: str) -> tuple[str, bytes]:
        import http.client
        import urllib.error
        import urllib.parse
        import urllib.request

        accept = ACCEPT_GRAPH if query_form(query) in ("CONSTRUCT", "DESCRIBE") else ACCEPT
        request = urllib.request.Request(
            self.url, data=urllib.parse.urlencode({"query": query}).encode("ascii"), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept,
                     "User-Agent": "alliances"})
        import time

        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                cut = response.headers.get("X-SPARQL-MaxRows")
                if cut:  # Virtuoso: the answer reached its [SPARQL] ResultSetMaxRows and was cut there
                    raise AlliancesError(f"endpoint {self.url}: the server cut the answer at {cut} rows"
                                         " (Virtuoso's ResultSetMaxRows); raise that limit")
                return response.headers.get("Content-Type", ""), self._read(response, started)
        except urllib.error.HTTPError as exc:
            try:
                body = exc.read(300).decode("utf-8", "replace").strip().splitlines()
            except (OSError, http.client.HTTPException):
                body = []
            why = f": {body[0]}" if body else ""
            raise AlliancesError(f"endpoint {self.url}: HTTP {exc.code} {exc.reason}{why}") from None
        except TimeoutError:
            raise AlliancesError(f"endpoint {self.url}: no answer within {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            raise AlliancesError(f"endpoint {self.url}: {exc.reason}") from None
        except (OSError, ValueError, http.client.HTTPException) as exc:  # InvalidURL is a ValueError
            raise AlliancesError(f"endpoint {self.url}: {type(exc).__name__}: {exc}") from None

    def _run(self, query: str, limit: int | None = None) -> QueryResult:
        from alliances.errors import ResultTooLarge

        content_type, body = self._post(query)
        mime = content_type.split(";")[0].strip().lower()
        if mime in ("application/sparql-results+json", "application/json"):
            try:
                result = parse_json_results(json.loads(body))
            except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
                raise AlliancesError(f"endpoint {self.url}: bad SPARQL JSON results: {exc}") from None
        elif mime in ("application/n-triples", "text/turtle", "text/plain"):
            import rdflib

            graph = rdflib.Graph()
            try:
                graph.parse(data=body.decode("utf-8"), format="nt" if mime != "text/turtle" else "turtle")
            except Exception as exc:  # noqa: BLE001 - any parser error is the endpoint's fault
                raise AlliancesError(f"endpoint {self.url}: bad graph answer: {exc}") from None
            result = QueryResult("CONSTRUCT", graph=graph)
        else:
            raise AlliancesError(f"endpoint {self.url}: unexpected answer type '{content_type[:80]}'")
        size = len(result.graph) if result.kind == "CONSTRUCT" else len(result.rows)
        if limit is not None and size > limit:
            raise ResultTooLarge(limit)
        return result


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these keywords outside IRIs,
    strings and comments (the prologue holds only PREFIX and BASE).

    >>> query_form('PREFIX e: <http://x/#select> # ASK\\nCONSTRUCT { ?s ?p "SELECT" } WHERE { ?s ?p ?o }')
    'CONSTRUCT'
    >>> query_form("select * { ?s ?p ?o }")
    'SELECT'
    """
    import re

    text = re.sub(r'<[^<>"{}|^`\\\s]*>|"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\''
                  r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|#[^\n]*', " ", query)
    found = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text, re.I)
    return found.group(1).upper() if found else "SELECT"


def parse_json_results(body: dict) -> QueryResult:
    """SPARQL 1.1 Query Results JSON as a QueryResult of rdflib terms; anything else (a
    boolean that is not true/false, a head that is not an object...) raises ValueError.

    >>> parse_json_results({"head": {}, "boolean": "false"})
    Traceback (most recent call last):
    ...
    ValueError: "boolean" is 'false', not true or false
    >>> parse_json_results({"head": {"vars": ["x"]}, "results": {"bindings": [{}]}}).rows
    [{'x': None}]
    """
    import rdflib

    if not isinstance(body, dict):
        raise ValueError(f"the answer is a JSON {type(body).__name__}, not an object")
    if "boolean" in body:
        if not isinstance(body["boolean"], bool):
            raise ValueError(f'"boolean" is {body["boolean"]!r}, not true or false')
        return QueryResult("ASK", boolean=body["boolean"])
    head, results = body.get("head"), body.get("results")
    if not isinstance(head, dict) or not isinstance(results, dict):
        raise ValueError('"head" and "results" must be objects')
    variables = head.get("vars", [])
    bindings = results.get("bindings")
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise ValueError('"head": "vars" must be a list of names')
    if not isinstance(bindings, list) or not all(isinstance(b, dict) for b in bindings):
        raise ValueError('"results": "bindings" must be a list of objects')
    if variables == ["__ASK_RETVAL"]:  # Virtuoso 7.2 answers ASK as one row of 0 or 1
        value = bindings[0].get("__ASK_RETVAL", {}) if bindings else {}
        if bindings and (not isinstance(value, dict) or value.get("value") not in ("0", "1")):
            raise ValueError(f"bad __ASK_RETVAL {str(value)[:60]}")
        return QueryResult("ASK", boolean=bool(bindings) and value["value"] == "1")
    iris: dict[str, rdflib.URIRef] = {}

    def term(cell):
        if not isinstance(cell, dict) or not isinstance(cell.get("value"), str):
            raise ValueError(f"bad cell {str(cell)[:60]}")
        kind, value = cell.get("type"), cell["value"]
        if kind == "uri":
            found = iris.get(value)
            if found is None:
                found = iris[value] = rdflib.URIRef(value)
            return found
        if kind == "bnode":
            return rdflib.BNode(value)
        if kind not in ("literal", "typed-literal"):
            raise ValueError(f"bad cell type {str(kind)[:30]!r}")
        if cell.get("xml:lang"):
            return rdflib.Literal(value, lang=str(cell["xml:lang"]))
        datatype = cell.get("datatype")
        if datatype and datatype != XSD_STRING:
            return rdflib.Literal(value, datatype=rdflib.URIRef(str(datatype)))
        return rdflib.Literal(value)

    rows = [{v: (term(b[v]) if v in b else None) for v in variables} for b in bindings]
    return QueryResult("SELECT", variables=variables, rows=rows)
