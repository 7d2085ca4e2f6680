"""Finding a feature's row by its id in a layer of a million features.

A dict of a million ids takes 0.3–0.4 s to build, and holds the interpreter
the whole time: no other thread (the window) runs meanwhile. This index is the
ids' hashes, sorted once with numpy. The hashing runs in slices, so a window
waiting for the interpreter gets in between two slices; the sort lets it in
throughout. A lookup is a binary search and one comparison of ids.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

#: Ids hashed in one go (about 5 ms): the longest a waiting GUI thread is kept out.
HASH_SLICE = 50_000


class IdIndex:
    """The rows of a snapshot of a layer's ids, by id.

    Parameters
    ----------
    ids : ndarray of object
        The ids in row order. They are kept, not copied: the layer replaces
        its id column on every edit that moves rows, never writes into it.
    version : int
        The layer's id version the snapshot belongs to; the layer uses the
        index only while its ids are still at that version.
    hashes : ndarray of int64, optional
        :func:`id_hashes` of ``ids``, when the layer kept them through its edits:
        then only the sort is left to do.

    Attributes
    ----------
    hashes : ndarray of int64
        The ids' hashes in row order.
    """

    def __init__(self, ids: np.ndarray, version: int, hashes: np.ndarray | None = None) -> None:
        self.ids = ids
        self.version = version
        if hashes is None:
            hashes = np.empty(len(ids), dtype=np.int64)
            for start in range(0, len(ids), HASH_SLICE):
                part = ids[start : start + HASH_SLICE]
                hashes[start : start + len(part)] = id_hashes(part)
        self.hashes = hashes
        self._order = np.argsort(hashes)
        self._hashes = hashes[self._order]

    def __len__(self) -> int:
        return len(self.ids)

    def row_of(self, feature_id: Hashable) -> int | None:
        """Return the first row holding ``feature_id``.

        Parameters
        ----------
        feature_id : hashable
            A feature id.

        Returns
        -------
        int or None
            Its row in the snapshot, None when absent.
        """
        h = hash(feature_id)
        at = int(np.searchsorted(self._hashes, h))
        return self._first_row(at, h, feature_id)

    def rows_of(self, feature_ids: Sequence[Hashable]) -> dict[Hashable, int]:
        """Return the rows of many ids at once.

        Parameters
        ----------
        feature_ids : sequence of hashable
            Feature ids.

        Returns
        -------
        dict
            Id to row, for the ids present.
        """
        if len(feature_ids) == 0 or len(self._hashes) == 0:
            return {}
        wanted = id_hashes(feature_ids)
        at = np.searchsorted(self._hashes, wanted)
        near = np.minimum(at, len(self._hashes) - 1)
        found: dict[Hashable, int] = {}
        for k in np.flatnonzero(self._hashes[near] == wanted).tolist():
            row = self._first_row(int(at[k]), int(wanted[k]), feature_ids[k])
            if row is not None:
                found[feature_ids[k]] = row
        return found

    def _first_row(self, at: int, h: int, feature_id: Hashable) -> int | None:
        # equal hashes sit together from `at` on: different ids (a collision) or the
        # same id in several rows, where the lowest row answers, as a scan would
        best = None
        while at < len(self._hashes) and self._hashes[at] == h:
            row = int(self._order[at])
            value = self.ids[row]
            if (value is feature_id or value == feature_id) and (best is None or row < best):
                best = row
            at += 1
        return best


def id_hashes(values: Sequence[Hashable]) -> np.ndarray:
    """Return the hashes of ids, as an array.

    Parameters
    ----------
    values : sequence of hashable
        Ids.

    Returns
    -------
    ndarray of int64
        ``hash(value)`` of each, in order: equal ids have equal hashes.
    """
    return np.fromiter(map(hash, values), dtype=np.int64, count=len(values))
