"""What a Russian sentence is about, as the mean of its words' vectors.

The vectors are natasha's news embedding (navec: 250,000 Russian words from news text,
300 numbers each), the one the Russian entity tagger already loads, so the import path
loads nothing more for them. Words close in meaning have close vectors, so
an evaluation stated as a plain sentence ("Реформа провалилась, бюджет потрачен
впустую") lands near other evaluations even when none of its words was in the training
data; a word stem alone cannot carry that.
"""

from collections.abc import Sequence
from functools import lru_cache

from .entities import news_embedding


def sentence_meaning(words: Sequence[str]) -> list[float]:
    """The unit-length mean of the vectors of ``words`` (lower-cased) that the embedding
    knows; empty when it knows none."""
    return list(_meaning(tuple(words)))


# An attributed sentence is described twice, with and without its attribution, and the
# second time its words are the same: the last few answers are kept.
@lru_cache(maxsize=32)
def _meaning(words: tuple[str, ...]) -> tuple[float, ...]:
    import numpy

    embedding = news_embedding()
    vectors = [vector for word in words if (vector := embedding.get(word)) is not None]
    if not vectors:
        return ()
    total = numpy.sum(vectors, axis=0, dtype=numpy.float64)
    length = float(numpy.linalg.norm(total))
    return tuple((total / length).tolist()) if length else ()
