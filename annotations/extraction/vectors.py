"""A sentence's features as named numbers, the input of the learned scorer.

Three families: observations that mean the same in any language (numbers, dates,
quantities, entities, attribution, tense, person, modality, hedges, comparatives,
length, the shape of the line), named by stable codes that double as the reasons shown
to reviewers; the sentence's words, cut to a short stem and prefixed with the language,
so each language learns its own vocabulary; and, for Russian, whose training data is
the smallest, where the sentence lies among word meanings (``meaning``).
"""

import math
import re
from typing import Final

from .features import SentenceFeatures
from .lexicon import word_set
from .meaning import sentence_meaning
from .scoring import Scored

# Words cut to this many letters: a crude stem that folds "подписали"/"подписал" and
# "increased"/"increases" together without a morphological model.
STEM_LETTERS: Final = 6
# A Russian sentence's meaning (``meaning``) enters as 300 values of this size: 3 rather
# than 1 makes the penalty on their weights nine times weaker, as each of them carries
# little on its own. Chosen on cross-validation (1.5, 3 and 5 did alike).
MEANING_WEIGHT: Final = 3.0
_MEANING_NAMES: Final = tuple(f"meaning.ru.{index}" for index in range(300))
_WORD: Final = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_DIGIT: Final = re.compile(r"\d")
_COMPARATIVES: Final = word_set(
    """
    more less fewer higher lower larger smaller bigger most least largest biggest highest
    lowest than twice half double doubled tripled
    больше меньше выше ниже крупнее дороже дешевле чаще реже самый самая самое самые
    крупнейший крупнейшая крупнейшее крупнейших крупнейшим чем вдвое втрое половина
    """
)
_SECOND_PERSON: Final = word_set(
    """
    you your yours вы вас вам вами ваш ваша ваше ваши ты тебя тебе твой твоя твоё твои
    """
)
_NEGATIONS: Final = word_set("not no never nobody nothing none не нет ни никогда никто ничего")
_UNIVERSAL: Final = word_set(
    """
    all every always everyone everybody everything nobody never все всё всегда каждый
    каждая каждое никто никогда
    """
)


def words_of(text: str) -> list[str]:
    """Lower-cased words of ``text``, digits left out."""
    return _WORD.findall(text.lower())


def stem(word: str) -> str:
    return word[:STEM_LETTERS]


def vectorise(features: SentenceFeatures, rules: Scored) -> dict[str, float]:
    """The named values of one sentence; absent names are zero.

    ``rules`` is the hand-written rules' verdict: their kind sums up the line's shape
    (heading, list item, field, procedure), their score the weighed evidence.
    """
    values: dict[str, float] = {f"language.{features.language}": 1.0}
    words = words_of(features.text)
    count = len(words)
    values["length"] = math.log1p(count) / math.log1p(40)
    if count <= 4:
        values["length.short"] = 1.0
    elif count >= 25:
        values["length.long"] = 1.0
    entities = features.entities
    if entities:
        values["entity"] = min(len(entities), 3) / 3
        for entity in entities:
            values[f"entity.{entity.get('type', 'MISC')}"] = 1.0
    elif features.names:
        values["entity"] = min(len(features.names), 3) / 3
    if features.dates:
        values["date"] = 1.0
    if features.quantities:
        values["quantity"] = 1.0
    if _DIGIT.search(features.text):
        values["digit"] = 1.0
    if features.references:
        values["reference"] = 1.0
    if features.attribution:
        values["attribution"] = 1.0
    if features.past_verbs:
        values["verb.past"] = 1.0
    if features.present_verbs:
        values["verb.present"] = 1.0
    if features.future_verbs:
        values["verb.future"] = 1.0
    if not features.has_verb:
        values["verb.none"] = 1.0
    for category, _ in features.markers:
        name = f"marker.{category}"
        values[name] = min(values.get(name, 0.0) + 1.0, 2.0)
    word_set_of = set(words)
    for name, lexicon in (
        ("comparative", _COMPARATIVES),
        ("second_person", _SECOND_PERSON),
        ("negation", _NEGATIONS),
        ("universal", _UNIVERSAL),
    ):
        if not lexicon.isdisjoint(word_set_of):
            values[name] = 1.0
    for name, present in (
        ("first_person", features.first_person),
        ("question", features.is_question),
        ("incomplete", not features.is_complete),
        ("heading", features.is_heading),
        ("list_item", features.in_list),
        ("command", features.imperative),
        ("procedural", features.procedural),
        ("quoted_view", features.quoted_view),
        ("scheduled", features.scheduled),
        ("citation", features.citation),
        ("field", features.field),
        ("argued", features.argued),
        ("list_intro", features.has_verb and features.text.rstrip()[-1:] == ":"),
    ):
        if present:
            values[name] = 1.0
    values[f"rules.{rules.kind}"] = 1.0
    values["rules.score"] = rules.checkworthiness
    # Each shared feature again under the language's name: a weight common to both
    # languages, learned mostly from the larger English data, plus a correction that
    # each language learns from its own examples.
    language = features.language
    for name, value in list(values.items()):
        values[f"{language}|{name}"] = value
    if language == "ru":
        # Words in the embedding's vocabulary generalise beyond the stems seen in
        # training: an evaluation without a word of opinion reads like other evaluations.
        meaning = sentence_meaning(words)
        if meaning:
            for name, value in zip(_MEANING_NAMES, meaning, strict=True):
                values[name] = value * MEANING_WEIGHT
    prefix = f"word.{language}."
    for word in word_set_of:
        values[prefix + stem(word)] = 1.0
    return values


# ClaimBuster's sentences and the turns of the corpus's transcripts are spoken, the rest
# of the training data written text. A spoken sentence carries each shared feature
# twice, the second time under this prefix, so what holds in speech only (a short
# sentence with a date is seldom worth checking in a debate) is learned by the copies,
# and the shared weights describe written text.
DEBATE: Final = "debate|"


def as_debate(values: dict[str, float]) -> dict[str, float]:
    """The values of a debate sentence: each shared feature again as its debate copy.
    Words have no copy: a debate's vocabulary is its own already."""
    debated = dict(values)
    for name, value in values.items():
        if not name.startswith("word."):
            debated[DEBATE + name] = value
    return debated


def as_written(values: dict[str, float]) -> dict[str, float]:
    """The values of the same sentence read as written text: without the debate copies."""
    return {name: value for name, value in values.items() if not name.startswith(DEBATE)}
