"""Commands that fill a layer's fields from a table: join a table by a key field."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from layers.commands.base import Command, CommandError, open_project
from layers.model.changes import StoreError


def _cmd_join(args: argparse.Namespace) -> int:
    from layers.io.joining import JoinError, apply_join, parse_fields, plan_join, read_table
    from layers.model.layer import LayerError

    try:
        table, encoding = read_table(args.file, encoding=args.encoding,
                                     source_layer=args.source_layer)
    except JoinError as exc:
        raise CommandError(str(exc)) from None
    fields = parse_fields(args.fields)
    project = open_project(args.project)
    try:
        # plan against what others saved meanwhile, apply and save, all under the
        # write lock: a second writer waits, nothing is lost
        with project.store.lock():
            project.refresh()
            if not project.has_layer(args.layer):
                raise CommandError(f"the project has no layer {args.layer}")
            layer = project.layer(args.layer)
            try:
                plan = plan_join(table, layer, args.on, fields, args.file.name, encoding,
                                 key_column=args.table_key, overwrite=args.overwrite)
            except JoinError as exc:
                raise CommandError(str(exc)) from None
            if not args.dry_run and plan.changes:
                try:
                    apply_join(layer, plan)
                except LayerError as exc:
                    raise CommandError(str(exc)) from None
                project.save()
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    if args.format == "json":
        out = plan.as_json()
        out["saved"] = bool(plan.changes) and not args.dry_run
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    for line in plan.lines():
        print(line)
    if args.dry_run:
        print("dry run: nothing written")
    elif plan.changes:
        print(f"saved {args.project}: {plan.values_set} values on {len(plan.changes)} "
              f"{args.layer}")
    else:
        print("nothing to write")
    return 0


def _join_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="CSV/TXT (UTF-8 or GBK), XLSX, or any file "
                                           "import reads (its geometry is ignored)")
    p.add_argument("--layer", default="communities", help="the layer to fill")
    p.add_argument("--on", choices=["name", "id"], default="name",
                   help="the layer field to match (name also matches with or without 社区)")
    p.add_argument("--table-key", metavar="COLUMN",
                   help="the table's key column (default: found from --on, e.g. 名称/社区)")
    p.add_argument("--fields", required=True,
                   help="fields to take, e.g. population,households or population=常住人口")
    p.add_argument("--overwrite", action="store_true",
                   help="replace values the layer already has when the table's differ")
    p.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    p.add_argument("--encoding", help="text encoding (default: detect UTF-8 or GBK)")
    p.add_argument("--source-layer", help="layer (table) of a GeoPackage to read")
    p.add_argument("--format", choices=["table", "json"], default="table")


#: This module's commands, in the order ``--help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("join", "fill a layer's fields (population, households) from a table by name or id",
            _cmd_join, _join_options),
)
