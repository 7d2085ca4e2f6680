"""What every step of a siting shares: its error, and the progress callback that can cancel it."""

from __future__ import annotations

from collections.abc import Callable

#: ``progress(done, total)``; returning False cancels. ``total == 0``: busy, no count.
Progress = Callable[[int, int], bool]


class SitingError(ValueError):
    """A siting request that cannot be answered, with a one-line reason."""
