"""Word-level grammar: verb tense for Russian (pymorphy2) and English (suffix rules).

Models load lazily, once per process, behind a lock: importing the extraction package
must stay cheap, and a web worker may call in from several threads.
"""

import logging
import re
import threading
from typing import Any, Final

from .lexicon import word_set

PAST: Final = 1
PRESENT: Final = 2
FUTURE: Final = 4
INFINITIVE: Final = 8
PREDICATE: Final = 16  # short participles and adjectives: they carry a clause too
EXHORTATIVE: Final = 32  # "отметим", "напомним": a future form that invites, not predicts
IMPERATIVE: Final = 64  # "покажите", "включите": a form that may be a command


_CYRILLIC_WORD: Final = re.compile(r"[а-яё]+(?:-[а-яё]+)*")

_lock = threading.Lock()
_analyzer: Any = None
_russian_flags: dict[str, int] = {}


def morph_analyzer() -> Any:
    """The shared pymorphy2 analyzer (natasha's MorphVocab), loaded on first use."""
    global _analyzer
    if _analyzer is None:
        with _lock:
            if _analyzer is None:
                # natasha's MorphVocab is pymorphy2's analyzer set up so that it runs on
                # current Python, where plain pymorphy2 0.9 fails on a removed API.
                from natasha import MorphVocab

                # Its dictionary-loading notes would land on a command's stderr.
                logging.getLogger("pymorphy2").setLevel(logging.WARNING)
                _analyzer = MorphVocab()
    return _analyzer


def russian_flags(word: str) -> int:
    """Verb flags of a lower-case Russian word, from its most likely reading."""
    flags = _russian_flags.get(word)
    if flags is None:
        # Only Cyrillic words have Russian grammar; pymorphy2 also fails on some scripts.
        flags = _analyse_russian(word) if _CYRILLIC_WORD.fullmatch(word) else 0
        # Words repeat heavily in real text; the cache keeps analysis off the hot path.
        if len(_russian_flags) < 500_000:
            _russian_flags[word] = flags
        else:
            _russian_flags.clear()
            _russian_flags[word] = flags
    return flags


def is_russian_name(word: str) -> bool:
    """True when some reading of the lower-case ``word`` is a first name or surname."""
    return any({"Name", "Surn"} & parse.tag.grammemes for parse in morph_analyzer().parse(word))


def _analyse_russian(word: str) -> int:
    parses = morph_analyzer().parse(word)
    tag = parses[0].tag
    pos = tag.POS
    if pos == "VERB":
        # "Включите", "покажите": a plural command, though often also a future or
        # present form; a caller at a sentence start decides which. Singular commands
        # ("пришли") read as past forms far more often.
        command = (
            IMPERATIVE
            if word.endswith("те") and any(p.tag.mood == "impr" for p in parses[:3])
            else 0
        )
        if tag.mood == "impr":
            indicative = [p.tag for p in parses[1:3] if p.tag.POS == "VERB" and p.tag.tense]
            if not indicative:
                return PRESENT | command
            tag = indicative[0]
        if tag.tense == "past":
            return PAST | command
        if tag.tense == "futr":
            # Two-aspect verbs ("акцентирует", "использует") read as present as well.
            if any(p.tag.POS == "VERB" and p.tag.tense == "pres" for p in parses):
                return PRESENT
            if tag.person == "1per" and tag.number == "plur":
                return FUTURE | EXHORTATIVE
            return FUTURE | command
        return PRESENT | command
    if pos == "INFN":
        return INFINITIVE
    # Short participles and adjectives ("указаны", "виновата") are predicates; full
    # participles and gerunds only describe ("подтопленные дома") and make no clause.
    # A perfective short participle ("принят", "передано") reports a done deed.
    if pos == "PRTS":
        # Two-aspect verbs ("образовано", "использовано") read as imperfective first.
        perfective = tag.aspect == "perf" or any(
            parse.tag.POS == "PRTS" and parse.tag.aspect == "perf" for parse in parses[1:3]
        )
        return PREDICATE | PAST if perfective else PREDICATE
    # "Рынок гораздо меньше": a comparative is the predicate of a verbless clause.
    if pos in {"ADJS", "COMP"}:
        return PREDICATE
    return 0


_ENGLISH_IRREGULAR_PAST: Final = word_set(
    """
    said told went met made took gave found began rose fell grew won lost paid sold
    bought built held left led sent spent struck brought became came saw ran kept meant
    stood wrote fought caught taught sought drove flew knew threw chose spoke broke
    froze stole woke hid bit shot lit slid swore tore wore sank sang rang drank swam
    forgot forgave was were had did got understood withdrew overtook undertook overcame
    upheld been spoken taken written given shown grown driven fallen risen broken chosen
    stolen begun drawn thrown flown withdrawn overtaken undertaken forgiven forbidden
    """
)
_ENGLISH_AUXILIARIES: Final = word_set(
    """
    is are am be been being has have does do can could should may might must shall would
    won't can't isn't aren't doesn't don't hasn't haven't
    """
)
_ENGLISH_PRESENT: Final = word_set(
    """
    says shows remains holds makes takes gives runs leads wants needs seems appears
    expects calls tells claims denies argues reports insists believes thinks plans hopes
    knows becomes includes contains means uses works lives stands owns employs covers
    reaches accounts represents continues faces supports opposes says estimates exceeds
    ranks remain remains goes comes sits lies stays serves requires allows prevents
    provides offers costs pays earns keeps gets moves plays travels operates depends
    belongs differs lacks
    """
)
_NOT_PAST: Final = word_set(
    """
    need red bed seed speed feed bred shed hundred sacred naked wicked united limited
    indeed proceed exceed succeed breed weed greed creed steed deed shred embed reed
    """
)
_ED: Final = re.compile(r"^[a-z]{2,}ed$")


def english_flags(word: str) -> int:
    """Verb flags of a lower-case English word by form alone.

    English has no morphology model here, so this is a heuristic: irregular past forms,
    regular "-ed" forms, auxiliaries and a list of common present-tense verbs.
    """
    if word in _ENGLISH_IRREGULAR_PAST:
        return PAST
    if word in _ENGLISH_AUXILIARIES or word in _ENGLISH_PRESENT:
        return PRESENT
    if word in {"will", "shall", "'ll"}:
        return FUTURE
    if _ED.match(word) and word not in _NOT_PAST:
        return PAST
    return 0
