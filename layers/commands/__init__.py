"""The headless commands, one module per kind of work.

Each module lists its :class:`~layers.commands.base.Command` objects in ``COMMANDS``; a new
command goes into the module of its kind (or a new module added here).
"""

from __future__ import annotations

from layers.commands import access, analysis, exports, importing, joining, projects, reports, siting
from layers.commands.base import Command

#: The commands that need no display and no Qt, in the order ``--help`` lists them.
HEADLESS_COMMANDS: tuple[Command, ...] = (
    *projects.COMMANDS,
    *analysis.COMMANDS,
    *reports.COMMANDS,
    *siting.COMMANDS,
    *exports.COMMANDS,
    *importing.COMMANDS,
    *joining.COMMANDS,
    *access.COMMANDS,
)
