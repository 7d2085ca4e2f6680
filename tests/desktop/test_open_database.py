"""File ▸ Open Database…, others' saves loaded live, and who changed a feature (real PostGIS)."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
import pytest
import shapely
from PySide6.QtCore import QSettings, QTimer

from desktop.dialogs.open_database import (
    OpenDatabaseDialog,
    fields_from_url,
    recent_databases,
    url_from_fields,
)
from desktop.i18n import tr
from layers.store import open_project, save_as
from layers.store.passwords import keyring_usable
from layers.store.postgis import PostgisStore, split_url
from tests.conftest import BUNDLED

pytestmark = pytest.mark.postgres

ROLE, PASSWORD = "fm_planner", "s3cret-Pw!"


@pytest.fixture(autouse=True)
def _fresh_file_settings():
    settings = QSettings()
    settings.remove("files")
    settings.remove("team")
    yield
    settings.remove("files")
    settings.remove("team")


@pytest.fixture
def team_project(postgis_url: str) -> str:
    """The bundled project in a fresh database's ``project`` schema."""
    save_as(open_project(BUNDLED), postgis_url)
    return postgis_url


@pytest.fixture
def password_user(postgres_cluster, team_project) -> dict[str, str]:
    """A database user who must give a password (scram-sha-256), and the URL's parts."""
    conninfo, _schema = split_url(team_project)
    with psycopg.connect(conninfo, autocommit=True) as con:
        if not con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,)).fetchone():
            con.execute(f"CREATE ROLE {ROLE} LOGIN SUPERUSER")
        con.execute(f"ALTER ROLE {ROLE} PASSWORD '{PASSWORD}'")
        hba = Path(postgres_cluster.data) / "pg_hba.conf"
        rule = f"local all {ROLE} scram-sha-256\n"
        text = hba.read_text()
        if rule not in text:
            hba.write_text(rule + text)
            con.execute("SELECT pg_reload_conf()")
    fields = fields_from_url(conninfo)
    fields.update(user=ROLE, schema="project")
    deadline = time.monotonic() + 10  # the server reads pg_hba.conf again on its own time
    while time.monotonic() < deadline:
        try:
            psycopg.connect(url_from_fields(**{**fields, "schema": ""}), connect_timeout=5).close()
        except psycopg.OperationalError:
            break
        time.sleep(0.05)
    return fields


def _when_the_dialog_shows(window, handle) -> None:  # noqa: ANN001
    def poll():
        dialog = window.files.open_database_dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, poll)
            return
        handle(dialog)

    QTimer.singleShot(0, poll)


def _settings_text() -> str:
    settings = QSettings()
    settings.sync()
    values = " ".join(str(settings.value(k)) for k in settings.allKeys())
    return values + Path(settings.fileName()).read_text(encoding="utf-8", errors="replace")


def test_the_url_and_the_fields_stay_in_step():
    url = url_from_fields("/run/postgresql", "", "district", "planner", "team")
    assert url == "postgresql://planner@/district?host=/run/postgresql&schema=team"
    assert fields_from_url(url) == {"host": "/run/postgresql", "port": "", "database": "district",
                                    "user": "planner", "schema": "team"}
    assert url_from_fields("db.example", "5433", "district", "", "team") == \
        "postgresql://db.example:5433/district?schema=team"


def test_a_password_typed_into_the_url_moves_to_the_password_field(qtbot):
    dialog = OpenDatabaseDialog()
    qtbot.addWidget(dialog)
    dialog.set_url("postgresql://planner:hunter2@db.example/district?schema=team")
    assert dialog.password_edit.text() == "hunter2"
    assert "hunter2" not in dialog.url_edit.currentText()
    assert dialog.edits["host"].text() == "db.example"
    dialog.edits["schema"].setText("other")
    dialog.edits["schema"].textEdited.emit("other")
    assert dialog.url_edit.currentText() == "postgresql://planner@db.example/district?schema=other"
    if not keyring_usable():  # this headless machine: nothing to keep a password safely in
        assert not dialog.remember_box.isEnabled()
        assert dialog.keyring_note.text() == tr(
            "No system keyring was found: the password is asked for each time and never stored.")


def test_open_database_with_a_typed_password(window, password_user):
    url = url_from_fields(**password_user)
    done = []

    def fill(dialog):
        dialog.set_url(url)
        dialog.password_edit.setText(PASSWORD)
        dialog.planner_edit.setText("王工")
        dialog.open_button.click()
        done.append(dialog)

    _when_the_dialog_shows(window, fill)
    assert window.files.open_database()
    assert done
    project = window.project
    assert isinstance(project.store, PostgisStore)
    assert len(project.facilities) == 23
    database = password_user["database"]
    assert f"{database} · project" in window.windowTitle()
    assert window.files.live.listening
    # the password is nowhere: not in the settings, the recent list or the menu
    assert PASSWORD not in _settings_text()
    assert recent_databases() == [url]
    window.menus.update_recent()
    texts = [a.text() for a in window.menus.recent_menu.actions()]
    assert any(f"{database} · project" in t for t in texts)
    assert not any(PASSWORD in t for t in texts)
    # saving goes back to the database, not to a file
    fid = project.facilities.ids[0]
    project.facilities.update_attributes(fid, {"name": "存回数据库"})
    assert window.save()
    assert open_project(PostgisStore(url, password=PASSWORD)).facilities.feature(fid)["name"] \
        == "存回数据库"


