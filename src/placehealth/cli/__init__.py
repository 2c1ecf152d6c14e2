"""The ``placehealth`` command line: thin commands over service functions."""
