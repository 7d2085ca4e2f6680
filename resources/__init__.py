"""Bundled resources: translations and the exported page's web assets."""
