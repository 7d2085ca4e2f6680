"""A progress bar on the terminal for commands that take more than a second.

It draws on standard error, only when that is a terminal and ``--quiet`` was not
given, so piped output and log files stay clean. It is the same callable the
analysis functions take (``progress(done, total)``; returning False would cancel,
which a terminal does with Ctrl+C instead).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

#: Redraw at most this often (seconds): a bar must not slow the work it reports.
REDRAW_S = 0.1
#: Show nothing for work that ends sooner than this (seconds).
SHOW_AFTER_S = 1.0
_WIDTH = 30


class TerminalProgress:
    """A one-line ``label [#####-----] 48%  12,000/25,000`` bar on stderr.

    Parameters
    ----------
    label : str
        What is being done, e.g. ``"circles"``.
    quiet : bool
        Draw nothing (``--quiet``).
    stream : file-like, optional
        Where to draw; standard error by default. Nothing is drawn unless it is
        a terminal.

    Examples
    --------
    >>> with TerminalProgress("circles", quiet=True) as progress:
    ...     progress(5, 10)
    True
    """

    def __init__(self, label: str, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = not quiet and bool(isatty and isatty())
        self._start = time.monotonic()
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> bool:
        """Report ``done`` of ``total``; always True (go on).

        Parameters
        ----------
        done, total : int
            Work done so far and in all; a ``total`` of 0 shows the seconds spent
            instead (work that cannot count its steps, such as a solver).

        Returns
        -------
        bool
            True: a terminal cancels with Ctrl+C, not through the callback.
        """
        if not self.enabled:
            return True
        now = time.monotonic()
        if now - self._start < SHOW_AFTER_S or (now - self._last < REDRAW_S and done < total):
            return True
        self._last = now
        if total <= 0:  # work that cannot count its steps (a solver): the time spent
            self.stream.write(f"\r{self.label} … {now - self._start:.0f} s\033[K")
        else:
            share = min(1.0, done / total)
            filled = round(share * _WIDTH)
            bar = "#" * filled + "-" * (_WIDTH - filled)
            self.stream.write(f"\r{self.label} [{bar}] {share:4.0%}  {done:,}/{total:,}")
        self.stream.flush()
        self._drawn = True
        return True

    def close(self) -> None:
        """Clear the bar's line so the command's own output starts clean."""
        if self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._drawn = False

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def progress_for(args: object, label: str) -> TerminalProgress:
    """Return the terminal progress bar for a command, honouring ``--quiet``.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed command line.
    label : str
        What is being done.

    Returns
    -------
    TerminalProgress
        Use it as a context manager and pass it as the ``progress`` callback.
    """
    return TerminalProgress(label, quiet=bool(getattr(args, "quiet", False)))
