"""What each claim carries: kind, reasons, entities, dates, quantities, attribution."""

import json
import subprocess
import sys

from annotations.extraction import (
    ExtractedClaim,
    RuleScorer,
    Scored,
    detect_language,
    extract_claims,
)
from annotations.extraction.dates import find_dates
from annotations.extraction.quantities import find_quantities

# What the features are is seen best through the hand-written rules, whose every
# contribution is a reason; the learned scorer is tested in test_extraction_scorer.py.
RULES = RuleScorer()


def only(text: str, **options) -> ExtractedClaim:
    options.setdefault("scorer", RULES)
    claims = extract_claims(text, **options)
    assert len(claims) == 1, claims
    return claims[0]


def test_importing_the_package_loads_no_language_models():
    code = (
        "import sys, annotations.extraction; "
        "print(sorted(m for m in ('natasha', 'pymorphy2', 'pysbd', 'slovnet') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_it_detects_language_by_letters():
    assert detect_language("Москва — столица России.") == "ru"
    assert detect_language("Moscow is the capital of Russia.") == "en"
    assert detect_language("Компания Apple выпустила iPhone.") == "ru"
    assert detect_language("12345", default="en") == "en"


def test_addresses_handles_and_hashtags_do_not_make_a_line_english():
    assert detect_language("Подробнее: https://kurgan-city.ru/news/12346") == "ru"
    assert detect_language("Пишите на press@minfin.example.org") == "ru"
    assert detect_language("Спасибо @elena_volunteer_kurgan #KurganFloodHelp") == "ru"
    assert detect_language("Read more: https://пример.рф/новости") == "en"
    # Nothing but an address: its letters are all there is to go by.
    assert detect_language("https://example.org/ru/новости") == "en"
    assert detect_language("Volunteers collected water, see https://пример.рф/сбор") == "en"

    claim = only("Подробнее: https://kurgan-city.ru/news/12346")
    assert claim.language == "ru"


def test_a_past_event_with_entities_and_a_date_is_a_fact():
    claim = only("Казахстан и Узбекистан в начале декабря подписали декларацию о союзе.")
    assert claim.kind == "fact"
    assert claim.checkworthiness >= 0.5
    assert "entity:Казахстан" in claim.reasons
    assert "date:в начале декабря" in claim.reasons
    assert "verb.past:подписали" in claim.reasons


def test_an_opinion_marker_makes_an_opinion():
    claim = only("Стоит сказать, Москва усматривает русофобию во всем.", entities=False)
    assert claim.kind == "opinion"
    assert claim.checkworthiness < 0.5
    assert "marker.opinion:стоит сказать" in claim.reasons


def test_a_hedged_future_is_a_prediction():
    claim = only("Судя по всему, политика давления будет продолжаться.", entities=False)
    assert claim.kind == "prediction"
    assert "marker.hedge:судя по всему" in claim.reasons
    assert "marker.prediction:будет" in claim.reasons


def test_english_opinion_and_prediction_markers_fire():
    assert only("I think the plan is a mistake.", entities=False).kind == "opinion"
    assert only("Clearly, the board was wrong.", entities=False).kind == "opinion"
    assert only("Prices will rise next year.", entities=False).kind == "prediction"


def test_a_question_is_a_question():
    claim = only("Кто вообще решает, где будет тротуар?", entities=False)
    assert claim.kind == "question"
    assert "question" in claim.reasons


def test_a_quoted_term_does_not_make_the_writer_opinionated():
    claim = only("Летом российские политики подняли тему «слишком явной русофобии».")
    assert claim.kind == "fact"


def test_entities_have_document_offsets_and_normal_forms():
    text = "Заголовок\nОсенью обвинения озвучил министр Сергей Лавров в Центральной Азии."
    claim = extract_claims(text)[1]
    by_type = {entity["type"]: entity for entity in claim.entities}
    assert text[by_type["PER"]["start"] : by_type["PER"]["end"]] == "Сергей Лавров"
    assert by_type["LOC"]["text"] == "Центральной Азии"
    assert by_type["LOC"]["normal"] == "Центральная Азия"


def test_english_entities_come_from_capitalised_words():
    claim = only("The economy grew, the International Monetary Fund said in Washington.")
    found = {(entity["text"], entity["type"]) for entity in claim.entities}
    assert ("International Monetary Fund", "ORG") in found
    assert ("Washington", "LOC") in found


def test_no_entities_when_they_are_switched_off():
    assert only("Москва и Казахстан договорились.", entities=False).entities == []


def test_it_normalises_absolute_and_relative_dates():
    dates = find_dates("в конце 2020 года, 01.12.2021, 5 мая 2019 г., летом и в прошлом году")
    values = [date["value"] for date in dates]
    assert values == [
        {"year": 2020, "part": "end"},
        {"year": 2021, "month": 12, "day": 1},
        {"year": 2019, "month": 5, "day": 5},
        {"relative": "летом"},
        {"relative": "в прошлом году"},
    ]


def test_it_finds_english_dates_but_not_the_verb_may():
    dates = find_dates("On 5 May 2019 and in March 2020 you may leave; last year too.")
    assert [date["text"] for date in dates] == ["5 May 2019", "in March 2020", "last year"]
    assert [date["text"] for date in find_dates("It fell in May.")] == ["in May"]


def test_it_reads_quantities_with_scale_and_unit():
    found = find_quantities("вырос на 6,2%, выделено 3,5 млрд руб. and $48 million")
    assert [(q["text"], q["value"], q["unit"]) for q in found] == [
        ("6,2%", 6.2, "%"),
        ("3,5 млрд руб.", 3.5e9, "руб."),
        ("$48 million", 48e6, "$"),
    ]


def test_it_names_the_source_of_an_attributed_statement():
    cases = {
        "Обвинения озвученные уже российским МИД.": "российским МИД",
        "По данным Росстата, безработица снизилась.": "Росстата",
        "Министр финансов Антон Силуанов заявил, что налоги не вырастут.": (
            "Министр финансов Антон Силуанов"
        ),
        "The economy grew 2%, according to Reuters.": "Reuters",
        '"We will win," said Dr. Alan Brooks, chief economist.': "Dr. Alan Brooks",
    }
    for text, source in cases.items():
        assert only(text, entities=False).attribution == source, text


def test_a_pronoun_is_not_a_source():
    assert only("Он заявил, что всё хорошо.", entities=False).attribution is None


def test_to_dict_is_json_ready():
    claim = only("В 2023 году завод выпустил 5 тыс. вагонов.")
    record = json.loads(json.dumps(claim.to_dict(), ensure_ascii=False))
    assert record["text"] == claim.text
    assert set(record) >= {"start", "end", "kind", "checkworthiness", "reasons", "language"}


def test_a_custom_scorer_replaces_the_rules():
    class AlwaysOpinion:
        def score(self, features):
            return Scored(kind="opinion", checkworthiness=0.1, reasons=[features.language])

    claim = only("Москва подписала договор.", scorer=AlwaysOpinion(), entities=False)
    assert (claim.kind, claim.checkworthiness, claim.reasons) == ("opinion", 0.1, ["ru"])


def test_the_default_scorer_is_usable_on_its_own():
    claim = only("Москва подписала договор.", scorer=RuleScorer(), entities=False)
    assert claim.kind == "fact"


def test_instructions_in_a_list_are_other():
    text = "Что делать:\n— не возвращаться в подтопленные дома;\n— пить кипячёную воду."
    kinds = [claim.kind for claim in extract_claims(text, entities=False)]
    assert kinds == ["other", "other", "other"]


def test_a_web_address_counts_as_a_reference():
    claim = only("Адреса указаны на сайте правительства (amurobl.ru).", entities=False)
    assert "reference:amurobl.ru" in claim.reasons
    assert claim.kind == "fact"


def test_a_short_verbless_sentence_with_a_stance_is_an_opinion():
    assert only("Это решение, безусловно, ошибочное.", entities=False).kind == "opinion"


def test_the_month_may_is_not_a_modal_verb():
    claim = only("Unemployment fell to 3.5% in May, the lowest since 1969.", entities=False)
    assert claim.kind == "fact"
    assert "verb.past:fell" in claim.reasons
    assert not any(reason.startswith("marker.modal") for reason in claim.reasons)


def test_a_command_at_the_start_is_other_not_a_forecast():
    for text in ("Включите режим голосования.", "Пожалуйста, покажите результаты."):
        claim = only(text, entities=False)
        assert claim.kind == "other", text
        assert "command" in claim.reasons
    # A past form that could also be a command stays a past form.
    assert "verb.past:пришли" in only("На митинг пришли около 300 чел.").reasons


def test_a_perfective_short_participle_reports_a_done_deed():
    claim = only("Законопроект принят в первом чтении.", entities=False)
    assert "verb.past:принят" in claim.reasons
    assert claim.kind == "fact"


def test_a_russian_clause_without_a_verb_still_makes_a_claim():
    assert only("Это максимальный показатель с 2022 г.", entities=False).kind == "fact"
    assert only("Российский рынок гораздо меньше.", entities=False).kind != "other"


def test_an_initial_is_not_the_pronoun_i():
    assert "first_person" not in only("Документ внёс депутат Я. Е. Нилов в 2024 г.").reasons
    assert "first_person" in only("Я считаю, что это ошибка.", entities=False).reasons


def test_a_name_in_a_short_sentence_is_not_a_verb():
    assert only("Доклад Ярослава Евгеньевича Нилова.", entities=False).kind == "other"


def test_sleduet_is_an_obligation_only_before_an_infinitive():
    assert only("Транспорт следует в объезд до 14:00.", entities=False).kind == "fact"
    claim = only("Следует отметить, что мэрия опоздала.", entities=False)
    assert "marker.modal:следует" in claim.reasons


def test_a_byline_is_other():
    assert only("Автор — урбанист, кандидат архитектуры.", entities=False).kind == "other"
    claim = only("Rachel Okafor is a columnist covering work.", entities=False)
    assert claim.kind == "other"


def test_a_clause_that_opens_a_list_is_a_fact_but_a_short_label_is_a_heading():
    kinds = [c.kind for c in extract_claims("Программа предусматривает:\n— ремонт кровли;")]
    assert kinds == ["fact", "other"]
    kinds = [c.kind for c in extract_claims("Основные показатели:\n— ремонт кровли;")]
    assert kinds == ["other", "other"]


def test_english_contractions_and_present_verbs_make_a_clause():
    assert only("It's advisory.", entities=False).kind != "other"
    assert only("It directs FEMA to move equipment.", entities=False).kind != "other"
    assert only("Related coverage:", entities=False).kind == "other"


def test_capitalised_words_stand_in_for_entities_when_recognition_is_off():
    claim = only("Соглашение подписали Казахстан и Узбекистан.", entities=False)
    assert "name:Казахстан" in claim.reasons
    assert claim.kind == "fact"
    assert not any(r.startswith("name:") for r in only("Москва и Казахстан.").reasons)


def test_an_agency_credit_line_is_a_byline():
    text = "Associated Press writer Rick Callahan in Indianapolis contributed to this report."
    assert only(text, entities=False).kind == "other"


def test_procedural_lines_of_a_meeting_are_other():
    for text, language in [
        ("Ставлю на голосование проект решения.", "ru"),
        ("Переходим ко второму вопросу.", "ru"),
        ("Коллеги, прошу голосовать.", "ru"),
        ("I yield back.", "en"),
        ("THE CHAIR: The clerk will call the roll.", "en"),
        ("У нас в студии депутат Е. В. Громова и эксперт И. Н. Сомов.", "ru"),
        ("ВЕДУЩИЙ: На этом наше время подходит к концу.", "ru"),
        ("Судебная коллегия ОПРЕДЕЛИЛА:", "ru"),
        ("We will now move to our second panel.", "en"),
    ]:
        claim = only(text, language=language, entities=False)
        assert claim.kind == "other", text
        assert "procedural" in claim.reasons


def test_a_conference_calls_formulas_are_other():
    for text in [
        "Operator: Our first question comes from Jonathan Reis with Morgan Stanley.",
        "I would now like to turn the call over to Rachel Okonkwo.",
        "With that, I'll turn it over to Dave.",
        "Operator: We will now begin the question-and-answer session.",
        "Priya Natarajan: Thanks for taking my question.",
        "You may now disconnect.",
    ]:
        claim = only(text, language="en", entities=False)
        assert claim.kind == "other", text
        assert "procedural" in claim.reasons
    # A title-case name before a colon is no label unless a formula follows it.
    claim = only("Marisol Vega: Revenue rose 12% to $1.4 billion.", language="en", entities=False)
    assert claim.kind == "fact"


def test_dated_items_under_a_plan_lead_are_predictions():
    text = "Сроки ремонта:\n- в 2025 г. — 12 школ;\n- в 2026 г. — 9 школ."
    kinds = [claim.kind for claim in extract_claims(text, language="ru", entities=False)]
    assert kinds == ["other", "prediction", "prediction"]


def test_dated_items_under_any_other_lead_are_not_plans():
    text = "Итоги по годам:\n- в 2022 г. — 12 школ;\n- в 2023 г. — 9 школ."
    kinds = [claim.kind for claim in extract_claims(text, language="ru", entities=False)]
    assert "prediction" not in kinds


def test_a_quoted_evaluation_in_reported_speech_is_an_opinion():
    for text, language in [
        ("«Это прямая угроза безопасности движения», — подчеркнул начальник управления.", "ru"),
        ('"That was a brilliant response from the lads," she added.', "en"),
        ('Senator Hale told reporters the bill was "a blank check for the department."', "en"),
    ]:
        claim = only(text, language=language, entities=False)
        assert claim.kind == "opinion", text


def test_a_quote_with_a_number_in_it_is_still_a_report():
    claim = only(
        "«За год мы отремонтировали 40 км путей», — сообщил начальник управления.",
        language="ru",
        entities=False,
    )
    assert claim.kind == "fact"


def test_short_plain_present_statements_are_facts():
    for text, language in [
        ("Подозреваемые находятся под стражей.", "ru"),
        ("Обследование проводится бесплатно.", "ru"),
        ("Rovers remain under a transfer embargo.", "en"),
        ("It now goes to the House.", "en"),
    ]:
        claim = only(text, language=language, entities=False)
        assert claim.kind == "fact", text
        assert any(reason.startswith("verb.present") for reason in claim.reasons)


def test_the_speakers_own_present_is_not_a_plain_fact():
    assert only("Держимся вместе.", language="ru", entities=False).kind != "fact"


def test_a_speaker_label_does_not_hide_the_command_that_opens_a_turn():
    for text, language in [
        ("СОМОВ: Подождите, Елена Викторовна…", "ru"),
        ("ГРОМОВА: Дайте договорить!", "ru"),
        ("ВЕДУЩИЙ (Павел Лебедев): Пожалуйста, покажите график.", "ru"),
    ]:
        for entities in (True, False):
            claim = only(text, language=language, entities=entities)
            assert claim.kind == "other", (text, entities)
            assert claim.text == text


def test_a_label_and_a_value_without_a_clause_is_other():
    text = (
        "Importer: BrightNest Home Products Inc., of St. Paul, Minn.\n"
        "Sold At: Walmart stores nationwide from September 2022 through January 2025.\n"
        "Hazard: The heater's power cord overheated at the plug in 2024."
    )
    kinds = [claim.kind for claim in extract_claims(text, language="en", entities=False)]
    assert kinds == ["other", "other", "fact"]


def test_a_surname_ending_in_eed_is_not_a_past_verb():
    claim = only("Members present: Dr Owen Price; Mr Alan Reed.", language="en", entities=False)
    assert not any(reason.startswith("verb.past") for reason in claim.reasons)


def test_instructions_to_the_reader_are_other():
    for text, language in [
        ("Follow our full coverage at https://news.example.com/live.", "en"),
        ("Learn more at https://www.example.edu/news.", "en"),
        ("Consumers should immediately stop using the recalled heaters.", "en"),
        ("Ваши вопросы присылайте на pravo@example.ru.", "ru"),
        ("Голосуем 👇", "ru"),
    ]:
        assert only(text, language=language, entities=False).kind == "other", text


def test_advice_in_a_column_and_statements_with_you_are_not_instructions():
    for text, language in [
        ("Parents should also ask who will look after the kids on Fridays.", "en"),
        ("Share prices fell by 5% on Monday.", "en"),
        ("Вы смотрите телевизор по 4 часа в день.", "ru"),
    ]:
        assert only(text, language=language, entities=False).kind != "other", text


def test_an_obligation_in_indirect_speech_is_a_reported_fact():
    claim = only(
        "The ministry said on Monday that residents must register by May 1.",
        language="en",
        entities=False,
    )
    assert claim.kind == "fact"
    assert not any(reason.startswith("marker.modal") for reason in claim.reasons)


def test_what_a_russian_dash_stands_for():
    text = "Население:\n— 1897 г. — 6,4 тыс. чел.;\n— 2021 г. — 41,2 тыс. чел."
    kinds = [claim.kind for claim in extract_claims(text, language="ru", entities=False)]
    assert kinds == ["other", "fact", "fact"]
    # A time after the dash announces; a dash after an infinitive repeats it.
    assert only("Разбор — вечером.", language="ru", entities=False).kind == "other"
    text = "Суд решил:\n1. приговор оставить без изменения, жалобу — без удовлетворения."
    kinds = [claim.kind for claim in extract_claims(text, language="ru", entities=False)]
    assert kinds[-1] == "other"


def test_a_plural_view_and_an_evaluative_frame_make_an_opinion():
    for text, language in [
        ("Мы думаем, что снижения пока не будет.", "ru"),
        ("Для рынка это хороший знак: спрос на госдолг вернулся.", "ru"),
        ("We think the council will not cut the rate.", "en"),
    ]:
        assert only(text, language=language, entities=False).kind == "opinion", text


def test_a_question_may_close_with_an_exclamation_mark():
    for text in ("Какое уж тут снижение?!", "И кто за это заплатит!?", "Who pays for it?.."):
        assert only(text, entities=False).kind == "question", text


def test_a_speech_act_aside_in_the_first_person_is_no_forecast():
    claim = only("Напомню, в 2023 г. тариф вырос на 9%.", language="ru", entities=False)
    assert claim.kind == "fact"
    assert not any(reason.startswith("verb.future") for reason in claim.reasons)


def test_a_turn_cut_off_by_a_dash_is_other():
    assert only("Q5 Mr Reed: Can I just—", language="en", entities=False).kind == "other"
    assert only("СОМОВ: Но ведь вы сами—", language="ru", entities=False).kind == "other"


def test_based_on_in_a_quote_reports_no_event():
    text = '"I wouldn\'t tell patients to switch based on this," she said.'
    assert only(text, language="en", entities=False).kind == "opinion"


def test_an_irregular_past_participle_after_has_reports_an_event():
    claim = only("Kessler has not yet spoken publicly.", language="en", entities=False)
    assert claim.kind == "fact"
    assert "verb.past:spoken" in claim.reasons


def test_a_short_participle_of_a_two_aspect_verb_reports_a_done_deed():
    claim = only("Название образовано от положения города.", language="ru", entities=False)
    assert claim.kind == "fact"


def test_a_measured_comparison_of_likelihood_is_no_hedge():
    text = "Patients who took the drug were 12% less likely to develop dementia, a study found."
    assert only(text, language="en", entities=False).kind == "fact"
    text = "The fire was more likely caused by a leak."
    assert only(text, language="en", entities=False).kind == "opinion"


def test_a_connective_before_a_dated_or_measured_event_sums_facts_up():
    text = "Таким образом, с 1989 г. население сократилось почти на 28%."
    assert only(text, language="ru", entities=False).kind == "fact"
    text = "Таким образом, власти сами виноваты в кризисе."
    assert only(text, language="ru", entities=False).kind == "opinion"


def test_a_dated_plan_of_the_past_is_a_matter_of_record():
    text = "Капремонт нашего дома должен был пройти ещё в 2020 г."
    assert only(text, language="ru", entities=False).kind == "fact"
    text = "Власти должны провести капремонт в 2026 г."
    assert only(text, language="ru", entities=False).kind != "fact"


def test_a_right_granted_with_a_time_limit_is_a_rule_not_a_possibility():
    for text, language in [
        ("Решение может быть обжаловано в течение шести месяцев.", "ru"),
        ("The ruling may be appealed within 30 days.", "en"),
    ]:
        assert only(text, language=language, entities=False).kind == "fact", text
    assert only("Решение может быть обжаловано.", language="ru", entities=False).kind != "fact"


def test_a_number_that_points_to_a_rule_does_not_make_a_quoted_view_checkable():
    text = (
        "«Наказание является справедливым, оснований для применения ст. 73 УК РФ "
        "не имеется», — указала коллегия."
    )
    assert only(text, language="ru", entities=False).kind == "opinion"
    text = "«Мы вернули 73 млн рублей», — указала коллегия."
    assert only(text, language="ru", entities=False).kind == "fact"


def test_a_verb_of_status_or_location_states_a_fact_in_a_long_sentence():
    text = "Здание бывшей городской управы является объектом культурного наследия региона."
    claim = only(text, language="ru", entities=False)
    assert claim.kind == "fact"
    assert "verb.present:является" in claim.reasons


def test_undated_points_of_a_reported_argument_are_opinions():
    text = (
        "Адвокат просил приговор отменить, указав, что: 1) умысел на хищение не доказан; "
        "2) суд не учёл возмещение ущерба в размере 2,5 млн руб."
    )
    claims = extract_claims(text, language="ru", entities=False, scorer=RULES)
    assert [claim.kind for claim in claims] == ["fact", "opinion", "fact"]
    assert "argued" in claims[1].reasons


def test_direct_speech_after_a_colon_is_a_quoted_view():
    text = 'Dr Singh told us in written evidence (No. 14): "Heat pumps work. Installers are few."'
    assert only(text, language="en", entities=False).kind == "opinion"
    text = 'The minister told us: "We built 40 schools in 2023."'
    assert only(text, language="en", entities=False).kind == "fact"


def test_items_under_a_forecast_lead_are_predictions():
    text = (
        "Прогнозы аналитиков 👇\n"
        "📌 ВТБ: сохранение ставки, но с жёстким сигналом;\n"
        "📌 Альфа: возможно снижение до 20%."
    )
    kinds = [claim.kind for claim in extract_claims(text, language="ru", entities=False)]
    assert kinds == ["other", "prediction", "prediction"]


def test_stress_and_urge_report_what_someone_said():
    for text in (
        "Patients should not stop the drug, the authors stress.",
        "Officials urged residents to leave the area on Monday.",
    ):
        claim = only(text, language="en", entities=False)
        assert any(reason.startswith("marker.reporting") for reason in claim.reasons), text


def test_an_s_word_after_a_full_name_is_its_verb():
    claim = only("LOPEZ: Tom Reyes farms near Fresno, Calif.", language="en", entities=False)
    assert claim.kind == "fact"
    assert "verb.present:farms" in claim.reasons
    assert only("Key facts:", language="en", entities=False).kind == "other"
