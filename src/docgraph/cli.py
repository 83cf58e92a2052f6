"""The ``docgraph`` command: a thin layer over the library.

Exit codes: 0 ok; 1 findings (the graph breaks a SHACL shape, a check query returned rows);
2 bad input (unreadable file, malformed sidecar, unknown query or document, no store).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import InputError, StoreError

FORMATS = ("table", "csv", "tsv", "json")
EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    click.echo(f"docgraph: {message}", err=True)
    sys.exit(code)


def _store_option(f):  # type: ignore[no-untyped-def]
    return click.option(
        "--store", "store", type=str, envvar="DOCGRAPH_STORE", default=".docgraph",
        show_default=True, help="Store folder (env DOCGRAPH_STORE).",
    )(f)


def _open_store(path: str):  # type: ignore[no-untyped-def]
    """The store folder, or a SPARQL endpoint URL (http://…/query)."""
    from .remote import open_store

    try:
        return open_store(path)
    except StoreError as e:
        _fail(str(e))


def _out(text: str | bytes, output: str | None) -> None:
    """Write to a file atomically, or to standard output for ``-`` / no file."""
    from .atomic import atomic_write_bytes

    data = text.encode("utf-8") if isinstance(text, str) else text
    if output in (None, "-"):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        atomic_write_bytes(output, data)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="docgraph")
def main() -> None:
    """Knowledge graph of Vietnamese Party and State documents: who issued what, what implements
    what, who must do what by when.

    \b
    Example:
      docgraph build data/ --view docgraph.html
      docgraph chain 102-KL/TW --down
      docgraph query missing-documents
    """


# -- extract ----------------------------------------------------------------------------------
@main.command()
@click.argument("files", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True,
              help="One JSON object per line, or one JSON array.")
@click.option("--files-from", type=click.File("r", encoding="utf-8"),
              help="Also read the files named in this list, one path per line (- for standard input).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False),
              help="Also keep each parse in this parse cache, for a later `docgraph build --cache` (shards).")
def extract(files: tuple[str, ...], fmt: str, files_from: Any, cache_dir: str | None) -> None:
    """Parse texts without a store: one JSON object per input file (metadata, citations, assignments,
    each with character spans). ``-`` reads standard input. Bad files are reported on stderr, one line
    each, and the exit code is 2; the other files are still printed.

    \b
    A shard of a large corpus: ``--files-from`` a list and ``--cache`` a shared folder; the build then
    parses only what no shard did (name the files as the build will find them, e.g. corpus/x.txt).

    \b
    Example:
      docgraph extract data/002_d5e775b8c46f1c5a.txt
      echo "Thực hiện Kết luận số 102-KL/TW ngày 22/9/2014 của Bộ Chính trị" | docgraph extract -
      docgraph extract --files-from shard-07.txt --cache /shared/cache > shard-07.jsonl
    """
    from .parse import parse_file, parse_text
    from .reading import decode

    names = list(files) + ([line.strip() for line in files_from if line.strip()] if files_from else [])
    if not names:
        _fail("no FILES given (name files, - for standard input, or --files-from LIST)")
    from .cache import PackWriter, ParseCache, pack, parse_key

    # a shard keeps its parses in packs of its own (unique names, renamed into place: shards on other
    # machines may fill one shared folder), or a file each when it parses only a few
    cache = PackWriter(ParseCache(cache_dir)) if cache_dir else None
    results = []
    bad = False
    try:
        for f in names:
            try:
                if f == "-":
                    doc = parse_text(decode(sys.stdin.buffer.read(), "-"), "-")
                else:
                    doc = parse_file(f, f)
                    if cache is not None:
                        cache.add(parse_key(Path(f), f), pack(doc.slim()))
            except InputError as e:
                click.echo(f"docgraph: {e}", err=True)
                bad = True
                continue
            d = doc.as_dict()
            if fmt == "jsonl":
                click.echo(json.dumps(d, ensure_ascii=False))
            else:
                results.append(d)
    finally:
        if cache is not None:
            cache.close()
    if fmt == "json":
        click.echo(json.dumps(results, ensure_ascii=False, indent=1))
    sys.exit(EXIT_BAD_INPUT if bad else EXIT_OK)


