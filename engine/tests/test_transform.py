import datetime as dt

import pytest

from engine import transform as t
from engine.transform import TRANSFORMS, TransformError, apply


def error(fn, *args, **kw):
    with pytest.raises(TransformError) as info:
        fn(*args, **kw)
    assert isinstance(info.value, ValueError)
    return str(info.value)


@pytest.mark.parametrize("name", sorted(TRANSFORMS))
@pytest.mark.parametrize("blank", ["", None, "   "])
def test_blank_is_none_for_every_transform(name, blank):
    assert TRANSFORMS[name](blank) is None
    assert apply(name, blank) is None


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "order", "expected"),
    [
        ("2024-03-01", None, dt.date(2024, 3, 1)),
        ("2024/3/1", "DMY", dt.date(2024, 3, 1)),
        ("03/15/2024", None, dt.date(2024, 3, 15)),
        ("15/03/2024", None, dt.date(2024, 3, 15)),
        ("03/04/2024", None, dt.date(2024, 3, 4)),
        ("03/04/2024", "MDY", dt.date(2024, 3, 4)),
        ("03/04/2024", "DMY", dt.date(2024, 4, 3)),
        ("03/04/2024", "YMD", dt.date(2024, 3, 4)),
        ("15.03.24", None, dt.date(2024, 3, 15)),
        ("1/2/70", "DMY", dt.date(1970, 2, 1)),
        ("12/31/2014 12:46:50 PM", None, dt.date(2014, 12, 31)),
        ("Mar 5, 2024", None, dt.date(2024, 3, 5)),
        ("5 de março de 2024", None, dt.date(2024, 3, 5)),
        ("05-Mar-24", None, dt.date(2024, 3, 5)),
        ("2023-05-04T23:20:00-03:00", None, dt.date(2023, 5, 4)),
        (dt.datetime(2024, 1, 2, 3, 4), None, dt.date(2024, 1, 2)),
        (dt.date(2024, 1, 2), None, dt.date(2024, 1, 2)),
    ],
)
def test_to_date(value, order, expected):
    assert t.to_date(value, order=order) == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("31/02/2024", "'31/02/2024' is not a valid date"),
        ("2024-02-30", "'2024-02-30' is not a valid date"),
        ("13/13/2024", "'13/13/2024' is not a valid date"),
        ("soon", "'soon' is not a valid date"),
        ("March", "'March' is not a valid date"),
        ("12/31/2014 25:00", "'12/31/2014 25:00' is not a valid date"),
        # Odoo would send "1-01-01", which PostgreSQL stores as 2001-01-01
        (
            "0001-01-01",
            "'0001-01-01': the year 1 is before 1000, which Odoo does not store "
            "as written",
        ),
    ],
)
def test_to_date_invalid(value, reason):
    assert error(t.to_date, value) == reason


def test_to_date_unknown_order():
    assert (
        error(t.to_date, "01/02/2024", order="XYZ")
        == "unknown date order 'XYZ' (use DMY, MDY or YMD)"
    )


@pytest.mark.parametrize(
    ("value", "kw", "expected"),
    [
        ("2024-03-01 10:20", {}, dt.datetime(2024, 3, 1, 10, 20)),
        (
            "2024-03-01 10:20",
            {"tz": "America/Sao_Paulo"},
            dt.datetime(2024, 3, 1, 13, 20),
        ),
        ("2024-03-01", {"tz": "America/Sao_Paulo"}, dt.datetime(2024, 3, 1, 3, 0)),
        (
            "2023-05-04T10:20:00-03:00",
            {"tz": "Asia/Tokyo"},
            dt.datetime(2023, 5, 4, 13, 20),
        ),
        ("2023-05-04T10:20:00Z", {}, dt.datetime(2023, 5, 4, 10, 20)),
        ("2023-05-04 10:20:00.5+0530", {}, dt.datetime(2023, 5, 4, 4, 50, 0, 500000)),
        (
            "12/31/2014 12:46:50 PM",
            {"tz": "America/Chicago"},
            dt.datetime(2014, 12, 31, 18, 46, 50),
        ),
        ("12/31/2014 12:05 AM", {}, dt.datetime(2014, 12, 31, 0, 5)),
        (
            "07/01/2014 12:46:50 PM",
            {"tz": "America/Chicago"},
            dt.datetime(2014, 7, 1, 17, 46, 50),
        ),
        ("15/03/2024 12:30", {"order": "DMY"}, dt.datetime(2024, 3, 15, 12, 30)),
        ("Mar 5, 2024 3:15 PM", {}, dt.datetime(2024, 3, 5, 15, 15)),
        (
            dt.datetime(2024, 1, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=-3))),
            {},
            dt.datetime(2024, 1, 1, 15),
        ),
    ],
)
def test_to_datetime(value, kw, expected):
    result = t.to_datetime(value, **kw)
    assert result == expected
    assert result.tzinfo is None


