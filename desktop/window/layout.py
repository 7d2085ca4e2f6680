"""Where the docks sit: adding them, remembering the layout, and tidying Qt's tab bars."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar, QWidget


def add_dock(window: QMainWindow, name: str, widget: QWidget,
             area: Qt.DockWidgetArea) -> QDockWidget:
    """Put a panel in a movable, closable, floatable dock.

    Parameters
    ----------
    window : QMainWindow
        The window.
    name : str
        Object name, under which the layout is remembered.
    widget : QWidget
        The panel.
    area : Qt.DockWidgetArea
        Where it starts.

    Returns
    -------
    QDockWidget
        The dock.
    """
    dock = QDockWidget(window)
    dock.setObjectName(name)
    dock.setWidget(widget)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                     | QDockWidget.DockWidgetFeature.DockWidgetClosable
                     | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
    window.addDockWidget(area, dock)
    return dock


def restore_layout(window: QMainWindow) -> None:
    """Put the window and its docks back where the planner left them.

    Parameters
    ----------
    window : QMainWindow
        The window.
    """
    settings = QSettings()
    geometry = settings.value("window/geometry")
    state = settings.value("window/state")
    if geometry is not None:
        window.restoreGeometry(geometry)
    else:
        window.resize(1400, 900)
    if state is not None:
        window.restoreState(state)


def save_layout(window: QMainWindow) -> None:
    """Remember window geometry and dock layout.

    Parameters
    ----------
    window : QMainWindow
        The window.
    """
    settings = QSettings()
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())


def hide_stray_tab_bars(window: QMainWindow) -> None:
    """Hide tab bars Qt left over when the docks were tabified.

    Qt 6 can leave a second, unplaced tab bar for a tabified dock group at
    its default position, drawn over the docks. A bar in use sits right
    under a docked dock widget; any other one is hidden.

    Parameters
    ----------
    window : QMainWindow
        The window, shown.
    """
    docks = [d.geometry() for d in window.findChildren(QDockWidget)
             if d.isVisible() and not d.isFloating()]
    for bar in window.findChildren(QTabBar):
        if bar.parent() is not window or not bar.isVisible():
            continue
        g = bar.geometry()
        under_a_dock = any(abs(g.top() - d.bottom()) <= 3 and g.left() < d.right()
                           and d.left() < g.right() for d in docks)
        if not under_a_dock:
            bar.hide()