# -- build ------------------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1)
@_store_option
@click.option("--view", "view_file", type=click.Path(dir_okay=False), help="Also write the HTML view here.")
@click.option("--keep-going", is_flag=True, help="Build from the readable files even if some are refused "
                                                  "(the exit code is still 2).")
@click.option("--full", is_flag=True, help="Rewrite the whole store instead of updating the last build "
                                           "(same result, slower; parsed files still come from the cache).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False),
              help="Parse cache folder [default: STORE/cache, or $DOCGRAPH_CACHE].")
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary.")
def build(paths: tuple[str, ...], store: str, view_file: str | None, keep_going: bool, full: bool,
          cache_dir: str | None, quiet: bool) -> None:
    """Build the graph of PATHS (text files or folders; default data/) into the store, validate it
    with SHACL, and print a summary. The store is replaced only by a build that succeeds.

    \b
    Example:
      docgraph build data/ --view docgraph.html
      docgraph build data/ --store /tmp/dg
    """
    from .build import build as run_build

    if not paths:
        if not Path("data").is_dir():
            _fail("no PATH given and no data/ folder here")
        paths = ("data",)
    t0 = time.perf_counter()
    show = (lambda p: click.echo(f"  {p}", err=True)) if not quiet and sys.stderr.isatty() else None
    try:
        res = run_build(list(paths), store, keep_going=keep_going, progress=show, incremental=not full,
                        cache_dir=cache_dir)
    except InputError as e:
        _fail(str(e))
    except StoreError as e:
        _fail(str(e))
    for e in res.refused:
        click.echo(f"docgraph: {e}", err=True)
    if res.refused and not keep_going:
        _fail(f"{len(res.refused)} file(s) refused; the store at {store} was not changed")
    if res.report is not None and not res.report.conforms:
        for f in res.report.findings:
            click.echo(str(f), err=True)
        click.echo(f"docgraph: the graph breaks {len(res.report.violations)} SHACL constraint(s); "
                   f"the store at {store} was not changed", err=True)
        sys.exit(EXIT_FINDINGS)
    if view_file:
        from .graphdata import citation_graph
        from .remote import open_store
        from .view import render_view

        render_view(citation_graph(open_store(store)), view_file, title="docgraph: " + ", ".join(paths))
    if not quiet:
        c = res.counts
        click.echo(f"docgraph: built {store} in {time.perf_counter() - t0:.1f} s")
        read = res.files + len(res.refused)
        rest = "unchanged, not read" if res.mode == "local" else "from the cache"
        click.echo(f"  files read        {read} ({res.files - res.files_warned} ok, {res.files_warned} with "
                   f"warnings, {len(res.refused)} refused; {res.parsed} parsed, {read - res.parsed} {rest})")
        click.echo(f"  documents         {c['documents']} ({c['in_corpus']} in the corpus, "
                   f"{c['documents'] - c['in_corpus']} only cited)")
        click.echo(f"  relations         {c['relations']}")
        click.echo(f"  assignments       {c['assignments']}")
        click.echo(f"  bodies            {c['bodies']} (+{c['collectives']} collectives)")
        how = {"delta": f"updated: {res.changed} subjects changed", "scratch": "written from scratch",
               "local": f"{res.parsed} changed file(s) rebuilt alone: {res.changed} subjects rewritten",
               "remote": "loaded into the server"}.get(res.mode, "")
        click.echo(f"  triples           {res.triples} with the vocabularies ({how})")
        click.echo(f"  SHACL             conforms ({len(res.report.findings) if res.report else 0} warnings)")
        click.echo(f"  extractor notes   {len(res.warnings)}")
        if view_file:
            click.echo(f"  view              {view_file}")
    sys.exit(EXIT_BAD_INPUT if res.refused else EXIT_OK)


# -- validate ---------------------------------------------------------------------------------
@main.command()
@_store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def validate(store: str, fmt: str) -> None:
    """Validate the built graph against ontology/shapes.ttl again (exit 1 if it does not conform).

    \b
    Example:
      docgraph validate --format json
    """
    from .store import Store
    from .validate import validate_graph
    from .validate_store import validate_store

    s = _open_store(store)
    if isinstance(s, Store):  # compiled shapes run on the store itself
        report = validate_store(s.ox_store)
    else:
        report = validate_graph(s.rdflib_graph(), with_vocabulary=False)
    if fmt == "json":
        click.echo(json.dumps({"conforms": report.conforms, "results": [f.as_dict() for f in report.findings]},
                              ensure_ascii=False, indent=1))
    else:
        for f in report.findings:
            click.echo(str(f))
        click.echo("conforms" if report.conforms else f"{len(report.violations)} violation(s)")
    sys.exit(EXIT_OK if report.conforms else EXIT_FINDINGS)


