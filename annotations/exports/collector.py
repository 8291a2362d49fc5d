"""An export's pieces made with Python's cyclic garbage collector paused.

Making a piece allocates tuples, dicts and lists by the ten thousand (a chunk of claims
with their sources, verdicts and history), none of them in a cycle: reference counting
frees them all. The collector, set off by their number alone, went through every live
object of the process again and again: a tenth of the native export's time, a sixth
in a process holding a large parsed document. Between pieces, while the consumer
writes one out (to a socket, a file), the collector is on, so that a slow reader of a
streamed export never holds it off for long; the few objects a piece leaves alive are
swept then.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import TypeVar

Piece = TypeVar("Piece")
_DONE = object()


def collector_paused_within(stream: Iterator[Piece]) -> Iterator[Piece]:
    """``stream``'s pieces, each made with the collector paused (unless someone else has
    it off, which is left as it is). Closing this closes ``stream``."""
    try:
        while True:
            paused = gc.isenabled()
            if paused:
                gc.disable()
            try:
                piece = next(stream, _DONE)
            finally:
                if paused:
                    gc.enable()
            if piece is _DONE:
                return
            yield piece  # type: ignore[misc]
    finally:
        if hasattr(stream, "close"):
            stream.close()
