"""``docgraph serve``: a read-only SPARQL endpoint and a small website over a built store.

>>> server = make_server("/tmp/dg", port=0, quiet=True)     # doctest: +SKIP
>>> threading.Thread(target=server.serve_forever).start()   # doctest: +SKIP
>>> server.url                                              # doctest: +SKIP
'http://127.0.0.1:40123'

Queries run in worker processes (:mod:`docgraph.serve_worker`) under a time limit and a row limit;
pages run fixed queries in the server process. See :mod:`docgraph.serve_http` for the routes.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import threading
from http.server import ThreadingHTTPServer
from typing import Any

from .serve_http import Handler
from .serve_pages import counts, example_text
from .serve_worker import WorkerPool
from .store import Store

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000
DEFAULT_TIMEOUT, DEFAULT_LIMIT = 10.0, 10_000
DEFAULT_MAX_BODY = 256 * 1024


def default_workers() -> int:
    """Two at least, so that one slow query does not hold up the others; four at most."""
    return max(2, min(4, os.cpu_count() or 2))


class App:
    """What every request needs: the store, the query workers, the limits, cached pages."""

    def __init__(self, store_path: str | os.PathLike[str], *, host: str = DEFAULT_HOST,
                 timeout: float = DEFAULT_TIMEOUT, limit: int = DEFAULT_LIMIT, workers: int | None = None,
                 max_body: int = DEFAULT_MAX_BODY, quiet: bool = False) -> None:
        self.store = Store(store_path)
        self.host, self.timeout, self.limit, self.max_body, self.quiet = host, timeout, limit, max_body, quiet
        self.loopback = _is_loopback(host)
        self.pool = WorkerPool(str(self.store.generation / "oxigraph"), workers or default_workers(), timeout)
        self.pool.start()
        self.figures = counts(self.store)
        self._lock = threading.Lock()
        self._view: str | None = None
        self._stats: dict[str | None, Any] = {}

    def example_text(self, name: str) -> str | None:
        return example_text(self.store, name)

    def view_html(self) -> str:
        with self._lock:
            if self._view is None:
                from .graphdata import citation_graph
                from .view import render_view

                self._view = render_view(citation_graph(self.store), None, title="docgraph")
            return self._view

    def stats(self, root: str | None) -> Any:
        from .stats import compute

        with self._lock:
            if root not in self._stats:
                if len(self._stats) > 256:
                    self._stats.clear()
                self._stats[root] = compute(self.store, root)
            return self._stats[root]

    def stats_svg(self, root: str | None) -> str:
        from .stats_plot import svg

        return svg(self.stats(root))

    def close(self) -> None:
        self.pool.close()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class DocgraphServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, app: App, host: str, port: int) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.app = app
        handler = type("BoundHandler", (Handler,), {"app": app})
        super().__init__((host, port), handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}"

    def server_close(self) -> None:
        super().server_close()
        self.app.close()


def make_server(store_path: str | os.PathLike[str], host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                **options: Any) -> DocgraphServer:
    """A server bound to ``host:port`` (port 0: any free port; see ``.url``); call ``serve_forever()``.

    ``options``: ``timeout`` (s), ``limit`` (rows), ``workers``, ``max_body`` (bytes), ``quiet``.
    Raises ``StoreError`` when there is no store, ``OSError`` when the port is taken.
    """
    app = App(store_path, host=host, **options)
    try:
        return DocgraphServer(app, host, port)
    except OSError:
        app.close()
        raise
