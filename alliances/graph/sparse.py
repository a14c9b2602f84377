"""A small sparse matrix (CSR) in numpy alone, for the exposure model's solves.

Why not scipy.sparse: importing it (with csgraph and linalg) takes about 0.3 s, more
than a whole ``alliances risk nvidia`` on the shipped data spends computing; this
class has the few operations the model needs (products, row slices, sub-matrices, a
reverse breadth-first search) and hands itself to scipy (:meth:`CSR.to_scipy`) where
scipy's algorithms are needed (strong components, ``spsolve``).

Entries are kept in canonical form: sorted by row then column, duplicates summed.

>>> m = CSR.from_triplets(3, [0, 0, 1, 0], [1, 2, 2, 1], [0.25, 0.5, 1.0, 0.25])
>>> m.toarray().tolist()
[[0.0, 0.5, 0.5], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]
>>> (m @ [1.0, 1.0, 2.0]).tolist()
[1.5, 2.0, 0.0]
>>> m.reaching([2]).tolist()
[True, True, True]
>>> m.submatrix([1, 2]).toarray().tolist()
[[0.0, 1.0], [0.0, 0.0]]
"""

from __future__ import annotations

import numpy as np


class CSR:
    """An n x n matrix in compressed sparse row form (``indptr``, ``indices``, ``data``),
    with ``row`` (each entry's row) kept for products and for COO-style loops."""

    __slots__ = ("n", "indptr", "indices", "data", "row")

    def __init__(self, n: int, row, col, data):
        self.n = n
        self.row, self.indices, self.data = row, col, data
        self.indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(row, minlength=n), out=self.indptr[1:])

    @classmethod
    def from_triplets(cls, n: int, rows, cols, vals) -> CSR:
        """The matrix with ``vals[i]`` at ``(rows[i], cols[i])``; repeated positions add up."""
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        vals = np.asarray(vals, dtype=float)
        if len(rows) == 0:
            return cls(n, rows, cols, vals)
        keys, inverse = np.unique(rows * n + cols, return_inverse=True)
        data = np.bincount(inverse.ravel(), weights=vals, minlength=len(keys))
        return cls(n, keys // n, keys % n, data)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n, self.n)

    @property
    def col(self):
        """Each entry's column (COO naming)."""
        return self.indices

    def __matmul__(self, x):
        x = np.asarray(x, dtype=float)
        out = np.bincount(self.row, weights=self.data * x[self.indices], minlength=self.n)
        return out.astype(float, copy=False)  # bincount of nothing is integer

    def tocoo(self) -> CSR:
        """Itself: it has ``row``, ``col`` and ``data`` like a COO matrix."""
        return self

    def toarray(self):
        out = np.zeros(self.shape)
        np.add.at(out, (self.row, self.indices), self.data)
        return out

    def plus(self, rows, cols, vals) -> CSR:
        """This matrix with more entries added."""
        return CSR.from_triplets(self.n, np.concatenate([self.row, np.asarray(rows, dtype=np.int64)]),
                                 np.concatenate([self.indices, np.asarray(cols, dtype=np.int64)]),
                                 np.concatenate([self.data, np.asarray(vals, dtype=float)]))

    def keep(self, mask) -> CSR:
        """The entries where the boolean `mask` (one per entry) is true."""
        return CSR(self.n, self.row[mask], self.indices[mask], self.data[mask])

    def submatrix(self, region) -> CSR:
        """Rows and columns `region` (ascending indices), renumbered 0..len(region)-1."""
        region = np.asarray(region, dtype=np.int64)
        index = np.full(self.n, -1, dtype=np.int64)
        index[region] = np.arange(len(region))
        r, c = index[self.row], index[self.indices]
        inside = (r >= 0) & (c >= 0)
        return CSR(len(region), r[inside], c[inside], self.data[inside])

    def diagonal(self):
        out = np.zeros(self.n)
        on = self.row == self.indices
        np.add.at(out, self.row[on], self.data[on])
        return out

    def row_sums(self):
        return np.bincount(self.row, weights=self.data, minlength=self.n).astype(float, copy=False)

    def reaching(self, targets):
        """Boolean mask of the rows with a path of positive entries (row depends on
        column) to one of `targets`, the targets included: a breadth-first search
        backwards, one vectorised step per level."""
        mask = np.zeros(self.n, dtype=bool)
        frontier = np.unique(np.asarray(targets, dtype=np.int64))
        mask[frontier] = True
        positive = self.data > 0
        order = np.argsort(self.indices[positive], kind="stable")
        by_col_rows = self.row[positive][order]  # the rows of each column, column by column
        starts = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.indices[positive], minlength=self.n), out=starts[1:])
        while len(frontier):
            lo, hi = starts[frontier], starts[frontier + 1]
            counts = hi - lo
            total = int(counts.sum())
            if total == 0:
                break
            offsets = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(total)
            found = by_col_rows[offsets]
            found = np.unique(found[~mask[found]])
            mask[found] = True
            frontier = found
        return mask

    def to_scipy(self):
        """The same matrix as a ``scipy.sparse.csr_array`` (imports scipy)."""
        from scipy.sparse import csr_array

        return csr_array((self.data, self.indices, self.indptr), shape=self.shape)
