"""``docgraph serve`` and ``docgraph stats``: standalone click commands, added to the group in cli.py."""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any

import click

from .cli import EXIT_OK, _fail, _open_store, _out, _store_option


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but a loopback address exposes the store to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="0: any free port.")
@click.option("--timeout", type=click.FloatRange(0.1), default=10.0, show_default=True,
              help="Seconds a SPARQL query may run before it is stopped (HTTP 503).")
@click.option("--limit", type=click.IntRange(1), default=10_000, show_default=True,
              help="Rows (or triples) a query may return; more are cut (header X-Docgraph-Truncated: true).")
@click.option("--workers", type=click.IntRange(1, 64), help="Query worker processes (default: the CPUs, 2-4).")
@click.option("-q", "--quiet", is_flag=True, help="Do not log requests.")
@_store_option
def serve(host: str, port: int, timeout: float, limit: int, workers: int | None, quiet: bool, store: str) -> None:
    """Serve the store read-only over HTTP: a SPARQL 1.1 endpoint at /sparql, one page per
    document at /id/… (HTML, or Turtle / JSON-LD by the Accept header), the graph view at /view and
    research figures at /stats. Stop with Ctrl-C.

    \b
    Example:
      docgraph serve --store /tmp/dg --port 8000
      curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?d dg:symbol ?s }' \\
           http://127.0.0.1:8000/sparql
      curl -H 'Accept: text/turtle' http://127.0.0.1:8000/id/doc/tw/102-kl/2014
    """
    from .errors import StoreError
    from .serve import make_server

    _open_store(store)  # a missing store: one clear line, exit 2
    try:
        server = make_server(store, host, port, timeout=timeout, limit=limit, workers=workers, quiet=quiet)
    except (StoreError, RuntimeError) as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"cannot listen on {host}:{port} ({e.strerror or e})")
    click.echo(f"docgraph: serving {store} at {server.url}/ (SPARQL: {server.url}/sparql); Ctrl-C stops", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    sys.exit(EXIT_OK)


def _write_table(fmt: str, headers: list[str], rows: list[list[Any]]) -> str:
    from .queries import table

    cells = [["" if v is None else str(v) for v in r] for r in rows]
    if fmt == "table":
        return table(headers, cells)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
    w.writerow(headers)
    w.writerows(cells)
    return buf.getvalue()


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True)
@click.option("--root", help="Also: who has and who has not followed this document (symbol, file or IRI).")
@click.option("--section", type=click.Choice(["all", "by-body-year", "lag", "lag-summary", "most-cited",
                                              "followers", "provinces-without"]), default="all", show_default=True,
              help="Only this figure (csv/tsv: one plain table).")
@click.option("--plot", type=click.Path(dir_okay=False), help="Also draw the figures: FILE.svg, or FILE.png "
                                                             "(needs matplotlib).")
@click.option("-o", "--output", default="-", show_default=True, help="File to write, or - for standard output.")
@_store_option
def stats(fmt: str, root: str | None, section: str, plot: str | None, output: str, store: str) -> None:
    """Research figures: documents per body and year, implementation lag (days from a central
    document to each provincial or district document building on it), most cited documents
    (in-degree and PageRank on eli:cites) and, with --root, the provinces of the corpus that have not
    (yet) followed a document. With every section, csv/tsv output holds one block per section, each
    after a '# section' line and separated by a blank line.

    \b
    Example:
      docgraph stats
      docgraph stats --root 158-TB/TW --section provinces-without --format csv
      docgraph stats --format json --plot stats.svg
    """
    from .stats import as_json, compute, sections
    from .stats_plot import write_plot

    if section in ("followers", "provinces-without") and not root:
        _fail(f"--section {section} needs --root")
    if plot and not plot.lower().endswith((".svg", ".png")):
        _fail(f"--plot {plot}: the file must end in .svg or .png")
    s = _open_store(store)
    try:
        st = compute(s, root)
    except LookupError as e:
        _fail(f"{e.args[0]} at {store}")
    if plot:
        try:
            write_plot(st, plot)
        except RuntimeError as e:
            _fail(str(e))
        except OSError as e:
            _fail(f"cannot write {plot} ({e.strerror or e})")
        click.echo(f"docgraph: wrote {plot}", err=True)
    tables = sections(st)
    if fmt == "json":
        data: Any = as_json(st)
        if section != "all":
            headers, rows = tables[section]
            data = [dict(zip(headers, r, strict=True)) for r in rows]
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    elif section != "all":
        text = _write_table(fmt, *tables[section])
    else:
        blocks = []
        for name, (headers, rows) in tables.items():
            body = _write_table(fmt, headers, rows)
            blocks.append(f"# {name}\n{body}" if fmt != "table" else f"== {name}\n{body}")
        text = "\n".join(blocks)
    try:
        _out(text, output)
    except OSError as e:
        _fail(f"cannot write {output} ({e.strerror or e})")
    sys.exit(EXIT_OK)
