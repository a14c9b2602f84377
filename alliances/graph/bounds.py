"""Solving the exposure model: the point estimate, and its exact range.

The point estimate is the least fixed point of ``x = M x`` with the shocked states held
at the shock f (:func:`least_fixed_point`, a Leontief solve on the states that reach a
shocked one; :mod:`alliances.graph.model` explains why it exists).

The range. A share the data states is fixed; the others are free: in each group
(an entity's suppliers of one kind, or a seller's customers of one kind) they may take
any non-negative values summing to the part left by the stated ones, r. Exposure is
monotone in every share, and a group contributes ``r * sum_Y p_Y x_Y`` for a split p,
so for given values x the least contribution puts all of r on the supplier with the
least x, the greatest on the one with the greatest. The least (greatest) exposure over
all splits is therefore the least fixed point of

    T_low(x)  = F x + sum_groups r_g min_{Y in g} x_Y      (with the shocked states at f)
    T_high(x) = F x + sum_groups r_g max_{Y in g} x_Y

(F: the fixed coefficients), reached by value iteration from 0: the iterates grow
monotonically to it, and it is the optimum over every split, mixed ones included,
because a mixture of splits is never better than the best single choice (this is the
usual argument for Markov decision processes with non-negative rewards and finitely
many actions). Once the iteration has settled, the split it points at is evaluated
exactly (one Leontief solve), which makes the bounds exact to rounding;
``tests/test_exposure_model.py`` checks them against brute force over every split on
small graphs.

>>> round(float(solve(2, [0], [1], [0.5], [0.0, 0.8])[0]), 3)
0.4
"""

from __future__ import annotations

DENSE_LIMIT = 1000  # up to this many unknowns a dense solve is faster, and needs no scipy
ITERATE_ABOVE = 5000  # spsolve's fill-in grows fast: 52-61 s at 1M nodes, iteration 0.03 s


def solve(n: int, rows, cols, vals, rhs, tol: float = 1e-13, max_iter: int = 10_000):
    """x = (I - M)^-1 rhs for the n x n substochastic M given by (rows, cols, vals)
    (repeated positions add up), whose spectral radius is below 1.

    Up to DENSE_LIMIT unknowns: numpy's dense solver (exact; importing scipy would cost
    more than the solve). Above: scipy's spsolve (exact) up to ITERATE_ABOVE and the
    fixed-point iteration x <- M x + rhs (monotone from rhs, checked for convergence)
    beyond, spsolve being the fallback if it has not converged after `max_iter` steps.

    >>> solve(2, [0], [1], [0.5], [0.0, 0.8]).round(3).tolist()
    [0.4, 0.8]
    """
    import numpy as np

    rhs = np.asarray(rhs, dtype=float)
    if n == 0:
        return np.zeros(0)
    if n <= DENSE_LIMIT:
        matrix = np.zeros((n, n))
        np.add.at(matrix, (np.asarray(rows, dtype=int), np.asarray(cols, dtype=int)), vals)
        return np.linalg.solve(np.eye(n) - matrix, rhs)
    from alliances.graph.sparse import CSR

    matrix = CSR.from_triplets(n, rows, cols, vals)
    if n > ITERATE_ABOVE:
        x = rhs.copy()
        for _ in range(max_iter):
            nxt = matrix @ x + rhs
            if np.max(np.abs(nxt - x)) < tol:
                return nxt
            x = nxt
    from scipy.sparse import identity
    from scipy.sparse.linalg import spsolve

    return np.atleast_1d(spsolve((identity(n, format="csc") - matrix.to_scipy()).tocsc(), rhs))


def reaching(matrix, targets):
    """Boolean mask of the states with a path (positive entries of the
    :class:`~alliances.graph.sparse.CSR` `matrix`, row depends on column) to one of
    `targets` (index array), the targets included."""
    return matrix.reaching(targets)


def least_fixed_point(matrix, clamp, value: float):
    """The least x >= 0 with x = matrix x off the `clamp` states (index array) and
    x = `value` on them: a Leontief solve on the states that reach a clamped one."""
    import numpy as np

    n = matrix.shape[0]
    x = np.zeros(n)
    clamp = np.asarray(clamp, dtype=int)
    if len(clamp) == 0 or value == 0:
        return x
    x[clamp] = value
    mask = reaching(matrix, clamp)
    mask[clamp] = False
    region = np.flatnonzero(mask)
    if len(region) == 0:
        return x
    sub = matrix.submatrix(region)
    rhs = (matrix @ x)[region]
    x[region] = np.clip(solve(len(region), sub.row, sub.col, sub.data, rhs), 0.0, 1.0)
    return x


def bound(system, clamp, value: float, high: bool, tol: float = 1e-15, max_iter: int = 100_000):
    """The least (``high=False``) or greatest exposure of every state over every split
    of the shares the data does not state (module docstring)."""
    import numpy as np

    fixed = system.matrix("fixed")
    n = fixed.shape[0]
    x = np.zeros(n)
    clamp = np.asarray(clamp, dtype=int)
    if len(clamp) == 0 or value == 0:
        return x
    groups = _free_arrays(system)
    x[clamp] = value
    for _ in range(max_iter):
        nxt = _apply(fixed, groups, x, high)
        nxt[clamp] = value
        np.clip(nxt, 0.0, 1.0, out=nxt)
        if np.max(np.abs(nxt - x)) <= tol:
            x = nxt
            break
        x = nxt
    exact = _evaluate(system, fixed, groups, x, clamp, value, high)
    if exact is not None and np.max(np.abs(exact - x)) < 1e-9:
        return exact
    return x


def _free_arrays(system):
    """The free groups as flat arrays: rows, weights, candidate columns and group starts."""
    import numpy as np

    if not system.free:
        return None
    rows = np.fromiter((g[0] for g in system.free), dtype=int, count=len(system.free))
    weights = np.fromiter((g[1] for g in system.free), dtype=float, count=len(system.free))
    sizes = np.fromiter((len(g[2]) for g in system.free), dtype=int, count=len(system.free))
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    cands = np.fromiter((c for g in system.free for c in g[2]), dtype=int, count=int(sizes.sum()))
    return rows, weights, starts, cands


def _apply(fixed, groups, x, high: bool):
    import numpy as np

    out = fixed @ x
    if groups is not None:
        rows, weights, starts, cands = groups
        pick = (np.maximum if high else np.minimum).reduceat(x[cands], starts)
        np.add.at(out, rows, weights * pick)
    return out


def _evaluate(system, fixed, groups, x, clamp, value, high):
    """The exposure of the split the values `x` point at (each group's rest on its
    best candidate), solved exactly; None when there is nothing to choose."""
    import numpy as np

    if groups is None:
        return least_fixed_point(fixed, clamp, value)
    rows, weights, starts, cands = groups
    values = x[cands]
    best = (np.maximum if high else np.minimum).reduceat(values, starts)
    group_of = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(cands))))
    hits = np.flatnonzero(values == best[group_of])
    _groups, first = np.unique(group_of[hits], return_index=True)  # the first best candidate
    chosen = cands[hits[first]]
    return least_fixed_point(fixed.plus(rows, chosen, weights), clamp, value)
