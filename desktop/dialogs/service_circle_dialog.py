"""The service-circle tool: walking circles (or network areas) as a new layer."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import tr
from desktop.walk_inputs import minutes_box, preset_box
from layers.geo.walking import PRESETS, WalkSettings
from layers.model.categories import CATEGORIES


class ServiceCircleDialog(QDialog):
    """Choose facilities, walk time and walking preset.

    Parameters
    ----------
    has_selection : bool
        Offer "selected facilities".
    has_roads : bool
        Offer network walking areas.
    parent : QWidget, optional
        Parent.
    """

    def __init__(self, has_selection: bool, has_roads: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Service Circles"))
        self.scope = QComboBox()
        if has_selection:
            self.scope.addItem(tr("Selected facilities"), "selected")
        self.scope.addItem(tr("All facilities"), "all")
        for c in CATEGORIES:
            self.scope.addItem(tr("Category") + f": {c.label_zh}", f"category:{c.id}")
        self.minutes = minutes_box()
        self.preset = preset_box()
        self.speed = QDoubleSpinBox()
        self.speed.setRange(20, 150)
        self.speed.setSuffix(" m/min")
        self.detour = QDoubleSpinBox()
        self.detour.setRange(1.0, 3.0)
        self.detour.setSingleStep(0.05)
        self.method = QComboBox()
        self.method.addItem(tr("Circle (straight line ÷ detour)"), "circle")
        if has_roads:
            self.method.addItem(tr("Walking area along the road layer"), "network")
        self.radius_label = QLabel()
        form = QFormLayout()
        form.addRow(tr("Facilities"), self.scope)
        form.addRow(tr("Walk time"), self.minutes)
        form.addRow(tr("Preset"), self.preset)
        form.addRow(tr("Walking speed"), self.speed)
        form.addRow(tr("Detour factor"), self.detour)
        form.addRow(tr("Method"), self.method)
        form.addRow(tr("Radius"), self.radius_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._customised = False
        self.preset.currentIndexChanged.connect(self._apply_preset)
        for w in (self.speed, self.detour):
            w.valueChanged.connect(self._on_custom)
        self.minutes.valueChanged.connect(self._update_radius)
        self._apply_preset()

    def _apply_preset(self) -> None:
        preset = PRESETS[self.preset.currentData()]
        self._setting = True
        self.speed.setValue(preset.speed_m_per_min)
        self.detour.setValue(preset.detour)
        self._setting = False
        self._customised = False
        self._update_radius()

    def _on_custom(self) -> None:
        if not getattr(self, "_setting", False):
            self._customised = True
        self._update_radius()

    def walk(self) -> WalkSettings:
        """Return the walk settings as shown (custom once speed or detour is edited).

        Returns
        -------
        WalkSettings
            The settings.
        """
        if not self._customised:
            return PRESETS[self.preset.currentData()]
        return WalkSettings("custom", self.speed.value(), self.detour.value())

    def _update_radius(self) -> None:
        self.radius_label.setText(self.walk().describe(self.minutes.value()))

    def choice(self) -> tuple[str, float, WalkSettings, str]:
        """Return (scope, minutes, walk settings, method).

        Returns
        -------
        tuple
            The chosen parameters.
        """
        return (self.scope.currentData(), self.minutes.value(), self.walk(),
                self.method.currentData())
