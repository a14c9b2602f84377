"""CLI command `money`: who pays whom, and the circular deals; added to the `alliances`
group by :func:`register`.

Only click is imported at module import time, so `alliances --help` stays fast.
"""

from __future__ import annotations

import click

from alliances.cli.options import as_of_option, emit, format_option, render_sections, top_option

FLOW_COLUMNS = ["from", "to", "kind", "type", "amount", "currency", "amount_usd", "basis", "date", "status",
                "partnership", "sources"]
ENTITY_COLUMNS = ["counterparty", "kind", "type", "flows", "amount", "currency", "amount_usd", "basis",
                  "without_amount", "partnerships", "sources"]
TOTAL_COLUMNS = ["direction", "currency", "amount", "flows", "without_amount", "basis"]
CYCLE_COLUMNS = ["rank", "circulating", "currency", "cycle", "hops", "up_to", "lacks_amount"]
CYCLE_FLOW_COLUMNS = ["rank", "from", "to", "kind", "type", "amount", "currency", "basis", "date",
                      "partnership", "counted", "sources"]
DEFAULT_TOP_FLOWS = 20



def cycle_rows(cycles) -> tuple[list[dict], list[dict]]:
    """The cycles as summary rows and as one row per flow (both numbered by rank)."""
    summary, flows = [], []
    for rank, c in enumerate(cycles, 1):
        missing = sorted({m["partnership"] for m in c.missing})
        summary.append({"rank": rank, "circulating": c.circulating,
                        "currency": "USD" if c.circulating is not None else None, "cycle": c.path(),
                        "hops": len(c.entities), "up_to": c.up_to, "lacks_amount": missing or None})
        for edge in c.as_dict()["edges"]:
            flows.append({"rank": rank, "circulating": c.circulating, **edge})
    return summary, flows


def register(main) -> None:
    """Add this module's commands to the click group `main`."""

    @main.command()
    @click.argument("entity", required=False)
    @click.option("--cycles", is_flag=True,
                  help="The circular deals: cycles of up to 4 flows mixing an investment and a purchase.")
    @click.option("--group", is_flag=True,
                  help="Subsidiaries count as their parent (al:subsidiaryOf): AWS as Amazon, Google Cloud "
                       "as Alphabet.")
    @click.option("--kind", "kinds", multiple=True, metavar="KINDS",
                  help="Only these partnership kinds: comma-separated or repeated (investment, chip-supply,"
                       " cloud-compute, ...).")
    @top_option(what=f"rows (default: {DEFAULT_TOP_FLOWS} largest flows, every cycle, every row)")
    @as_of_option
    @format_option
    @click.pass_obj
    def money(obj, entity, cycles, group, kinds, top, as_of, fmt):
        """Follow the money: the largest flows, ENTITY's money in and out, or the circular deals.

        Every partnership moves money one way, as the ontology says for its kind
        (investor -> investee, buyer -> seller, guarantor -> beneficiary, warrant
        issuer -> receiver). Amounts stay in their currency unless the data holds a
        sourced exchange rate for the flow's date; "up to" figures are used where no
        firmer amount is stated, and say so.

        \b
        Examples:
          alliances money                          the largest flows
          alliances money nvidia                   Nvidia's money in and out
          alliances money --cycles --top 10        the circular deals
          alliances money amazon --cycles --group  those through Amazon, AWS included
        """
        import json

        from alliances.graph.money import (
            amount_stats,
            circular_deals,
            entity_money,
            group_roots,
            largest_flows,
            money_graph,
            parse_money_kinds,
        )
        from alliances.render.formats import plain, render
        from alliances.timeline import parse_as_of

        store = obj.store
        date = parse_as_of(as_of)
        wanted = parse_money_kinds(store, kinds)
        focus = None
        if entity:
            ref = obj.resolve(entity)
            focus = group_roots(store).get(ref.id, ref.id) if group else ref.id
            if focus != ref.id:
                click.echo(f"{ref.id} counts as {focus} (--group)", err=True)
        graph = money_graph(store, as_of=date, kinds=wanted, group=group)
        stats = amount_stats(graph)
        if cycles:
            found = circular_deals(graph, through=focus)
            shown = found[:top] if top else found
            if fmt == "json":
                body = {"cycles": [{"rank": i, **c.as_dict()} for i, c in enumerate(shown, 1)]}
                emit(json.dumps(plain(body), indent=2) + "\n")
            else:
                summary, flows = cycle_rows(shown)
                if fmt == "csv":
                    emit(render(flows, ["rank", "circulating", *CYCLE_FLOW_COLUMNS[1:]], "csv"))
                else:
                    emit(render_sections([("circular deals", summary, CYCLE_COLUMNS),
                                    ("their flows", flows, CYCLE_FLOW_COLUMNS)], "table"))
            known = sum(c.circulating is not None for c in found)
            click.echo(f"{len(found)} circular deals ({known} with every amount known)"
                       + (f", {len(shown)} shown" if len(shown) < len(found) else "")
                       + f"; {stats['flows']} money flows, {stats['with_amount']} with an amount", err=True)
            click.echo("circulating: per hop the largest known amount (USD) of the flow type picked, "
                       "the smallest over the hops; up_to = an 'up to' figure was counted", err=True)
            return
        if focus is None:
            rows = largest_flows(graph)
            shown = rows[:top or DEFAULT_TOP_FLOWS]
            if fmt == "json":
                emit(json.dumps(plain({"flows": shown, "counts": stats}), indent=2) + "\n")
            else:
                emit(render(shown, FLOW_COLUMNS, fmt))
            click.echo(f"{stats['flows']} money flows, {stats['with_amount']} with an amount "
                       f"({stats['up_to']} upper bounds, {stats['in_usd']} in USD), {len(shown)} shown",
                       err=True)
            return
        report = entity_money(graph, focus)
        out, in_ = report["out"][:top] if top else report["out"], report["in"][:top] if top else report["in"]
        if fmt == "json":
            emit(json.dumps(plain({**report, "out": out, "in": in_}), indent=2) + "\n")
        else:
            if fmt == "table":
                emit(f"money of {report['label']} ({focus})"
                     + (f" as of {date}" if date else "") + (", grouped" if group else "") + "\n\n")
            emit(render_sections([("money out", out, ENTITY_COLUMNS), ("money in", in_, ENTITY_COLUMNS),
                            ("totals", report["totals"], TOTAL_COLUMNS)], fmt))
        if not report["flows"]:
            click.echo(f"{focus} has no money flow in the graph (with these filters)", err=True)
        else:
            n_out = sum(r["direction"] == "out" for r in report["flows"])
            click.echo(f"{n_out} flows out, {len(report['flows']) - n_out} in; amounts are sums of the "
                       "stated amounts per currency, flows without one counted apart", err=True)
