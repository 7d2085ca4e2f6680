"""Build a print layout: the page for a project and the planner's choices, placed."""

from __future__ import annotations

import shapely

from layers.export.errors import ExportError
from layers.export.layout.extent import (
    features_inside,
    fitted_extent,
    overview_bounds,
    wanted_bounds,
)
from layers.export.layout.furniture import map_obstacles, place_furniture
from layers.export.layout.legend import legend_entries
from layers.export.layout.page import LayoutOptions, PageLayout, page_frames, page_size
from layers.export.layout.scale_bar import scale_bar_for
from layers.export.layout.texts import area_name, data_sources
from layers.geo.map_view import mercator_to_lonlat
from layers.model.project import Project


def build_layout(project: Project, options: LayoutOptions) -> PageLayout:
    """Build the page for a project and the planner's choices.

    Parameters
    ----------
    project : Project
        The project.
    options : LayoutOptions
        Paper, texts, extent, walk.

    Returns
    -------
    PageLayout
        Everything the page shows, placed.

    Raises
    ------
    ExportError
        For an unknown paper or community, a bad extent or dpi.
    """
    if not 30 <= options.dpi <= 1200:
        raise ExportError("--dpi must be between 30 and 1200")
    width, height = page_size(options.paper, options.landscape)
    frames = page_frames(width, height, options.overview)
    wanted = wanted_bounds(project, options)
    if options.minutes and options.extent is None:
        # the walk's circles around the facilities asked for are shown whole
        around = _circles(features_inside(project.facilities.frame, wanted), options)
        if around is not None and len(around):
            cw, cs, ce, cn = (float(v) for v in shapely.total_bounds(around.geometry.to_numpy()))
            wanted = (min(wanted[0], cw), min(wanted[1], cs), max(wanted[2], ce),
                      max(wanted[3], cn))
    mercator = fitted_extent(wanted, frames["map"])
    west, south = (float(v) for v in mercator_to_lonlat(mercator[0], mercator[1]))
    east, north = (float(v) for v in mercator_to_lonlat(mercator[2], mercator[3]))
    bounds = (west, south, east, north)
    centre_lat = float(mercator_to_lonlat(0.0, (mercator[1] + mercator[3]) / 2)[1])
    facilities = features_inside(project.facilities.frame, bounds)
    circles = _circles(facilities, options)
    layout = PageLayout(
        options=options, width=width, height=height, frames=frames, bounds=bounds,
        mercator=mercator,
        legend=legend_entries(project, bounds, circles, options.minutes),
        scale_bar=scale_bar_for(west, east, centre_lat, frames["map"].w),
        area_name=area_name(project, bounds),
        sources=data_sources(facilities),
        circles=circles,
    )
    layout.corners = place_furniture(frames, layout.scale_bar,
                                     map_obstacles(project, mercator, frames["map"]),
                                     min(width, height) / 595)
    if options.overview:
        layout.overview_bounds = overview_bounds(project, bounds)
    return layout


def _circles(facilities, options: LayoutOptions):  # noqa: ANN001, ANN202
    if not options.minutes:
        return None
    if options.minutes <= 0:
        raise ExportError("--minutes must be a positive number")
    from layers.analysis.service_circles import service_circles_frame
    from layers.geo.walking import walk_settings

    radius = options.radius_m or walk_settings("gb50180").radius_m(options.minutes)
    return service_circles_frame(facilities, options.minutes, radius)
