"""Lessons learned: a program's closing records (one per finding), their frameworks, forms, pages and library."""
