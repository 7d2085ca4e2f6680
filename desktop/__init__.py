"""Qt only: the main window, map canvas, map tools, docks and dialogs."""
