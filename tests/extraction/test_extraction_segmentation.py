"""Where claims start and end: sentence boundaries, the places never to split, lists."""

import pytest

from annotations.extraction import extract_claims


def spans(text: str, language: str | None = None) -> list[str]:
    return [claim.text for claim in extract_claims(text, language=language, entities=False)]


# Never split inside ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Его называют т.н. отцом реформы, т.е. главным автором. Это спорно.",
            ["Его называют т.н. отцом реформы, т.е. главным автором.", "Это спорно."],
        ),
        (
            "Музей им. Пушкина открылся в пгт. Северный. Вход свободный.",
            ["Музей им. Пушкина открылся в пгт. Северный.", "Вход свободный."],
        ),
        (
            "Штраф по п. 3 ст. 12 вырос. В 1990-х гг. его не было.",
            ["Штраф по п. 3 ст. 12 вырос.", "В 1990-х гг. его не было."],
        ),
        (
            "Реформу начали в 2019 г. после выборов. Она идёт до сих пор.",
            ["Реформу начали в 2019 г. после выборов.", "Она идёт до сих пор."],
        ),
        (
            "Яблоки, груши и т. д. подорожали. Овощи нет.",
            ["Яблоки, груши и т. д. подорожали.", "Овощи нет."],
        ),
    ],
)
def test_it_keeps_russian_abbreviations_inside_the_sentence(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met Dr. Jones in the U.S. capital. They talked.",
            ["Mr. Smith met Dr. Jones in the U.S. capital.", "They talked."],
        ),
        (
            "Some fruits, e.g. apples, got cheaper. See bill No. 5 for details.",
            ["Some fruits, e.g. apples, got cheaper.", "See bill No. 5 for details."],
        ),
        (
            "The release, No. G.17, is out. Read it.",
            ["The release, No. G.17, is out.", "Read it."],
        ),
    ],
)
def test_it_keeps_english_abbreviations_inside_the_sentence(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Winds of up to 80 mph were recorded near Peoria, Ill. A tree fell on a car.",
            ["Winds of up to 80 mph were recorded near Peoria, Ill.", "A tree fell on a car."],
        ),
        (
            "LOPEZ: Tom Reyes farms near Fresno, Calif. Thank you so much.",
            ["LOPEZ: Tom Reyes farms near Fresno, Calif.", "Thank you so much."],
        ),
        # Before a name or a number the state stays in its sentence.
        (
            "The plant in Salem, Ore. Smith Corp. bought it in 2019.",
            ["The plant in Salem, Ore. Smith Corp. bought it in 2019."],
        ),
    ],
)
def test_a_state_abbreviation_ends_a_sentence_before_a_word_that_opens_one(text, expected):
    assert spans(text, "en") == expected


def test_it_keeps_initials_together():
    text = "Поэму написал А. С. Пушкин. Таблицу составил Д.И. Менделеев."
    assert spans(text) == ["Поэму написал А. С. Пушкин.", "Таблицу составил Д.И. Менделеев."]


def test_it_keeps_english_initials_together():
    text = "The Hobbit was written by J. R. R. Tolkien in 1937. It sold well."
    assert spans(text) == ["The Hobbit was written by J. R. R. Tolkien in 1937.", "It sold well."]


def test_it_keeps_decimals_and_dates_together():
    text = "Рост составил 3.5 процента, а 01.12.2021 — 2,7. Это рекорд."
    assert spans(text) == ["Рост составил 3.5 процента, а 01.12.2021 — 2,7.", "Это рекорд."]


def test_it_keeps_urls_together():
    text = "Visit https://example.com/a.b?x=1. Then call us."
    assert spans(text) == ["Visit https://example.com/a.b?x=1.", "Then call us."]


def test_it_keeps_emails_together():
    text = "Пишите на info.desk@mail.example.ru. Ответим быстро."
    assert spans(text) == ["Пишите на info.desk@mail.example.ru.", "Ответим быстро."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Он сказал: «Я приду. Обязательно!» И ушёл.",
            ["Он сказал: «Я приду. Обязательно!»", "И ушёл."],
        ),
        ("„Вот так. Да“ — сказал он. Все молчали.", ["„Вот так. Да“ — сказал он.", "Все молчали."]),
        (
            'She said: "I will come. Definitely!" Then she left.',
            ['She said: "I will come. Definitely!"', "Then she left."],
        ),
        (
            "«Полигона не будет. Решение „окончательное“. Точка», — написал он.",
            ["«Полигона не будет. Решение „окончательное“. Точка», — написал он."],
        ),
    ],
)
def test_it_keeps_quotations_with_sentence_ends_together(text, expected):
    assert spans(text) == expected


