"""Option lines (pure): any number of languages, by position in the program's order or tagged; today's lines too."""
from assessments.option_lines import format_option_lines, parse_option_lines


def test_todays_spanish_english_lines_read_the_same():
    options, problems = parse_option_lines("a | Sí | Yes\nNo | No\nc | Quizás |", ["es", "en"])
    assert problems == []
    assert options == [{"key": "a", "es": "Sí", "en": "Yes"}, {"key": "b", "es": "No", "en": "No"},
                       {"key": "c", "es": "Quizás"}]


def test_positional_texts_follow_the_programs_language_order():
    options, problems = parse_option_lines("a | Oui | Sim\nNon | Não", ["fr", "pt"])
    assert problems == []
    assert options == [{"key": "a", "fr": "Oui", "pt": "Sim"}, {"key": "b", "fr": "Non", "pt": "Não"}]
    four, problems = parse_option_lines("k1 | Sí | Yes | Oui | Sim", ["es", "en", "fr", "pt"])
    assert problems == [] and four == [{"key": "k1", "es": "Sí", "en": "Yes", "fr": "Oui", "pt": "Sim"}]
    # A program in one language: "a | Oui" is a key and a text, "Oui" a text.
    one, problems = parse_option_lines("a | Oui\nNon", ["fr"])
    assert problems == [] and one == [{"key": "a", "fr": "Oui"}, {"key": "b", "fr": "Non"}]


def test_a_tag_names_a_texts_language_and_the_plain_texts_fill_the_others_in_order():
    # A line with a tag starts with its key (unless it starts with a tag).
    options, problems = parse_option_lines("a | Sí | fr: Oui\nc | fr: Non\nFR: Peut-être | Quizás | pt: Talvez",
                                           ["es", "en", "fr"])
    assert problems == []
    assert options == [{"key": "a", "es": "Sí", "fr": "Oui"}, {"key": "c", "fr": "Non"},
                       {"key": "b", "es": "Quizás", "fr": "Peut-être", "pt": "Talvez"}]
    tagged, problems = parse_option_lines("x | es: Sí | en: Yes\nSí | en: Yes\ny | Sí | No | en: Yes", ["es", "en"])
    assert tagged == [{"key": "x", "es": "Sí", "en": "Yes"}]
    assert problems == [(2, "bad_key"), (3, "too_many_parts")]  # "Sí" is no key; "No" has no language left


def test_problems_are_named_by_line():
    text = "a | Sí | Yes | Oui\nb | es: Sí | es: No\nc |  | \nd$ | Sí | Yes\nNo | No"
    options, problems = parse_option_lines(text, ["es", "en"])
    assert problems == [(1, "too_many_parts"), (2, "duplicate_language"), (3, "no_text"), (4, "bad_key")]
    assert options == [{"key": "a", "es": "No", "en": "No"}]


def test_lines_written_for_the_program_read_back_and_keep_other_languages_tagged():
    options = [{"key": "a", "es": "Sí", "en": "Yes", "pt": "Sim"}, {"key": "b", "fr": "Non"}]
    text = format_option_lines(options, ["es", "en"])
    assert text == "a | Sí | Yes | pt: Sim\nb |  |  | fr: Non"
    assert parse_option_lines(text, ["es", "en"]) == (options, [])
    assert format_option_lines(options, ["pt", "fr"]) == "a | Sim |  | es: Sí | en: Yes\nb |  | Non"
    assert parse_option_lines(format_option_lines(options, ["pt", "fr"]), ["pt", "fr"]) == (options, [])
