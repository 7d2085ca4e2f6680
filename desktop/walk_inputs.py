"""The walk-time and walking-preset inputs every analysis dialog and dock shows alike."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox

from desktop.i18n import tr
from layers.geo.walking import PRESETS

#: Each preset's long label: what it means in metres.
_LONG = {"gb50180": "GB 50180 (5/10/15 min = 300/500/1000 m)",
         "walk": "{Walking} (80 m/min ÷ 1.25)", "elderly": "{Elderly} (60 m/min ÷ 1.25)"}
#: Short labels for a dock's narrow toolbar.
_SHORT = {"gb50180": "GB 50180", "walk": "80 m/min ÷ 1.25", "elderly": "60 m/min ÷ 1.25"}


def minutes_box(minutes: float = 10) -> QDoubleSpinBox:
    """Return a walk-time input: whole minutes from 1 to 60.

    Parameters
    ----------
    minutes : float
        The value it starts at.

    Returns
    -------
    QDoubleSpinBox
        The input, with a " min" suffix.
    """
    box = QDoubleSpinBox()
    box.setRange(1, 60)
    box.setDecimals(0)
    box.setValue(minutes)
    box.setSuffix(" min")
    return box


def preset_box(short: bool = False) -> QComboBox:
    """Return a choice of walking preset; each item's data is its key in ``PRESETS``.

    Parameters
    ----------
    short : bool
        Short labels, for a dock's toolbar.

    Returns
    -------
    QComboBox
        GB 50180, walking and elderly, in that order.
    """
    box = QComboBox()
    for key in PRESETS:
        label = (_SHORT if short else _LONG)[key]
        box.addItem(label.format(Walking=tr("Walking"), Elderly=tr("Elderly")), key)
    return box