def test_a_wrong_password_is_one_line_in_the_dialog(qtbot, password_user):
    dialog = OpenDatabaseDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_url(url_from_fields(**password_user))
    dialog.password_edit.setText("not-the-password")
    dialog.open_button.click()
    qtbot.waitUntil(lambda: not dialog.opening and bool(dialog.error_label.text()),
                    timeout=30000)
    line = dialog.error_label.text()
    assert "password authentication failed" in line
    assert "\n" not in line and "Traceback" not in line and "not-the-password" not in line
    assert dialog.project is None and dialog.isVisible()  # the planner can try again
    dialog.reject()


def test_others_saves_load_live_and_unsaved_edits_survive(make_window, team_project, qtbot):
    window = make_window(team_project)
    live = window.files.live
    assert live.listening
    mine = window.project
    own, other = mine.facilities.ids[1], mine.facilities.ids[2]
    mine.facilities.update_attributes(own, {"name": "我还没保存"})
    theirs = open_project(team_project)
    theirs.facilities.update_attributes(other, {"name": "同事刚保存的"})
    theirs.facilities.add_features({"name": "同事的新驿站", "category": "service_station",
                                    "geometry": shapely.Point(120.15, 30.28)})
    results = []
    live.refreshed.connect(results.append)
    theirs.save()
    qtbot.waitUntil(lambda: mine.facilities.feature(other)["name"] == "同事刚保存的",
                    timeout=10000)
    assert "同事的新驿站" in set(mine.facilities.frame["name"])
    assert mine.facilities.feature(own)["name"] == "我还没保存" and mine.modified
    assert results[-1].loaded == 2
    assert window.statusBar().currentMessage() == tr("{n} changes from others loaded").format(n=2)
    # the window closes: the listener's connection goes with it
    mine.set_modified(False)
    window.close()
    qtbot.waitUntil(lambda: not live.listening, timeout=5000)


def test_a_conflict_heard_live_keeps_mine_and_is_settled_on_save(make_window, team_project,
                                                                 qtbot):
    window = make_window(team_project)
    mine = window.project
    shared = mine.facilities.ids[0]
    mine.facilities.update_attributes(shared, {"name": "我的版本"})
    theirs = open_project(team_project)
    theirs.facilities.update_attributes(shared, {"name": "他们的版本"})
    results = []
    window.files.live.refreshed.connect(results.append)
    theirs.save()
    qtbot.waitUntil(lambda: bool(results), timeout=10000)
    assert len(results[-1].conflicts) == 1
    assert mine.facilities.feature(shared)["name"] == "我的版本"
    assert "1" in window.statusBar().currentMessage()
    assert window.files.conflict_dialog is None  # no dialog until the planner saves


def test_the_attribute_panel_says_who_changed_a_feature(make_window, team_project, qtbot):
    store = PostgisStore(team_project, planner="李工")
    editor = open_project(store)
    fid = editor.facilities.ids[0]
    old = editor.facilities.feature(fid)["name"]
    editor.facilities.update_attributes(fid, {"name": "李工改的名字"})
    editor.save()
    store.close()
    window = make_window(team_project)
    window.show_identified("facilities", fid)
    panel = window.attributes
    line = panel.changed_label.text()
    assert line.startswith(tr("Last changed by {who} on {when}").split("{who}")[0] + "李工 (")
    assert panel.history_button.isVisible() and not panel.history_list.isVisible()
    panel.history_button.click()
    assert panel.history_list.isVisible()
    item = panel.history_list.topLevelItem(0)
    assert item.text(2) == f"name: {old} → 李工改的名字"
    assert "李工" in item.text(1)


def test_a_geopackage_project_says_the_history_needs_a_database(window):
    window.show_identified("facilities", window.project.facilities.ids[0])
    assert window.attributes.changed_label.text() == tr(
        "The edit history needs a project in a database (File ▸ Open Database…).")
    assert not window.attributes.history_button.isVisible()


def test_the_app_starts_on_a_database_url(team_project, tmp_path):
    """``main.py --project postgresql://…`` opens the window on the database project."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FACILITY_MAPPER_EXIT_AFTER_PAINT="1",
               HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "main.py", "--project", team_project],
                          cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr
