"""The one error type of every export (HTML, PNG and those to come); no Qt, so desktop uses it."""

from __future__ import annotations


class ExportError(ValueError):
    """An export that cannot be made or written, with a one-line reason for the planner."""


__all__ = ["ExportError"]
