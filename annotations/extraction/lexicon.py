"""Marker words and phrases the scorer looks for, by language and category.

Categories:
- ``opinion``: the writer takes a stance ("на мой взгляд", "clearly", "к сожалению");
- ``hedge``: the writer is unsure ("судя по всему", "вероятно", "apparently");
- ``modal``: obligation, ability, wish or effort rather than an event ("должен", "хочет",
  "should", "tries to"), plus inference and intensifiers that mark argument, not report;
- ``prediction``: talk about the future ("будет", "в ближайшие годы", "will", "next year");
- ``reporting``: someone stated something ("заявил", "по данным", "according to").
"""

from typing import Final

_RU: Final = {
    "opinion": """
        на мой взгляд | по моему мнению | по-моему | я считаю | я думаю | мы считаем |
        я уверен | мы уверены | мне кажется | думается | стоит сказать | стоит отметить |
        стоит признать | надо сказать | надо признать | очевидно | явно | безусловно |
        несомненно | действительно | конечно | разумеется | к сожалению | к счастью |
        увы | бесспорно | справедливо | несправедливо | возмутительно |
        позор | позорно | ужасно | прекрасно | замечательно | отвратительно | абсурдно |
        так называемый | так называемая | так называемые | так называемых |
        мягко говоря | хочется верить | хочется надеяться | сомневаюсь | сомневаются |
        сомневается | недостаточно | неоднозначный | неоднозначно | удовлетворительно |
        разочаровывает | обнадёживает | обнадеживает | недопустимо | неприемлемо |
        мы думаем | мы полагаем | нам кажется | хороший знак | плохой знак | тревожный знак
    """,
    "hedge": """
        судя по всему | по всей видимости | по-видимому | вероятно | видимо | возможно |
        наверное | наверно | кажется | похоже | пожалуй | скорее всего | во многом |
        в какой-то мере | в некотором смысле | якобы | как бы то ни было | предположительно |
        считает | считают | полагает | полагают | по мнению
    """,
    "modal": """
        должен | должна | должно | должны | нужно | надо | необходимо | следует | может |
        могут | мог бы | могла бы | могли бы | хочет | хотят | хотел бы | стремится |
        стремятся | пытается | пытаются | старается | стараются | таким образом |
        следовательно | поэтому | чётко | четко | точнее | слишком | абсолютно |
        совершенно | крайне | практически | важно | главное | лучше | хуже
    """,
    "prediction": """
        будет | будут | будем | буду | будешь | будете | станет | станут | в будущем |
        в ближайшие | в ближайшее время | в перспективе | прогнозирует | прогнозируют |
        прогнозируется | ожидается | ожидаются | намерен | намерена | намерены |
        собирается | собираются | планирует | планируют | грозит | рискует | рискуют |
        ожидаем | ожидает | ожидают | запланирован | запланирована | запланировано |
        запланированы | планируется | планируются
    """,
    "reporting": """
        заявил | заявила | заявили | заявляет | заявляют | сообщил | сообщила | сообщили |
        сообщает | сообщают | сообщается | отметил | отметила | отметили | подчеркнул |
        подчеркнула | подчеркнули | рассказал | рассказала | рассказали | объявил |
        объявила | объявили | признал | признала | признали | пояснил | пояснила |
        пояснили | написал | написала | написали | пишет | утверждает | утверждают |
        уточнил | уточнила | уточнили | подтвердил | подтвердила | подтвердили |
        опроверг | опровергла | опровергли | добавил | добавила | добавили | сказал |
        сказала | сказали | говорится | по словам | по данным | по информации |
        согласно | со ссылкой на | как сообщает | как сообщил | озвученные | озвученный |
        озвученная | озвученных | опубликовал | опубликовала | опубликовали | разговоры |
        заявление | заявления | заявлению | указал | указала | указали | настаивает |
        настаивают | настаивал | настаивала | настаивали
    """,
}

