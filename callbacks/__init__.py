"""Callbacks: thin glue between pages and the data layer, one module per page."""
