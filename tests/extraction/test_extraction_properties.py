"""Invariants that hold for any input: ordered, disjoint, exact, trimmed claims."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.extraction import extract_claims

PIECES = [
    "Москва",
    "заявил",
    "т.е.",
    "г.",
    "А. С.",
    "J. R. R.",
    "U.S.",
    "3.5",
    "01.12.2021",
    "https://example.com/a.b?x=1",
    "info@example.org",
    "«",
    "»",
    "„",
    "“",
    '"',
    "...",
    "…",
    "1.",
    "2)",
    "а)",
    "(b)",
    "—",
    "- ",
    "•",
    "\n",
    "\n\n",
    "\r\n",
    "\u2028",
    "\t",
    "\u00a0",
    " ",
    ".",
    "?",
    "!",
    "Он ушёл.",
    "It rained.",
    "Сказал:",
    "the",
    "\u0301",
    "\u200b",
    "🙂",
]

documents = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=30).map(" ".join),
)


def check_invariants(text: str, claims) -> None:
    previous_end = 0
    for claim in claims:
        assert 0 <= previous_end <= claim.start < claim.end <= len(text)
        assert text[claim.start : claim.end] == claim.text
        assert claim.text.strip() == claim.text
        assert claim.text
        assert claim.kind in {"fact", "opinion", "prediction", "question", "other"}
        assert 0.0 <= claim.checkworthiness <= 1.0
        for item in claim.dates + claim.quantities + claim.entities:
            assert claim.start <= item["start"] < item["end"] <= claim.end
            assert text[item["start"] : item["end"]] == item["text"]
        previous_end = claim.end


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_claims_are_ordered_disjoint_exact_and_trimmed_for_any_text(text):
    check_invariants(text, extract_claims(text, entities=False))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.sampled_from(["ru", "en"]))
def test_the_invariants_hold_for_a_forced_language(text, language):
    check_invariants(text, extract_claims(text, language=language, entities=False))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_entities_stay_inside_their_claims(text):
    check_invariants(text, extract_claims(text))


def test_only_whitespace_gives_no_claims():
    assert extract_claims(" \n\t\u00a0\u2028 ", entities=False) == []


def test_lone_markers_give_no_claims():
    assert extract_claims("1.\n- \n•\n—\n*", entities=False) == []
