"""``python -m placehealth`` runs the CLI."""

from placehealth.cli.main import run

run()
