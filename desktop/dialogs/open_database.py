"""File ▸ Open Database…: a team's project in a PostGIS schema.

The planner gives the server as fields (host, port, database, user, schema; a
host starting with ``/`` is a Unix-socket folder) or as one libpq URL line; the
two stay in step. The password goes to psycopg as a connection parameter and is
never written into the URL, the recent list or the settings: with a system keyring
the planner may keep it there, without one (a headless server) it is asked for each
time, and the dialog says so. Opening reads the whole project off the GUI thread,
with a busy bar and *Cancel*; a failure is one line in the dialog.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import tr
from desktop.workers import BackgroundJob
from layers.model.changes import StoreError
from layers.model.project import Project
from layers.store.passwords import (
    forget_password,
    keyring_usable,
    password_in,
    remember_password,
    stored_password,
    without_password,
)
from layers.store.postgis import PostgisStore, is_database_url, split_url

#: The planner's name for the edit history (not a secret; kept in the settings).
PLANNER_SETTING = "team/planner"


def url_from_fields(host: str, port: str, database: str, user: str, schema: str) -> str:
    """Return the project URL for the connection fields (never with a password).

    Parameters
    ----------
    host : str
        Server name or address; a folder (``/run/postgresql``) for a Unix socket;
        empty for libpq's default.
    port : str
        Port, or empty for 5432.
    database : str
        Database name.
    user : str
        Database user, or empty for libpq's default (the login name).
    schema : str
        The project's schema.

    Returns
    -------
    str
        ``postgresql://user@host:port/db?schema=NAME``.
    """
    host, port = host.strip(), port.strip()
    userinfo = quote(user.strip(), safe="") + "@" if user.strip() else ""
    query: list[tuple[str, str]] = []
    if host.startswith("/"):
        netloc = userinfo
        query.append(("host", host))
        if port:
            query.append(("port", port))
    else:
        server = f"[{host}]" if ":" in host else host
        netloc = userinfo + server + (f":{port}" if port else "")
    if schema.strip():
        query.append(("schema", schema.strip()))
    path = "/" + quote(database.strip(), safe="")
    return f"postgresql://{netloc}{path}" + ("?" + urlencode(query, safe="/") if query else "")


def fields_from_url(url: str) -> dict[str, str]:
    """Split a project URL into the dialog's fields.

    Parameters
    ----------
    url : str
        A libpq URL, with ``schema`` as a query parameter.

    Returns
    -------
    dict of str to str
        ``host``, ``port``, ``database``, ``user`` and ``schema`` (empty when not given).
    """
    parts = urlsplit(url.strip())
    query = dict(parse_qsl(parts.query))
    try:
        port = str(parts.port or "")
    except ValueError:
        port = ""
    return {"host": query.get("host") or unquote(parts.hostname or ""),
            "port": query.get("port") or port,
            "database": unquote(parts.path.lstrip("/")),
            "user": unquote(parts.username or ""),
            "schema": query.get("schema", "")}


def recent_databases() -> list[str]:
    """Return the database projects opened last, newest first (no passwords in them).

    Returns
    -------
    list of str
        Project URLs.
    """
    stored = QSettings().value("files/recent_databases", []) or []
    if isinstance(stored, str):  # QSettings gives a one-item list back as a string
        stored = [stored]
    return [str(u) for u in stored if is_database_url(str(u))][:10]


def remember_database(url: str) -> None:
    """Put a database project first in the recent list, without any password.

    Parameters
    ----------
    url : str
        The project URL.
    """
    url = without_password(url)
    urls = [url, *(u for u in recent_databases() if u != url)]
    QSettings().setValue("files/recent_databases", urls[:10])


class OpenDatabaseDialog(QDialog):
    """Connection fields, the password, and opening off the GUI thread.

    Parameters
    ----------
    parent : QWidget, optional
        Owner window.
    url : str, optional
        Prefill the fields from this project URL (a recent database).

    Attributes
    ----------
    project : Project or None
        The opened project, once the dialog is accepted.
    """

    FIELDS = ("host", "port", "database", "user", "schema")

    def __init__(self, parent: QWidget | None = None, url: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OpenDatabaseDialog")
        self.setWindowTitle(tr("Open Database"))
        self.project: Project | None = None
        self._job: BackgroundJob | None = None
        self.url_edit = QComboBox()
        self.url_edit.setEditable(True)
        self.url_edit.addItems(recent_databases())
        self.url_edit.lineEdit().setPlaceholderText(
            "postgresql://user@host:5432/db?schema=NAME")
        self.url_edit.lineEdit().textEdited.connect(self._on_url_edited)
        self.url_edit.activated.connect(lambda _i: self._on_url_edited(self.url_edit.currentText()))
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.addRow(tr("URL"), self.url_edit)
        labels = {"host": tr("Host (or socket folder)"), "port": tr("Port"),
                  "database": tr("Database"), "user": tr("User"), "schema": tr("Schema")}
        for name in self.FIELDS:
            edit = QLineEdit()
            edit.textEdited.connect(self._on_field_edited)
            self.edits[name] = edit
            form.addRow(labels[name], edit)
        self.edits["port"].setPlaceholderText("5432")
        self.edits["host"].setPlaceholderText("localhost · /run/postgresql")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("Password"), self.password_edit)
        self.remember_box = QCheckBox(tr("Remember in the system keyring"))
        self.keyring_note = QLabel()
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setStyleSheet("color: #666")
        if keyring_usable():
            form.addRow("", self.remember_box)
        else:
            self.remember_box.setEnabled(False)
            self.remember_box.hide()
            self.keyring_note.setText(tr(
                "No system keyring was found: the password is asked for each time and "
                "never stored."))
            form.addRow("", self.keyring_note)
        self.planner_edit = QLineEdit(str(QSettings().value(PLANNER_SETTING, "") or ""))
        self.planner_edit.setPlaceholderText(tr("shown in the edit history"))
        form.addRow(tr("Your name"), self.planner_edit)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.error_label = QLabel()
        self.error_label.setObjectName("OpenDatabaseError")
        self.error_label.setStyleSheet("color: #b00020")
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.open_button = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        self.buttons.accepted.connect(self.open_database)
        self.buttons.rejected.connect(self._cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        start = url or (recent_databases()[0] if recent_databases() else "")
        if start:
            self.set_url(start)
        if self.remember_box.isEnabled() and start and stored_password(self.url()):
            self.remember_box.setChecked(True)  # kept before: unticking forgets it
        self.resize(560, self.sizeHint().height())

    # ----- the URL and the fields, kept in step ---------------------------
    def url(self) -> str:
        """Return the project URL the fields give (never with a password).

        Returns
        -------
        str
            ``postgresql://…?schema=NAME``.
        """
        return url_from_fields(*(self.edits[n].text() for n in self.FIELDS))

    def set_url(self, url: str) -> None:
        """Fill the fields from a URL; a password written into it moves to the password field.

        Parameters
        ----------
        url : str
            A libpq URL.
        """
        self._on_url_edited(url)
        self.url_edit.setEditText(self.url())

    def _on_url_edited(self, text: str) -> None:
        password = password_in(text)
        if password:
            self.password_edit.setText(password)
            text = without_password(text)
            self.url_edit.setEditText(text)
        for name, value in fields_from_url(text).items():
            self.edits[name].setText(value)

    def _on_field_edited(self, _text: str) -> None:
        self.url_edit.setEditText(self.url())

    # ----- opening ------------------------------------------------------
    def open_database(self) -> None:
        """Open the project off the GUI thread; accept, or show one line."""
        if self._job is not None:
            return
        url = self.url()
        try:
            split_url(url)
        except StoreError as exc:
            self.show_error(str(exc))
            return
        if not self.edits["database"].text().strip():
            self.show_error(tr("Give the database's name."))
            return
        password = self.password_edit.text() or stored_password(url)
        planner = self.planner_edit.text().strip() or None
        store = PostgisStore(url, password=password, planner=planner)
        from layers.store import open_project

        self.error_label.clear()
        self.busy.show()
        self.open_button.setEnabled(False)
        job = BackgroundJob(lambda _progress: open_project(store), self)
        job.succeeded.connect(lambda project: self._opened(project, url, password))
        job.failed.connect(lambda line: self._failed(job, line))
        job.finished.connect(lambda: self._ended(job))
        self._job = job
        job.start()

    @property
    def opening(self) -> bool:
        """Whether a project is being read now."""
        return self._job is not None and self._job.running

    def _opened(self, project: Project, url: str, password: str | None) -> None:
        if self._job is None or self._job.cancelled:
            return  # cancelled: the project read is dropped
        self.project = project
        QSettings().setValue(PLANNER_SETTING, self.planner_edit.text().strip())
        if self.remember_box.isEnabled():
            if password and self.remember_box.isChecked():
                remember_password(url, password)
            elif not self.remember_box.isChecked():
                forget_password(url)
        self.password_edit.clear()
        self.accept()

    def show_error(self, line: str) -> None:
        """Show a failure as one line under the fields.

        Parameters
        ----------
        line : str
            What went wrong.
        """
        text = (line.strip().splitlines() or [""])[0]
        self.error_label.setText(text)
        self.error_label.setToolTip(text)

    def _failed(self, job: BackgroundJob, line: str) -> None:
        if job is self._job:
            self.show_error(line)

    def _ended(self, job: BackgroundJob) -> None:
        job.deleteLater()
        if job is self._job:
            self._job = None
            self.busy.hide()
            self.open_button.setEnabled(True)

    def reject(self) -> None:
        """Close the dialog; a project being read is dropped when it arrives."""
        if self._job is not None and self._job.running:
            self._job.cancel()
        self._job = None
        super().reject()

    def _cancel(self) -> None:
        if self._job is not None and self._job.running:
            self._job.cancel()  # the read finishes on its own; its result is dropped
            self._job = None
            self.show_error(tr("Opening cancelled."))
            self.busy.hide()
            self.open_button.setEnabled(True)
            return
        self.reject()
