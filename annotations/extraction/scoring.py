"""Kind and check-worthiness of a sentence, from its features: the interface and the rules.

Anything with a ``score(features) -> Scored`` method judges sentences; the default is the
learned model (``learned``). ``RuleScorer`` is a handful of hand-written weighted rules
whose every contribution is written into ``reasons``; the learned model reads its kind as
one feature among others. Reasons are codes (``date:в начале декабря``, ``first_person``)
that the interface translates.
"""

from typing import ClassVar, Final, NamedTuple, Protocol

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
        reasons: list[str] = []
        value = self.base

        if features.entities:
            names = list(
                dict.fromkeys(
                    [entity.get("normal") or entity["text"] for entity in features.entities]
                )
            )
            reasons += [f"entity:{name}" for name in names]
            value += self.entity_weight * min(len(names), self.max_entities)
        elif features.names:
            # Without entity recognition, capitalised words stand in for names.
            names = list(dict.fromkeys(features.names))
            reasons += [f"name:{name}" for name in names]
            value += self.entity_weight * min(len(names), self.max_entities)
        dates = features.dates
        if dates:
            value += self.date_weight
            reasons += [f"date:{date['text']}" for date in dates]
        quantities = features.quantities
        if quantities:
            value += self.quantity_weight
            reasons += [f"quantity:{q['text']}" for q in quantities]
        if features.references:
            value += self.reference_weight
            reasons += [f"reference:{reference}" for reference in features.references]
        if features.attribution:
            value += self.attribution_weight
            reasons.append(f"attribution:{features.attribution}")
        markers = features.markers
        past_verbs = features.past_verbs
        if past_verbs:
            value += self.past_weight
            # Name the event verb, not the auxiliary: "signed", not "was".
            verb = past_verbs[0]
            if verb in _AUXILIARIES:
                verb = next((verb for verb in past_verbs if verb not in _AUXILIARIES), verb)
            reasons.append(f"verb.past:{verb}")
        elif features.present_verbs and not features.first_person and not markers:
            # "Подозреваемые находятся под стражей.", "The bridge is closed to traffic.":
            # a plain third-person statement in the present reports a state of affairs;
            # a verb of status or location does so in a sentence of any length.
            state = next((verb for verb in features.present_verbs if _states(verb)), None)
            if state is not None and (
                features.word_count <= self.present_max_words or state in _STATUS_VERBS
            ):
                value += self.present_weight
                reasons.append(f"verb.present:{state}")

        stance = _NO_STANCE
        if markers:
            stance = dict.fromkeys(_MARKER_WEIGHTS, 0)
            for category, phrase in markers:
                stance[category] += 1
                reasons.append(f"marker.{category}:{phrase}")
            for category, count in stance.items():
                # Repeating a marker does not make a sentence twice as opinionated.
                if count:
                    value += _MARKER_WEIGHTS[category] * min(count, _MARKER_CAPS[category])
        if features.future_verbs:
            reasons.append(f"verb.future:{features.future_verbs[0]}")
        if features.has_verb and features.text[-1:] == ":" and not features.is_heading:
            # "The order does three things:" announces the facts that follow.
            value += self.list_intro_weight
            reasons.append("list_intro")
        if features.first_person:
            value += self.first_person_weight
            reasons.append("first_person")

        kind = self._kind(features, stance, value)
        if kind == "question":
            reasons.append("question")
        elif kind == "other":
            if features.procedural:
                reasons.append("procedural")
            elif features.citation:
                reasons.append("citation")
            elif features.field:
                reasons.append("field")
            elif _interrupted(features):
                reasons.append("interrupted")
            elif features.imperative:
                reasons.append("command")
            else:
                reasons.append("fragment")
        elif features.scheduled and kind == "prediction":
            reasons.append("scheduled")
        elif features.argued and kind == "opinion":
            reasons.append("argued")
        elif features.quoted_view and kind == "opinion":
            reasons.append("quoted_view")
        # Clamp to [0, 1]; a non-fact stays just below the check-worthy line.
        if value < 0.0:
            value = 0.0
        elif value > 1.0:
            value = 1.0
        if kind != "fact" and value > _BELOW_CHECKWORTHY:
            value = _BELOW_CHECKWORTHY
        if len(reasons) > 1:
            reasons = list(dict.fromkeys(reasons))
        return Scored(kind, round(value, 2), reasons)

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