_EN: Final = {
    "opinion": """
        i think | i believe | we believe | i feel | in my view | in my opinion | in our view |
        clearly | obviously | undoubtedly | of course | unfortunately | fortunately |
        frankly | arguably | it is clear that | needless to say | sadly | shameful |
        disgrace | outrageous | absurd | ridiculous | terrible | wonderful | so-called |
        must be said | to be fair | honestly | overdue | encouraging | disappointing |
        unacceptable | doubt | doubts | not everyone | would have | mistake | poor |
        we think | i suspect | we suspect | good sign | bad sign | worrying sign
    """,
    "hedge": """
        apparently | seemingly | probably | perhaps | maybe | possibly | likely | it seems |
        appears to | appear to | seems to | seem to | might | presumably | allegedly |
        more or less | to some extent | in a sense | reportedly | critics say | critics argue |
        believes | believe
    """,
    "modal": """
        should | must | ought to | need to | needs to | has to | have to | can | could |
        may | wants to | want to | tries to | try to | trying to | therefore | thus |
        hence | too | very | extremely | absolutely | totally | really | truly | best |
        worst | important
    """,
    "prediction": """
        will | won't | 'll | going to | is expected to | are expected to | expected to |
        forecast | forecasts | predicts | predict | next year | next month | next week |
        in the coming | in the future | plans to | plan to | intends to | intend to |
        is set to | are set to | is likely to | are likely to | is poised to | is expected |
        are expected | we expect | expect | expects | is scheduled | are scheduled |
        scheduled to | is due to | are due to
    """,
    "reporting": """
        said | says | told | reported | reports | announced | stated | confirmed | claimed |
        claims | wrote | added | noted | denied | insisted | argued | warned | tweeted |
        posted | according to | citing | quoted | a statement | in a statement |
        spokesman | spokeswoman | spokesperson | published | testified | stress | stresses |
        stressed | advise | advises | advised | recommend | recommends | recommended | urge |
        urges | urged | cautioned
    """,
}


def word_set(block: str) -> frozenset[str]:
    """The whitespace-separated words of ``block`` as a set."""
    return frozenset(block.split())


def _phrases(block: str) -> list[str]:
    return [" ".join(item.split()) for item in block.split("|") if item.strip()]


def _index(table: dict[str, str]) -> dict[str, list[tuple[tuple[str, ...], int, str]]]:
    """Key word → [(phrase words, position of the key in the phrase, category)].

    Each phrase is filed under its longest word: long words are rare, so most sentences
    share no key with the index and are passed over after one set test.
    """
    index: dict[str, list[tuple[tuple[str, ...], int, str]]] = {}
    for category, block in table.items():
        for phrase in _phrases(block):
            words = tuple(phrase.split())
            key = max(range(len(words)), key=lambda position: len(words[position]))
            index.setdefault(words[key], []).append((words, key, category))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return index


MARKERS: Final = {"ru": _index(_RU), "en": _index(_EN)}
_KEYS: Final = {language: frozenset(index) for language, index in MARKERS.items()}
# Words under which a marker phrase is filed: a sentence without one has no marker.
MARKER_KEYS: Final = _KEYS


def find_markers(words: list[str], language: str) -> list[tuple[str, str]]:
    """Return ``(category, phrase)`` for every marker among lower-case ``words``, in order."""
    index = MARKERS.get(language, MARKERS["en"])
    if _KEYS.get(language, _KEYS["en"]).isdisjoint(words):
        return []
    found: list[tuple[int, int, str, str]] = []
    for position in [i for i, word in enumerate(words) if word in index]:
        for phrase, key, category in index[words[position]]:
            begin = position - key
            if begin >= 0 and tuple(words[begin : begin + len(phrase)]) == phrase:
                found.append((begin, begin + len(phrase), category, " ".join(phrase)))
                break
    found.sort()
    result: list[tuple[str, str]] = []
    covered = 0
    for begin, end, category, text in found:
        # A longer phrase already took these words ("по всей видимости" over "видимо").
        if begin < covered:
            continue
        result.append((category, text))
        covered = end
    return result
