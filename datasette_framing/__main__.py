"""``python -m datasette_framing`` runs the command line (same as ``datasette-framing``)."""

from .cli import cli

if __name__ == "__main__":
    cli(prog_name="datasette-framing")