def test_it_keeps_an_ellipsis_inside_a_sentence():
    text = "В стране было... много проблем. Но их решили."
    assert spans(text) == ["В стране было... много проблем.", "Но их решили."]


# Hard boundaries and fragments --------------------------------------------------------


def test_it_treats_a_line_break_as_a_boundary():
    text = "Итоги года\nЭкономика выросла на 3%\nБезработица снизилась."
    assert spans(text) == ["Итоги года", "Экономика выросла на 3%", "Безработица снизилась."]


def test_it_keeps_a_heading_as_its_own_claim_of_kind_other():
    claims = extract_claims("Weekly briefing\n\nThe council met on Monday.", entities=False)
    assert [claim.text for claim in claims] == ["Weekly briefing", "The council met on Monday."]
    assert claims[0].kind == "other"


# Lists ---------------------------------------------------------------------------------


def test_it_splits_an_inline_numbered_list_even_without_a_full_stop_before_a_marker():
    text = (
        "Причин три. 1. Москва напоминает о претензиях, когда решит что это необходимо "
        "2. Таким образом, она давит на соседей. 3. Россия играет на публику."
    )
    assert spans(text) == [
        "Причин три.",
        "Москва напоминает о претензиях, когда решит что это необходимо",
        "Таким образом, она давит на соседей.",
        "Россия играет на публику.",
    ]


def test_it_splits_items_numbered_with_parentheses():
    text = "Решения: 1) продлить срок; 2) увеличить штат. Всё."
    assert spans(text) == ["Решения:", "продлить срок;", "увеличить штат.", "Всё."]


def test_it_splits_items_lettered_in_russian():
    text = "Риски бывают: а) финансовые, б) кадровые, в) правовые."
    assert spans(text) == ["Риски бывают:", "финансовые,", "кадровые,", "правовые."]


def test_it_splits_items_lettered_in_english():
    text = "The budget includes: (a) roads; (b) parks; (c) a library."
    assert spans(text) == ["The budget includes:", "roads;", "parks;", "a library."]


def test_it_drops_bullets_and_dashes_at_line_starts():
    text = "- первый пункт\n• второй пункт\n— Мы приедем, — сказал он.\n* third item"
    assert spans(text) == ["первый пункт", "второй пункт", "Мы приедем, — сказал он.", "third item"]


def test_it_drops_numbers_of_items_on_their_own_lines():
    text = "How to apply\n1. Check your address.\n2) Fill in the form."
    assert spans(text) == ["How to apply", "Check your address.", "Fill in the form."]


def test_it_does_not_take_a_lone_number_in_running_text_for_a_list():
    text = "Статья 5. Далее идёт текст. The score was 2. Then it rained."
    assert spans(text) == [
        "Статья 5.",
        "Далее идёт текст.",
        "The score was 2.",
        "Then it rained.",
    ]


def test_it_excludes_list_markers_from_offsets():
    text = "Итак: 1. Первое. 2. Второе."
    claims = extract_claims(text, entities=False)
    assert [(claim.start, claim.end) for claim in claims] == [(0, 5), (9, 16), (20, 27)]
    assert all(text[claim.start : claim.end] == claim.text for claim in claims)


# Languages -----------------------------------------------------------------------------


def test_it_splits_each_paragraph_of_a_mixed_document_in_its_own_language():
    text = "Mr. Brown arrived. He spoke.\nГ-н Браун приехал в пгт. Северный. Он выступил."
    claims = extract_claims(text, entities=False)
    assert [(claim.text, claim.language) for claim in claims] == [
        ("Mr. Brown arrived.", "en"),
        ("He spoke.", "en"),
        ("Г-н Браун приехал в пгт. Северный.", "ru"),
        ("Он выступил.", "ru"),
    ]


def test_a_forced_language_applies_to_every_paragraph():
    claims = extract_claims("Hello there.\nПривет.", language="en", entities=False)
    assert {claim.language for claim in claims} == {"en"}


def test_it_refuses_an_unsupported_language():
    with pytest.raises(ValueError, match="unsupported language"):
        extract_claims("Hallo.", language="de")


