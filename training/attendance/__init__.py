"""Attendance: what counts as attending, sheets and the program's matrix, and imports of Zoom and course reports.

The training blueprint's __init__ imports `views` and `views_imports`, whose routes register on it."""
