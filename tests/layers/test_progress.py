import io

import geopandas as gpd
import pyogrio

from layers.cli import run
from layers.commands import analysis
from layers.commands.progress import TerminalProgress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_draws_on_a_terminal_and_clears_its_line(monkeypatch):
    monkeypatch.setattr("layers.commands.progress.SHOW_AFTER_S", 0.0)
    monkeypatch.setattr("layers.commands.progress.REDRAW_S", 0.0)
    out = _Terminal()
    with TerminalProgress("circles", stream=out) as progress:
        assert progress(500, 1000) is True
        assert progress(1000, 1000) is True
    text = out.getvalue()
    assert "circles [###############---------------]  50%  500/1,000" in text
    assert "100%  1,000/1,000" in text
    assert text.endswith("\r\033[K")  # the command's own output starts on a clean line


def test_a_solver_that_cannot_count_shows_the_time_spent(monkeypatch):
    monkeypatch.setattr("layers.commands.progress.SHOW_AFTER_S", 0.0)
    out = _Terminal()
    with TerminalProgress("siting", stream=out) as progress:
        progress(0, 0)
    assert "siting … 0 s" in out.getvalue()


def test_quiet_or_piped_draws_nothing(monkeypatch):
    monkeypatch.setattr("layers.commands.progress.SHOW_AFTER_S", 0.0)
    for stream, quiet in ((_Terminal(), True), (io.StringIO(), False)):
        with TerminalProgress("circles", quiet=quiet, stream=stream) as progress:
            progress(1, 2)
        assert stream.getvalue() == ""


def test_circles_written_in_chunks_equal_the_whole(bundled_copy, tmp_path, monkeypatch, capsys):
    whole = tmp_path / "whole.geojson"
    assert run(["--project", str(bundled_copy), "circles", "--minutes", "10",
                "--out", str(whole)]) == 0
    monkeypatch.setattr(analysis, "CIRCLE_CHUNK", 4)  # 23 facilities: six chunks
    chunked = tmp_path / "chunked.gpkg"
    assert run(["--project", str(bundled_copy), "--quiet", "circles", "--minutes", "10",
                "--out", str(chunked)]) == 0
    assert "wrote 23 circles" in capsys.readouterr().out
    a = gpd.read_file(whole).sort_values("facility_id").reset_index(drop=True)
    b = pyogrio.read_dataframe(chunked, layer="service_circles")
    b = b.sort_values("facility_id").reset_index(drop=True)
    assert list(a["facility_id"]) == list(b["facility_id"])
    assert list(a["name"]) == list(b["name"])
    assert (a.geometry.area - b.geometry.area).abs().max() < 1e-12
    left = {p.name for p in tmp_path.iterdir()} - {whole.name, chunked.name}
    assert all(name.startswith(bundled_copy.stem) for name in left)  # no temporary file
