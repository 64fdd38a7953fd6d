import pytest

from engine.infer import ColumnInferrer, Inference, infer_column


def infer(values, **kw):
    return infer_column(values, **kw)


# --------------------------------------------------------------------------- dates


def test_dates_dmy_from_values():
    result = infer(["15/03/2024", "01/02/2024", "28/02/2024", ""])
    assert result == Inference(
        "date",
        1.0,
        {
            "order": "DMY",
            "parse_order": "DMY",
            "order_source": "values",
            "order_evidence": {"DMY": 2, "MDY": 0, "ambiguous": 1},
            "formats": ["dd/mm/yyyy"],
        },
    )


def test_dates_mdy_from_values():
    result = infer(["03/15/2024", "01/02/2024", "12/31/2014 12:46:50 PM"])
    assert result.type == "datetime"
    assert result.confidence == 1.0
    assert result.details["order"] == "MDY"
    assert result.details["parse_order"] == "MDY"
    assert result.details["order_evidence"] == {"DMY": 0, "MDY": 2, "ambiguous": 1}
    assert result.details["formats"] == ["mm/dd/yyyy", "mm/dd/yyyy hh:mm:ss AM/PM"]


def test_dates_mixed_formats_in_one_column():
    values = [
        "2024-03-01",
        "03/15/2024",
        "15/03/2024 12:30",
        "12/31/2014 12:46:50 PM",
        "Mar 5, 2024",
    ]
    result = infer(values)
    assert result == Inference(
        "datetime",
        0.8,  # "15/03/2024 12:30" is valid only day-first: not counted
        {
            "order": "mixed",
            "parse_order": "MDY",
            "order_source": "values",
            "order_evidence": {"DMY": 1, "MDY": 2, "ambiguous": 0},
            "formats": [
                "yyyy-mm-dd",
                "mm/dd/yyyy",
                "dd/mm/yyyy hh:mm",
                "mm/dd/yyyy hh:mm:ss AM/PM",
                "month name",
            ],
        },
    )


def test_dates_mixed_majority_dmy():
    result = infer(["15/03/2024", "20/03/2024", "03/15/2024", "01/01/2024"])
    assert result.details["order"] == "mixed"
    assert result.details["parse_order"] == "DMY"
    assert result.confidence == 0.75


def test_dates_undecidable_default_and_hint():
    values = ["01/02/2024", "03/04/2024", "12.11.2023"]
    default = infer(values)
    assert default.type == "date"
    assert default.confidence == 1.0
    assert default.details["order"] == "MDY"
    assert default.details["order_source"] == "default"
    hinted = infer(values, date_order="DMY")
    assert hinted.details["order"] == "DMY"
    assert hinted.details["parse_order"] == "DMY"
    assert hinted.details["order_source"] == "hint"
    assert hinted.details["formats"] == ["dd/mm/yyyy", "dd.mm.yyyy"]


def test_hint_does_not_override_values():
    result = infer(["03/15/2024", "01/02/2024"], date_order="DMY")
    assert (result.details["order"], result.details["order_source"]) == (
        "MDY",
        "values",
    )


def test_iso_and_month_names():
    result = infer(
        ["2024-03-01", "2024-03-02 00:00:00", "5 de março de 2024", "Mar 5, 2024"]
    )
    assert result == Inference(
        "date",
        1.0,
        {
            "order": "YMD",
            "parse_order": "YMD",
            "order_source": "values",
            "formats": ["month name", "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"],
        },
    )


def test_iso_datetimes_with_offsets():
    result = infer(["2023-05-04T10:20:00-03:00", "2023-05-05T08:00:00Z"])
    assert result.type == "datetime"
    assert result.details["formats"] == ["yyyy-mm-dd hh:mm:ss tz"]


def test_invalid_dates_lower_confidence():
    result = infer(["2024-02-30", "2024-03-01", "2024-03-02", "2024-03-03"])
    assert (result.type, result.confidence) == ("date", 0.75)


# ------------------------------------------------------------------------- numbers


def test_integers():
    assert infer(["1", "22", "-333", "+4"]) == Inference(
        "integer", 1.0, {"decimal": ".", "max_digits": 3}
    )


def test_floats_dot_decimal():
    assert infer(["1,234.56", "12.5", "3"]) == Inference("float", 1.0, {"decimal": "."})


def test_floats_comma_decimal():
    assert infer(["1.234,56", "1234,5", "3", "1.234"]) == Inference(
        "float", 1.0, {"decimal": ","}
    )


def test_thousands_only_column_defaults_to_dot_decimal():
    assert infer(["1,234", "5,678"]) == Inference("integer", 1.0, {"decimal": "."})


def test_numbers_with_conflicting_styles():
    result = infer(["1.5", "2.5", "3,25", "4"])
    assert result == Inference("float", 0.75, {"decimal": "."})


def test_leading_zero_codes_stay_text():
    result = infer(["00123", "00456", "789"])
    assert result == Inference(
        "text", 1.0, {"pattern": "digits", "leading_zeros": True, "max_length": 5}
    )


