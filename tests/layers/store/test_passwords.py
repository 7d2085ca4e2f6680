"""Database passwords never reach a URL or a file; a system keyring keeps them, or nothing."""

from __future__ import annotations

import pytest

from layers.store.passwords import (
    keyring_usable,
    password_in,
    remember_password,
    stored_password,
    without_password,
)


def test_a_password_is_taken_out_of_a_url():
    url = "postgresql://planner:p%40ss@db.example:5432/district?schema=team&password=x"
    assert password_in(url) == "p@ss"
    assert without_password(url) == "postgresql://planner@db.example:5432/district?schema=team"
    socket = "postgresql://planner@/district?host=/run/postgresql&schema=team"
    assert without_password(socket) == socket and password_in(socket) is None


def test_without_a_keyring_nothing_is_stored_anywhere(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    if keyring_usable():
        pytest.skip("a desktop with a real keyring: this test is about headless machines")
    url = "postgresql://planner@db.example/district?schema=team"
    assert remember_password(url, "secret") is False
    assert stored_password(url) is None
    assert not any("secret" in p.read_text(errors="replace")
                   for p in tmp_path.rglob("*") if p.is_file())
