"""Model events: one typed payload per kind of change, sent through psygnal signals.

Layers and the project announce every change on a psygnal ``Signal`` that
carries one frozen payload below. psygnal holds bound methods weakly (as napari
does), so a view that is garbage stops listening by itself. Views still drop
their connections explicitly, through :class:`Connections` or
:class:`ProjectWatch`, because a Qt widget can be deleted while its Python
object lives on, and a project can outlive a window.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from psygnal import SignalInstance

if TYPE_CHECKING:
    from layers.model.layer import FeatureLayer
    from layers.model.project import Project

#: What happened to a layer's features.
FeatureChange = Literal["added", "removed", "restored", "updated", "moved", "reset"]

#: Which display setting of a layer changed.
DisplaySetting = Literal["visible", "style"]


@dataclass(frozen=True, slots=True)
class FeaturesChanged:
    """Features of a layer were added, removed, restored, updated, moved or reset.

    Attributes
    ----------
    layer : FeatureLayer
        The layer.
    change : str
        One of ``added``, ``removed``, ``restored``, ``updated``, ``moved``, ``reset``.
    ids : list of str
        The feature ids concerned (empty for ``reset``).
    rows : tuple of int or list of int
        For ``added`` the half-open range ``(start, end)`` of the new rows, so a
        view can append without looking; otherwise the row positions concerned
        (before removal for ``removed``).
    fields : list of str, optional
        For ``updated``, the fields that changed.
    origin : str
        ``edit`` for a change made here; ``store`` for rows merged in from the
        project's store (somebody else's saved edits), which are no unsaved edit.
    """

    layer: FeatureLayer
    change: FeatureChange
    ids: list[str]
    rows: tuple[int, int] | list[int]
    fields: list[str] | None = None
    origin: Literal["edit", "store"] = "edit"


@dataclass(frozen=True, slots=True)
class DisplayChanged:
    """A layer was shown or hidden, or its style (opacity included) changed.

    Attributes
    ----------
    layer : FeatureLayer
        The layer.
    what : str
        ``visible`` or ``style``.
    """

    layer: FeatureLayer
    what: DisplaySetting


@dataclass(frozen=True, slots=True)
class SelectionChanged:
    """The selected features of a layer changed (see ``layer.selected_ids``).

    Attributes
    ----------
    layer : FeatureLayer
        The layer.
    """

    layer: FeatureLayer


@dataclass(frozen=True, slots=True)
class LayersChanged:
    """A layer was added to, removed from or moved within the project.

    Attributes
    ----------
    project : Project
        The project; ``project.layers`` is already the new stack.
    """

    project: Project


@dataclass(frozen=True, slots=True)
class ModifiedChanged:
    """The project gained or lost unsaved edits.

    Attributes
    ----------
    project : Project
        The project.
    modified : bool
        True when there are unsaved edits.
    """

    project: Project
    modified: bool


@dataclass(frozen=True, slots=True)
class Saved:
    """The project was written to a file.

    Attributes
    ----------
    project : Project
        The project.
    path : pathlib.Path
        Where it was written.
    """

    project: Project
    path: Path


Slot = Callable[..., Any]


class Connections:
    """Connections one view made to model signals, so it can drop them together.

    The view keeps this object and hands its :meth:`clear` to Qt's ``destroyed``
    signal: a widget's own methods are no longer called once Qt deletes it,
    while a plain object's are.
    """

    def __init__(self) -> None:
        self._made: list[tuple[SignalInstance, Slot]] = []

    def __len__(self) -> int:
        return len(self._made)

    def connect(self, signal: SignalInstance, slot: Slot) -> None:
        """Connect ``slot`` to ``signal`` once, and remember it.

        Parameters
        ----------
        signal : psygnal.SignalInstance
            A model signal, e.g. ``layer.features_changed``.
        slot : callable
            A bound method of the view; it receives the event payload, or
            nothing when it takes no argument.
        """
        if (signal, slot) not in self._made:
            signal.connect(slot)
            self._made.append((signal, slot))

    def disconnect(self, signal: SignalInstance, slot: Slot) -> None:
        """Undo one :meth:`connect`; unknown pairs are ignored.

        Parameters
        ----------
        signal : psygnal.SignalInstance
            The signal.
        slot : callable
            The slot given to :meth:`connect`.
        """
        if (signal, slot) in self._made:
            self._made.remove((signal, slot))
            signal.disconnect(slot)

    def clear(self) -> None:
        """Disconnect everything connected through this object."""
        while self._made:
            signal, slot = self._made.pop()
            signal.disconnect(slot)


class ProjectWatch:
    """A view's connections to one project and to each of its layers.

    The view says once which of its methods follow which signal. :meth:`watch`
    connects them to a project and its layers, after dropping those made to the
    previous project. Layers added to the project later are connected, and
    removed ones disconnected, as ``layers_changed`` fires; the connections to
    layers that stay are left alone. A Qt view also hands :meth:`close` to its
    ``destroyed`` signal.

    Parameters
    ----------
    project_slots : mapping of str to callable, optional
        Project signal name (``layers_changed``, ``modified_changed``,
        ``saved``) to the view's slot.
    layer_slots : mapping of str to callable, optional
        Layer signal name (``features_changed``, ``display_changed``,
        ``selection_changed``) to the view's slot, connected on every layer.
    layer_names : collection of str, optional
        Follow only the layers with these names; all layers by default.
    """

    def __init__(self, project_slots: Mapping[str, Slot] | None = None,
                 layer_slots: Mapping[str, Slot] | None = None,
                 layer_names: Collection[str] | None = None) -> None:
        self.project: Project | None = None
        self._project_slots = dict(project_slots or {})
        self._layer_slots = dict(layer_slots or {})
        self._layer_names = None if layer_names is None else frozenset(layer_names)
        self._layers: list[FeatureLayer] = []
        self._connections = Connections()

    def watch(self, project: Project | None) -> None:
        """Follow ``project`` and its layers instead of the previous project.

        Parameters
        ----------
        project : Project or None
            The project to follow; None follows nothing.
        """
        self._connections.clear()
        self._layers = []
        self.project = project
        if project is None:
            return
        # first, so the view's own layers_changed slot finds its layers followed
        self._connections.connect(project.layers_changed, self._follow_layers)
        for name, slot in self._project_slots.items():
            self._connections.connect(getattr(project, name), slot)
        self._follow_layers()

    def close(self) -> None:
        """Drop every connection (the view is closed or deleted)."""
        self.watch(None)

    def _follow_layers(self) -> None:
        wanted = [layer for layer in self.project.layers
                  if self._layer_names is None or layer.name in self._layer_names]
        for layer in self._layers:
            if not any(layer is other for other in wanted):
                for name, slot in self._layer_slots.items():
                    self._connections.disconnect(getattr(layer, name), slot)
        for layer in wanted:
            if not any(layer is other for other in self._layers):
                for name, slot in self._layer_slots.items():
                    self._connections.connect(getattr(layer, name), slot)
        self._layers = wanted