def test_it_ends_a_sentence_at_an_abbreviation_followed_by_a_sentence_opener():
    assert spans("Это случилось в 2019 г. Он ушёл. Жил в г. Москва.") == [
        "Это случилось в 2019 г.",
        "Он ушёл.",
        "Жил в г. Москва.",
    ]
    assert spans("Фрукты и т.д. Это всё.") == ["Фрукты и т.д.", "Это всё."]


def test_it_keeps_an_english_ellipsis_whole_at_a_sentence_end():
    assert spans("Prices rose 3.2% in Q1... Analysts were surprised.") == [
        "Prices rose 3.2% in Q1...",
        "Analysts were surprised.",
    ]


def test_it_drops_roman_section_numbers_and_capital_letter_markers():
    assert spans("I. Введение\nII. Основная часть\nI. e. a note") == [
        "Введение",
        "Основная часть",
        "I. e. a note",
    ]
    assert spans("Options: A) wait; B) act now.") == ["Options:", "wait;", "act now."]


@pytest.mark.parametrize("language", ["", "auto", "mixed"])
def test_auto_and_mixed_mean_judge_each_paragraph(language):
    claims = extract_claims("Hello there.\nПривет всем.", language=language, entities=False)
    assert [claim.language for claim in claims] == ["en", "ru"]


# Genres: wire reports, transcripts, posts ------------------------------------------------


def test_a_wire_dateline_opens_the_first_sentence():
    text = "МОСКВА, 13 марта. /ТАСС/. Цены выросли на 0,4%. Это меньше, чем в январе."
    assert spans(text) == [
        "МОСКВА, 13 марта. /ТАСС/. Цены выросли на 0,4%.",
        "Это меньше, чем в январе.",
    ]
    text = "МОСКВА, 13 мар — РИА Новости. Цены выросли на 0,4%. Это меньше, чем в январе."
    assert spans(text)[0] == "МОСКВА, 13 мар — РИА Новости. Цены выросли на 0,4%."


def test_a_time_zone_stays_with_its_time():
    assert spans("Updated Jan. 22, 2025 at 6:00 a.m. EST") == [
        "Updated Jan. 22, 2025 at 6:00 a.m. EST"
    ]
    assert spans("The briefing began at 1:14 P.M. EST and lasted an hour.") == [
        "The briefing began at 1:14 P.M. EST and lasted an hour."
    ]


def test_a_transcript_speaker_label_is_cut_off_its_first_sentence():
    assert spans("Нилов Я. Е. Олег Николаевич, я с вами согласен. Это так.") == [
        "Нилов Я. Е.",
        "Олег Николаевич, я с вами согласен.",
        "Это так.",
    ]
    # Initials before a surname keep the sentence whole.
    assert spans("Губернатор В. А. Орлов ввёл режим ЧС. Он продлится неделю.") == [
        "Губернатор В. А. Орлов ввёл режим ЧС.",
        "Он продлится неделю.",
    ]
    assert spans("Нилов Я. Е., председатель комитета.") == ["Нилов Я. Е., председатель комитета."]


def test_a_unit_after_a_number_may_end_a_sentence():
    assert spans("Вода поднялась на 4 см. Сводка выложена утром. См. рис. 2.") == [
        "Вода поднялась на 4 см.",
        "Сводка выложена утром.",
        "См. рис. 2.",
    ]


def test_an_emoji_can_end_a_sentence_and_hashtags_after_a_link_stand_alone():
    assert spans("Вода поднялась ещё на 23 см 😱 Сейчас уровень 9,71 м!!! #паводок #Курган") == [
        "Вода поднялась ещё на 23 см 😱",
        "Сейчас уровень 9,71 м!!!",
        "#паводок #Курган",
    ]
    assert spans("Volunteers collected 500 bags 💪 Donate: https://example.org/help #Flood") == [
        "Volunteers collected 500 bags 💪",
        "Donate: https://example.org/help",
        "#Flood",
    ]
    assert spans("Мэрия опять всё проспала 🤦‍♂️ Ещё 2 апреля нас предупреждали.") == [
        "Мэрия опять всё проспала 🤦‍♂️",
        "Ещё 2 апреля нас предупреждали.",
    ]


def test_a_date_phrase_without_a_verb_is_not_a_sentence():
    assert spans("По версии следствия, в 2022–2023 гг. Носков получил 3 млн руб.") == [
        "По версии следствия, в 2022–2023 гг. Носков получил 3 млн руб."
    ]
    assert spans("Реформу начали в 2019 г. Она идёт до сих пор.") == [
        "Реформу начали в 2019 г.",
        "Она идёт до сих пор.",
    ]


