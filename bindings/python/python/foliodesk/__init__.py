"""Foliodesk: embeddable help-desk and IT-incident library."""

from ._foliodesk import __version__

__all__ = ["__version__"]
