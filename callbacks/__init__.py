"""Callbacks: thin glue between pages and the data layer, one module per page."""

from callbacks import home, school_reports, shell, three_sixty

__all__ = ["home", "school_reports", "shell", "three_sixty"]
