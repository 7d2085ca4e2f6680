import os
import shutil
from pathlib import Path

import pytest

from layers.store import open_project

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: the throwaway PostgreSQL/PostGIS cluster fixtures (postgres_cluster, postgis_url)
pytest_plugins = ["tests.postgres"]
os.environ.setdefault("FACILITY_MAPPER_NO_BASEMAP", "1")

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "data" / "communities.gpkg"


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled project."""
    target = tmp_path / "project.gpkg"
    shutil.copy(BUNDLED, target)
    return target


@pytest.fixture
def no_position_copy(bundled_copy: Path) -> Path:
    """The bundled project plus features without a position, as other tools write them.

    Two facilities (one ``POINT EMPTY``, one ``POINT (NaN NaN)``) and one
    ``POINT EMPTY`` community are appended with GDAL, as another program would.
    """
    import pyogrio
    import shapely

    for layer, geoms in (("facilities", [shapely.Point(), shapely.Point(float("nan"),
                                                                        float("nan"))]),
                         ("communities", [shapely.Point()])):
        frame = pyogrio.read_dataframe(bundled_copy, layer=layer)
        rows = frame.iloc[[0] * len(geoms)].copy()
        rows["id"] = [f"no-position-{layer}-{i}" for i in range(len(geoms))]
        rows["name"] = [f"无位置{i}" for i in range(len(geoms))]
        rows = rows.set_geometry(geoms, crs=frame.crs)
        pyogrio.write_dataframe(rows, bundled_copy, layer=layer, append=True)
    return bundled_copy


@pytest.fixture(scope="session", autouse=True)
def _isolated_qt_settings(tmp_path_factory):
    """Keep QSettings (window layout, language) out of the user's real config."""
    try:
        from PySide6.QtCore import QCoreApplication, QSettings
    except ImportError:  # the no-Qt model tests
        yield
        return
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QCoreApplication.setOrganizationName("facility-mapper-tests")
    QCoreApplication.setApplicationName("facility-mapper-tests")
    yield


@pytest.fixture
def make_window(qtbot):
    """Open main windows; at teardown they close without a save prompt.

    They are not handed to ``qtbot.addWidget``: pytest-qt would close them before
    this fixture can clear the unsaved flag, and the Save/Discard prompt would block.
    """
    from desktop.main_window import MainWindow

    made = []

    def make(path):
        win = MainWindow(open_project(path), basemap=False)
        made.append(win)
        win.resize(1400, 900)
        win.show()
        qtbot.waitExposed(win)
        win.canvas.render_now()
        # the offline boundaries load on a worker thread: wait, so a test's picture of the
        # map does not change under it when they arrive
        from desktop.canvas.admin_drawing import admin_loader

        qtbot.waitUntil(lambda: not admin_loader().busy, timeout=30_000)
        qtbot.wait(10)  # their redraw
        win.canvas.render_now()
        return win

    yield make
    for win in made:
        win.project.set_modified(False)
        win.close()
        win.deleteLater()


@pytest.fixture
def window(make_window, bundled_copy):
    """The main window on a writable copy of the bundled project, shown offscreen."""
    return make_window(bundled_copy)


@pytest.fixture(autouse=True)
def _no_leftover_windows(request):
    """Fail a widget test that leaves top-level windows behind (napari's habit)."""
    yield
    if "qtbot" not in request.fixturenames:
        return
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    app.processEvents()
    left = [w for w in app.topLevelWidgets() if w.isVisible() and w.objectName() != "MainWindow"
            and type(w).__name__ not in ("QMenu",)]
    assert not left, f"test left top-level widgets: {left}"


def kill_while_saving(script: str, folder: Path, ready: str) -> None:
    """Run ``script`` in a child process and SIGKILL it in the middle of a save.

    The script prints ``ready`` once it is about to save; the kill comes once a
    temporary ``.saving`` file (a whole-file write) or SQLite's ``-journal`` (a save
    in place) has appeared in ``folder``, so the write is under way.
    """
    import os
    import signal
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == ready
    deadline = time.time() + 60
    while time.time() < deadline and not any(
            ".saving" in p.name or p.name.endswith("-journal") for p in folder.iterdir()):
        time.sleep(0.005)
    time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


GUI_FIXTURES = {"qtbot", "qapp", "make_window", "window"}


def pytest_collection_modifyitems(config, items):
    """Mark every test that needs a Qt application as ``gui``.

    ``pytest -m "not gui and not browser"`` then runs the model tests alone,
    without a display and without PySide6.
    """
    for item in items:
        if GUI_FIXTURES & set(getattr(item, "fixturenames", ())) or "/desktop/" in item.nodeid:
            item.add_marker(pytest.mark.gui)
