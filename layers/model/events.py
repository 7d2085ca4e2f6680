"""A minimal observer, so models can announce changes without knowing any view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Event:
    """A named notification that views subscribe to.

    Models call :meth:`emit` after they have validated and stored a change;
    views connect callbacks and never call back into the emitter while it is
    emitting the same event.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        """Call ``callback(**payload)`` every time the event is emitted.

        Parameters
        ----------
        callback : callable
            Receives the payload as keyword arguments.
        """
        if callback not in self._callbacks:
            self._callbacks.append(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        """Stop calling ``callback``; unknown callbacks are ignored.

        Parameters
        ----------
        callback : callable
            A callback previously passed to :meth:`connect`.
        """
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, **payload: Any) -> None:
        """Notify every subscriber with ``payload``.

        Parameters
        ----------
        **payload
            Keyword arguments passed to each callback.
        """
        for callback in list(self._callbacks):
            callback(**payload)