def test_to_datetime_errors():
    assert (
        error(t.to_datetime, "31/02/2024 10:00")
        == "'31/02/2024 10:00' is not a valid date/time"
    )
    assert (
        error(t.to_datetime, "2024-01-01", tz="Mars/Base")
        == "unknown time zone 'Mars/Base'"
    )


# ------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("value", "decimal", "expected"),
    [
        ("1.234,56", None, 1234.56),
        ("1,234.56", None, 1234.56),
        ("1234,5", None, 1234.5),
        ("1,5", None, 1.5),
        ("1.234", None, 1.234),
        ("1,234", None, 1234.0),
        ("1.234", ",", 1234.0),
        ("1,234", ",", 1.234),
        ("-12", None, -12.0),
        ("(1,234.00)", None, -1234.0),
        ("1 234,56", None, 1234.56),
        ("1.234.567", None, 1234567.0),
        (".5", None, 0.5),
        (3, None, 3.0),
    ],
)
def test_to_float(value, decimal, expected):
    assert t.to_float(value, decimal=decimal) == expected


def test_to_float_invalid():
    assert error(t.to_float, "12abc") == "'12abc' is not a number"
    assert error(t.to_float, "1.5", decimal=",") == "'1.5' is not a number"
    assert error(t.to_float, "1", decimal="x") == "unknown decimal separator 'x'"


def test_to_int():
    assert t.to_int("1,234") == 1234
    assert t.to_int("12.0") == 12
    assert t.to_int("12345678901234567890") == 12345678901234567890
    assert t.to_int("1.234", decimal=",") == 1234
    assert error(t.to_int, "1.5") == "'1.5' is not a whole number"
    assert error(t.to_int, "abc") == "'abc' is not a whole number"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("R$ 1.234,56", 1234.56),
        ("R$1.234,56", 1234.56),
        ("US$ 1,234.56", 1234.56),
        ("$1,000", 1000.0),
        ("€5", 5.0),
        ("10 EUR", 10.0),
        ("1.234,56 BRL", 1234.56),
        ("-R$ 3,50", -3.5),
        ("R$ -3,50", -3.5),
        ("(R$ 3,50)", -3.5),
        ("(1,234.00)", -1234.0),
        ("1234.5", 1234.5),
    ],
)
def test_to_money(value, expected):
    assert t.to_money(value) == expected


def test_an_amount_a_float_cannot_hold_is_refused_not_rounded():
    """99999999999999999999 was stored as 1e+20 without a word; an amount
    with as many digits as a float keeps is read as before."""
    assert error(t.to_money, "99999999999999999999") == (
        "'99999999999999999999' has more digits than Odoo keeps in an amount "
        "(about 15): it would be stored as 100,000,000,000,000,000,000.00"
    )
    assert t.to_money("1,234,567,890,123.45") == 1234567890123.45
    assert t.to_money("-1500.50") == -1500.5
    assert t.to_money("(200)") == -200.0


def test_to_money_invalid_and_decimal():
    assert t.to_money("R$ 1.234", decimal=",") == 1234.0
    assert error(t.to_money, "R$ abc") == "'R$ abc' is not an amount of money"
    assert t.split_currency("R$ 1.234,56") == ("BRL", "1.234,56")


# ------------------------------------------------------------------------ booleans


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", True),
        ("No", False),
        ("sim", True),
        ("Não", False),
        ("nao", False),
        ("TRUE", True),
        ("false", False),
        ("1", True),
        ("0", False),
        ("x", True),
        ("Y", True),
        ("n", False),
        ("S", True),
        (True, True),
    ],
)
def test_to_bool(value, expected):
    assert t.to_bool(value) is expected


