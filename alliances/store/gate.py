"""The read-only SPARQL gate: the one way a user's query reaches an engine.

:func:`check_query` turns a user's text into a :class:`CheckedQuery`, the only kind of
query :meth:`Store.run_checked <alliances.store.base.Store.run_checked>` accepts. It

- expands ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes everywhere in the text, as SPARQL 1.1
  says (before parsing), with a strict rule: a bad escape is an error naming its line
  and column, and a text whose expansion makes a new escape is refused. The engines
  (rdflib expands escapes everywhere, Oxigraph only inside strings) then receive the
  EXPANDED text, in which there is nothing left to expand: every engine runs exactly
  the text the gate parsed;
- refuses texts over :data:`MAX_QUERY_BYTES`, nested deeper than :data:`MAX_DEPTH` or
  with more than :data:`MAX_GROUPS` group patterns (a parser's stack is not endless);
- refuses the keyword SERVICE anywhere outside strings, IRIs and comments (a check of
  the text that does not depend on rdflib's parser), then parses the text with rdflib
  (one thread at a time: pyparsing is not thread-safe) and refuses SERVICE anywhere in
  the parse tree, FROM / FROM NAMED, and every update (INSERT, DELETE, LOAD, CLEAR...).

>>> check_query("SELECT * WHERE { SERVICE <http://x> { ?s ?p ?o } }")
Traceback (most recent call last):
...
alliances.errors.QueryRefused: query refused: SERVICE would reach outside the graph
>>> check_query('ASK { FILTER("\\\\u0053" = "S") }').text.endswith('ASK { FILTER("S" = "S") }')
True
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading

from alliances.errors import AlliancesError, QueryRefused
from alliances.store.base import QueryResult, Store
from alliances.vocab import SPARQL_PREFIXES

MAX_QUERY_BYTES = 100_000
MAX_DEPTH = 20      # ( { [ nesting; rdflib's parser overflows Python's stack at about 24 ( (
MAX_GROUPS = 128    # { } group patterns; 3,000 OPTIONALs crashed Oxigraph

# One SPARQL parse at a time (rdflib's pyparsing grammar keeps state while it parses).
# A fork waits for the parse in progress, so a child process never inherits a held lock.
PARSER_LOCK = threading.Lock()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=PARSER_LOCK.acquire, after_in_parent=PARSER_LOCK.release,
                        after_in_child=PARSER_LOCK.release)

_GATE = object()  # only this module holds it: only check_query makes a CheckedQuery


class CheckedQuery:
    """A query the gate accepted: `text` (the standard prefixes, then the user's query with
    its escapes expanded) is exactly what an engine runs; `form` is SELECT, ASK, CONSTRUCT
    or DESCRIBE. Only :func:`check_query` makes one."""

    __slots__ = ("text", "form")

    def __init__(self, text: str, form: str, *, _key=None):
        if _key is not _GATE:
            raise TypeError("a CheckedQuery is made by alliances.store.gate.check_query only")
        self.text = text
        self.form = form

    def __repr__(self) -> str:
        return f"CheckedQuery({self.form}, {len(self.text)} chars)"


def _where(text: str, pos: int) -> str:
    """'line:col' (from 1) of `pos` in `text`."""
    line = text.count("\n", 0, pos) + 1
    return f"{line}:{pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})|\\[uU]")


def expand_escapes(text: str) -> str:
    r"""The text with its \uXXXX and \UXXXXXXXX escapes replaced by the characters they
    stand for (SPARQL 1.1, section 19.2: everywhere, before parsing). A \u without 4 hex
    digits, a \U without 8, a surrogate or a code point past U+10FFFF is an error.

    >>> expand_escapes(r"\u0053ERVICE")
    'SERVICE'
    >>> expand_escapes("ASK {}\n  # \\U0041")
    Traceback (most recent call last):
    ...
    alliances.errors.AlliancesError: 2:5: bad escape '\U0041': \u takes 4 hex digits, \U takes 8
    """
    def replace(match: re.Match) -> str:
        digits = match.group(1) or match.group(2)
        if digits is None:
            bad = text[match.start():match.start() + (6 if match.group(0) == "\\u" else 10)].split()[0]
            raise AlliancesError(f"{_where(text, match.start())}: bad escape '{bad}':"
                                 " \\u takes 4 hex digits, \\U takes 8")
        code = int(digits, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise AlliancesError(f"{_where(text, match.start())}: bad escape '{match.group(0)}':"
                                 " not a Unicode code point (a surrogate or past U+10FFFF)")
        return chr(code)

    return _ESCAPE.sub(replace, text)


# Strings, IRIs and comments, as SPARQL's lexer sees them; anything else one run at a time.
_TOKENS = re.compile(r'''
    (?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""
      | \'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
      | "(?:[^"\\\n\r]|\\.)*"
      | '(?:[^'\\\n\r]|\\.)*'
      | <[^<>"{}|^`\\\x00-\x20]*>
      | \#[^\n\r]*)
    | (?P<code>[^"'<\#]+|.)
''', re.X | re.S)
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?!\w)", re.I)


def code_only(text: str) -> str:
    """`text` with its strings, IRIs and comments blanked out (same length).

    >>> code_only('ASK { <http://x> ?p "#" } # SERVICE')
    'ASK {            ?p     }          '
    """
    return "".join(m.group("code") or " " * len(m.group(0)) for m in _TOKENS.finditer(text))


def _check_shape(text: str) -> None:
    """Size, nesting and pattern limits, and SERVICE, on the text itself (not rdflib's view)."""
    code = code_only(text)
    found = _SERVICE.search(code)
    if found:
        raise QueryRefused("query refused: SERVICE would reach outside the graph")
    depth = deepest = 0
    for char in code:
        if char in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")}]":
            depth -= 1
    if deepest > MAX_DEPTH:
        raise QueryRefused(f"query refused: brackets nested {deepest} deep (the limit is {MAX_DEPTH})")
    groups = code.count("{")
    if groups > MAX_GROUPS:
        raise QueryRefused(f"query refused: {groups} group patterns {{ }} (the limit is {MAX_GROUPS})")


def _walk(node):
    """Yield every node of a pyparsing/rdflib parse tree."""
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, dict):  # rdflib's CompValue
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):  # pyparsing ParseResults
            stack.extend(node)


