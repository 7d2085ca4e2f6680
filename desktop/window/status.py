"""The status bar: cursor position, scale, selection count, CRS and basemap state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel

from desktop.i18n import tr

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


class StatusBar:
    """The permanent labels at the bottom of the window, and its passing messages.

    Parameters
    ----------
    window : MainWindow
        The window whose status bar this fills.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.coord_label = QLabel()
        self.scale_label = QLabel()
        self.crs_label = QLabel("EPSG:4326")
        self.selection_label = QLabel()
        self.basemap_label = QLabel()
        bar = window.statusBar()
        for label in (self.selection_label, self.coord_label, self.scale_label, self.crs_label,
                      self.basemap_label):
            bar.addPermanentWidget(label)

    def show_message(self, text: str, timeout_ms: int = 0) -> None:
        """Show a passing message.

        Parameters
        ----------
        text : str
            The message (translated).
        timeout_ms : int
            How long it stays; 0 until the next one.
        """
        self.window.statusBar().showMessage(text, timeout_ms)

    def show_no_position(self) -> None:
        """Say how many facilities and communities have no position and are not drawn."""
        from layers.model.layer import without_position

        project = self.window.project
        count = sum(without_position(layer.frame)
                    for layer in (project.facilities, project.communities))
        if count:
            self.show_message(tr("Features with no position, not drawn") + f": {count}")

    def show_cursor(self, lon: float, lat: float) -> None:
        """Show where the mouse is on the map.

        Parameters
        ----------
        lon, lat : float
            WGS-84 degrees.
        """
        self.coord_label.setText(f"{lon:.6f}°E, {lat:.6f}°N")

    def update_scale(self) -> None:
        """Show the canvas's current scale."""
        scale = int(self.window.canvas.view.scale_denominator())
        self.scale_label.setText(f"{tr('Scale')} 1:{scale:,}")

    def update_selection(self) -> None:
        """Show how many features are selected over all layers."""
        n = sum(len(layer.selected_ids) for layer in self.window.project.layers)
        self.selection_label.setText(tr("Selected") + f": {n}")

    def show_measured(self, metres: float) -> None:
        """Show a measured geodesic distance.

        Parameters
        ----------
        metres : float
            The distance.
        """
        text = f"{metres / 1000:.3f} km" if metres >= 1000 else f"{metres:.1f} m"
        self.show_message(tr("Distance") + f" ({tr('geodesic')}): {text}")

    def retranslate(self) -> None:
        """Set the labels' texts in the current language."""
        self.crs_label.setText(tr("CRS") + ": EPSG:4326 · " + tr("display") + " EPSG:3857")
        self.update_selection()
        self.update_scale()