def test_to_bool_invalid():
    assert error(t.to_bool, "maybe") == "'maybe' is not yes/no"


# ------------------------------------------------------------------ email and phone


def test_to_email():
    assert t.to_email(" Ana@Example.COM ") == "ana@example.com"
    assert t.to_email("Ana Lima <ana@x.com.br>") == "ana@x.com.br"
    assert t.to_email("mailto:b@y.org") == "b@y.org"
    assert error(t.to_email, "foo") == "'foo' is not a valid email address"
    assert error(t.to_email, "a@b") == "'a@b' is not a valid email address"
    assert (
        error(t.to_email, "ana@@x.com") == "'ana@@x.com' is not a valid email address"
    )
    assert (
        error(t.to_email, "a@x.com; b@y.com")
        == "'a@x.com; b@y.com' contains more than one email address"
    )


@pytest.mark.parametrize(
    ("value", "region", "expected"),
    [
        ("(11) 98765-4321", "BR", "+5511987654321"),
        ("11987654321", "BR", "+5511987654321"),
        ("+55 11 3333-4444", "US", "+551133334444"),
        ("202-555-0143", "US", "+12025550143"),
        ("(202) 555-0143 x12", "US", "+12025550143 ext. 12"),
        ("2025550143.0", "US", "+12025550143"),
        ("+44 20 7946 0958", "BR", "+442079460958"),
    ],
)
def test_to_phone(value, region, expected):
    assert t.to_phone(value, region=region) == expected


def test_to_phone_invalid():
    assert error(t.to_phone, "call me") == "'call me' is not a phone number"
    assert (
        error(t.to_phone, "123", region="BR")
        == "'123' is not a possible phone number (wrong length)"
    )
    assert error(t.to_phone, "5511987654321", region="US") == (
        "'5511987654321' is not a possible phone number (wrong length)"
    )
    assert (
        error(t.to_phone, "+1 200 000 0000", strict=True)
        == "'+1 200 000 0000' is not a valid phone number"
    )


# ------------------------------------------------------------------------- CNPJ/CPF


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11.222.333/0001-81", "11.222.333/0001-81"),
        ("11222333000181", "11.222.333/0001-81"),
        ("529.982.247-25", "529.982.247-25"),
        ("52998224725", "529.982.247-25"),
        (" 529 982 247 25 ", "529.982.247-25"),
        # leading zeros lost in a spreadsheet are restored when the number is valid
        ("1234567890", "012.345.678-90"),
        ("123456797", "001.234.567-97"),
        ("123456000149", "00.123.456/0001-49"),
        ("123456000149.0", "00.123.456/0001-49"),
    ],
)
def test_to_vat_br(value, expected):
    assert t.to_vat_br(value) == expected


def test_to_vat_br_invalid():
    assert (
        error(t.to_vat_br, "11.222.333/0001-82")
        == "'11.222.333/0001-82' is not a valid CNPJ (check digits do not match)"
    )
    assert (
        error(t.to_vat_br, "529.982.247-24")
        == "'529.982.247-24' is not a valid CPF (check digits do not match)"
    )
    assert (
        error(t.to_vat_br, "123")
        == "'123' is not a CNPJ or CPF (CNPJ has 14 digits, CPF 11; got 3)"
    )
    assert error(t.to_vat_br, "abc") == "'abc' is not a CNPJ or CPF"


# -------------------------------------------------------------------- text and html


def test_to_text_and_html():
    assert t.to_text("  a\r\nb  ") == "a\nb"
    assert t.to_text(12) == "12"
    assert (
        t.to_html("a < b & c\nline 2\n\n  para 2 ")
        == "<p>a &lt; b &amp; c<br>line 2</p><p>para 2</p>"
    )
    assert t.to_html("<p>already <b>html</b></p>") == "<p>already <b>html</b></p>"
    assert t.to_html("<script>x</script>") == "<p>&lt;script&gt;x&lt;/script&gt;</p>"


def test_split_list():
    assert t.split_list("a, b;c | d\ne,, ;") == ["a", "b", "c", "d", "e"]
    assert t.split_list(" ; , ") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Won", "won"),
        ("Closed Won", "won"),
        ("Fechado - Ganho", "won"),
        ("ganha", "won"),
        ("Lost", "lost"),
        ("Perdido", "lost"),
        ("closed-lost", "lost"),
        ("Cancelado", "lost"),
        ("Open", "open"),
        ("Em andamento", "open"),
        ("Aberta", "open"),
        ("In Progress", "open"),
        ("Won - Q3", "won"),
    ],
)
def test_to_lead_status(value, expected):
    assert t.to_lead_status(value) == expected