def check_query(text: str) -> CheckedQuery:
    """Check a user's query; return it as a :class:`CheckedQuery` (the standard prefixes
    added: a query that declares its own keeps them, later declarations win), or raise
    :class:`~alliances.errors.QueryRefused` (reaches outside, writes, too big) or
    :class:`~alliances.errors.AlliancesError` (bad syntax, naming line:column).

    >>> check_query("ASK { e:nvidia ?p ?o }").form
    'ASK'
    """
    if not isinstance(text, str):
        raise TypeError("check_query takes the query text (str)")
    if not text.strip():
        raise AlliancesError("empty query: give a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_QUERY_BYTES:
        raise QueryRefused(f"query refused: {size} bytes (the limit is {MAX_QUERY_BYTES})")
    expanded = expand_escapes(text)
    left = _ESCAPE.search(expanded)
    if left:
        raise QueryRefused(f"query refused: {_where(expanded, left.start())}: an escape expands to"
                           " another escape (\\u005C before u or U)")
    if not code_only(expanded).strip():  # else rdflib reads it as an empty update
        raise AlliancesError("empty query: nothing but comments or blanks")
    _check_shape(expanded)
    full = SPARQL_PREFIXES + expanded
    form = _parse(full, SPARQL_PREFIXES.count("\n"))
    return CheckedQuery(full, form, _key=_GATE)


def _parse(full: str, offset: int) -> str:
    """Parse with rdflib (one thread at a time), refuse what reaches outside; the query form."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with PARSER_LOCK:
        try:
            parsed = parseQuery(full)
        except RecursionError:
            raise QueryRefused("query refused: nested too deeply for the parser") from None
        except ParseBaseException as exc:
            try:
                parseUpdate(full)
            except (ParseBaseException, RecursionError):
                line = exc.lineno - offset
                raise AlliancesError(f"{line}:{exc.col}: SPARQL syntax error: {exc.msg}") from None
            raise QueryRefused("query refused: updates (INSERT, DELETE, LOAD, CLEAR...) are not allowed;"
                               " the graph is read-only") from None
        form = "SELECT"
        for node in _walk(parsed):
            name = getattr(node, "name", None)
            if name == "ServiceGraphPattern":
                raise QueryRefused("query refused: SERVICE would reach outside the graph")
            if name == "DatasetClause" or (isinstance(node, dict) and "datasetClause" in node):
                raise QueryRefused("query refused: FROM / FROM NAMED would load graphs from outside;"
                                   " query the loaded graph instead")
            if name in ("SelectQuery", "AskQuery", "ConstructQuery", "DescribeQuery"):
                form = name[:-5].upper()
    return form


# ---------------------------------------------------------------- no network while a query runs

_offline = threading.local()
_hook_lock = threading.Lock()
_hooked = False
_NETWORK_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request",
                   "http.client.connect", "socket.sendto", "socket.sendmsg"}


def _audit(event: str, args) -> None:
    if event in _NETWORK_EVENTS and getattr(_offline, "on", False):
        raise PermissionError(f"network access ({event}) refused while a query runs")


@contextlib.contextmanager
def no_network():
    """While inside, Python code in this thread cannot open a connection or resolve a name
    (an audit hook): the second layer behind the gate for engines written in Python
    (rdflib would send a SERVICE clause with urllib).

    >>> import socket
    >>> with no_network():
    ...     socket.create_connection(("127.0.0.1", 9))
    Traceback (most recent call last):
    ...
    PermissionError: network access (socket.getaddrinfo) refused while a query runs
    """
    global _hooked
    if not _hooked:
        with _hook_lock:
            if not _hooked:
                sys.addaudithook(_audit)
                _hooked = True
    before = getattr(_offline, "on", False)
    _offline.on = True
    try:
        yield
    finally:
        _offline.on = before


def run_user_query(store: Store, text: str, max_rows: int | None = None) -> QueryResult:
    """Check a user's query and run it on the store (at most `max_rows` rows, if given).

    >>> from alliances.store.memory import load
    >>> run_user_query(load(), "ASK { e:nvidia ?p ?o }").boolean
    True
    """
    return store.run_checked(check_query(text), max_rows=max_rows)


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
