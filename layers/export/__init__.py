"""Exports that need no Qt: the self-contained HTML map."""
