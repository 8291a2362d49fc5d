"""The reviewed newsroom project the export and import tests share (``tests.helpers.newsroom``)."""

from __future__ import annotations

from tests.helpers import newsroom


def test_the_newsroom_has_what_the_export_tests_rely_on(db):
    room = newsroom()
    statuses = [claim.status for claim in room.claims]
    assert statuses[:4] == ["published", "published", "reviewed", "unreviewed"]
    assert room.claims[4].deleted_at is not None
    assert len(room.claims[1].text) > 75
    assert all(room.document.text[c.start : c.end] == c.text for c in room.claims)