# --------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("values", "decimal", "currency"),
    [
        (["R$ 1.234,56", "R$ 10,00", "15,90", "-R$ 3,50"], ",", "BRL"),
        (["$1,000.00", "US$ 5", "12 USD", "(1,234.00)"], ".", "USD"),
        (["€ 5,50", "10,00 EUR", "1.000,00 €"], ",", "EUR"),
    ],
)
def test_money(values, decimal, currency):
    assert infer(values) == Inference(
        "money", 1.0, {"decimal": decimal, "currency": currency}
    )


def test_few_currency_signs_is_still_a_number():
    assert infer(["10.5", "20", "$3", "4.25"]).type == "float"


# ------------------------------------------------------------------------ booleans


@pytest.mark.parametrize(
    ("values", "true", "false"),
    [
        (["sim", "não", "nao", "Sim", "NÃO"], ["sim"], ["nao", "não"]),
        (
            ["yes", "no", "Y", "n", "TRUE", "false"],
            ["true", "y", "yes"],
            ["false", "n", "no"],
        ),
        (["1", "0", "1"], ["1"], ["0"]),
        (["x", "X", ""], ["x"], []),
    ],
)
def test_booleans(values, true, false):
    assert infer(values) == Inference("boolean", 1.0, {"true": true, "false": false})


def test_one_side_of_yes_no_beside_other_words_is_a_picklist():
    # "active" is a yes word, "expired" none: typed yes/no, every "expired" was lost
    inferred = infer(["active", "expired", "active", "active", "active"])
    assert inferred.type == "picklist"
    assert inferred.details["choices"] == ["active", "expired"]
    # both sides present: still yes/no, the odd word is a value to review
    assert infer(["active", "inactive", "active", "maybe"]).type == "boolean"


def test_column_of_ones_is_a_number():
    assert infer(["1", "1", "1"]).type == "integer"


# ------------------------------------------------------ email, phone, url, picklist


def test_emails():
    assert infer(["a@b.com", "c.d@e.com.br", "not an email"]) == Inference(
        "email", 0.6667, {}
    )


def test_phones():
    values = [
        "(11) 98765-4321",
        "+55 11 3333-4444",
        "11987654321",
        "+1 202-555-0143 ext. 12",
    ]
    assert infer(values) == Inference("phone", 1.0, {})
    assert infer(["+5511987654321", "+12025550143"]).type == "phone"


def test_digit_strings_alone_are_integers():
    assert infer(["11987654321", "11912345678"]).type == "integer"


def test_urls():
    assert infer(["https://acme.com/x", "www.y.org", "acme.com.br"]) == Inference(
        "url", 1.0, {}
    )


def test_picklist():
    values = ["Open", "Won", "Open", "Lost", "Open", "Won", "Lost", "Open", "Typo"]
    result = infer(values)
    assert result == Inference(
        "picklist", 0.8889, {"choices": ["Open", "Won", "Lost", "Typo"]}
    )
    # too many distinct values for the number of rows: text
    assert infer(["Open", "Won", "Open", "Lost", "Open", "Won", "Typo"]).type == "text"


def test_unique_names_are_text():
    assert infer(["Ana", "Bruno", "Carla"]) == Inference("text", 1.0, {"max_length": 5})


def test_text_reports_partial_types():
    result = infer(["2024-01-01", "soon", "later", "2024-02-01", "never"])
    assert result == Inference(
        "text", 1.0, {"max_length": 10, "other_types": {"date": 0.4}}
    )


def test_multiline_text():
    assert infer(["line one\nline two", "abc"]).details == {
        "max_length": 17,
        "multiline": True,
    }


def test_half_is_not_enough():
    assert infer(["yes", "maybe"]).type == "text"


def test_br_documents_and_postal_codes_are_text():
    assert infer(["529.982.247-25", "11.222.333/0001-81"]).details == {
        "max_length": 18,
        "looks_like": "cpf_cnpj",
        "looks_like_share": 1.0,
    }
    assert infer(["01310-100", "04538-133"]).details["looks_like"] == "postal_code"


def test_empty_column():
    assert infer(["", "  ", None]) == Inference("empty", 1.0, {})


def test_streaming_inferrer_equals_infer_column():
    values = ["15/03/2024", "", "01/02/2024"] * 1000
    inferrer = ColumnInferrer()
    for v in values:
        inferrer.add(v)
    assert inferrer.result() == infer_column(values)
    assert inferrer.result().as_dict()["type"] == "date"


def test_add_counts_tallies_as_add_one_by_one():
    """The profile's distinct values of a chunk, with their counts, at once:
    the same inference as each value added alone (texts to strip, empty ones,
    line breaks, digits and words, past the picklist's track)."""
    counts = {"15/03/2024": 3, " Open ": 2, "": 4, "a\nb": 1, "Won": 5, "x1": 1}
    for many in (counts, {f"v{i}": 1 for i in range(1500)}, {"Open": 7, "Won": 1}):
        one_by_one, at_once = ColumnInferrer(), ColumnInferrer()
        for value, count in many.items():
            one_by_one.add(value, count)
        at_once.add_counts(many)
        assert at_once.result() == one_by_one.result()
        assert (at_once.count, at_once.wordy, at_once.multiline) == (
            one_by_one.count,
            one_by_one.wordy,
            one_by_one.multiline,
        )