# -- query ------------------------------------------------------------------------------------
def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        k, sep, val = v.partition("=")
        if not sep or not k:
            _fail(f"--param {v!r}: expected NAME=VALUE")
        out[k.strip()] = val
    return out


@main.command()
@click.argument("query", required=False)
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter (root= takes a symbol, a file or an IRI).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
@_store_option
def query(query: str | None, params: tuple[str, ...], fmt: str, list_: bool, store: str) -> None:
    """Run a named query (see --list), a .rq file, or - (standard input) against the store.
    A named query ending in -violation is a check: rows mean findings (exit 1).

    \b
    Example:
      docgraph query --list
      docgraph query chain-down --param root=102-KL/TW --format csv
      echo 'SELECT (COUNT(*) AS ?n) WHERE { ?d a dg:Document }' | docgraph query -
    """
    from .queries import bind_params, format_result, load_query, named_queries

    if list_ or not query:
        for q in named_queries().values():
            ps = " ".join(f"--param {k}=…" for k in q.params)
            click.echo(f"{q.name} {ps}".rstrip())
            click.echo(f"    {q.purpose}")
        sys.exit(EXIT_OK)
    try:
        q = load_query(query)
    except KeyError as e:
        _fail(str(e.args[0]))
    s = _open_store(store)
    try:
        bound = bind_params(s, q, _params(params)) if q.params or params else {}
        res = s.query(q.text, bound)
    except (KeyError, LookupError, ValueError) as e:
        _fail(f"{q.name}: {e.args[0] if e.args else e}")
    except OSError as e:
        _fail(f"{q.name}: {e}")
    _out(format_result(res, fmt), None)
    sys.exit(EXIT_FINDINGS if q.name.endswith("-violation") and res.rows else EXIT_OK)


# -- chain ------------------------------------------------------------------------------------
@main.command()
@click.argument("document")
@click.option("--down", "direction", flag_value="down", default=True,
              help="What builds on DOCUMENT (default).")
@click.option("--up", "direction", flag_value="up", help="What DOCUMENT builds on, up to the centre.")
@click.option("--format", "fmt", type=click.Choice(("tree", *FORMATS)), default="tree", show_default=True)
@_store_option
def chain(document: str, direction: str, fmt: str, store: str) -> None:
    """The implementation chain below (--down) or above (--up) a document, named by symbol
    (102-KL/TW), file (data/002_d5e775b8c46f1c5a.txt or its name) or IRI.

    \b
    Example:
      docgraph chain 102-KL/TW --down
      docgraph chain 002_d5e775b8c46f1c5a --up --format json
    """
    from .chain import chain as run_chain
    from .queries import find_document, table

    s = _open_store(store)
    root = find_document(s, document)
    if root is None:
        _fail(f"no document {document!r} in the store at {store}")
    c = run_chain(s, root, direction)
    if fmt == "tree":
        click.echo(c.tree(), nl=False)
        return
    rows = c.rows()
    if fmt == "json":
        click.echo(json.dumps({"root": c.root.__dict__, "direction": direction, "links": rows}, ensure_ascii=False,
                              indent=1))
    elif fmt in ("csv", "tsv"):
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["document"],
                           delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    else:
        headers = ["label", "relation", "type", "date", "issuer"]
        click.echo(table(headers, [[str(r[h] or "") for h in headers] for r in rows]), nl=False)


