"""Callbacks: thin glue between pages and the data layer, one module per page."""

from callbacks import home, shell, three_sixty

__all__ = ["home", "shell", "three_sixty"]
