"""Kind and check-worthiness of a sentence, from its features.

The default scorer is a handful of weighted rules whose every contribution is written
into ``reasons``, so a fact-checker can see why a sentence was flagged. Anything with a
``score(features) -> Scored`` method can replace it, e.g. a trained classifier.
"""

from typing import ClassVar, Final, NamedTuple, Protocol

from mypy_extensions import mypyc_attr

from .features import SentenceFeatures

KINDS: Final = ("fact", "opinion", "prediction", "question", "other")

# Below this a sentence is not worth checking; facts always score at least this much.
CHECKWORTHY: Final = 0.5
_BELOW_CHECKWORTHY: Final = CHECKWORTHY - 0.01


class Scored(NamedTuple):
    """A scorer's verdict on one sentence."""

    kind: str
    checkworthiness: float
    reasons: list[str]


class ClaimScorer(Protocol):
    """Anything that can judge a sentence from its features."""

    def score(self, features: SentenceFeatures) -> Scored: ...


_MARKER_WEIGHTS: Final = {
    "opinion": -0.35,
    "hedge": -0.25,
    "modal": -0.2,
    "prediction": -0.15,
    "reporting": 0.1,
}
# Read-only: what a sentence without markers shows.
_NO_STANCE: Final = dict.fromkeys(_MARKER_WEIGHTS, 0)
_AUXILIARIES: Final = frozenset({"was", "were", "had", "did", "был", "была", "было", "были"})
# Present forms that only link or assist: on their own they say nothing happens.
_LINKS: Final = frozenset({"is", "are", "am", "be", "does", "do", "has", "have", "can", "may"})
_THIRD_PERSON_RU: Final = ("т", "тся")
# "является объектом наследия", "находится в 20 км от …", "is located", "operates": what
# a thing is or where it stands, which a register or a map can confirm.
_STATUS_VERBS: Final = frozenset(
    {"является", "являются", "находится", "находятся", "располагается", "располагаются"}
    | {"проживает", "проживают", "насчитывает", "насчитывают", "входит", "входят"}
    | {"граничит", "граничат", "функционирует", "функционируют", "operates", "borders"}
)


def _states(verb: str) -> bool:
    # Russian third-person forms only: "держимся", "работаем" are the speaker's voice.
    if verb in _LINKS or len(verb) < 3:
        return False
    return verb.isascii() or verb.endswith(_THIRD_PERSON_RU)


def _interrupted(features: SentenceFeatures) -> bool:
    # "Q5 Mr Reed: Can I just—": a few words cut off by a dash never became a statement.
    return (
        features.word_count <= 6
        and features.text.rstrip().endswith(("—", "–", "--"))
        and not (features.dates or features.quantities)
    )


_MARKER_CAPS: Final = {"opinion": 2, "hedge": 2, "modal": 2, "prediction": 2, "reporting": 1}
_MARKER_LABELS: Final = {
    "opinion": "opinion marker",
    "hedge": "hedging marker",
    "modal": "modal or evaluative word",
    "prediction": "prediction marker",
    "reporting": "reporting phrase",
}


# round(value, 2) converts the float through its decimal digits, which costs more than
# the rest of a claim's scoring; scores are sums of a few weights and repeat endlessly,
# so each distinct score is rounded once.
_ROUNDED: Final[dict[float, float]] = {}
_ROUNDED_LIMIT: Final = 10_000


def _round(value: float) -> float:
    if len(_ROUNDED) >= _ROUNDED_LIMIT:
        _ROUNDED.clear()
    rounded = _ROUNDED[value] = round(value, 2)
    return rounded


