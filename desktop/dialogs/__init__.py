"""Dialogs: import, articles, facility form, service circles."""
