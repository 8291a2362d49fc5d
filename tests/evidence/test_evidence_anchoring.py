"""Re-anchoring claims from one version of a text onto the next, case by case."""

from __future__ import annotations

from annotations.anchoring import EDITED, KEPT, REMOVED, UNANCHORED, reanchor


def spans_of(text: str, *claims: str) -> list[tuple[int, int]]:
    return [(text.index(claim), text.index(claim) + len(claim)) for claim in claims]


def test_a_paragraph_added_before_a_claim_at_the_top_is_not_taken_with_it():
    old = "1 December: the ministry met. Vaccination was discussed.\n\nOther news."
    new = "Editor's note: updated.\n\n1 December: the ministry met. Vaccination was discussed."
    new += "\n\nOther news."
    [first, second] = reanchor(
        old, new, spans_of(old, "1 December: the ministry met.", "Vaccination was discussed.")
    )
    assert (first.state, new[first.start : first.end]) == (KEPT, "1 December: the ministry met.")
    assert second.state == KEPT and new[second.start : second.end] == "Vaccination was discussed."


def test_a_repeated_line_keeps_each_claim_on_its_own_occurrence():
    old = "Intro line here.\n(MUSIC)\nFirst segment talk.\n(MUSIC)\nSecond segment talk."
    new = "Intro line, changed.\n(MUSIC)\nFirst segment talk.\n(MUSIC)\nSecond segment talk."
    first = old.index("(MUSIC)")
    second = old.index("(MUSIC)", first + 1)
    anchors = reanchor(old, new, [(first, first + 7), (second, second + 7)])
    assert {anchor.state for anchor in anchors} == {KEPT}
    assert sorted(anchor.start for anchor in anchors) == [
        new.index("(MUSIC)"),
        new.index("(MUSIC)", new.index("(MUSIC)") + 1),
    ]


def test_a_reworded_claim_between_its_old_neighbours_is_edited_and_a_gone_one_removed():
    old = "Exports grew by 5%. Imports fell by 2% last year. Subsidies were promised. End."
    new = "Exports grew by 5%. Imports fell by 3.5% last year. End."
    claims = spans_of(old, "Imports fell by 2% last year.", "Subsidies were promised.")
    edited, removed = reanchor(old, new, claims)
    assert edited.state == EDITED
    assert new[edited.start : edited.end] == edited.text == "Imports fell by 3.5% last year."
    assert edited.confidence >= 0.75
    assert removed.state == REMOVED and removed.start is None


def test_an_unrelated_sentence_in_a_claims_place_is_never_attached():
    old = "The mayor said the bridge will open in May. Traffic is heavy. Shops close at six."
    new = "The weather was mild and dry for most of the week. Traffic is heavy. Shops close at six."
    [anchor] = reanchor(old, new, spans_of(old, "The mayor said the bridge will open in May."))
    assert anchor.state in (UNANCHORED, REMOVED)
    assert anchor.start is None
