import subprocess
import sys

from tests.conftest import REPO

SCRIPT = """
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
app = QGuiApplication([])
img = QImage(64, 64, QImage.Format.Format_ARGB32_Premultiplied)
p = QPainter(img)
for _ in range(50000):
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(QPointF(5, 5), 3, 3)
p.end()
print("ok")
"""


def test_painting_many_features_does_not_crash_python():
    """PySide6 6.12.0 leaks a reference to None per void call; a city map then aborts."""
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-500:]
    assert out.stdout.strip() == "ok"
