"""The 生活圈覆盖 dock: who lives within 5, 10 and 15 minutes of each checklist category.

A grouped bar chart (:class:`~desktop.docks.coverage_chart.CoverageChart`) shows,
per checklist category, the share of the known residents covered at each walk
tier; when no community's population is known it shows the share of communities
instead and says so, never a 0% bar for residents. Below it, the report's summary
sentences and a street selector.

The figures follow the project: an edit, import, undo or redo, or a change of the
checklist dock's walk, computes them again a moment later on a worker thread.
Only one computation runs at a time; a newer change cancels the running one and
follows it, and the last chart stays shown meanwhile. Clicking a bar selects the
communities that bar leaves out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.docks.checklist_panel import AUDITED_LAYERS
from desktop.docks.coverage_chart import CoverageChart
from desktop.i18n import tr
from desktop.workers import BackgroundJob
from layers.analysis.checklist import Checklist
from layers.analysis.residents import ALL_COMMUNITIES, GroupCoverage
from layers.model.events import ProjectWatch
from layers.model.project import Project
from layers.report.coverage_figures import CoverageFigures, compute_figures

if TYPE_CHECKING:

    from desktop.docks.checklist_panel import ChecklistPanel

#: A burst of edits (a paste, a drag, undo held down) is computed once, this long after.
DEBOUNCE_MS = 300
STATE_STYLE = "color: #5c3c00;"
NOTE_STYLE = "background: #fff3bf; color: #5c3c00; padding: 2px 4px;"


class CoveragePanel(QWidget):
    """Residents (or communities) covered per checklist category at 5, 10 and 15 minutes.

    Parameters
    ----------
    project : Project
        The project.
    settings : ChecklistPanel
        The checklist dock, whose checklist, walk time, preset and *along roads*
        choice the figures use.

    Attributes
    ----------
    computed : Signal()
        New figures are shown.
    """

    computed = Signal()

    def __init__(self, project: Project, settings: ChecklistPanel,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.settings = settings
        self.figures: CoverageFigures | None = None
        #: computations started, for the planner's status line and for tests
        self.runs = 0
        self._job: BackgroundJob | None = None
        self._again = False  # a newer change arrived while a job was running
        self._dirty = True  # the figures shown (if any) are not the project's
        self._shown = True  # False while the dock's tab is behind another
        self._checklist_used: Checklist | None = None
        self.street_label = QLabel()
        self.street_box = QComboBox()
        self.street_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.street_box.currentIndexChanged.connect(self._show_group)
        self.state_label = QLabel()
        self.state_label.setStyleSheet(STATE_STYLE)
        self.chart = CoverageChart()
        self.chart.bar_clicked.connect(self.select_uncovered)
        self.note_label = QLabel()
        self.note_label.setStyleSheet(NOTE_STYLE)
        self.note_label.hide()
        self.sentences_label = QLabel()
        self.sentences_label.setWordWrap(True)
        self.sentences_label.setTextFormat(Qt.TextFormat.PlainText)
        self.sentences_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sentences_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        sentences = QScrollArea()
        sentences.setWidgetResizable(True)
        sentences.setWidget(self.sentences_label)
        sentences.setMinimumHeight(30)
        sentences.setMaximumHeight(110)
        top = QHBoxLayout()
        top.addWidget(self.street_label)
        top.addWidget(self.street_box)
        top.addStretch(1)
        top.addWidget(self.state_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.note_label)
        layout.addWidget(sentences)
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(DEBOUNCE_MS)
        self._later.timeout.connect(self.recompute)
        self._watch = ProjectWatch(project_slots={"layers_changed": self._on_change},
                                   layer_slots={"features_changed": self._on_change},
                                   layer_names=AUDITED_LAYERS)
        self.destroyed.connect(self._watch.close)
        self._watch.watch(project)
        # the checklist dock's widgets live as long as this panel: connected once
        settings.minutes.valueChanged.connect(self._on_change)
        settings.preset.currentIndexChanged.connect(self._on_change)
        settings.along_roads.toggled.connect(self._on_change)
        settings.warnings_changed.connect(self._on_audit)
        self.retranslate()
        self._later.start()

    def retranslate(self) -> None:
        """Apply the current language."""
        self.street_label.setText(tr("Street:"))
        if self.street_box.count():
            self.street_box.setItemText(0, tr("Whole project"))
        self.note_label.setText(tr("Population unknown: counted by communities"))
        self._show_group()

    def set_project(self, project: Project) -> None:
        """Follow another project: drop the old one's figures and listeners.

        Parameters
        ----------
        project : Project
            The project.
        """
        self.project = project
        self._watch.watch(project)
        self._cancel()
        self.figures = None
        self._fill_streets()
        self._show_group()
        self._on_change()

    def close_project(self) -> None:
        """Stop following any project (the window closes)."""
        self._watch.close()
        self._later.stop()
        self._cancel()

    # ----- computing ----------------------------------------------------
    def _on_change(self, *_: object) -> None:
        """Something the figures read changed: compute again once things settle."""
        self._dirty = True
        self._later.start()

    def _on_audit(self, *_: object) -> None:
        """Follow a checklist loaded in the checklist dock (it audits at once)."""
        if self.settings.checklist is not self._checklist_used:
            self._on_change()

    @property
    def computing(self) -> bool:
        """Whether a computation is running or waiting for its debounce."""
        return self._later.isActive() or (self._job is not None and self._job.running)

    def recompute(self) -> None:
        """Compute the figures again on a worker thread (a running job is superseded)."""
        self._later.stop()
        if not (self._shown and self.isVisible()):
            return  # hidden, or behind another tab: computed when shown (see set_shown)
        if self._job is not None and self._job.running:
            self._again = True  # after the running job stops, once
            self._job.cancel()
            return
        self._again = False
        self._dirty = False
        self.runs += 1
        project, settings = self.project, self.settings
        checklist, walk = settings.checklist, settings.walk()
        minutes = float(settings.minutes.value())
        along = (project.has_layer("roads") and len(project.layer("roads")) > 0
                 and settings.along_roads.isChecked())
        # copies: the planner may edit the project while the worker reads them
        communities = project.communities.frame.copy()
        facilities = project.facilities.frame.copy()
        boundaries = (project.layer("boundaries").frame.copy()
                      if project.has_layer("boundaries") else None)
        roads = project.layer("roads").frame.copy() if along else None
        self._checklist_used = checklist
        job = BackgroundJob(lambda progress: compute_figures(
            communities, facilities, checklist, walk, minutes, boundaries, roads, progress),
            self)
        job.succeeded.connect(lambda figures: self._on_result(job, figures))
        job.failed.connect(lambda text: self._on_failed(job, text))
        job.finished.connect(lambda: self._on_finished(job))
        self._job = job
        self.state_label.setText(tr("Updating…"))
        job.start()

    def _cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self._job = None  # its late result is dropped
        self._again = False
        self.state_label.clear()

    def _on_result(self, job: BackgroundJob, figures: CoverageFigures | None) -> None:
        if job is not self._job or self._again or figures is None:
            return  # superseded, or cancelled
        self.figures = figures
        self._fill_streets()
        self._show_group()
        self.state_label.clear()
        self.computed.emit()

    def _on_failed(self, job: BackgroundJob, text: str) -> None:
        if job is self._job:
            self.state_label.setText(text)

    def _on_finished(self, job: BackgroundJob) -> None:
        job.deleteLater()
        if job is not self._job:
            return
        self._job = None
        if self._again:
            self.recompute()

    def set_shown(self, shown: bool) -> None:
        """Follow the dock's visibility: work only while the planner can see the chart.

        Parameters
        ----------
        shown : bool
            True when the dock is shown and its tab is in front (``visibilityChanged``).
        """
        self._shown = shown
        if shown and self._dirty and not self._later.isActive():
            self._later.start()

    def showEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """Compute what changed while the panel was hidden."""
        super().showEvent(event)
        self.set_shown(self._shown)

    # ----- showing ------------------------------------------------------
    def group_name(self) -> str:
        """Return the group shown: :data:`ALL_COMMUNITIES` or a street name.

        Returns
        -------
        str
            The street selector's choice.
        """
        return self.street_box.currentData() or ALL_COMMUNITIES

    def set_group(self, name: str) -> None:
        """Show the whole project (:data:`ALL_COMMUNITIES`) or one street.

        Parameters
        ----------
        name : str
            Group name, as listed in the street selector.
        """
        index = self.street_box.findData(name)
        self.street_box.setCurrentIndex(max(index, 0))

    def _fill_streets(self) -> None:
        """List the whole project and each street, keeping the choice when it is still there."""
        current = self.group_name()
        names = [g.name for g in self.figures.coverage.streets] if self.figures else []
        self.street_box.blockSignals(True)  # the choice is shown once, after filling
        self.street_box.clear()
        self.street_box.addItem(tr("Whole project"), ALL_COMMUNITIES)
        for name in names:
            self.street_box.addItem(name, name)
        self.street_box.setCurrentIndex(max(self.street_box.findData(current), 0))
        self.street_box.blockSignals(False)

    def _show_group(self, *_: object) -> None:
        if self.figures is None:
            self.chart.set_figures(tr("Residents within walking distance"), "residents", {},
                                   GroupCoverage(ALL_COMMUNITIES))
            self.sentences_label.clear()
            self.note_label.hide()
            return
        name = self.group_name()
        group = self.figures.group(name)
        # shares of residents only where some are known: never a 0% bar for unknown people
        by_residents = any(f.residents > 0 for f in group.figures)
        where = tr("whole project") if name == ALL_COMMUNITIES else name
        if by_residents:
            title = tr("Share of known residents within walking distance · {where}")
        else:
            title = tr("Share of communities within walking distance · {where}")
        self.chart.set_figures(title.format(where=where),
                               "residents" if by_residents else "communities",
                               self.figures.labels, group)
        self.note_label.setVisible(not by_residents)
        lines = list(self.figures.sentences.get(group.name, []))
        if not self.figures.coverage.communities:
            lines = [tr("No community with a position to count")]
        if self.figures.coverage.not_placed and name == ALL_COMMUNITIES:
            lines.append(tr("Communities with no position, not audited")
                         + f": {self.figures.coverage.not_placed}")
        self.sentences_label.setText("\n".join(lines))

    def select_uncovered(self, category: str, minutes: float) -> list[str]:
        """Select on the map the shown group's communities a bar leaves out.

        Parameters
        ----------
        category : str
            Category id.
        minutes : float
            Walk tier.

        Returns
        -------
        list of str
            The selected community ids (other layers' selections are cleared).
        """
        if self.figures is None:
            return []
        ids = self.figures.uncovered(self.group_name(), category, minutes)
        communities = self.project.communities
        for layer in self.project.layers:
            if layer is not communities and layer.selected_ids:
                layer.set_selection([])
        communities.set_selection(ids)
        label = self.figures.labels.get(category, category)
        self.state_label.setText(tr("Selected {n} communities without {category} within "
                                    "{minutes} min").format(n=len(ids), category=label,
                                                            minutes=f"{minutes:g}"))
        return ids
