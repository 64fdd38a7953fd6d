"""One module per source system; importing the package registers them all."""

from . import base, generic  # noqa: F401
