"""Look-through exposure of a portfolio of holdings to every supplier in the graph.

A portfolio is a CSV of ``entity,weight`` rows (entity by id, label, alias or ticker;
an optional header row; blank lines and ``#`` comments skipped). Weights are
normalised to sum to 1. The exposure of the portfolio to a supplier S is

    P(S) = sum_h w_h * x_h(S)

where x_h(S) is the exposure of holding h to S (:func:`alliances.graph.exposure.exposure`,
1 when h is S itself). With a shock f the loss is P(S) computed with that shock
(f * P(S) up to the [0, 1] cap: exposure is linear in the shock).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

from alliances.errors import AlliancesError

HEADER_WORDS = {"entity", "name", "id", "ticker", "holding"}
FILE_LIMIT = 100_000_000


@dataclass(frozen=True)
class Holding:
    """One entity of the portfolio; `lines` are every row that named it (GOOG and GOOGL
    both name Alphabet: their weights add up), `line` and `name` the first of them."""

    entity: str
    label: str
    weight: float
    line: int
    name: str
    lines: tuple[int, ...] = ()
    names: tuple[str, ...] = ()


def read_holdings(path, resolver) -> list[Holding]:
    """Holdings from a CSV file; every bad row is reported as ``FILE:LINE: why`` in one
    AlliancesError (one line, the rows joined by ``; ``). Rows naming the same entity
    (two tickers of one company) become one holding with their weights added up: see
    :func:`repeated_rows` for a note to the user."""
    from alliances.userfiles import read_input

    path = Path(path)
    data = read_input(path, FILE_LIMIT)  # bounded (/dev/zero), and a FIFO does not hang
    if len(data) > FILE_LIMIT:
        raise AlliancesError(f"{path}: larger than {FILE_LIMIT // 1_000_000} MB; not a portfolio")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise AlliancesError(f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x});"
                             " save the file as UTF-8") from None
    errors: list[str] = []
    raw: list[tuple[int, str, float]] = []
    reader = csv.reader(text.splitlines())
    first = True
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a field larger than the csv module's limit
            raise AlliancesError(f"{path}:{reader.line_num}: not a CSV row: {exc}") from None
        line = reader.line_num
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if first and cells[0].lower() in HEADER_WORDS:
            first = False
            continue
        first = False
        if len(cells) != 2 or not cells[0]:
            errors.append(f"{path}:{line}: expected 'entity,weight', got {len(cells)} field(s)")
            continue
        try:
            weight = float(cells[1])
        except ValueError:
            errors.append(f"{path}:{line}: weight '{cells[1]}' is not a number")
            continue
        if not weight >= 0 or not math.isfinite(weight):
            errors.append(f"{path}:{line}: weight '{cells[1]}' must be a non-negative finite number")
            continue
        raw.append((line, cells[0], weight))
    holdings = []
    for line, name, weight in raw:
        try:
            ref = resolver.resolve(name)
        except AlliancesError as exc:
            errors.append(f"{path}:{line}: {exc}")
            continue
        holdings.append((line, name, ref, weight))
    if errors:
        raise AlliancesError("; ".join(sorted(errors, key=_line)))
    total = sum(w for *_, w in holdings)
    if not holdings or total <= 0:
        raise AlliancesError(f"{path}: no holdings with a positive weight")
    if not math.isfinite(total):
        line = max(holdings, key=lambda h: h[-1])[0]
        raise AlliancesError(f"{path}:{line}: the weights add up to more than a float can hold;"
                             " scale them down (they are normalised to sum to 1)")
    merged: dict[str, list] = {}  # rows naming one entity add up, in the order first seen
    for line, name, ref, weight in holdings:
        merged.setdefault(ref.id, []).append((line, name, ref, weight))
    return [Holding(rows[0][2].id, rows[0][2].label, sum(r[3] for r in rows) / total, rows[0][0],
                    rows[0][1], tuple(r[0] for r in rows), tuple(r[1] for r in rows))
            for rows in merged.values()]


def repeated_rows(holdings: list[Holding]) -> list[str]:
    """One line per holding named on several rows, for the user to check.

    >>> repeated_rows([Holding("alphabet", "Alphabet", 0.5, 2, "GOOG", (2, 5), ("GOOG", "GOOGL"))])
    ['lines 2, 5 (GOOG, GOOGL) all name alphabet: their weights add up']
    """
    return [f"lines {', '.join(map(str, h.lines))} ({', '.join(h.names)}) all name {h.entity}:"
            " their weights add up" for h in holdings if len(h.lines) > 1]


def _line(message: str) -> int:
    """The line number of a 'FILE:LINE: why' message (FILE may hold colons)."""
    head = message.split(": ", 1)[0]
    return int(head.rsplit(":", 1)[1])


@dataclass
class PortfolioExposure:
    holdings: list[Holding]
    shock: float
    rows: list[dict] = field(default_factory=list)

    def value(self, supplier: str) -> float:
        return next((r["exposure"] for r in self.rows if r["supplier"] == supplier), 0.0)


def portfolio_exposure(graph, holdings: list[Holding], shock: float = 1.0, kinds=None):
    """Look-through exposure of the portfolio to every entity its holdings depend on,
    directly or through chains (and to the holdings themselves), ranked. Each row:
    supplier, label, exposure (shock 1), its range ``low``..``high`` over the shares the
    data does not state (exact: one split gives every holding its least exposure at
    once, see :mod:`alliances.graph.bounds`), ``coverage`` (the part resting on stated
    shares), loss (at `shock`), holders (holding -> its weighted part), chokepoint (an
    articulation point of the graph)."""
    import networkx as nx

    from alliances.graph.exposure import exposure, restrict_kinds
    from alliances.graph.model import build_system

    if not 0.0 <= shock <= 1.0:
        raise AlliancesError(f"shock {shock} is not between 0 and 1")
    graph = restrict_kinds(graph, kinds)
    weights: dict[str, float] = {}
    for h in holdings:
        weights[h.entity] = weights.get(h.entity, 0.0) + h.weight
    reach = set(weights)
    for h in weights:
        if h in graph:
            reach |= nx.descendants(graph, h)
    sub = graph.subgraph(n for n in reach if n in graph)
    system = build_system(sub, "down") if sub.number_of_nodes() else None
    articulation = set(nx.articulation_points(graph.to_undirected(as_view=True)))
    rows = []
    for supplier in sorted(reach):
        holders: dict[str, float] = {}
        low = high = stated = 0.0
        if supplier in weights:
            holders[supplier] = weights[supplier]
            low, high, stated = low + weights[supplier], high + weights[supplier], stated + weights[supplier]
        if supplier in sub:
            for e in exposure(sub, supplier, paths=0, system=system).entities:
                if e.id in weights:
                    w = weights[e.id]
                    holders[e.id] = holders.get(e.id, 0.0) + w * e.total
                    low, high, stated = low + w * e.low, high + w * e.high, stated + w * e.coverage * e.total
        total = min(1.0, sum(holders.values()))
        if total <= 0 and high <= 0:
            continue
        attrs = graph.nodes[supplier] if supplier in graph else {}
        rows.append({"supplier": supplier, "label": attrs.get("label", supplier),
                     "exposure": total, "low": min(1.0, low), "high": min(1.0, high),
                     "range": f"{min(1.0, low):.3g}..{min(1.0, high):.3g}",
                     "coverage": min(1.0, stated / total) if total > 0 else 0.0,
                     "loss": min(1.0, total * shock),
                     "holders": {k: round(v, 6) for k, v in sorted(holders.items(),
                                                                   key=lambda kv: -kv[1])},
                     "held": supplier in weights, "chokepoint": supplier in articulation})
    rows.sort(key=lambda r: (-r["exposure"], r["supplier"]))
    return PortfolioExposure(holdings, shock, rows)