def test_to_lead_status_unknown():
    assert (
        error(t.to_lead_status, "Fechado")
        == "'Fechado' is not a known lead status (won, lost or open)"
    )


# ------------------------------------------------------------------------- registry


def test_apply():
    assert apply("date", "03/04/2024", order="DMY", region="BR", tz="UTC") == dt.date(
        2024, 4, 3
    )
    assert (
        apply("to_phone", "11987654321", region="BR", order="DMY") == "+5511987654321"
    )
    assert apply("int", "1.234", decimal=",") == 1234
    assert apply(None, "  x ") == "x"
    assert apply("", "x") == "x"
    with pytest.raises(KeyError):
        apply("nope", "x")
    with pytest.raises(TransformError, match="not a valid date"):
        apply("date", "31/02/2024")


def test_registry_names():
    names = {
        "text",
        "html",
        "date",
        "datetime",
        "float",
        "int",
        "integer",
        "money",
        "bool",
        "boolean",
        "email",
        "phone",
        "vat_br",
        "list",
        "split_list",
        "lead_status",
    }
    assert names <= set(TRANSFORMS)
    assert TRANSFORMS["to_date"] is t.to_date


def test_a_number_with_its_currency_is_a_number():
    from engine.transform import to_float

    assert to_float("$4,131.50") == 4131.5
    assert to_float("R$ 1.234,56") == 1234.56
    with pytest.raises(TransformError):
        to_float("$")
    with pytest.raises(TransformError):
        to_float("four")


def test_a_date_readable_only_against_its_columns_order_is_flagged():
    from engine.transform import read_against

    assert read_against("15/03/2024", "MDY") == "DMY"
    assert read_against("03/15/2024", "DMY") == "MDY"
    for value, order in (
        ("03/15/2024", "MDY"),  # as the column says
        ("03/04/2024", "MDY"),  # ambiguous: the column's order decides
        ("2024-03-15", "DMY"),  # year first: no day/month question
        ("15/03/2024", None),  # no order given
    ):
        assert read_against(value, order) is None, value


def test_email_addresses_need_a_real_domain_and_no_stray_dots():
    from engine.transform import to_email

    for good in ("first.last+tag@sub.example.co.uk", "joão@exemplo.com.br"):
        assert to_email(good) == good
    for bad in ("a@mail.example..com", "a..b@x.com", ".a@x.com", "a@-x.com", "a@x.1"):
        with pytest.raises(TransformError):
            to_email(bad)


@pytest.mark.parametrize(
    ("name", "options", "values"),
    [
        ("date", {"order": "DMY", "tz": "UTC"}, ["15/03/2024", "2024-02-30", "", None]),
        ("datetime", {"order": "MDY", "tz": "America/Sao_Paulo"}, ["03/15/2024 10:00"]),
        ("money", {"decimal": ",", "region": "BR"}, ["R$ 1.234,50", "TBD", " "]),
        ("phone", {"region": "BR", "order": "DMY"}, ["(11) 91234-5678", "abc"]),
        ("boolean", {}, ["Sim", "maybe", "0"]),
        ("list", {}, ["a; b, c"]),
        (None, {"region": "US"}, ["  text  "]),
        ("lead_status", {}, ["Won", "Closed Lost"]),
    ],
)
def test_compiled_is_apply_with_its_options_bound(name, options, values):
    run = t.compiled(name, **options)
    for value in values:
        try:
            expected = apply(name, value, **options)
        except ValueError as exc:
            with pytest.raises(ValueError) as got:
                run(value)
            assert str(got.value) == str(exc)
        else:
            assert run(value) == expected


def test_compiled_unknown_name_is_a_configuration_error():
    with pytest.raises(KeyError):
        t.compiled("no_such_transform")


def test_years_from_1000_to_9999_are_dates():
    assert t.to_date("1000-01-01") == dt.date(1000, 1, 1)
    assert t.to_date("1900-01-01") == dt.date(1900, 1, 1)
    assert t.to_datetime("2100-12-31") == dt.datetime(2100, 12, 31)
    assert error(t.to_datetime, "0999-12-31 10:00").startswith("'0999-12-31 10:00'")