@mypyc_attr(allow_interpreted_subclasses=True)
class RuleScorer:
    """Transparent weighted rules; see the weights below for what counts and how much."""

    base: ClassVar[float] = 0.3
    entity_weight: ClassVar[float] = 0.12
    max_entities: ClassVar[int] = 3
    date_weight: ClassVar[float] = 0.2
    quantity_weight: ClassVar[float] = 0.2
    attribution_weight: ClassVar[float] = 0.15
    reference_weight: ClassVar[float] = 0.2
    past_weight: ClassVar[float] = 0.2
    present_weight: ClassVar[float] = 0.2
    present_max_words: ClassVar[int] = 6
    list_intro_weight: ClassVar[float] = 0.2
    first_person_weight: ClassVar[float] = -0.1

    def score(self, features: SentenceFeatures) -> Scored:
        # Runs once per claim: plain branches and list literals, no generators, no
        # builtins where a comparison does.
        reasons: list[str] = []
        value = self.base

        if features.entities:
            names = list(
                dict.fromkeys(
                    [entity.get("normal") or entity["text"] for entity in features.entities]
                )
            )
            reasons += [f"named entity: {name}" for name in names]
            value += self.entity_weight * min(len(names), self.max_entities)
        elif features.names:
            # Without entity recognition, capitalised words stand in for names.
            names = list(dict.fromkeys(features.names))
            reasons += [f"proper noun: {name}" for name in names]
            value += self.entity_weight * min(len(names), self.max_entities)
        dates = features.dates
        if dates:
            value += self.date_weight
            reasons += [f"date: {date['text']}" for date in dates]
        quantities = features.quantities
        if quantities:
            value += self.quantity_weight
            reasons += [f"quantity: {q['text']}" for q in quantities]
        if features.references:
            value += self.reference_weight
            reasons += [f"reference: {reference}" for reference in features.references]
        if features.attribution:
            value += self.attribution_weight
            reasons.append(f"attribution: {features.attribution}")
        markers = features.markers
        past_verbs = features.past_verbs
        if past_verbs:
            value += self.past_weight
            # Name the event verb, not the auxiliary: "signed", not "was".
            verb = past_verbs[0]
            if verb in _AUXILIARIES:
                verb = next((verb for verb in past_verbs if verb not in _AUXILIARIES), verb)
            reasons.append(f"past-tense verb: {verb}")
        elif features.present_verbs and not features.first_person and not markers:
            # "Подозреваемые находятся под стражей.", "The bridge is closed to traffic.":
            # a plain third-person statement in the present reports a state of affairs;
            # a verb of status or location does so in a sentence of any length.
            state = next((verb for verb in features.present_verbs if _states(verb)), None)
            if state is not None and (
                features.word_count <= self.present_max_words or state in _STATUS_VERBS
            ):
                value += self.present_weight
                reasons.append(f"present-tense verb: {state}")

        stance = _NO_STANCE
        if markers:
            stance = dict.fromkeys(_MARKER_WEIGHTS, 0)
            for category, phrase in markers:
                stance[category] += 1
                reasons.append(f"{_MARKER_LABELS[category]}: {phrase}")
            for category, count in stance.items():
                # Repeating a marker does not make a sentence twice as opinionated.
                if count:
                    value += _MARKER_WEIGHTS[category] * min(count, _MARKER_CAPS[category])
        if features.future_verbs:
            reasons.append(f"future-tense verb: {features.future_verbs[0]}")
        if features.has_verb and features.text[-1:] == ":" and not features.is_heading:
            # "The order does three things:" announces the facts that follow.
            value += self.list_intro_weight
            reasons.append("introduces a list")
        if features.first_person:
            value += self.first_person_weight
            reasons.append("first-person voice")

        kind = self._kind(features, stance, value)
        if kind == "question":
            reasons.append("question")
        elif kind == "other":
            if features.procedural:
                reasons.append("procedural: runs the meeting")
            elif features.citation:
                reasons.append("a bibliographic reference")
            elif features.field:
                reasons.append("a label and its value")
            elif _interrupted(features):
                reasons.append("an interrupted turn")
            elif features.imperative:
                reasons.append("a command or request")
            else:
                reasons.append("no verb: heading or fragment")
        elif features.scheduled and kind == "prediction":
            reasons.append("item of a plan or a forecast")
        elif features.argued and kind == "opinion":
            reasons.append("a point someone argued")
        elif features.quoted_view and kind == "opinion":
            reasons.append("reported words with nothing to check")
        # Clamp to [0, 1]; a non-fact stays just below the check-worthy line.
        if value < 0.0:
            value = 0.0
        elif value > 1.0:
            value = 1.0
        if kind != "fact" and value > _BELOW_CHECKWORTHY:
            value = _BELOW_CHECKWORTHY
        if len(reasons) > 1:
            reasons = list(dict.fromkeys(reasons))
        rounded = _ROUNDED.get(value)
        if rounded is None:
            rounded = _round(value)
        return Scored(kind, rounded, reasons)

    def _kind(self, features: SentenceFeatures, stance: dict[str, int], value: float) -> str:
        if features.is_question:
            return "question"
        if (
            features.imperative
            or features.procedural
            or features.citation
            or _interrupted(features)
        ):
            return "other"
        if features.scheduled:
            # "в 2026 г. — 9 аппаратов;" under "Сроки реализации:" is a plan; "ВТБ:
            # тоже сохранение;" under "Прогнозы аналитиков:" a forecast.
            return "prediction"
        if features.field:
            return "other"
        if features.is_heading or (
            not features.has_verb
            and (not features.is_complete or features.in_list or features.word_count <= 6)
            # "Это решение, безусловно, ошибочное." is short and verbless but takes a side.
            and not (stance["opinion"] or stance["hedge"])
        ):
            return "other"
        if features.argued:
            # "…, указав, что: 1) умысел не доказан;": a party's point, not a finding.
            return "opinion"
        forward = stance["prediction"] > 0 or bool(features.future_verbs)
        # A hedged forecast is still a forecast; a stance or an obligation about the
        # future ("should", "хочется верить") is an opinion.
        if forward and not (stance["opinion"] or stance["modal"]):
            return "prediction"
        if stance["opinion"] or stance["hedge"] or stance["modal"] or features.quoted_view:
            return "opinion"
        return "fact" if value >= CHECKWORTHY else "opinion"
