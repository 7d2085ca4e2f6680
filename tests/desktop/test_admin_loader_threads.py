"""A boundary request from a background render starts its read on the GUI thread."""

import threading

from desktop.canvas.admin_drawing import admin_loader
from desktop.workers import wait_until


def test_a_request_from_another_thread_is_carried_to_the_loaders_thread(qtbot, capfd):
    loader = admin_loader()
    wait_until(lambda: not loader.busy, 60)
    asked = threading.Thread(target=loader.request, args=("district", 0.0123))
    asked.start()
    asked.join()
    qtbot.waitUntil(lambda: loader.busy or ("district", 0.0123) in _ready(), timeout=5000)
    qtbot.waitUntil(lambda: not loader.busy, timeout=60_000)
    assert ("district", 0.0123) in _ready()
    assert "Cannot create children for a parent that is in a different thread" not in \
        capfd.readouterr().err


def _ready():
    from desktop.canvas import admin_drawing

    return admin_drawing._READY
