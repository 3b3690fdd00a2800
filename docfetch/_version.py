"""The single place the version lives (read by the build and by ``--version``)."""

__version__ = "0.2.0"
