"""Another package adds commands to the headless command line without it knowing them."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from layers.cli import HEADLESS_COMMANDS, Command, build_parser, run


def _greet_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", required=True)


def _greet(args: argparse.Namespace) -> int:
    print(f"hello {args.name} from {Path(args.project).name}")
    return 0


GREET = Command("greet", "say hello", _greet, _greet_options)


def test_a_registered_command_gets_its_options_and_project(capsys, bundled_copy):
    assert run(["greet", "--name", "翠苑", "--project", str(bundled_copy)], [GREET]) == 0
    assert capsys.readouterr().out == "hello 翠苑 from project.gpkg\n"


def _window(args: argparse.Namespace) -> int:
    print(f"window on {Path(args.project).name}")
    return 0


def test_the_default_command_runs_when_none_is_given(capsys):
    commands = [GREET, Command("window", "open the window", _window)]
    assert run(["--project", "mine.gpkg"], commands, default="window") == 0
    assert capsys.readouterr().out == "window on mine.gpkg\n"
    assert run(["window", "--project", "other.gpkg"], commands, default="window") == 0
    assert capsys.readouterr().out == "window on other.gpkg\n"


def test_without_a_default_a_missing_command_is_one_line(capsys):
    assert run([]) == 2
    err = capsys.readouterr().err
    assert err == "error: choose a command: " + ", ".join(c.name for c in HEADLESS_COMMANDS) + "\n"


def test_headless_commands_need_no_registration(capsys):
    assert run(["info"]) == 0
    assert "layer facilities: " in capsys.readouterr().out
    assert run(["greet", "--name", "x"]) == 2  # not registered here
    assert "invalid choice: 'greet'" in capsys.readouterr().err


def test_names_are_unique_and_the_default_exists():
    with pytest.raises(ValueError, match="same name"):
        build_parser([GREET, GREET])
    with pytest.raises(ValueError, match="no command named 'window'"):
        build_parser([GREET], default="window")


def test_info_counts_every_facility_by_category(tmp_path, capsys):
    """Rows with an unregistered, empty or missing category are counted too."""
    import geopandas as gpd
    import shapely

    from benchmarks.synthetic import facilities
    from layers.model.layer import conform
    from layers.model.project import Project
    from layers.model.schema import FACILITIES
    from layers.store import save_as

    frame = facilities(1000)
    frame.loc[:99, "category"] = "gym"  # written by another tool
    frame.loc[100:149, "category"] = ""
    frame.loc[150:159, "category"] = None
    extra = conform(gpd.GeoDataFrame({"name": ["无类别"]}, geometry=[shapely.Point(120.2, 30.2)],
                                     crs=4326), FACILITIES)
    project = Project()
    project.facilities.add_features(frame)
    project.facilities.add_features(extra)
    path = tmp_path / "p.gpkg"
    save_as(project, path)
    assert run(["info", "--project", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    start = out.index("facilities by category:") + 1
    rows = [line for line in out[start:] if line.startswith("  ")]
    counts = [int(line.split()[-1]) for line in rows]
    assert sum(counts) == 1001
    assert any("gym" in line and line.split()[-1] == "100" for line in rows)