def test_a_pictograph_opening_a_lone_line_stays_in_its_claim():
    text = "🔥 ЦБ vs инфляция\nСтавка составляет 21%.\n👁 15,2K"
    assert spans(text) == ["🔥 ЦБ vs инфляция", "Ставка составляет 21%.", "👁 15,2K"]


def test_the_same_pictograph_opening_neighbouring_lines_is_a_bullet():
    text = "Прогнозы:\n📌 Сбер: ставку сохранят;\n📌 ВТБ: ставку сохранят."
    assert spans(text) == ["Прогнозы:", "Сбер: ставку сохранят;", "ВТБ: ставку сохранят."]


def test_keycap_digits_and_a_pictograph_before_a_dash_open_list_items():
    text = "1️⃣ Лимит увеличили.\n2️⃣ Ставка выросла.\nГолосуем:\n👍 — да, жильё важнее\n👎 — нет"
    assert spans(text) == [
        "Лимит увеличили.",
        "Ставка выросла.",
        "Голосуем:",
        "да, жильё важнее",
        "нет",
    ]


def test_a_footnote_mark_after_a_sentence_ends_it_and_belongs_to_no_claim():
    assert spans("В 1781 г. получил статус города.[2] В 1890-х гг. прошла дорога.[3]") == [
        "В 1781 г. получил статус города.",
        "В 1890-х гг. прошла дорога.",
    ]
    assert spans("The town was founded in 1756.² It grew fast.") == [
        "The town was founded in 1756.",
        "It grew fast.",
    ]


def test_encyclopedic_abbreviations_do_not_end_a_sentence():
    assert spans("А. С. Петров (род. 1978) — хоккеист. Кама (лат. Cama) — река.") == [
        "А. С. Петров (род. 1978) — хоккеист.",
        "Кама (лат. Cama) — река.",
    ]


def test_a_reference_entry_is_one_claim_of_kind_other():
    text = (
        "Литература\n"
        "Поспелов Е. М. Географические названия России. — М.: АСТ, 2008. — С. 102.\n"
        "Reference: Whitaker S. J. R., et al. Blockers and dementia. Neurology. "
        "2025;104(9):e213456."
    )
    claims = extract_claims(text, entities=False)
    assert [(claim.text, claim.kind) for claim in claims] == [
        ("Литература", "other"),
        ("Поспелов Е. М. Географические названия России. — М.: АСТ, 2008. — С. 102.", "other"),
        (
            "Reference: Whitaker S. J. R., et al. Blockers and dementia. Neurology. "
            "2025;104(9):e213456.",
            "other",
        ),
    ]


def test_lower_case_numbered_items_after_a_colon_are_split():
    text = "У нас три требования: 1. публиковать отчёты 2. штрафовать за приписки 3. дать право."
    assert spans(text) == [
        "У нас три требования:",
        "публиковать отчёты",
        "штрафовать за приписки",
        "дать право.",
    ]
    assert spans("To get a refund, consumers should:\n1. unplug the heater;\n2. cut the cord.") == [
        "To get a refund, consumers should:",
        "unplug the heater;",
        "cut the cord.",
    ]


def test_a_lower_case_word_after_a_lone_number_does_not_start_an_item():
    assert spans("Согласно пункту 1. статьи 5 штраф вырос.\n2. статьи 6 это не касается.") == [
        "Согласно пункту 1. статьи 5 штраф вырос.",
        "2. статьи 6 это не касается.",
    ]


def test_a_quotation_closed_after_its_sentence_end_and_a_new_one_are_two_sentences():
    text = 'She called it "interesting, but far from decisive." "I would wait," she said.'
    assert spans(text, "en") == [
        'She called it "interesting, but far from decisive."',
        '"I would wait," she said.',
    ]


