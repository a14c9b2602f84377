"""Projections of the store to networkx and the analysis on them: the dependency graph
and its weights, exposure, criticality, metrics and portfolio look-through."""
