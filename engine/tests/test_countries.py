from engine.countries import country_code


def test_codes_names_and_other_languages():
    cases = {
        "CAN": "CA",
        "can": "CA",
        "Deutschland": "DE",
        "Brasil": "BR",
        "BRA": "BR",
        "USA": "US",
        "U.S.A.": "US",
        "United States": "US",
        "Estados Unidos": "US",
        "España": "ES",
        "Alemanha": "DE",
        "UK": "GB",
        "076": "BR",
        "de": "DE",
        " Mexico ": "MX",
    }
    for value, code in cases.items():
        assert country_code(value) == code, value


def test_what_names_no_country():
    for value in ("", None, "Narnia", "ZZ", "EU", "Main Street"):
        assert country_code(value) is None, value
