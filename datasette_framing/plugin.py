"""Datasette hook implementations: each is a few lines that call into views and sql_functions."""

from datasette import hookimpl
