"""``python -m docgraph …`` is the ``docgraph`` command."""

from .cli import main

main()
