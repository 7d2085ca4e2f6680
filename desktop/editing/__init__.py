"""Editing: the undo commands and the editor that applies them."""
