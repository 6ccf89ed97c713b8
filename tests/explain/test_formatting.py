"""Figures are formatted by Babel for the locale, every digit kept, and the memo never mixes up two
spellings of one number (`1.0` and `1.00` are equal and hash alike, but are written differently)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.numbers import format_currency, format_decimal, format_percent
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.explain import LocaleFormat

RU = LocaleFormat("ru", "RUB")
EN = LocaleFormat("en", "RUB")


def test_the_example_figures():
    assert RU.figure(Decimal("155000.01"), "money") == "155\xa0000,01\xa0₽"
    assert EN.figure(Decimal("155000.01"), "money") == "RUB155,000.01"
    assert RU.figure(Decimal("1.1500005"), "percent") == "115,00005\xa0%"
    assert EN.figure(Decimal("0.08"), "percent") == "8%"
    assert RU.figure(Decimal("0E+2"), "percent") == "0\xa0%"
    assert RU.figure(Decimal("120"), "count") == "120"
    assert RU.figure(None, "money") == "—"
    assert RU.signed(Decimal("180000"), "money") == "+180\xa0000,00\xa0₽"
    assert RU.figure(Decimal(60), "duration") == "1 мин"
    assert EN.figure(Decimal(90), "duration") == "90 sec"
    assert RU.month(date(2026, 7, 1)).startswith("июль 2026")
    assert EN.quarter(date(2026, 7, 1)) == "3rd quarter 2026"


@settings(max_examples=300, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**12, max_value=10**12, places=6),
       st.sampled_from([RU, EN]))
def test_same_as_babel_for_any_decimal(value, fmt):
    loc = fmt.locale
    value_or_zero = value if not value.is_zero() else Decimal(0)  # statements show zero unsigned
    assert fmt.figure(value, "money") == format_currency(value_or_zero, "RUB", locale=loc, decimal_quantization=False)
    assert fmt.figure(value, "percent") == format_percent(value_or_zero, locale=loc, decimal_quantization=False)
    assert fmt.figure(value, "number") == format_decimal(value_or_zero, locale=loc, decimal_quantization=False)


@settings(max_examples=200, deadline=None)
@given(st.integers(-10**9, 10**9), st.integers(0, 6))
def test_no_digit_is_lost(units, scale):
    value = Decimal(units).scaleb(-scale)
    shown = RU.figure(value, "number")
    digits = "".join(c for c in shown if c.isdigit())
    written = format(value.normalize(), "f").replace("-", "").replace(".", "")
    assert digits.lstrip("0") == written.lstrip("0")


def test_zero_is_never_negative():
    assert RU.figure(Decimal("-0.00"), "money") == "0,00\xa0₽"
    assert EN.figure(Decimal("-0E+2"), "percent") == "0%"


def test_one_number_two_spellings_are_not_confused():
    assert RU.figure(Decimal("72000.0"), "money") == RU.figure(Decimal("72000.00"), "money")
    first = RU.figure(Decimal("1.0"), "percent")
    assert RU.figure(Decimal("1.00"), "percent") == first == "100\xa0%"
    assert RU.figure(Decimal("0.125"), "number") == "0,125"
    assert RU.figure(Decimal("0.1250"), "number") == "0,125"


@settings(max_examples=400, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=Decimal("-1e20"), max_value=Decimal("1e20")),
       st.sampled_from(["ru", "en"]), st.sampled_from(["decimal", "percent", "RUB", "USD", "JPY", "KWD", "EUR"]))
def test_compiled_pattern_is_babels_apply(value, lang, kind):
    """The compiled pattern gives exactly `NumberPattern.apply(..., decimal_quantization=False)`,
    sign, zero and exponent forms included (`1E+3`, `-0.00`, `0E-7`)."""
    from babel import Locale

    from kpilang.explain.formatting import CompiledPattern

    locale = Locale.parse(lang)
    if kind == "decimal":
        pattern, currency = locale.decimal_formats[None], None
    elif kind == "percent":
        pattern, currency = locale.percent_formats[None], None
    else:
        pattern, currency = locale.currency_formats["standard"], kind
    compiled = CompiledPattern(pattern, locale, currency)
    assert compiled(value) == pattern.apply(value, locale, currency=currency, decimal_quantization=False)
    for spelled in (value.normalize(), value.quantize(Decimal("0.01")) if abs(value) < 10**15 else value):
        assert compiled(spelled) == pattern.apply(spelled, locale, currency=currency, decimal_quantization=False)


def test_exponent_spellings():
    from babel import Locale

    from kpilang.explain.formatting import CompiledPattern

    for lang in ("ru", "en"):
        locale = Locale.parse(lang)
        pattern = locale.currency_formats["standard"]
        compiled = CompiledPattern(pattern, locale, "RUB")
        for text in ("1E+3", "-0.00", "0E-7", "0E+2", "123456789.123456789", "-5", "0.005"):
            value = Decimal(text)
            assert compiled(value) == pattern.apply(value, locale, currency="RUB", decimal_quantization=False), text
