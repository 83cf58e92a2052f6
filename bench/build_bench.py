"""Build, rebuild, query, export and start-up figures for docgraph on synthetic corpora, each next to an
rdflib in-memory baseline measured in the same run. Prints a table, writes JSON, compares two runs.

    python bench/build_bench.py --sizes 1000,10000 --out bench/results/run.json
    python bench/build_bench.py --sizes 1000 --compare bench/results/run.json
    python bench/build_bench.py --store /tmp/w/store --root 01-NQ/TW --skip-baseline   # a store built before

Corpora come from bench/generate.py (deterministic by --seed) and are cached under --workdir.
Wall times are seconds; RSS is the peak resident memory of the build's main process (MiB); the tree peaks sum
the build and every process it starts (parse workers, the corpus process): RSS sampled five times a
second, PSS every two seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from figures import corpus

HERE = Path(__file__).resolve().parent
PY = sys.executable


def sh(cmd: list[str], tree: dict[str, int] | None = None, **kw: Any
       ) -> tuple[float, int, subprocess.CompletedProcess[bytes]]:
    """(wall seconds, peak RSS MiB of the process, result) for one command. The output goes to temporary
    files so the process can be waited for with ``wait4``, which gives its own peak (RUSAGE_CHILDREN would
    give the largest of every command run so far). ``tree`` gets the peak RSS and PSS of the command and all
    its processes together (bench/tree_rss.py)."""
    import tempfile

    from tree_rss import TreeSampler

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, **kw)
        sampler = TreeSampler(proc.pid) if tree is not None else None
        _pid, status, usage = os.wait4(proc.pid, 0)
        if sampler is not None and tree is not None:
            sampler.stop()
            tree.update(rss=sampler.peak_rss_mib, pss=sampler.peak_pss_mib)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        code = proc.returncode = os.waitstatus_to_exitcode(status)
        return wall, usage.ru_maxrss // 1024, subprocess.CompletedProcess(cmd, code, out.read(), err.read())


def manifest(store: Path) -> dict[str, Any]:
    return json.loads((store / "current" / "build.json").read_text("utf-8"))


def stages(store: Path) -> dict[str, float]:
    """Seconds per stage of the last build (parse, resolve, write = triples + store, validate)."""
    return dict(manifest(store).get("timings", {}))


def du(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def timed(fn: Any, repeat: int = 5, budget_ms: float = 30_000) -> tuple[float, float, Any]:
    """(first call, median of the next ``repeat``) in milliseconds, and what the last call returned. The warm
    runs stop early once they took ``budget_ms`` together (a whole-corpus query at 100k takes minutes)."""
    t0 = time.perf_counter()
    out = fn()
    cold = (time.perf_counter() - t0) * 1000
    runs: list[float] = []
    while len(runs) < repeat and sum(runs) < budget_ms:
        t0 = time.perf_counter()
        out = fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return cold, statistics.median(runs), out


def bench_size(size: int, args: argparse.Namespace) -> dict[str, Any]:
    src = corpus(args.workdir, size, args.seed)
    work = args.workdir / f"work-{size}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(src, work / "corpus")
    store = work / "store"
    r: dict[str, Any] = {"docs": size}
    build = [PY, "-m", "docgraph", "build", str(work / "corpus"), "--store", str(store), "-q", "--keep-going"]
    tree: dict[str, int] = {}
    wall, rss, res = sh(build, tree)
    if res.returncode not in (0, 2):
        raise SystemExit(f"build failed ({res.returncode}): {res.stderr.decode()[-2000:]}")
    mb = sum(f.stat().st_size for f in (work / "corpus").glob("*.txt")) / 2**20
    r.update(build_s=wall, docs_per_s=size / wall, build_mb_per_s=mb / wall, peak_rss_mib=rss,
             peak_tree_rss_mib=tree["rss"], peak_tree_pss_mib=tree["pss"],
             store_mib=du((store / "current").resolve()), cache_mib=du(store / "cache"), corpus_mib=mb)
    r.update({f"build_{k}_s": v for k, v in stages(store).items()})
    r.update({f"build_{k}_peak_mib": v for k, v in manifest(store).get("peak_rss_mib", {}).items()})
    # incremental: nothing changed, one changed file, then 100 added files (parse cache + delta store update)
    r["rebuild_unchanged_s"], r["rebuild_unchanged_rss_mib"], _ = sh(build)
    subprocess.run([PY, str(HERE / "generate.py"), "--out", str(work / "corpus"), "--change-one", "--seed",
                    str(args.seed)], check=True, capture_output=True)
    r["rebuild_one_changed_s"], r["rebuild_one_changed_rss_mib"], _ = sh(build)
    r.update({f"rebuild_one_{k}_s": v for k, v in stages(store).items()})
    r.update({f"rebuild_one_{k}_peak_mib": v for k, v in manifest(store).get("peak_rss_mib", {}).items()})
    r["rebuild_one_changed_subjects"] = manifest(store).get("changed_subjects")
    r["rebuild_one_mode"] = manifest(store).get("mode")  # "local" when the changed file was rebuilt alone
    subprocess.run([PY, str(HERE / "generate.py"), "--out", str(work / "corpus"), "--add", "100", "--seed",
                    str(args.seed)], check=True, capture_output=True)
    r["rebuild_100_added_s"] = sh(build)[0]
    r["full_rebuild_cached_s"] = sh([*build, "--full"])[0]  # whole store rewritten, parses from the cache

    r.update(store_figures(store, args, args.root))
    return r


def store_only(store: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The figures of a store built before (``--store``), with the baseline unless ``--skip-baseline``."""
    if not (store / "current" / "build.json").is_file():
        raise SystemExit(f"{store}: not a built store (no current/build.json)")
    r: dict[str, Any] = {"docs": manifest(store).get("documents"), "store_mib": du((store / "current").resolve())}
    r.update(store_figures(store, args, args.root))
    return r


