"""The read-only SPARQL gate.

User queries go through :func:`check_query` before any store sees them: updates,
SERVICE, FROM / FROM NAMED (and so LOAD) are refused, and syntax errors name the
line and column.

>>> check_query("SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }")
Traceback (most recent call last):
...
alliances.errors.AlliancesError: query refused: SERVICE would reach outside the graph
"""

from __future__ import annotations

from alliances.errors import AlliancesError
from alliances.store.base import QueryResult, Store
from alliances.vocab import SPARQL_PREFIXES


def _walk(node):
    """Yield every node of a pyparsing/rdflib parse tree."""
    yield node
    if isinstance(node, dict):  # rdflib's CompValue
        children = node.values()
    elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):  # pyparsing ParseResults
        children = node
    else:
        children = ()
    for child in children:
        yield from _walk(child)


def check_query(text: str) -> str:
    """Return the query with the standard prefixes added, or raise AlliancesError.

    A query that declares its own prefixes keeps them (later declarations win).
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    full = SPARQL_PREFIXES + text
    offset = SPARQL_PREFIXES.count("\n")
    try:
        parsed = parseQuery(full)
    except ParseException as exc:
        try:
            parseUpdate(full)
        except ParseException:
            line = exc.lineno - offset
            raise AlliancesError(f"{line}:{exc.col}: SPARQL syntax error: {exc.msg}") from None
        raise AlliancesError("query refused: updates (INSERT, DELETE, LOAD, CLEAR...) are not allowed;"
                             " the graph is read-only") from None
    for node in _walk(parsed):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            raise AlliancesError("query refused: SERVICE would reach outside the graph")
        if name in ("DatasetClause",) or (isinstance(node, dict) and "datasetClause" in node):
            raise AlliancesError("query refused: FROM / FROM NAMED would load graphs from outside;"
                                 " query the loaded graph instead")
    return full


def run_user_query(store: Store, text: str) -> QueryResult:
    """Check a user's query and run it on the store.

    >>> from alliances.store.memory import load
    >>> run_user_query(load(), "ASK { e:nvidia ?p ?o }").boolean
    True
    """
    return store._run(check_query(text))


def query(store: Store, text: str):
    """Run a read-only SPARQL query (checked by the gate) and return its answer: a list
    of rows (dicts of rdflib terms) for SELECT, a bool for ASK, an rdflib Graph for
    CONSTRUCT/DESCRIBE.

    Examples
    --------
    >>> from alliances.store.memory import load
    >>> rows = query(load(), "SELECT ?label WHERE { e:anthropic rdfs:label ?label }")
    >>> str(rows[0]["label"])
    'Anthropic'
    >>> query(load(), "ASK { e:nvidia ?p ?o }")
    True
    """
    result = run_user_query(store, text)
    if result.kind == "ASK":
        return bool(result.boolean)
    if result.kind == "CONSTRUCT":
        return result.graph
    return result.rows
