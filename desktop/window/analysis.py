"""The Analysis menu: Service Circles…, Audit Communities and Suggest Sites….

Circles and the audit say what a facility serves and what is missing; siting
proposes where the next facilities should go, and a proposal accepted becomes one.

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

    from desktop.dialogs.siting_dialog import ProposalsDialog
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
        #: the list of the last siting's proposals, while it is open
        self.proposals_dialog: ProposalsDialog | None = None

    def set_project(self, project: object) -> None:
        """Follow another project's circles.

        Parameters
        ----------
        project : Project
            The project.
        """
        self.circles.set_project(project)
        self.show_stale()
        if self.proposals_dialog is not None:  # it lists the other project's proposals
            self.proposals_dialog.close()
            self.proposals_dialog.deleteLater()
            self.proposals_dialog = None

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

    # ----- siting: where the next facilities should go ----------------------------
    def suggest_sites_dialog(self) -> bool:
        """Ask for a siting (Analysis ▸ Suggest Sites…), then propose and list the sites.

        Returns
        -------
        bool
            True when proposals were made.
        """
        from desktop.dialogs.siting_dialog import SitingDialog

        dialog = SitingDialog(parent=self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.suggest_sites(*dialog.choice())

    def suggest_sites(self, category: str, method: str, count: int | None, minutes: float,
                      walk: WalkSettings) -> bool:
        """Propose sites in the background, draw them as the ``proposals`` layer, list them.

        The proposals replace earlier ones of the category, as one undoable edit.

        Parameters
        ----------
        category : str
            Category id.
        method : str
            ``"mclp"`` or ``"lscp"``.
        count : int or None
            MCLP's number of new sites.
        minutes : float
            Walk time.
        walk : WalkSettings
            Walking preset.

        Returns
        -------
        bool
            True when proposals were made (possibly none needed), False when cancelled
            or failed.
        """
        from desktop.dialogs.siting_dialog import ProposalsDialog
        from layers.analysis.siting.candidates import points_candidates
        from layers.analysis.siting.proposals import proposals_frame
        from layers.analysis.siting.suggest import suggest_sites

        project = self.window.project
        communities, facilities = project.communities.frame, project.facilities.frame
        candidates = (points_candidates(project.layer("candidates").frame,
                                        "the project's candidates layer")
                      if project.has_layer("candidates") else None)
        if candidates is not None and len(candidates) == 0:
            candidates = None
        roads = project.layer("roads").frame if project.has_layer("roads") else None
        boundaries = (project.layer("boundaries").frame if project.has_layer("boundaries")
                      else None)

        def job(progress):  # noqa: ANN001, ANN202 - runs on a worker thread
            def report(done: int, total: int) -> bool:  # the solve counts seconds, not steps
                return progress(done if total else 1000, 1000)

            return suggest_sites(communities, facilities, category, minutes, walk, candidates,
                                 method, count, boundaries, roads, False, report)

        result = run_with_progress(self.window, tr("Suggest Sites"), job,
                                   label=tr("Choosing sites…"), total=1000)
        if result is None:
            self.window.status.show_message(tr("Cancelled"), 5000)
            return False
        frame = proposals_frame(result)
        self._replace_proposals(category, frame, tr("Suggest sites") + f" {result.walk}")
        summary = "\n".join(result.summary())
        if self.proposals_dialog is not None:
            self.proposals_dialog.close()
            self.proposals_dialog.deleteLater()
        dialog = ProposalsDialog(summary, lambda: self._proposals_of(category), self.window)
        dialog.accept_requested.connect(self.accept_proposal)
        dialog.show_requested.connect(self._show_proposal)
        self.window.editor.stack.indexChanged.connect(dialog.relist)
        self.proposals_dialog = dialog
        dialog.show()
        self.window.status.show_message(
            tr("Proposed sites") + f": {len(frame)} · " + result.summary()[3], 10000)
        return True

    def _proposals_of(self, category: str) -> gpd.GeoDataFrame:
        """Return the proposals layer's rows of one category (none without the layer)."""
        from layers.model.layer import empty_frame
        from layers.model.schema import PROPOSALS

        project = self.window.project
        if not project.has_layer(PROPOSALS.name):
            return empty_frame(PROPOSALS)
        frame = project.layer(PROPOSALS.name).frame
        return frame[frame["category"] == category]

    def _replace_proposals(self, category: str, frame: gpd.GeoDataFrame, text: str) -> None:
        """Put new proposals in place of the category's earlier ones, as one undo step."""
        import pandas as pd

        from desktop.editing.commands import AddFeaturesCommand, ReplaceLayerCommand
        from layers.model.schema import PROPOSALS

        project, editor = self.window.project, self.window.editor
        if project.has_layer(PROPOSALS.name):
            old = project.layer(PROPOSALS.name).frame
            kept = old[old["category"] != category]
            new = pd.concat([kept, frame], ignore_index=True) if len(kept) else frame
            editor.push(ReplaceLayerCommand(project, PROPOSALS.name, new, text))
        else:
            editor.push(AddFeaturesCommand(project, PROPOSALS.name, frame, text))
            project.layer(PROPOSALS.name).set_selection([])
        project.layer(PROPOSALS.name).title = tr("Proposed sites")

    def _show_proposal(self, proposal_id: str) -> None:
        """Select a proposal on the map (the list's current row)."""
        project = self.window.project
        if project.has_layer("proposals") and project.layer("proposals").has_feature(
                proposal_id):
            project.layer("proposals").set_selection([proposal_id])

    def accept_proposal(self, proposal_id: str) -> str | None:
        """Build a proposal: a facility of its category at its spot, the proposal gone.

        Both happen as one undo step.

        Parameters
        ----------
        proposal_id : str
            The proposal's id.

        Returns
        -------
        str or None
            The new facility's id; None when the proposal is no longer there.
        """
        import shapely

        from desktop.editing.commands import DeleteFeaturesCommand
        from layers.analysis.nearby import community_for_point
        from layers.model.categories import get_category

        project, editor = self.window.project, self.window.editor
        if not (project.has_layer("proposals")
                and project.layer("proposals").has_feature(proposal_id)):
            return None
        proposal = project.layer("proposals").feature(proposal_id)
        point = proposal["geometry"]
        lon, lat = shapely.get_x(point), shapely.get_y(point)
        category = proposal.get("category") or "other"
        rank = proposal.get("rank")
        name = f"拟建 {get_category(category).label_zh}" + (f" #{rank}" if rank else "")
        notes = str(proposal.get("notes") or "").split("; ")[0] or (
            f"proposed by {str(proposal.get('method') or '').upper()} siting")
        values = {"name": name, "category": category, "location_precision": "placed-on-map",
                  "community": community_for_point(project, lon, lat), "notes": notes}
        editor.stack.beginMacro(tr("Accept proposed site") + f" “{name}”")
        try:
            facility_id = editor.add_facility(values, float(lon), float(lat))
            editor.push(DeleteFeaturesCommand(project, "proposals", [proposal_id],
                                              tr("Accept proposed site")))
        finally:
            editor.stack.endMacro()
        self.window.status.show_message(tr("Added facility") + f" “{name}”", 5000)
        return facility_id

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