def store_figures(store: Path, args: argparse.Namespace, root_symbol: str | None = None) -> dict[str, Any]:
    """The named queries cold and warm (with their rows), Turtle and N-Triples export, the triple count and
    ``docgraph chain`` from a cold shell, on a built store, then the rdflib baseline of the same (unless
    ``--skip-baseline``). The queries start from ``root_symbol`` (default: the central document the most
    documents build on, directly or through a chain) and, for chain up, from a leaf."""
    from docgraph.export import export_bytes
    from docgraph.queries import find_document, load_query
    from docgraph.store import Store

    r: dict[str, Any] = {}
    s = Store(store)
    if root_symbol is None:
        top = s.query("""SELECT ?s (COUNT(?d) AS ?n) WHERE { ?d dg:buildsOn+ ?x . ?x dg:symbol ?s
                          FILTER(STRENDS(?s, "/TW")) } GROUP BY ?s ORDER BY DESC(?n) LIMIT 1""").rows
        root_symbol = str(top[0][0]) if top else None
    leaf = s.query("""SELECT ?d WHERE { ?d dg:buildsOn ?x . FILTER NOT EXISTS { ?y dg:buildsOn ?d } } LIMIT 1""").rows
    root_iri = find_document(s, root_symbol) if root_symbol else None
    r["root"] = root_symbol
    queries = {
        "chain_down": (load_query("chain-down").text, {"root": root_iri}),
        "chain_up": (load_query("chain-up").text, {"root": leaf[0][0] if leaf else root_iri}),
        "citing": (load_query("citing").text, {"root": root_iri}),
        "tasks_down_chain": (load_query("tasks-down-chain").text, {"root": root_iri}),
        "by_body_year": (load_query("by-body-year").text, {}),
        "responsibility_matrix": (load_query("responsibility-matrix").text, {}),
        "overdue": (load_query("overdue-tasks").text, {"asOf": __import__("rdflib").Literal(
            "2023-01-01", datatype=__import__("rdflib").XSD.date)}),
    }
    for name, (q, params) in queries.items():
        r[f"q_{name}_cold_ms"], r[f"q_{name}_warm_ms"], rows = timed(lambda q=q, p=params: s.query(q, p).rows)
        r[f"q_{name}_rows"] = len(rows)
    t0 = time.perf_counter()
    ttl = export_bytes(s, "turtle")
    r["export_turtle_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    nt = export_bytes(s, "nt")
    r["export_nt_s"] = time.perf_counter() - t0
    r["triples"] = len(s)
    r["cli_chain_s"] = sh([PY, "-m", "docgraph", "chain", root_symbol, "--store", str(store)])[0] \
        if root_symbol else None
    if not args.skip_baseline:
        r.update(rdflib_baseline(nt, ttl, queries, args))
    return r


class _OverLimit(BaseException):
    """A baseline step ran out of time: a BaseException, so that no ``except Exception`` inside rdflib
    swallows it and lets the step run on."""


def _rdflib_job(nt: bytes, queries: dict[str, Any], shacl: bool, limit_s: float, out: Any,
                memory_gib: float = 6.0) -> None:
    """Child process: the rdflib baseline, each step under a time limit (SIGALRM) and ``memory_gib`` of
    address space. Each step's figure goes to ``out`` as soon as it is known, so a baseline cut short still
    reports its steps."""
    import signal

    from rdflib import Graph

    from docgraph.namespaces import sparql_prefixes
    from docgraph.store import substitute

    cap = int(memory_gib * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    def alarm(_sig: int, _frm: Any) -> None:
        raise _OverLimit

    signal.signal(signal.SIGALRM, alarm)

    def step(name: str, fn: Any, limit: float = limit_s) -> bool:
        signal.alarm(int(limit))
        try:
            t0 = time.perf_counter()
            fn()
            out.put((name, time.perf_counter() - t0))
            return True
        except _OverLimit:
            out.put((name, f"> {limit:.0f} s"))
        except MemoryError:
            out.put((name, f"> {memory_gib:g} GiB"))
        finally:
            signal.alarm(0)
            # the child's peak resident memory so far (the load's, in practice), in MiB
            out.put(("rdflib_peak_rss_mib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024))
        return False

    g = Graph()
    # the load has four steps' time: the rest means nothing without the whole graph, and is left out if it fails
    if step("rdflib_load_s", lambda: g.parse(data=nt.decode("utf-8"), format="nt"), 4 * limit_s):
        for name, (q, params) in queries.items():
            text = sparql_prefixes() + substitute(q, params)
            if step(f"rdflib_q_{name}_cold_s", lambda t=text: list(g.query(t))):  # (cut short: no warm run)
                step(f"rdflib_q_{name}_warm_s", lambda t=text: list(g.query(t)))
        step("rdflib_export_turtle_s", lambda: g.serialize(format="turtle"))
        if shacl:  # plain pySHACL with the whole shapes graph (the build itself runs them compiled to SPARQL)
            from pyshacl import validate

            from docgraph.validate import ontology_graph, shapes_graph

            step("pyshacl_whole_graph_s", lambda: validate(g, shacl_graph=shapes_graph(), ont_graph=ontology_graph(),
                                                           inference="none", advanced=True, allow_warnings=True))
    out.put(None)


def rdflib_baseline(nt: bytes, ttl: bytes, queries: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """The same graph in an rdflib in-memory Graph: load, the same queries, Turtle, whole-graph pySHACL. The
    steps that finished are kept when the whole runs out of time (``rdflib_baseline``: "cut short")."""
    import multiprocessing as mp
    import queue

    q: Any = mp.Queue()
    p = mp.Process(target=_rdflib_job, args=(nt, queries, not args.skip_shacl, args.baseline_limit, q,
                                             args.baseline_memory))
    p.start()
    deadline = time.monotonic() + args.baseline_limit * (len(queries) * 2 + 7) + 60
    out: dict[str, Any] = {}
    while True:
        try:
            item = q.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            out["rdflib_baseline"] = "cut short"
            break
        if item is None:
            break
        out[item[0]] = item[1]
    p.join(timeout=10)
    if p.is_alive():
        p.kill()
    for k in list(out):
        if isinstance(out[k], float) and k.startswith("rdflib_q_"):
            out[k[:-2] + "_ms"] = out.pop(k) * 1000
    return out


def ratios(r: dict[str, Any]) -> dict[str, float]:
    """rdflib's time over ours, where both finished (a step cut short is a string such as "> 60 s")."""
    pairs = {k.replace("rdflib_q_", "").replace("_warm_ms", ""): (v, r.get(k.replace("rdflib_", "")))
             for k, v in r.items() if k.startswith("rdflib_q_") and k.endswith("_warm_ms")}
    pairs["turtle_export"] = (r.get("rdflib_export_turtle_s"), r.get("export_turtle_s"))
    return {f"{name}_speedup": theirs / ours for name, (theirs, ours) in pairs.items()
            if isinstance(theirs, float) and isinstance(ours, float) and ours}


def show(results: list[dict[str, Any]], old: list[dict[str, Any]] | None) -> None:
    keys = sorted({k for r in results for k in r})
    olds = {o["docs"]: o for o in old or []}
    for r in results:
        r.update(ratios(r))
        print(f"\n== {r['docs']} documents")
        for k in sorted(r):
            v = r[k]
            prev = olds.get(r["docs"], {}).get(k)
            cmp = f"   (was {prev:.3g}, x{v / prev:.2f})" if isinstance(prev, int | float) and prev and \
                isinstance(v, int | float) else ""
            print(f"  {k:34} {v:.4g}{cmp}" if isinstance(v, float) else f"  {k:34} {v}{cmp}")
    del keys


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/docgraph-bench"))
    ap.add_argument("--out", type=Path)
    ap.add_argument("--compare", type=Path)
    ap.add_argument("--skip-baseline", action="store_true", help="no rdflib baseline")
    ap.add_argument("--skip-shacl", action="store_true", help="no whole-graph pySHACL baseline")
    ap.add_argument("--baseline-limit", type=float, default=120.0, help="seconds per rdflib baseline step")
    ap.add_argument("--baseline-memory", type=float, default=6.0, help="GiB of address space for the rdflib "
                    "baseline (at 10k documents its Graph needs more than the default 6)")
    ap.add_argument("--store", type=Path, help="no build: the query, export and start-up figures of this "
                    "built store (e.g. a 100k build timed with bench/tree_rss.py)")
    ap.add_argument("--root", help="the symbol the chain queries start from (default: the central document "
                    "the most documents build on)")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.store:
        results = [store_only(args.store, args)]
    else:
        results = [bench_size(int(n), args) for n in args.sizes.split(",")]
    old = json.loads(args.compare.read_text()) if args.compare else None
    show(results, old)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
