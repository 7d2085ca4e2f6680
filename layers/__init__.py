"""Everything a planner's data is and does, with no Qt.

Nothing under ``layers`` may import PySide6: the models must run headless, in
command-line tools, and in tests without a display.
"""
