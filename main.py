"""Community facility mapper: ``python main.py [COMMAND] [options]``.

Without a command the desktop app opens. Every command prints errors as one
line on stderr and exits with code 2.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the app or a headless command.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        Process exit code.
    """
    from layers.cli import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
