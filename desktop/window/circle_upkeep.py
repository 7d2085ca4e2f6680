"""The service-circle layer follows the facilities, or says it is out of date.

The choice, and why:

- Straight-line circles are remade for the facilities that changed, in the same
  event as the change (adding a few circles takes milliseconds, and a 100-row
  import is one event). They are derived data, so they change *outside* the undo
  stack: the facility edit is the undo step, and undoing it remakes the circles
  again. Circle ids are kept per facility, so the command that first made the
  layer still finds its rows when it is undone.
- Walking areas along roads take ~10 ms each and need the road network, and a
  very large change (more circles than the setting ``analysis/live_circles``)
  would freeze the window: the layer is then marked out of date at once, and
  Refresh remakes it with the same walk.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

from desktop.i18n import tr
from desktop.workers import run_with_progress
from layers.analysis.circle_upkeep import CircleRecipe, keep_circles, recipe_of
from layers.model.events import FeaturesChanged, ProjectWatch
from layers.model.schema import FACILITIES, SERVICE_CIRCLES

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

#: Circles remade at once after one change; more mark the layer out of date.
LIVE_CIRCLES = 20_000
#: QSettings key that overrides :data:`LIVE_CIRCLES`.
LIVE_CIRCLES_SETTING = "analysis/live_circles"


class CircleUpkeep:
    """Keeps the window's ``service_circles`` layer in step with its facilities.

    Parameters
    ----------
    window : MainWindow
        The window whose project is followed.
    on_stale : callable
        Called with no argument whenever :attr:`stale` changes.
    """

    def __init__(self, window: MainWindow, on_stale: Callable[[], None]) -> None:
        self.window = window
        self.on_stale = on_stale
        self.stale = False
        self.recipe: CircleRecipe | None = None
        #: the recipe the planner last chose, preferred while the layer matches it
        self.chosen: CircleRecipe | None = None
        self._kept_ids: dict[str, str] = {}
        self._applying = False
        self._watch = ProjectWatch(project_slots={"layers_changed": self._reread},
                                   layer_slots={"features_changed": self._on_features_changed},
                                   layer_names=(FACILITIES.name, SERVICE_CIRCLES.name))
        window.destroyed.connect(self._watch.close)
        self.set_project(window.project)

    def set_project(self, project: object) -> None:
        """Follow another project (its circles, if any, are taken as up to date).

        Parameters
        ----------
        project : Project
            The project.
        """
        self.chosen = None
        self._kept_ids = {}
        self._watch.watch(project)
        self._set_stale(False)
        self._reread()

    def made(self, recipe: CircleRecipe) -> None:
        """Remember the walk and scope the planner just drew circles with.

        Parameters
        ----------
        recipe : CircleRecipe
            How the layer was made.
        """
        self.chosen = recipe
        self._set_stale(False)
        self._reread()

    @property
    def _circles(self) -> object | None:
        project = self.window.project
        return project.layer(SERVICE_CIRCLES.name) if project.has_layer(SERVICE_CIRCLES.name) \
            else None

    def _reread(self, *_: object) -> None:
        """Read the recipe of the circle layer as it now is (made, undone, opened)."""
        layer = self._circles
        if layer is None:
            self.recipe = None
            self._set_stale(False)
            return
        facilities = self.window.project.facilities.frame
        if self.chosen is not None and self.chosen.matches(layer.frame, facilities):
            self.recipe = self.chosen
        else:
            self.recipe = recipe_of(layer.frame, facilities)
        self._kept_ids.update(zip(layer.frame["facility_id"], layer.frame["id"], strict=True))

    def _on_features_changed(self, event: FeaturesChanged) -> None:
        if self._applying:
            return
        if event.layer.name == SERVICE_CIRCLES.name:
            self._reread()
            return
        if self.recipe is None or self._circles is None:
            return
        changed = None if event.change == "reset" else event.ids
        count = len(self.window.project.facilities) if changed is None else len(changed)
        limit = QSettings().value(LIVE_CIRCLES_SETTING, LIVE_CIRCLES, type=int)
        if self.recipe.method != "circle" or count > limit:
            self._set_stale(True)
        else:
            self._keep(changed)

    def _keep(self, facility_ids: list[str] | None) -> None:
        self._applying = True
        try:
            keep_circles(self._circles, self.window.project.facilities.frame, self.recipe,
                         facility_ids, self._kept_ids)
        finally:
            self._applying = False

    def refresh(self) -> bool:
        """Remake every circle with the layer's walk (Refresh on the out-of-date note).

        Returns
        -------
        bool
            True when the layer is up to date afterwards.
        """
        if not self.stale or self.recipe is None or self._circles is None:
            self._set_stale(False)
            return True
        if self.recipe.method == "circle":
            self._keep(None)
        elif not self._remake_walking_areas():
            return False
        self._set_stale(False)
        return True

    def _remake_walking_areas(self) -> bool:
        """Walk along the roads again for every facility in scope, keeping circle ids."""
        from layers.analysis.service_circles import walking_areas_frame

        project, recipe = self.window.project, self.recipe
        if not project.has_layer("roads"):
            return False
        facilities = project.facilities.frame
        chosen = facilities[recipe.wants(facilities)]
        roads = project.layer("roads").frame
        areas = run_with_progress(
            self.window, tr("Service Circles"),
            lambda progress: walking_areas_frame(chosen, roads, recipe.minutes,
                                                 recipe.radius_m, progress),
            label=tr("Walking along the roads…"), total=len(chosen))
        if areas is None:
            return False
        areas["id"] = [self._kept_ids.get(fid) for fid in areas["facility_id"]]
        self._applying = True
        try:
            self._circles.replace_frame(areas)  # ids missing here are made by the layer
        finally:
            self._applying = False
        self._reread()
        return True

    def _set_stale(self, stale: bool) -> None:
        if stale != self.stale:
            self.stale = stale
            self.on_stale()
