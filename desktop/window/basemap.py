"""The online basemap under the data: on, off, and which tile server."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from desktop.i18n import tr

if TYPE_CHECKING:
    from desktop.canvas.basemap import TileBasemap
    from desktop.main_window import MainWindow


def basemap_wanted() -> bool:
    """Return whether the planner left the online basemap on (and no script turned it off).

    Returns
    -------
    bool
        True to draw it.
    """
    return (QSettings().value("map/basemap", "true") == "true"
            and not os.environ.get("FACILITY_MAPPER_NO_BASEMAP"))


class BasemapControl:
    """The View menu's basemap switch and tile URL, and the tiles they bring.

    Parameters
    ----------
    window : MainWindow
        The window whose canvas draws the tiles.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.basemap: TileBasemap | None = None

    def enable(self, url: str | None = None) -> None:
        """Turn the online basemap on, optionally with another tile URL.

        Parameters
        ----------
        url : str, optional
            XYZ URL template; OpenStreetMap by default.
        """
        from desktop.canvas.basemap import OSM_URL, TileBasemap

        canvas = self.window.canvas
        if self.basemap is None:
            self.basemap = TileBasemap(url or OSM_URL, parent=self.window)
            self.basemap.tile_loaded.connect(lambda: canvas.refresh())
            self.basemap.status_changed.connect(lambda _s: self.update_label())
        elif url:
            self.basemap.set_url(url)
        self.basemap.enabled = True
        canvas.renderer.basemap = self.basemap
        canvas.refresh()
        self.update_label()

    def toggle(self, on: bool) -> None:
        """Turn the basemap on or off, and remember the choice.

        Parameters
        ----------
        on : bool
            The View menu's check mark.
        """
        QSettings().setValue("map/basemap", "true" if on else "false")
        if on:
            self.enable()
        elif self.basemap is not None:
            self.basemap.enabled = False
            self.window.canvas.refresh()
        self.update_label()

    def ask_tile_url(self) -> None:
        """Ask for another XYZ tile server, and switch to it."""
        from PySide6.QtWidgets import QInputDialog

        from desktop.canvas.basemap import OSM_URL

        current = self.basemap.url_template if self.basemap else OSM_URL
        url, ok = QInputDialog.getText(self.window, tr("Basemap Tile URL"),
                                       tr("XYZ URL with {z}, {x} and {y}:"), text=current)
        if ok and all(k in url for k in ("{z}", "{x}", "{y}")):
            QSettings().setValue("map/tile_url", url)
            self.enable(url)
            self.window.menus.basemap_action.setChecked(True)

    def update_label(self) -> None:
        """Say in the status bar whether the basemap is on and reachable."""
        self.window.status.update_basemap(self.basemap)
