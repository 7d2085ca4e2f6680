"""A throwaway PostgreSQL + PostGIS cluster for the team-store tests.

``initdb`` and ``pg_ctl`` from Debian's ``postgresql`` package run in a temporary
folder, listening on a Unix socket only. As root, the server runs as the
``postgres`` system user (PostgreSQL refuses to run as root). Each test gets a
database of its own.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    return ["runuser", "-u", "postgres", "--", *cmd]


class Cluster:
    """A running cluster in a temporary folder.

    Parameters
    ----------
    root : Path
        Folder for the data directory and the socket.
    """

    def __init__(self, root: Path) -> None:
        bindir = _bindir()
        if bindir is None:
            pytest.fail("PostgreSQL is not installed: run `make test` (it installs it)")
        self.bindir, self.root = bindir, root
        self.data, self.socket = root / "data", root / "socket"
        self.socket.mkdir()
        if os.geteuid() == 0:
            shutil.chown(root, "postgres")
            shutil.chown(self.socket, "postgres")
        self.user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
        subprocess.run(_as_server_user([str(bindir / "initdb"), "-D", str(self.data),
                                        "-U", self.user, "--auth=trust", "-E", "UTF8",
                                        "--locale=C"]),
                       check=True, capture_output=True)
        options = f"-k {self.socket} -c listen_addresses='' -c fsync=off"
        subprocess.run(_as_server_user([str(bindir / "pg_ctl"), "-D", str(self.data), "-o",
                                        options, "-l", str(root / "server.log"), "-w",
                                        "start"]),
                       check=True, capture_output=True)

    def stop(self) -> None:
        """Stop the server."""
        subprocess.run(_as_server_user([str(self.bindir / "pg_ctl"), "-D", str(self.data),
                                        "-m", "immediate", "stop"]), capture_output=True)

    def new_database(self) -> str:
        """Create a database with PostGIS and return its libpq URL.

        Returns
        -------
        str
            ``postgresql://user@/name?host=SOCKET``.
        """
        name = "t_" + uuid.uuid4().hex[:12]
        subprocess.run([str(self.bindir / "createdb"), "-h", str(self.socket), "-U", self.user,
                        name], check=True, capture_output=True)
        subprocess.run([str(self.bindir / "psql"), "-h", str(self.socket), "-U", self.user,
                        "-d", name, "-qc", "CREATE EXTENSION postgis"], check=True,
                       capture_output=True)
        return f"postgresql://{self.user}@/{name}?host={self.socket}"


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """One cluster for the whole test session, stopped at its end."""
    root = Path(tempfile.mkdtemp(prefix="fm-postgres-"))
    os.chmod(root, 0o755)
    cluster = Cluster(root)
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgis_url(postgres_cluster: Cluster) -> str:
    """A fresh database with PostGIS; its URL names the project's schema too."""
    return postgres_cluster.new_database() + "&schema=project"
