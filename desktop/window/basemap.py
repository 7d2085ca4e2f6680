"""The online basemap under the data: View ▸ Basemap, the saved choice and the status line.

The basemaps themselves are listed in :mod:`layers.geo.basemaps`. The choice is
remembered in the settings (``map/basemap``: a name, ``custom`` or ``none``; the
typed URL in ``map/tile_url``; the Tianditu key in ``map/tianditu_key`` unless
``TIANDITU_KEY`` is set). ``FACILITY_MAPPER_NO_BASEMAP`` and ``MainWindow(...,
basemap=False)`` keep it off, as in the tests.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu

from desktop.i18n import tr
from layers.geo.basemaps import (
    NO_BASEMAP,
    OSM,
    SOURCES,
    BasemapError,
    BasemapSource,
    parse_basemap,
    tianditu_key,
)

if TYPE_CHECKING:
    from desktop.canvas.basemap import TileBasemap
    from desktop.main_window import MainWindow

CUSTOM = "custom"
#: The menu's entries, in order: setting value and English text.
MENU_ENTRIES = ((NO_BASEMAP, "None"), *((s.name, s.label_en) for s in SOURCES.values()),
                (CUSTOM, "Custom URL…"))


def saved_choice() -> str:
    """Return the basemap the planner chose last: a name, a URL template or ``none``.

    Returns
    -------
    str
        What :func:`layers.geo.basemaps.parse_basemap` takes.
    """
    settings = QSettings()
    value = str(settings.value("map/basemap", OSM.name))
    url = str(settings.value("map/tile_url", "") or "")
    if value == "false":  # the old on/off switch
        return NO_BASEMAP
    if value in ("true", CUSTOM):
        return url or OSM.name
    return value if value in SOURCES or value == NO_BASEMAP else OSM.name


def basemap_wanted() -> bool:
    """Return whether the planner left a basemap on (and no script turned it off).

    Returns
    -------
    bool
        True to draw it.
    """
    return (saved_choice() != NO_BASEMAP
            and not os.environ.get("FACILITY_MAPPER_NO_BASEMAP"))


class BasemapControl:
    """View ▸ Basemap, and the tiles it brings.

    Parameters
    ----------
    window : MainWindow
        The window whose canvas draws the tiles.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.basemap: TileBasemap | None = None
        self.menu: QMenu | None = None
        self.actions: dict[str, object] = {}

    # ----- switching ----------------------------------------------------------
    def enable(self, spec: str | None = None) -> bool:
        """Turn a basemap on.

        Parameters
        ----------
        spec : str, optional
            A basemap name (``osm``, ``tianditu-vec``…) or an XYZ URL template; the
            saved choice (or OpenStreetMap) by default.

        Returns
        -------
        bool
            False when ``spec`` is not a usable basemap (the status line says why).
        """
        if spec is None:
            spec = saved_choice()
        try:
            source = parse_basemap(spec) or OSM
        except BasemapError as exc:
            self.window.status.show_message(str(exc), 8000)
            return False
        self._use(source)
        self._remember(source)
        return True

    def disable(self) -> None:
        """Turn the basemap off, and remember that."""
        QSettings().setValue("map/basemap", NO_BASEMAP)
        if self.basemap is not None:
            self.basemap.enabled = False
            self.window.canvas.refresh()
        self._check(NO_BASEMAP)
        self.update_label()

    def toggle(self, on: bool) -> None:
        """Turn the basemap on (the saved one, or OpenStreetMap) or off.

        Parameters
        ----------
        on : bool
            On or off.
        """
        if on:
            self.enable()
        else:
            self.disable()

    def choose(self, name: str) -> None:
        """Do what a View ▸ Basemap entry says; asks for a key or URL when needed.

        Parameters
        ----------
        name : str
            ``none``, a basemap name or ``custom``.
        """
        if name == NO_BASEMAP:
            self.disable()
            return
        if name == CUSTOM:
            self.ask_tile_url()
            return
        if SOURCES[name].needs_key and not self._key() and not self.ask_tianditu_key():
            self._check(self._current_name())
            return
        self.enable(name)

    def ask_tianditu_key(self) -> bool:
        """Ask for the planner's Tianditu key and save it.

        Returns
        -------
        bool
            True when a key was given.
        """
        key, ok = QInputDialog.getText(
            self.window, tr("Tianditu Key"),
            tr("Tianditu needs your own key (tk), free from console.tianditu.gov.cn:"),
            QLineEdit.EchoMode.Normal, self._key())
        key = key.strip()
        if ok and key:
            QSettings().setValue("map/tianditu_key", key)
        return bool(ok and key)

    def ask_tile_url(self) -> None:
        """Ask for an XYZ tile URL ({z}, {x}, {y}, optional {s}) and switch to it."""
        current = str(QSettings().value("map/tile_url", "") or "")
        url, ok = QInputDialog.getText(self.window, tr("Basemap Tile URL"),
                                       tr("XYZ URL with {z}, {x} and {y}:"), text=current)
        if not (ok and url.strip() and self.enable(url.strip())):
            self._check(self._current_name())

    # ----- the menu ---------------------------------------------------------
    def build_menu(self, parent: QMenu) -> QMenu:
        """Add View ▸ Basemap, one checkable entry per basemap.

        Parameters
        ----------
        parent : QMenu
            The View menu.

        Returns
        -------
        QMenu
            The submenu.
        """
        self.menu = parent.addMenu("")
        group = QActionGroup(self.menu)
        for name, _text in MENU_ENTRIES:
            action = self.menu.addAction("")
            action.setCheckable(True)
            action.setData(name)
            group.addAction(action)
            action.triggered.connect(lambda _=False, n=name: self.choose(n))
            self.actions[name] = action
        self._check(self._current_name())
        self.retranslate()
        return self.menu

    def retranslate(self) -> None:
        """Set the submenu's texts in the current language."""
        if self.menu is None:
            return
        self.menu.setTitle(tr("Basemap"))
        for name, text in MENU_ENTRIES:
            self.actions[name].setText(tr(text))
        self.update_label()

    def update_label(self) -> None:
        """Say in one quiet status-bar line which basemap is on, and what is wrong with it."""
        self.window.status.basemap_label.setText(self.status_text())

    def status_text(self) -> str:
        """Return the status line for the basemap.

        Returns
        -------
        str
            "" when none is on.
        """
        basemap = self.basemap
        if basemap is None or not basemap.enabled:
            return ""
        label = tr(basemap.source.label_en)
        if basemap.missing_key:
            return tr("Tianditu needs a key: set TIANDITU_KEY or choose it in View ▸ Basemap")
        if basemap.offline:
            return f"{tr('basemap offline')}: {label} ({basemap.error})"
        return f"{tr('basemap')}: {label}"

    # ----- internals --------------------------------------------------------
    def _use(self, source: BasemapSource) -> None:
        from desktop.canvas.basemap import TileBasemap

        canvas = self.window.canvas
        max_mb = float(QSettings().value("map/tile_cache_mb", 300))
        if self.basemap is None:
            self.basemap = TileBasemap(source, parent=self.window, key=self._key(),
                                       max_cache_mb=max_mb)
            self.basemap.tile_loaded.connect(lambda: canvas.refresh())
            self.basemap.status_changed.connect(lambda _s: self.update_label())
        else:
            self.basemap.set_source(source, key=self._key())
        self.basemap.enabled = True
        canvas.renderer.basemap = self.basemap
        canvas.refresh()
        self._check(self._current_name())
        self.update_label()

    def _remember(self, source: BasemapSource) -> None:
        settings = QSettings()
        if source.name == CUSTOM:
            settings.setValue("map/tile_url", source.url_template)
        settings.setValue("map/basemap", source.name)

    def _key(self) -> str:
        return tianditu_key(str(QSettings().value("map/tianditu_key", "") or ""))

    def _current_name(self) -> str:
        if self.basemap is None or not self.basemap.enabled:
            return NO_BASEMAP
        return self.basemap.source.name

    def _check(self, name: str) -> None:
        action = self.actions.get(name)
        if action is not None:
            action.setChecked(True)
