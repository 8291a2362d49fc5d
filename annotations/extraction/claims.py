"""From a document's text to its claims: segments, features, a kind and a score each."""

from bisect import bisect_left
from typing import Any, Final

from .claim import ExtractedClaim
from .discourse import leads_a_forecast, leads_a_plan, leads_an_argument
from .entities import english_entities, russian_entities
from .features import describe
from .language import SUPPORTED_LANGUAGES
from .learned import LearnedScorer
from .scoring import ClaimScorer
from .segmentation import Segment, split_segments
from .transcripts import Genres

_DEFAULT_SCORER: Final = LearnedScorer()


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
    still found. ``scorer`` replaces the learned model that decides each claim's kind and
    check-worthiness (``learned.LearnedScorer``).
    """
    if language in _DETECT:
        language = None
    if language is not None and language not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; use one of {SUPPORTED_LANGUAGES}")
    scorer = scorer or _DEFAULT_SCORER
    segments = split_segments(text, language)
    found = _entities(text, segments) if entities else []
    return _claims(text, segments, found, entities, scorer, Genres(text))


def _claims(
    text: str,
    segments: list[Segment],
    found: list[dict[str, Any]],
    entities: bool,
    scorer: ClaimScorer,
    genres: Genres,
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
            spoken=genres.spoken_at(start),
        )
        scored = score(features)
        claim = ExtractedClaim(
            start=start,
            end=end,
            text=claim_text,
            kind=scored.kind,
            checkworthiness=scored.checkworthiness,
            reasons=list(scored.reasons),
            entities=inside,
            dates=features.dates,
            quantities=features.quantities,
            attribution=features.attribution,
            language=language,
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
