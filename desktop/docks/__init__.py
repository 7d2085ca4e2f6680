"""Docked panels: layers, communities, attributes, the table and the checklist."""
