"""Figures that disagree: same subject, metric and period, different values, other sources.

Only figures of the same thing are compared: a segment (data-centre revenue is not total
revenue), an arena (Samsung's foundry share is not its HBM share), a counterparty and a
dependency kind (TSMC's revenue share from Apple is not its share from Nvidia) keep
figures apart.

A revision (al:supersedes) is not a conflict: raised guidance replaces the old figure.
Nor is a plan against a measurement: figures qualified "projection" (Project Rainier
"scaling to 1M" chips) are compared only with other projections.

>>> from alliances.store.memory import load
>>> isinstance(find_conflicts(load()), list)
True
"""

from __future__ import annotations

from collections import defaultdict

from alliances.catalog.listing import observations
from alliances.store.base import Store
from alliances.vocab import local_id


def superseded_ids(store: Store) -> set[str]:
    """Ids of observations a later figure replaces (al:supersedes): not current, not a conflict."""
    return {local_id(r["old"]) for r in store.select("SELECT ?old WHERE { ?new al:supersedes ?old }")}


def find_conflicts(store: Store) -> list[dict]:
    """One row per observation in a group of two or more that disagree."""
    superseded = superseded_ids(store)
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for obs in observations(store):
        if obs["id"] in superseded or obs["value"] is None:  # no value: reported, not compared
            continue
        plan = "projection" in (obs["qualifier"], obs["figure_kind"])
        key = (obs["subject"], obs["metric"], obs["period"] or "", obs["unit"], plan, obs["dimensions"])
        groups[key].append(obs)
    rows = []
    for (subject, metric, period, *_same), group in sorted(groups.items()):
        values = {(o["value"], o["value_max"]) for o in group}
        if len(group) < 2 or len(values) < 2:
            continue
        for o in sorted(group, key=lambda o: (o["value"], o["id"])):
            rows.append({"subject": subject, "metric": metric, "period": period,
                         "value": o["value"], "value_max": o["value_max"], "unit": o["unit"],
                         "observation": o["id"], "sources": o["sources"]})
    return rows
