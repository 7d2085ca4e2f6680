"""The accessibility command: capacity per thousand residents within a walk (2SFCA)."""

from __future__ import annotations

import argparse
import json

from layers.commands.base import (
    Command,
    CommandError,
    open_project,
    walk_arguments,
    walk_from_args,
)

#: What a facility's capacity counts, by category.
CAPACITY_UNITS: dict[str, str] = {"canteen": "seats", "charging_shed": "charging ports"}


def _cmd_access(args: argparse.Namespace) -> int:
    from layers.analysis.accessibility import accessibility
    from layers.model.categories import recognise_category

    if args.minutes is None or args.minutes <= 0:
        raise CommandError("--minutes must be a positive number")
    category = recognise_category(args.category)
    if category is None:
        raise CommandError(f"unknown category: {args.category}")
    walk = walk_from_args(args)
    project = open_project(args.project)
    result = accessibility(project.communities.frame, project.facilities.frame, category,
                           args.minutes, walk.radius_m(args.minutes), args.per)
    if args.format == "json":
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=1))
        return 0
    unit = CAPACITY_UNITS.get(category, "capacity")
    who = "residents" if args.per == "residents" else "elderly residents (60+)"
    print(f"{args.category} ({category}): {unit} per thousand {who} within "
          f"{walk.describe(args.minutes)} (2SFCA)")
    print(f"facilities with a known capacity: {result.facilities}")
    shown = ", ".join(result.unknown_capacity[:10]) + (
        ", …" if len(result.unknown_capacity) > 10 else "")
    print(f"facilities without a capacity (left out): {len(result.unknown_capacity)}"
          + (f": {shown}" if shown else ""))
    if result.no_position:
        print(f"features without a position (left out): {result.no_position}")
    if result.in_parent:
        print(f"communities counted in their parent's residents: {len(result.in_parent)}: "
              + ", ".join(result.in_parent))
    if result.unknown_ratio:
        print(f"facilities serving a community of unknown residents: "
              f"{len(result.unknown_ratio)}: " + ", ".join(result.unknown_ratio))
    width = max((len(c.name) for c in result.communities), default=4) + 2
    for c in result.communities:
        demand = "?" if c.demand is None else f"{c.demand:.0f}"
        figure = (f"{c.per_thousand:.2f}" if c.per_thousand is not None
                  else f"unknown ({c.reason})")
        if c.without_capacity:
            figure = (f"≥ {figure}" if c.per_thousand is not None else figure) + (
                f" (+{c.without_capacity} within reach without a capacity)")
        print(f"  {c.name:<{width}} {who.split()[0]} {demand:>7}  reachable {c.reachable:>3}  "
              f"{figure}")
    known = sum(c.per_thousand is not None for c in result.communities)
    lower = sum(c.per_thousand is not None and c.without_capacity > 0
                for c in result.communities)
    print(f"communities: {len(result.communities)}, with a figure {known} (of them lower "
          f"bounds {lower}), unknown {len(result.communities) - known}")
    return 0


def _access_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--category", required=True, help="facility category, e.g. 食堂 or canteen")
    walk_arguments(p)
    p.add_argument("--per", choices=["residents", "elderly"], default="residents",
                   help="per thousand residents, or elderly (population × elderly_share)")
    p.add_argument("--format", choices=["table", "json"], default="table")


#: This module's commands, in the order ``--help`` lists them.
COMMANDS: tuple[Command, ...] = (
    Command("access", "capacity (seats, charging ports) per thousand residents within a walk "
                      "(2SFCA)", _cmd_access, _access_options),
)