# -- tasks ------------------------------------------------------------------------------------
@main.command()
@click.option("--body", help="Lead or coordinator, matched ignoring diacritics ('ban dan van').")
@click.option("--document", help="Tasks given by this document (symbol, file or IRI).")
@click.option("--chain", "chain_root", help="Tasks given anywhere down the implementation chain of this document.")
@click.option("--due-before", type=click.DateTime(["%Y-%m-%d"]), help="Deadline before this date.")
@click.option("--overdue", is_flag=True, help="Deadline before --as-of (default today).")
@click.option("--as-of", type=click.DateTime(["%Y-%m-%d"]), help="Reference date for --overdue.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_store_option
def tasks(body: str | None, document: str | None, chain_root: str | None, due_before, overdue: bool,  # type: ignore[no-untyped-def]
          as_of, fmt: str, store: str) -> None:
    """Who must do what by when: tasks (assignments and requests) with lead, coordinators, deadline
    and report-to, filtered by body, document, chain and date.

    \b
    Example:
      docgraph tasks --chain 102-KL/TW
      docgraph tasks --body "ban dan van" --format csv
      docgraph tasks --overdue --as-of 2021-01-01
    """
    import csv

    from .queries import find_document, table
    from .tasks import list_tasks, today

    s = _open_store(store)

    def doc(ref: str | None):  # type: ignore[no-untyped-def]
        if ref is None:
            return None
        found = find_document(s, ref)
        if found is None:
            _fail(f"no document {ref!r} in the store at {store}")
        return found

    found = list_tasks(
        s, body=body, document=doc(document), chain=doc(chain_root),
        due_before=due_before.date().isoformat() if due_before else None,
        overdue_as_of=(as_of.date().isoformat() if as_of else today()) if overdue else None,
    )
    rows = [t.as_dict() for t in found]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        fields = list(rows[0]) if rows else ["task"]
        w = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    else:
        headers = ["document", "lead", "coordinators", "deadline", "text"]
        click.echo(table(headers, [[str(r[h] or "") for h in headers] for r in rows], width=48), nl=False)


# -- view -------------------------------------------------------------------------------------
@main.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--focus", help="Centre on this document (symbol, file or IRI).")
@click.option("--depth", type=click.IntRange(0), help="With --focus: how many links out to keep.")
@click.option("--assignments", is_flag=True, help="Add the bodies and their tasks as a layer.")
@click.option("--layout", type=click.Choice(["auto", "hierarchical", "force"]), default="auto", show_default=True)
@click.option("--chain-only", is_flag=True, help="With --focus: only the chain up and down, not the neighbourhood.")
@click.option("--overview-threshold", type=click.IntRange(1), default=2000, show_default=True,
              help="Above this many nodes the page opens on an overview grouped by body, province or year.")
@_store_option
def view(output: str, focus: str | None, depth: int | None, assignments: bool, layout: str, chain_only: bool,
         overview_threshold: int, store: str) -> None:
    """Write the interactive citation graph as one HTML file that works offline.

    \b
    Example:
      docgraph view -o docgraph.html
      docgraph view --focus 102-KL/TW --depth 2 --assignments -o chain.html
    """
    from .graphdata import citation_graph
    from .queries import find_document
    from .view import render_view

    s = _open_store(store)
    g = citation_graph(s)
    focus_iri = None
    if focus:
        f = find_document(s, focus)
        if f is None:
            _fail(f"no document {focus!r} in the store at {store}")
        focus_iri = str(f)
    render_view(g, output, title="docgraph", focus=focus_iri, depth=depth, layout=layout,
                show_assignments=assignments, chain_only=chain_only, overview_threshold=overview_threshold)
    click.echo(f"docgraph: wrote {output}", err=True)


# -- export -----------------------------------------------------------------------------------
@main.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "nt", "nq", "xml", "jsonld", "graphml"]),
              default="turtle", show_default=True)
@click.option("-o", "--output", default="-", show_default=True, help="File to write, or - for standard output.")
@_store_option
def export(fmt: str, output: str, store: str) -> None:
    """Export the whole graph (Turtle, N-Triples, N-Quads, RDF/XML, JSON-LD) or the citation graph
    (GraphML) for other tools.

    \b
    Example:
      docgraph export --format turtle -o docgraph.ttl
      docgraph export --format nt | wc -l
    """
    from .export import export_bytes

    s = _open_store(store)
    _out(export_bytes(s, fmt), output)
    if output != "-":
        click.echo(f"docgraph: wrote {output}", err=True)


# serve and stats live in their own module (it imports helpers from this one)
from .cli_serve import serve, stats  # noqa: E402

main.add_command(serve)
main.add_command(stats)
