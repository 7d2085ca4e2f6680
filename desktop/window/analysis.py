"""Tools → Service Circles… and Audit Communities: what a facility serves, what is missing.

Both follow the project as it is edited (see :mod:`desktop.window.circle_upkeep`
and the checklist dock). Whatever is out of date says so on the map, with a
Refresh button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton

from desktop.i18n import tr
from desktop.window.circle_upkeep import CircleUpkeep
from desktop.workers import run_with_progress

if TYPE_CHECKING:
    import geopandas as gpd

    from desktop.main_window import MainWindow
    from layers.geo.walking import WalkSettings

#: Walking areas along roads take ~10 ms each; beyond this, use circles or a selection.
MAX_NETWORK_FACILITIES = 5000


class Analysis:
    """Service circles (straight or along roads) and the complete-community audit.

    Parameters
    ----------
    window : MainWindow
        The window whose project is analysed and whose map shows the result.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.banner = StaleBanner(window.canvas)
        self.banner.refresh_button.clicked.connect(self.refresh)
        self.circles = CircleUpkeep(window, self.show_stale)

    def set_project(self, project: object) -> None:
        """Follow another project's circles.

        Parameters
        ----------
        project : Project
            The project.
        """
        self.circles.set_project(project)
        self.show_stale()

    def stale_parts(self) -> list[str]:
        """Return what on the map is out of date, as the planner reads it.

        Returns
        -------
        list of str
            Translated names: the audit and its “缺” labels, the service circles.
        """
        parts = []
        checklist = getattr(self.window, "checklist", None)
        if checklist is not None and checklist.stale:
            parts.append(tr("the audit and its “缺” labels"))
        if self.circles.stale:
            parts.append(tr("the service circles"))
        return parts

    def show_stale(self, *_: object) -> None:
        """Show or hide the out-of-date note on the map."""
        self.banner.show_parts(self.stale_parts())

    def refresh(self) -> None:
        """Bring everything that is out of date up to date (the note's Refresh button)."""
        if self.window.checklist.stale:
            self.window.checklist.run()
        if self.circles.stale:
            self.circles.refresh()
        self.show_stale()

    def service_circles_dialog(self) -> bool:
        """Ask for walk time and preset, then make the service-circle layer.

        Returns
        -------
        bool
            True when a layer was made.
        """
        from desktop.dialogs.service_circle_dialog import ServiceCircleDialog

        project = self.window.project
        dialog = ServiceCircleDialog(bool(project.facilities.selected_ids),
                                     project.has_layer("roads"), self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.make_service_circles(*dialog.choice())

    def make_service_circles(self, scope: str, minutes: float, walk: WalkSettings,
                             method: str = "circle") -> bool:
        """Make (or replace) the ``service_circles`` layer as one undoable edit.

        Parameters
        ----------
        scope : str
            ``"all"``, ``"selected"`` or ``"category:<id>"``.
        minutes : float
            Walk time.
        walk : WalkSettings
            Walking preset.
        method : str
            ``"circle"`` or ``"network"``.

        Returns
        -------
        bool
            True when a layer was made.
        """
        from desktop.editing.commands import AddFeaturesCommand, ReplaceLayerCommand
        from layers.analysis.circle_upkeep import scope_recipe
        from layers.analysis.service_circles import service_circles_frame
        from layers.model.layer import without_position

        project, editor, status = self.window.project, self.window.editor, self.window.status
        frame = project.facilities.frame
        if scope == "selected":
            frame = frame[frame["id"].isin(project.facilities.selected_ids)]
        elif scope.startswith("category:"):
            frame = frame[frame["category"] == scope.split(":", 1)[1]]
        if frame.empty:
            status.show_message(tr("No facilities to draw circles for"), 5000)
            return False
        if method == "network":
            if len(frame) > MAX_NETWORK_FACILITIES:
                QMessageBox.warning(self.window, tr("Service Circles"),
                                    tr("Walking areas along roads are limited to 5000 facilities."))
                return False
            circles = self._walking_areas(frame, minutes, walk.speed_m_per_min * minutes)
            if circles is None:
                return False
        else:
            circles = service_circles_frame(frame, minutes, walk.radius_m(minutes))
        text = tr("Service circles") + f" {walk.describe(minutes)}"
        if project.has_layer("service_circles"):
            editor.push(ReplaceLayerCommand(project, "service_circles", circles, text))
        else:
            editor.push(AddFeaturesCommand(project, "service_circles", circles, text))
            project.layer("service_circles").set_selection([])
        layer = project.layer("service_circles")
        along = f" · {walk.speed_m_per_min * minutes:.0f} m"
        suffix = walk.describe(minutes) if method == "circle" else (
            f"{minutes:g} min · " + tr("along roads") + along)
        layer.set_style(title_suffix=suffix)
        skipped = without_position(frame)
        if skipped:
            status.show_message(tr("Facilities with no position, skipped") + f": {skipped}")
        reach = walk.speed_m_per_min * minutes if method == "network" else walk.radius_m(minutes)
        self.circles.made(scope_recipe(scope, minutes, reach, method, frame))
        return True

    def _walking_areas(self, frame: gpd.GeoDataFrame, minutes: float,
                       distance: float) -> gpd.GeoDataFrame | None:
        """Return the walking-area layer, with a progress dialog that can cancel."""
        from layers.analysis.service_circles import walking_areas_frame

        roads = self.window.project.layer("roads").frame
        areas = run_with_progress(
            self.window, tr("Service Circles"),
            lambda progress: walking_areas_frame(frame, roads, minutes, distance, progress),
            label=tr("Walking along the roads…"), total=len(frame))
        if areas is None:
            self.window.status.show_message(tr("Cancelled"), 5000)
        return areas

    def run_audit(self) -> None:
        """Show the checklist dock and audit every community."""
        window = self.window
        window.checklist_dock.show()
        window.checklist_dock.raise_()
        window.checklist.run()

    def show_warnings(self, warnings: dict) -> None:
        """Mark on the map the communities the audit found missing something.

        Parameters
        ----------
        warnings : dict
            Community id to what is missing.
        """
        self.window.canvas.renderer.community_warnings = dict(warnings)
        self.window.canvas.refresh(immediate=True)


class StaleBanner(QFrame):
    """A note in the map's corner: what is out of date, and a Refresh button.

    Parameters
    ----------
    canvas : QWidget
        The map canvas it floats on.
    """

    def __init__(self, canvas: object) -> None:
        super().__init__(canvas)
        self.setObjectName("StaleBanner")
        self.setStyleSheet("#StaleBanner { background: #fff3bf; border: 1px solid #e0a800;"
                           " border-radius: 3px; } QLabel { color: #5c3c00; }")
        self.label = QLabel()
        self.refresh_button = QPushButton()
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        row.addWidget(self.label)
        row.addWidget(self.refresh_button)
        self.move(10, 10)
        self.hide()

    def show_parts(self, parts: list[str]) -> None:
        """Show the note for what is out of date; hide it when nothing is.

        Parameters
        ----------
        parts : list of str
            Translated names of what is out of date.
        """
        if not parts:
            self.hide()
            return
        self.label.setText(tr("Out of date: {what}").format(what=" · ".join(parts)))
        self.refresh_button.setText(tr("Refresh"))
        self.adjustSize()
        self.show()
        self.raise_()
