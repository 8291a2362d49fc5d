"""The default scorer: weights learned from labelled sentences, read from a JSON file.

``data/scorer.json`` holds two linear models over the named values of ``vectors``: the
check-worthiness model (a logistic regression whose output is calibrated, so that 0.5
means an even chance that a fact-checker would call the sentence check-worthy) and the
kind model (one weight row per kind). ``python manage.py train_scorer`` fits both again
(see ``training``). The file is read once per process, on the first claim scored.

A sentence whose probability reaches the model's fact threshold for its language is a
``fact``: a statement someone could check, though below 0.5 one more likely not worth the
time; any other sentence gets the most likely of the remaining kinds. Reasons are the features
that weighed most for the score, as codes (``date:в начале декабря``,
``verb.past:signed``, ``marker.opinion:I think``) that the interface translates.
"""

import json
import math
import threading
from pathlib import Path
from typing import Any, Final

from .features import SentenceFeatures
from .scoring import RuleScorer, Scored
from .vectors import DEBATE, as_debate, stem, vectorise, words_of

MODEL_PATH: Final = Path(__file__).resolve().parent / "data" / "scorer.json"
# How a sentence is read: as written text, as a spoken debate, or as either (the mean of
# both probabilities). Which reading each genre gets was chosen on out-of-fold
# predictions (docs/checkworthiness.md): the debate reading suits ClaimBuster's debates
# but not interviews and briefings, so a transcript's turns, like a sentence whose genre
# is not known, are read as either; written text as written text.
WRITTEN: Final = "written"
DEBATE_READING: Final = "debate"
EITHER: Final = "either"
READINGS: Final = (WRITTEN, DEBATE_READING, EITHER)
TRANSCRIPT_READING: Final = EITHER
UNKNOWN_GENRE_READING: Final = EITHER
# How many of the features that weighed most a claim shows as its reasons.
REASONS_SHOWN: Final = 4
_AUXILIARIES: Final = frozenset({"was", "were", "had", "did", "был", "была", "было", "были"})


class LinearModel:
    """Weights by feature name, an intercept, and an optional sigmoid calibration."""

    def __init__(self, weights: dict[str, float], intercept: float) -> None:
        self.weights = weights
        self.intercept = intercept

    def margin(self, values: dict[str, float]) -> float:
        weights = self.weights
        total = self.intercept
        for name, value in values.items():
            weight = weights.get(name)
            if weight is not None:
                total += weight * value
        return total


class ScorerModel:
    """The check-worthiness and kind models of one ``scorer.json``."""

    def __init__(self, record: dict[str, Any]) -> None:
        names: list[str] = record["features"]
        checkworthy = record["checkworthy"]
        self.checkworthy = LinearModel(
            _weights(names, checkworthy["coefficients"]), checkworthy["intercept"]
        )
        self.slope: float = checkworthy["calibration"]["slope"]
        self.offset: float = checkworthy["calibration"]["offset"]
        self.fact_thresholds: dict[str, float] = checkworthy["fact_thresholds"]
        debate = checkworthy["debate"]
        self.debate_slope: float = debate["calibration"]["slope"]
        self.debate_offset: float = debate["calibration"]["offset"]
        self.debate_threshold: float = debate["fact_threshold"]
        kinds = record["kinds"]
        self.kinds = {
            kind: LinearModel(_weights(names, row), intercept)
            for kind, row, intercept in zip(
                kinds["classes"], kinds["coefficients"], kinds["intercepts"], strict=True
            )
        }

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "ScorerModel":
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def probability(self, values: dict[str, float], *, reading: str = WRITTEN) -> float:
        """Calibrated probability that the sentence with ``values`` (``vectors.vectorise``)
        is check-worthy, read as written text, as debate or as either (see ``READINGS``)."""
        if reading == WRITTEN:
            return _sigmoid(self.slope * self.checkworthy.margin(values) + self.offset)
        debated = self.checkworthy.margin(as_debate(values))
        spoken = _sigmoid(self.debate_slope * debated + self.debate_offset)
        if reading == DEBATE_READING:
            return spoken
        return (spoken + self.probability(values)) / 2

    def fact_threshold(self, language: str, *, reading: str = WRITTEN) -> float:
        """The probability from which a sentence of ``language`` is called a fact."""
        written = self.fact_thresholds.get(language, self.fact_thresholds["en"])
        if reading == WRITTEN:
            return written
        if reading == DEBATE_READING:
            return self.debate_threshold
        return (written + self.debate_threshold) / 2

    def kind_if_not_checkworthy(self, values: dict[str, float]) -> str:
        scores = {
            kind: model.margin(values) for kind, model in self.kinds.items() if kind != "fact"
        }
        return max(scores, key=scores.__getitem__)


def _weights(names: list[str], coefficients: list[float]) -> dict[str, float]:
    return {name: weight for name, weight in zip(names, coefficients, strict=True) if weight}


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exponential = math.exp(value)
    return exponential / (1.0 + exponential)


