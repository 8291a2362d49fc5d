"""From a document's text to its claims: segments, features, a kind and a score each."""

import gc
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

from .claim import ExtractedClaim
from .discourse import leads_a_forecast, leads_a_plan, leads_an_argument
from .entities import english_entities, russian_entities
from .features import describe
from .language import SUPPORTED_LANGUAGES
from .scoring import ClaimScorer, RuleScorer
from .segmentation import Segment, split_segments

_DEFAULT_SCORER: Final = RuleScorer()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the block, unless someone else has it off.

    Splitting and scoring allocate strings, lists, dicts and tuples by the hundred
    thousand, none of them in a cycle: reference counting frees them all. The collector,
    set off by the count of allocations alone, would rescan every live object of the
    process each time, a tenth of the whole run for nothing. Named-entity recognition,
    whose models may make cycles, runs with it on.

    What the block leaves alive (the claims) would still be swept once, by the first
    collection after the pause: some 60,000 objects for a megabyte of text, 3 % of the
    run. Frozen and at once unfrozen, they go straight to the oldest generation instead,
    where a sweep would have put them in two steps; the collector then meets them only
    in its rare full collections. Skipped when the process keeps objects frozen itself
    (``gc.freeze()`` before forking workers), which unfreezing would undo.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


_new = object.__new__
_set = object.__setattr__
# Values that mean "decide per paragraph", as stored for documents of mixed language.
_DETECT: Final = frozenset({"", "auto", "mixed"})


def extract_claims(
    text: str,
    *,
    language: str | None = None,
    entities: bool = True,
    scorer: ClaimScorer | None = None,
) -> list[ExtractedClaim]:
    """Split ``text`` into claims, in document order, never overlapping.

    ``language`` ("ru" or "en") forces one language for the whole text; by default (or
    with "auto" or "mixed") each line is judged by its own letters. ``entities=False``
    skips named-entity recognition, the slow part; dates, numbers and attribution are
    still found. ``scorer`` replaces the default rules that decide each claim's kind and
    check-worthiness.
    """
    if language in _DETECT:
        language = None
    if language is not None and language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; use one of {SUPPORTED_LANGUAGES}")
    scorer = scorer or _DEFAULT_SCORER
    with collector_paused():
        segments = split_segments(text, language)
        if not entities:
            # One pause, not two: the first collection after a pause sweeps everything
            # allocated during it.
            return _claims(text, segments, [], entities, scorer)
    found = _entities(text, segments)
    with collector_paused():
        return _claims(text, segments, found, entities, scorer)


def _claims(
    text: str,
    segments: list[Segment],
    found: list[dict[str, Any]],
    entities: bool,
    scorer: ClaimScorer,
) -> list[ExtractedClaim]:
    starts = [entity["start"] for entity in found]

    claims = []
    in_plan = in_argument = in_forecast = False
    score = scorer.score
    names = not entities
    for segment in segments:
        start, end, language, listed, whole_line = segment
        claim_text = text[start:end]
        if not listed:
            # The line before a list says what its items are: "Сроки реализации:".
            # Segments are stripped, so only one ending in a colon can lead a plan.
            in_plan = claim_text[-1] == ":" and leads_a_plan(claim_text)
            in_argument = leads_an_argument(claim_text)
            in_forecast = leads_a_forecast(claim_text)
        inside = _entities_within(found, starts, segment) if found else []
        features = describe(
            claim_text,
            start,
            language,
            inside,
            whole_line=whole_line,
            in_list=listed,
            names=names,
            in_plan=in_plan,
            in_argument=in_argument,
            in_forecast=in_forecast,
        )
        scored = score(features)
        # A frozen dataclass sets each field through object.__setattr__, which costs
        # more than the rest of this loop; giving the new instance its dict whole gives
        # the same object.
        claim = _new(ExtractedClaim)
        _set(
            claim,
            "__dict__",
            {
                "start": start,
                "end": end,
                "text": claim_text,
                "kind": scored.kind,
                "checkworthiness": scored.checkworthiness,
                "reasons": list(scored.reasons),
                "entities": inside,
                "dates": features.dates,
                "quantities": features.quantities,
                "attribution": features.attribution,
                "language": language,
            },
        )
        claims.append(claim)
    return claims


def _entities(text: str, segments: list[Segment]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    english = [segment for segment in segments if segment.language == "en"]
    if len(english) < len(segments):
        english_starts = [segment.start for segment in english]
        found.extend(
            entity
            for entity in russian_entities(text)
            if not _falls_in(entity["start"], english, english_starts)
        )
    if english:
        found.extend(_english_entities(text, english))
    found.sort(key=lambda entity: entity["start"])
    return found


def _falls_in(position: int, segments: list[Segment], starts: list[int]) -> bool:
    index = bisect_left(starts, position + 1) - 1
    return index >= 0 and segments[index].start <= position < segments[index].end


def _english_entities(text: str, segments: list[Segment]) -> list[dict[str, Any]]:
    found = []
    for segment in segments:
        piece = text[segment.start : segment.end]
        for entity in english_entities(piece, [0]):
            entity["start"] += segment.start
            entity["end"] += segment.start
            found.append(entity)
    return found


def _entities_within(
    found: list[dict[str, Any]], starts: list[int], segment: Segment
) -> list[dict[str, Any]]:
    index = bisect_left(starts, segment.start)
    inside = []
    while index < len(found) and found[index]["start"] < segment.end:
        entity = found[index]
        if entity["end"] <= segment.end:
            inside.append(dict(entity))
        index += 1
    return inside
