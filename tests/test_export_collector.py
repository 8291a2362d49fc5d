"""An export makes each piece with Python's cyclic garbage collector paused, turns it
back on between pieces, and leaves it as it found it however the stream ends."""

from __future__ import annotations

import gc

import pytest

from annotations.exports import export_stream, rows
from annotations.models import Document
from tests.test_export_fixtures import newsroom

pytestmark = pytest.mark.usefixtures("collector_restored")


@pytest.fixture
def sources_read(monkeypatch):
    """Whether the collector was on each time an export read a chunk's sources."""
    seen: list[bool] = []
    read = rows.sources_by_claim

    def recording(*args, **kwargs):
        seen.append(gc.isenabled())
        return read(*args, **kwargs)

    monkeypatch.setattr(rows, "sources_by_claim", recording)
    return seen


@pytest.mark.parametrize("fmt", ["native", "claimreview", "webannotation", "csv"])
def test_pieces_are_made_with_the_collector_paused_and_it_is_on_between_them(db, fmt):
    newsroom()
    gc.enable()
    on_between = []

    for _piece in export_stream(documents=Document.objects.all(), fmt=fmt):
        on_between.append(gc.isenabled())

    assert on_between and all(on_between)
    assert gc.isenabled()


def test_a_chunk_is_read_with_the_collector_paused(db, monkeypatch, sources_read):
    from annotations.exports import tabular

    newsroom()
    gc.enable()
    # The CSV rows as Python writes them (PostgreSQL would write them itself).
    monkeypatch.setattr(tabular, "copies_csv", lambda connection: False)

    text = "".join(export_stream(documents=Document.objects.all(), fmt="csv"))

    assert text.count("\r\n") > 1
    assert sources_read == [False]
    assert gc.isenabled()


def test_a_stream_closed_early_or_failing_leaves_the_collector_on(db, monkeypatch):
    newsroom()
    gc.enable()
    stream = export_stream(documents=Document.objects.all(), fmt="native")
    next(stream)
    stream.close()
    assert gc.isenabled()

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(rows, "sources_by_claim", broken)
    monkeypatch.setattr(rows.Reader, "history_summary", broken)
    with pytest.raises(RuntimeError, match="database gone"):
        "".join(export_stream(documents=Document.objects.all(), fmt="native"))
    assert gc.isenabled()


def test_a_collector_someone_turned_off_stays_off(db):
    newsroom()
    gc.disable()
    "".join(export_stream(documents=Document.objects.all(), fmt="native"))
    assert not gc.isenabled()
