"""One module per CLI command; see :mod:`journeymap.cli`."""
