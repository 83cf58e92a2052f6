"""docgraph: a knowledge graph of Vietnamese Party and State documents.

The pipeline, one module per stage: :func:`normalize` -> :func:`parse_text` (header, citations,
assignments) -> :func:`resolve` -> :func:`corpus_graph` -> :func:`validate_graph` -> :class:`Store`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .build import build
from .normalize import normalize
from .parse import parse_file, parse_text
from .resolve import resolve
from .store import Store
from .triples import corpus_graph
from .validate import validate_graph

__all__ = [
    "Store",
    "__version__",
    "build",
    "corpus_graph",
    "normalize",
    "parse_file",
    "parse_text",
    "resolve",
    "validate_graph",
]