def test_items_bulleted_with_a_pictograph_belong_to_the_list_their_lead_announces():
    text = "Сроки ремонта:\n📌 в 2025 г. — 12 школ;\n📌 в 2026 г. — 9 школ."
    claims = extract_claims(text, language="ru", entities=False)
    assert [(claim.text, claim.kind) for claim in claims] == [
        ("Сроки ремонта:", "other"),
        ("в 2025 г. — 12 школ;", "prediction"),
        ("в 2026 г. — 9 школ.", "prediction"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An abbreviation opening a line is not a sentence of its own, whatever the
        # line ends with.
        (
            "Dr. Whitcombe retired in 2004. He died in 2011.",
            ["Dr. Whitcombe retired in 2004.", "He died in 2011."],
        ),
        # No sentence opens with a semicolon, a comma or a glued dash.
        (
            "She leaves a son, Peter, of Portland, Ore.; a sister, of Nashua, N.H.; and two"
            " grandchildren.",
            [
                "She leaves a son, Peter, of Portland, Ore.; a sister, of Nashua, N.H.; and two"
                " grandchildren."
            ],
        ),
        (
            "The consular section is open Mon.–Thu., 8:00 a.m. to noon. Call ahead.",
            ["The consular section is open Mon.–Thu., 8:00 a.m. to noon.", "Call ahead."],
        ),
        (
            "U.S. Embassy, 12 Ardent Blvd., Velmar; tel. +500 21 555-0100",
            ["U.S. Embassy, 12 Ardent Blvd., Velmar; tel. +500 21 555-0100"],
        ),
        # A time stamp stays with what is said at that time.
        ("(00:02:15) Mortgage rates: where are we?", ["(00:02:15) Mortgage rates: where are we?"]),
    ],
)
def test_english_abbreviations_punctuation_and_time_stamps(text, expected):
    assert spans(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Разрыв составил 1 432 голоса, т.е. 6,8 п.п. Кандидат Кулагин Д. С. подал заявление.",
            [
                "Разрыв составил 1 432 голоса, т.е. 6,8 п.п.",
                "Кандидат Кулагин Д. С. подал заявление.",
            ],
        ),
        (
            "Скорр. EBITDA — 7,1 млрд руб. Рентабельность по скорр. EBITDA составит 7%.",
            ["Скорр. EBITDA — 7,1 млрд руб.", "Рентабельность по скорр. EBITDA составит 7%."],
        ),
        # After a year "г." ends a sentence that has a clause of its own…
        (
            "Чистая прибыль — 3,02 млрд руб. против 3,61 млрд руб. в 1 п/г 2024 г. Капитальные"
            " затраты составили 9,8 млрд руб.",
            [
                "Чистая прибыль — 3,02 млрд руб. против 3,61 млрд руб. в 1 п/г 2024 г.",
                "Капитальные затраты составили 9,8 млрд руб.",
            ],
        ),
        # …but not a date phrase that opens one.
        (
            "В 2024 г. Москва приняла закон о парковках.",
            ["В 2024 г. Москва приняла закон о парковках."],
        ),
    ],
)
def test_russian_report_abbreviations_and_years(text, expected):
    assert spans(text, "ru") == expected


def test_english_web_text_opens_sentences_in_lower_case():
    text = "i bought this blender in march. it stopped working. any ideas? thanks"
    claims = extract_claims(text, language="en", entities=False)
    assert [claim.start for claim in claims] == [
        0,
        text.index("it stopped"),
        text.index("any ideas"),
        text.index("thanks"),
    ]


def test_a_lower_case_word_after_an_ellipsis_or_a_unit_continues_the_sentence():
    for text in (
        "That's understandable... they have businesses to run.",
        "The heaters measure about 9 in. wide by 14 in. tall.",
        "The hotel is near the station, e.g. a five minute walk.",
    ):
        assert len(extract_claims(text, language="en", entities=False)) == 1, text


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("We ordered the pizza at 7. it arrived cold.", "it arrived"),
        ("my flight got moved to 11pm. they did not even call.", "they did"),
        ("The U.S. team won 3-1. it was their first win.", "it was"),
        ("the price went up to $12.99. still cheaper than the store.", "still cheaper"),
        ("Paid $45 for a haircut. not worth it at all.", "not worth"),
        ("I called them twice. very disappointing.", "very disappointing"),
        ("The instructions say to wait 24 hrs. we waited two days.", "we waited"),
    ],
)
def test_english_web_text_ends_a_sentence_on_a_figure_or_a_unit_before_an_opener(text, second):
    claims = extract_claims(text, language="en", entities=False)
    assert [claim.start for claim in claims] == [0, text.index(second)]


def test_a_numbered_item_or_a_unit_before_a_conjunction_opens_no_sentence():
    for text in (
        "1. the first step is to unplug it.",
        "The shelf is 7 ft. and the cabinet is shorter.",
        "The new model is 2 in. thinner than the old one.",
        "It weighs approx. two pounds with the battery.",
    ):
        assert len(extract_claims(text, language="en", entities=False)) == 1, text