def test_memo_transforms_each_distinct_value_once(monkeypatch):
    calls = []
    real = t.registry.TRANSFORMS["phone"]

    def counted(value, region="US", strict=False):
        calls.append(value)
        return real(value, region=region, strict=strict)

    monkeypatch.setitem(t.registry.TRANSFORMS, "phone", counted)
    run = t.compiled("phone", memo=100, region="BR")
    cells = ["(11) 98765-4321", "(11) 98765-4321", "12", "12", "(11) 98765-4321"]
    got = []
    for cell in cells:
        try:
            got.append(run(cell))
        except ValueError as exc:
            got.append(str(exc))
    assert calls == ["(11) 98765-4321", "12"]
    plain = t.compiled("phone", region="BR")
    expected = []
    for cell in cells:
        try:
            expected.append(plain(cell))
        except ValueError as exc:
            expected.append(str(exc))
    assert got == expected  # the same values and the same errors


def test_memo_gives_each_caller_its_own_list():
    run = t.compiled("list", memo=10)
    first = run("a, b")
    first.append("c")
    assert run("a, b") == ["a", "b"]


def test_memo_is_bounded_and_stops_on_values_that_do_not_repeat(monkeypatch):
    calls = []
    monkeypatch.setitem(
        t.registry.TRANSFORMS, "text", lambda v: calls.append(v) or v.strip()
    )
    run = t.compiled("text", memo=4)
    for i in range(20):  # all distinct: kept 4 at a time, then not kept
        assert run(f"v{i}") == f"v{i}"
    run("v19")
    assert len(calls) == 21  # no longer memoised
    repeats = t.compiled("text", memo=4)
    for i in range(40):  # 4 distinct values: kept
        repeats(f"w{i % 4}")
    assert calls[21:] == ["w0", "w1", "w2", "w3"]


def test_costly_transforms_are_shared_by_every_compiled_function(monkeypatch):
    """A run's batches and its end's cell check each compile a column's
    transform: a phone number is parsed once for both (phonenumbers was most of
    the check's time), with the same values and the same errors; other options
    are other results, and the shared memo stays bounded."""
    import phonenumbers

    shared = {}
    monkeypatch.setattr(t.registry, "_SHARED", shared, raising=False)
    monkeypatch.setattr(t.registry, "SHARED_SIZE", 3, raising=False)
    parsed = []
    real = phonenumbers.parse

    def parse(text, region=None, *args, **kwargs):
        parsed.append((text, region))
        return real(text, region, *args, **kwargs)

    monkeypatch.setattr(phonenumbers, "parse", parse)

    def outcomes(run):
        out = []
        for cell in ("(11) 98765-4321", "12", "(11) 98765-4321", 12):
            try:
                out.append(run(cell))
            except ValueError as exc:
                out.append(str(exc))
        return out

    batches = outcomes(t.compiled("phone", memo=100, region="BR"))
    check = outcomes(t.compiled("phone", region="BR"))
    assert (
        batches
        == check
        == [
            "+5511987654321",
            "'12' is not a possible phone number (wrong length)",
            "+5511987654321",
            "'12' is not a possible phone number (wrong length)",
        ]
    )
    # once per value (the number 12 is not the text '12')
    assert parsed == [("(11) 98765-4321", "BR"), ("12", "BR"), ("12", "BR")]
    assert outcomes(t.compiled("phone", region="US")) == outcomes(
        lambda cell: t.apply("phone", cell, region="US")
    )
    assert parsed[3:5] == [("(11) 98765-4321", "US"), ("12", "US")]
    assert len(shared) <= 3


def test_text_drops_nul_and_replaces_lone_surrogates_postgresql_cannot_store():
    # bench/fuzz_inputs.py: a JSON page's "\u0000" / "\ud800" escapes (and a NUL
    # past a CSV's head) reached Odoo's fields and COPY as they were
    assert apply("text", "a\x00b\ud800c") == "ab\ufffdc"
    assert apply("html", "x\x00\udfff") == "<p>x\ufffd</p>"
    assert apply("list", "a\x00,\ud800") == ["a", "\ufffd"]
    assert apply("text", "\x00") is None