class LearnedScorer:
    """Check-worthiness and kind from the fitted model at ``path``.

    A written sentence (``features.spoken`` False) is read as written text; one said in
    a transcript, or whose genre is not known, as either written text or a spoken debate
    (the genre of ClaimBuster's sentences, where fewer plain statements are worth
    checking). ``reading`` (one of ``READINGS``) reads every sentence one way instead;
    ``debate`` True or False is short for the debate or the written reading.
    """

    def __init__(
        self, path: Path = MODEL_PATH, *, debate: bool | None = None, reading: str | None = None
    ) -> None:
        if reading is not None and reading not in READINGS:
            raise ValueError(f"unknown reading {reading!r}; use one of {READINGS}")
        if reading is None and debate is not None:
            reading = DEBATE_READING if debate else WRITTEN
        self.path = path
        self.forced = reading
        self._model: ScorerModel | None = None
        self._lock = threading.Lock()
        self._rules = RuleScorer()

    @property
    def model(self) -> ScorerModel:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = ScorerModel.load(self.path)
        return self._model

    def reading(self, features: SentenceFeatures) -> str:
        """How the sentence of ``features`` is read (one of ``READINGS``)."""
        if self.forced is not None:
            return self.forced
        if features.spoken is None:
            return UNKNOWN_GENRE_READING
        return TRANSCRIPT_READING if features.spoken else WRITTEN

    def score(self, features: SentenceFeatures) -> Scored:
        model = self.model
        reading = self.reading(features)
        values = self._values(features)
        probability = model.probability(values, reading=reading)
        said = values
        if features.attribution is not None:
            # "По словам министра, это ошибка": the kind is that of what was said, which
            # the words that attribute it leave unchanged.
            content = features._replace(
                attribution=None,
                markers=[marker for marker in features.markers if marker[0] != "reporting"],
            )
            said = self._values(content)
        said_probability = (
            probability if said is values else model.probability(said, reading=reading)
        )
        if features.is_question:
            kind = "question"
        elif said_probability >= model.fact_threshold(features.language, reading=reading):
            kind = "fact"
        else:
            kind = model.kind_if_not_checkworthy(said)
        fact = kind == "fact"
        shown = values if fact else said
        if reading == DEBATE_READING:
            shown = as_debate(shown)
        elif reading == EITHER:
            # Half of each debate copy: what the two readings weigh on average.
            shown = {
                **shown,
                **{
                    name: value / 2
                    for name, value in as_debate(shown).items()
                    if name.startswith(DEBATE)
                },
            }
        return Scored(kind, round(probability, 2), reasons(features, shown, model, fact=fact))

    def _values(self, features: SentenceFeatures) -> dict[str, float]:
        return vectorise(features, self._rules.score(features))


def reasons(
    features: SentenceFeatures, values: dict[str, float], model: ScorerModel, *, fact: bool
) -> list[str]:
    """Codes of the features that moved the score most towards the kind given: for a fact
    what raised its check-worthiness, for any other kind what lowered it."""
    weights = model.checkworthy.weights
    contributions: dict[str, float] = {}
    meaning = 0.0
    for name, value in values.items():
        weight = weights.get(name)
        if weight is None:
            continue
        if "meaning." in name:
            # Hundreds of values, one reason: what the sentence's words mean.
            meaning += weight * value
            continue
        # A language's own correction, and a debate's, count with the shared feature
        # they correct.
        shared = name.removeprefix(DEBATE).partition("|")[2] or name.removeprefix(DEBATE)
        if _shown(shared):
            contributions[shared] = contributions.get(shared, 0.0) + weight * value
    if meaning:
        contributions["meaning"] = meaning
    ranked = sorted(
        ((value if fact else -value, name) for name, value in contributions.items()),
        reverse=True,
    )
    shown: list[str] = []
    for contribution, name in ranked[:REASONS_SHOWN]:
        if contribution > 0:
            shown.extend(_details(name, features))
    return list(dict.fromkeys(shown))


def _shown(name: str) -> bool:
    # The language and the rules' verdict are context, not something a reviewer can see;
    # short words ("в", "the") say nothing on their own.
    if name.startswith("word."):
        return len(name.split(".", 2)[2]) >= 4
    return not name.startswith(("language.", "rules.", "length"))


def _details(name: str, features: SentenceFeatures) -> list[str]:
    """The reason codes of one feature, with what in the sentence made it."""
    if name == "entity" or name.startswith("entity."):
        entities = features.entities
        if entities:
            wanted = name.partition(".")[2]
            return [
                f"entity:{entity.get('normal') or entity['text']}"
                for entity in entities
                if not wanted or entity.get("type") == wanted
            ]
        return [f"name:{name}" for name in features.names]
    if name == "date":
        return [f"date:{date['text']}" for date in features.dates]
    if name == "quantity":
        return [f"quantity:{quantity['text']}" for quantity in features.quantities]
    if name == "reference":
        return [f"reference:{reference}" for reference in features.references]
    if name == "attribution" and features.attribution:
        return [f"attribution:{features.attribution}"]
    if name == "verb.past" and features.past_verbs:
        # Name the event verb, not the auxiliary: "signed", not "was".
        verbs = [verb for verb in features.past_verbs if verb not in _AUXILIARIES]
        return [f"verb.past:{(verbs or features.past_verbs)[0]}"]
    if name == "verb.present" and features.present_verbs:
        return [f"verb.present:{features.present_verbs[0]}"]
    if name == "verb.future" and features.future_verbs:
        return [f"verb.future:{features.future_verbs[0]}"]
    if name.startswith("marker."):
        category = name.partition(".")[2]
        return [f"{name}:{phrase}" for found, phrase in features.markers if found == category]
    if name.startswith("word."):
        wanted = name.split(".", 2)[2]
        word = next((word for word in words_of(features.text) if stem(word) == wanted), wanted)
        return [f"word:{word}"]
    return [name]
