"""Others' saves, loaded into an open project while the planner keeps editing.

A window on a database project hears every new revision (``LISTEN``/``NOTIFY``,
:meth:`layers.store.postgis.PostgisStore.listen`) and calls :func:`catch_up`:

- rows somebody else saved come in at once (``origin="store"``: no unsaved edit);
- rows this window changed and has not saved stay as the planner left them;
- when one of those was saved by somebody else too, nothing is decided here: the
  row keeps the planner's version, the conflict is reported, and the project stays
  based on the revision before it, so the next save stops and shows both versions
  (the conflict dialog), exactly as without live refresh. Nothing is lost silently.

No Qt here: the desktop watches the listener's socket and calls this.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from layers.model.changes import Conflict
from layers.model.project import Project


@dataclass
class Refreshed:
    """What :func:`catch_up` loaded.

    Attributes
    ----------
    loaded : int
        Rows (and deletions) others saved that are new to this window.
    conflicts : list of Conflict
        This window's unsaved edits of rows somebody else saved meanwhile; they
        are settled when saving.
    revision : int
        The store's revision now: the window has seen everything up to it.
    """

    loaded: int
    revision: int
    conflicts: list[Conflict] = field(default_factory=list)


def can_follow(project: Project) -> bool:
    """Tell whether a project's store announces others' saves.

    Parameters
    ----------
    project : Project
        The project.

    Returns
    -------
    bool
        True for a project in PostGIS.
    """
    return hasattr(project.store, "listen") and hasattr(project.store, "catch_up")


def catch_up(project: Project, seen: int | None = None) -> Refreshed:
    """Load what others saved since the project's base revision, keeping unsaved edits.

    Parameters
    ----------
    project : Project
        A project in PostGIS (see :func:`can_follow`).
    seen : int, optional
        The revision returned by the previous call: only rows newer than it
        count as loaded (rows are merged again while a conflict waits).

    Returns
    -------
    Refreshed
        How many rows came in and the conflicts waiting for the next save.

    Raises
    ------
    ValueError
        For a project whose store cannot catch up.
    layers.model.changes.StoreError
        When the database cannot be reached.
    """
    if not can_follow(project):
        raise ValueError("only a project in a database hears others' saves")
    changes = project.unsaved_changes()
    got = project.store.catch_up(changes, project.revision, seen)
    for name, (rows, deleted) in got.pulled.items():
        if project.has_layer(name):
            project.layer(name).merge_stored(rows, deleted)
    if not got.conflicts:
        # every row this window changed is still as it was at got.revision: the next
        # save checks against that; with a conflict the old base keeps it visible
        project.revision = max(project.revision, got.revision)
    return Refreshed(got.fresh, got.revision, got.conflicts)
