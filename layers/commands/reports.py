"""Report commands: the 街道 report in Excel, Word and JSON."""

from __future__ import annotations

import argparse
from pathlib import Path

from layers.commands.base import (
    Command,
    CommandError,
    open_project,
    walk_arguments,
    walk_from_args,
)
from layers.commands.progress import progress_for

#: What each file suffix writes.
FORMATS = {".xlsx": "Excel workbook", ".docx": "Word document", ".json": "JSON"}


def _cmd_report(args: argparse.Namespace) -> int:
    from layers.analysis.checklist import ChecklistError, load_checklist
    from layers.geo.network import NetworkError
    from layers.model.layer import no_position_note, without_position
    from layers.report.model import build_report

    outs: list[Path] = args.out
    for out in outs:
        if out.suffix.lower() not in FORMATS:
            raise CommandError(f"--out {out.name}: the name must end in .xlsx, .docx or .json")
        if not out.parent.is_dir():
            raise CommandError(f"folder does not exist: {out.parent}")
    if args.minutes is None or args.minutes <= 0:
        raise CommandError("--minutes must be a positive number")
    map_png = None
    if args.map is not None:
        try:
            map_png = args.map.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read the map {args.map}: {exc.strerror or exc}") from None
        if not map_png.startswith(b"\x89PNG\r\n\x1a\n"):
            raise CommandError(f"the map {args.map} is not a PNG image")
    try:
        checklist = load_checklist(args.checklist)
    except ChecklistError as exc:
        raise CommandError(str(exc)) from None
    walk = walk_from_args(args)
    project = open_project(args.project)
    try:
        with progress_for(args, "walking along roads") as progress:
            report = build_report(project, checklist, walk, args.minutes, args.title,
                                  along_roads=args.network, progress=progress)
    except (ValueError, NetworkError) as exc:
        raise CommandError(str(exc)) from None
    for out in outs:
        _write(report, out, map_png)
        print(f"wrote {out} ({FORMATS[out.suffix.lower()]})")
    if any(o.suffix.lower() == ".docx" for o in outs) and map_png is None:
        print("note: the Word report has no map: pass --map PNG (from export-map), or use "
              "File > Export Report... in the app")
    if report.unknown_population:
        print(f"note: {report.unknown_population} of {report.communities_total - report.not_placed}"
              " communities have no population: counted as communities, residents unknown "
              "(shares are over the known residents)")
    for note in (no_position_note(report.not_placed, "community", "not in the report"),
                 no_position_note(without_position(project.facilities.frame))):
        if note:
            print(f"note: {note}")
    if report.proposals is None:
        print("note: the project has no proposals layer: the report lists no siting proposals")
    return 0


def _write(report, out: Path, map_png: bytes | None) -> None:  # noqa: ANN001
    from layers.report.docx_report import write_docx_report
    from layers.report.json_report import write_json_report
    from layers.report.xlsx_report import write_xlsx_report

    suffix = out.suffix.lower()
    try:
        if suffix == ".xlsx":
            write_xlsx_report(report, out)
        elif suffix == ".docx":
            write_docx_report(report, out, map_png)
        else:
            write_json_report(report, out)
    except OSError as exc:
        raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from None


def _report_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, nargs="+", required=True,
                   help="report.xlsx, report.docx and/or report.json (one or more)")
    walk_arguments(p, minutes_default=10)
    # build_report fills in the default; importing it here would load the analysis
    p.add_argument("--title", help="report title (default 社区生活圈设施覆盖报告)")
    p.add_argument("--checklist", type=Path, help="checklist TOML (default data/checklist.toml)")
    p.add_argument("--network", action="store_true",
                   help="measure walking distance along the project's roads layer")
    p.add_argument("--map", type=Path,
                   help="a PNG of the map (e.g. from export-map) to put in the Word report")


#: This module's commands, in the order ``--help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("report", "write the coverage report (residents within 5/10/15 minutes) as "
                      "XLSX, DOCX or JSON", _cmd_report, _report_options),
)
