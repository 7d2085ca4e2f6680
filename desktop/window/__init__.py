"""The parts the main window is composed of, one concern each.

Each part is a small class holding the window it serves (as a QGIS plugin
holds ``iface``): `toolbars` and `editing` build the tools and edit actions,
`menus` the menu bar, `status` the status bar, `basemap` the online basemap,
`project_files` opening, saving and recovery, `importing` and `exporting` the
File menu's data in and out, `analysis` service circles and the audit,
`navigation` identify, search and flying to a community, and `layout` the
docks' placement. The window sits above the docks, dialogs and tools: nothing
below it imports this package.
"""
