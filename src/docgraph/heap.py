"""The process's heap: its peak size, handing freed pages back, and pausing the cyclic collector.

A build holds millions of small objects at 10^5 documents (the resolved corpus). CPython's cyclic garbage
collector runs a full collection each time the long-lived objects grow by a quarter, and each one walks
all of them: the cost of the collections grows faster than the corpus. The corpus has no reference
cycles worth collecting (about 3,000 cyclic objects are left behind at 10^4 documents, collected at the
end), so the stages that build it run with the collector paused.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager


def peak_rss_mib() -> int:
    """The peak resident memory of this process so far, in MiB (Linux reports KiB, macOS bytes)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 2**20 if sys.platform == "darwin" else peak // 1024


def give_back_memory() -> None:
    """Collect, then hand the C heap's free pages back to the system (glibc's ``malloc_trim``): the resolved
    corpus is gigabytes of small objects, and without this the process keeps their pages while Oxigraph
    loads and validates on top of them."""
    gc.collect()
    trim_heap()


def trim_heap() -> None:
    """Hand the C heap's free pages back to the system, without a collection (glibc's ``malloc_trim``, which
    goes through every arena). Memory another thread allocated sits in that thread's arena, where the main
    thread's later allocations do not reuse it once freed: the parse results a worker pool's thread received
    (the packed documents, 10^5 of them 400 MB) stay resident after they are dropped until this runs."""
    import ctypes

    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None).malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
            pass


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with automatic garbage collection off (as it was before afterwards: pauses nest).
    Reference counting still frees everything that is not in a cycle."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
