"""The QGIS peer of ``export-png``: render a project's points to a PNG with PyQGIS.

Runs on the system Python that carries PyQGIS (``/usr/bin/python3``), not the
project's environment, and imports nothing from the project. It draws what
``export-png`` draws from the GeoPackage with a comparable symbology: the
communities as white-ringed discs, then the facilities on top, categorized by
``category`` with simple circle markers in each category's colour, over the same
background, extent (the layers' extent in Web Mercator with an 8% margin, as
``export-png`` fits it) and size, rendered by ``QgsMapRendererParallelJob``.

Run: QT_QPA_PLATFORM=offscreen /usr/bin/python3 benchmarks/qgis_render.py
     PROJECT.gpkg OUT.png --width 1600 --height 1000 --facility-size 3
"""

from __future__ import annotations

import argparse
import json
import os
import sys


def main() -> int:
    """Render the project and save the PNG; print the drawn feature counts.

    Returns
    -------
    int
        Process exit code.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project")
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--facility-size", type=float, default=14.0,
                        help="facility marker diameter in pixels")
    parser.add_argument("--community-size", type=float, default=9.0,
                        help="community marker diameter in pixels")
    parser.add_argument("--colours", default="{}",
                        help='JSON {"category": "#rrggbb"} for the categorized renderer')
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from qgis.core import (
        QgsApplication,
        QgsCategorizedSymbolRenderer,
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransform,
        QgsMapRendererParallelJob,
        QgsMapSettings,
        QgsMarkerSymbol,
        QgsProject,
        QgsRectangle,
        QgsRendererCategory,
        QgsUnitTypes,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()

    def marker(fill: str, size: float, stroke: str | None) -> QgsMarkerSymbol:
        symbol = QgsMarkerSymbol.createSimple({
            "name": "circle", "color": fill, "outline_style": "solid" if stroke else "no",
            "outline_color": stroke or fill, "outline_width": "1"})
        symbol.setSize(size)
        symbol.setSizeUnit(QgsUnitTypes.RenderPixels)
        symbol.symbolLayer(0).setStrokeWidthUnit(QgsUnitTypes.RenderPixels)
        return symbol

    communities = QgsVectorLayer(f"{args.project}|layername=communities", "communities", "ogr")
    facilities = QgsVectorLayer(f"{args.project}|layername=facilities", "facilities", "ogr")
    if not (communities.isValid() and facilities.isValid()):
        print(f"QGIS cannot open the layers of {args.project}", file=sys.stderr)
        return 2
    communities.renderer().setSymbol(marker("#1d3557", args.community_size, "#ffffff"))
    colours = json.loads(args.colours)
    facilities.setRenderer(QgsCategorizedSymbolRenderer("category", [
        QgsRendererCategory(cat, marker(colour, args.facility_size, None), cat)
        for cat, colour in colours.items()]))
    QgsProject.instance().addMapLayers([communities, facilities])

    mercator = QgsCoordinateReferenceSystem("EPSG:3857")
    extent = QgsRectangle()
    extent.setMinimal()
    for layer in (communities, facilities):
        to_mercator = QgsCoordinateTransform(layer.crs(), mercator, QgsProject.instance())
        extent.combineExtentWith(to_mercator.transformBoundingBox(layer.extent()))
    extent.scale(1.16)  # 8% on each side, as export-png fits the project

    settings = QgsMapSettings()
    settings.setLayers([facilities, communities])  # the first is drawn on top
    settings.setDestinationCrs(mercator)
    settings.setOutputSize(QSize(args.width, args.height))
    settings.setExtent(extent)
    settings.setBackgroundColor(QColor("#f2efe9"))
    settings.setFlag(QgsMapSettings.Antialiasing, True)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    if not job.renderedImage().save(args.out, "PNG"):
        print(f"cannot write {args.out}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}: {facilities.featureCount()} facilities, "
          f"{communities.featureCount()} communities")
    QgsProject.instance().clear()
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
