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


class EndpointStore(Store):
    def __init__(self, url: str, timeout: float = 60.0):
        if not url.startswith(("http://", "https://")):
            raise AlliancesError(f"--endpoint {url}: give an http:// or https:// URL")
        self.url = url
        self.timeout = timeout
        self.description = f"endpoint {url}"

    def _post(self, query: str) -> tuple[str, bytes]:
        import urllib.error
        import urllib.parse
        import urllib.request

        accept = ACCEPT_GRAPH if query_form(query) in ("CONSTRUCT", "DESCRIBE") else ACCEPT
        request = urllib.request.Request(
            self.url, data=urllib.parse.urlencode({"query": query}).encode("ascii"), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept,
                     "User-Agent": "alliances"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                cut = response.headers.get("X-SPARQL-MaxRows")
                if cut:  # Virtuoso: the answer reached its [SPARQL] ResultSetMaxRows and was cut there
                    raise AlliancesError(f"endpoint {self.url}: the server cut the answer at {cut} rows"
                                         " (Virtuoso's ResultSetMaxRows); raise that limit")
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read(300).decode("utf-8", "replace").strip().splitlines()
            why = f": {body[0]}" if body else ""
            raise AlliancesError(f"endpoint {self.url}: HTTP {exc.code} {exc.reason}{why}") from None
        except TimeoutError:
            raise AlliancesError(f"endpoint {self.url}: no answer within {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            raise AlliancesError(f"endpoint {self.url}: {exc.reason}") from None
        except OSError as exc:
            raise AlliancesError(f"endpoint {self.url}: {exc}") from None

    def _run(self, query: str) -> QueryResult:
        content_type, body = self._post(query)
        mime = content_type.split(";")[0].strip().lower()
        if mime in ("application/sparql-results+json", "application/json"):
            try:
                return parse_json_results(json.loads(body))
            except (ValueError, KeyError, TypeError) as exc:
                raise AlliancesError(f"endpoint {self.url}: bad SPARQL JSON results: {exc}") from None
        if mime in ("application/n-triples", "text/turtle", "text/plain"):
            import rdflib

            graph = rdflib.Graph()
            try:
                graph.parse(data=body.decode("utf-8"), format="nt" if mime != "text/turtle" else "turtle")
            except Exception as exc:  # noqa: BLE001 - any parser error is the endpoint's fault
                raise AlliancesError(f"endpoint {self.url}: bad graph answer: {exc}") from None
            return QueryResult("CONSTRUCT", graph=graph)
        raise AlliancesError(f"endpoint {self.url}: unexpected answer type '{content_type}'")


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
    """SPARQL 1.1 Query Results JSON as a QueryResult of rdflib terms."""
    import rdflib

    if "boolean" in body:
        return QueryResult("ASK", boolean=bool(body["boolean"]))
    variables = list(body["head"].get("vars", []))
    if variables == ["__ASK_RETVAL"]:  # Virtuoso 7.2 answers ASK as one row of 0 or 1
        cells = body["results"]["bindings"]
        return QueryResult("ASK", boolean=bool(cells) and cells[0]["__ASK_RETVAL"]["value"] not in ("0", ""))
    iris: dict[str, rdflib.URIRef] = {}

    def term(cell):
        kind, value = cell["type"], cell["value"]
        if kind == "uri":
            found = iris.get(value)
            if found is None:
                found = iris[value] = rdflib.URIRef(value)
            return found
        if kind == "bnode":
            return rdflib.BNode(value)
        if "xml:lang" in cell:
            return rdflib.Literal(value, lang=cell["xml:lang"])
        datatype = cell.get("datatype")
        if datatype and datatype != XSD_STRING:
            return rdflib.Literal(value, datatype=rdflib.URIRef(datatype))
        return rdflib.Literal(value)

    rows = [{v: (term(b[v]) if v in b else None) for v in variables}
            for b in body["results"]["bindings"]]
    return QueryResult("SELECT", variables=variables, rows=rows)
