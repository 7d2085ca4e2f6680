"""Hearing others' saves as they happen: ``LISTEN`` on a project schema's channel.

Every new revision is announced with ``NOTIFY`` (see
:func:`layers.store.postgis_history.create_team_parts`); :mod:`layers.store.live`
loads what it brings into an open project.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from layers.model.changes import StoreError
from layers.store.postgis_tables import quoted
from layers.store.postgis_url import channel, server_reason

if TYPE_CHECKING:
    from layers.store.postgis import PostgisStore


class Listener:
    """Hears the revisions saved to one project schema, on a connection of its own.

    Made by :meth:`PostgisStore.listen`. A GUI watches :meth:`fileno` for input
    (or calls :meth:`poll` on a timer); either way :meth:`poll` returns the new
    revisions announced since it was last asked.

    Parameters
    ----------
    store : PostgisStore
        The project's store.
    """

    def __init__(self, store: PostgisStore) -> None:
        import psycopg

        self.channel = channel(store.schema)
        self._con = store.connect(autocommit=True)
        try:
            self._con.execute(f"LISTEN {quoted(self.channel)}")
        except psycopg.Error as exc:
            self._con.close()
            raise StoreError(f"cannot listen for others' saves: {server_reason(exc)}") from None

    def fileno(self) -> int:
        """Return the connection's socket, readable when an announcement arrives.

        Returns
        -------
        int
            A file descriptor.
        """
        return self._con.fileno()

    @property
    def closed(self) -> bool:
        """Whether the listener was closed (or its connection lost)."""
        return self._con.closed

    def poll(self, timeout: float = 0.0) -> list[int]:
        """Return the revisions announced since the last call, oldest first.

        Parameters
        ----------
        timeout : float
            Seconds to wait for the first announcement when none is waiting.

        Returns
        -------
        list of int
            Revisions (empty when none came).

        Raises
        ------
        StoreError
            When the connection to the server was lost.
        """
        import psycopg

        revisions: list[int] = []
        try:
            for note in self._con.notifies(timeout=max(timeout, 0.0), stop_after=1):
                revisions.append(_payload(note.payload))
            while revisions:  # take whatever else is waiting, without waiting
                more = [_payload(n.payload) for n in self._con.notifies(timeout=0.0)]
                if not more:
                    break
                revisions += more
        except psycopg.OperationalError as exc:
            self.close()
            raise StoreError(f"lost the connection to the database: "
                             f"{server_reason(exc)}") from None
        return [r for r in revisions if r >= 0]

    def close(self) -> None:
        """Stop listening and close the connection."""
        if not self._con.closed:
            self._con.close()


def _payload(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return -1
