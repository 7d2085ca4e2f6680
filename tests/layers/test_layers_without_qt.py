import subprocess
import sys

from tests.conftest import REPO


def test_layers_import_without_qt():
    """Every module under layers/ imports with PySide6 made unimportable."""
    code = """
import importlib, pkgutil, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("Qt is blocked in this test")
sys.meta_path.insert(0, Block())
import layers
for mod in pkgutil.walk_packages(layers.__path__, "layers."):
    importlib.import_module(mod.name)
print("ok", len([m for m in sys.modules if m.startswith("layers.")]))
assert not any(m.startswith("PySide6") for m in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("ok")
