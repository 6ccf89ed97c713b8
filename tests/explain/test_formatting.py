"""Figures are formatted by Babel for the locale: money with every digit, other figures rounded for
display half up (`≈`, the exact value carried along), comparisons never made to look false by that
rounding, and the memo never mixes up two spellings of one number (`1.0` and `1.00`)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from babel.numbers import format_currency, format_decimal, format_percent
from hypothesis import given, settings
from hypothesis import strategies as st

from kpilang.explain import LocaleFormat
from kpilang.explain.approx import exact_values, html, plain

RU = LocaleFormat("ru", "RUB")
EN = LocaleFormat("en", "RUB")


def test_the_example_figures():
    assert RU.figure(Decimal("155000.01"), "money") == "155\xa0000,01\xa0₽"
    assert EN.figure(Decimal("155000.01"), "money") == "RUB\xa0155,000.01"
    assert RU.figure(Decimal("1.15"), "percent") == "115\xa0%"
    assert plain(RU.figure(Decimal("1.1500005"), "percent")) == "≈\xa0115\xa0%"
    assert plain(RU.figure(Decimal(13) / 36, "percent")) == "≈\xa036,11\xa0%"
    assert plain(EN.figure(Decimal(2) / 35, "percent")) == "≈\xa05.71%"
    assert plain(RU.figure(Decimal("0.0000123456"), "percent")) == "≈\xa00,00123\xa0%"  # three significant
    assert plain(RU.figure(Decimal(10) / 3, "number")) == "≈\xa03,33"
    assert plain(RU.figure(Decimal("90.5"), "duration")) == "≈\xa091 с"
    assert plain(RU.signed(Decimal(-1) / 3, "number")) == "≈\xa0-0,333"
    assert RU.figure(Decimal("1.2"), "number") == "1,2"
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
    """Money is Babel's exact figure; a percent or number is Babel's figure of the value rounded
    half up to its display precision, with `≈` when that changed it, and the exact figure (Babel's,
    every digit) kept for the reader who asks."""
    loc = fmt.locale
    value_or_zero = value if not value.is_zero() else Decimal(0)  # statements show zero unsigned
    money_pattern = "¤\xa0#,##0.00" if loc.language == "en" else None
    assert fmt.figure(value, "money") == format_currency(value_or_zero, "RUB", format=money_pattern, locale=loc,
                                                         currency_digits=True, decimal_quantization=False)
    for kind, babel, scale in (("percent", lambda v: format_percent(v, locale=loc, decimal_quantization=False), 2),
                               ("number", lambda v: format_decimal(v, locale=loc, decimal_quantization=False), 0)):
        shown = fmt.figure(value, kind)
        exact = babel(value_or_zero)
        places = fmt.places(value_or_zero, kind)
        rounded = value_or_zero.scaleb(scale).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if rounded == value_or_zero.scaleb(scale):
            assert shown == exact
        else:
            as_babel = babel(rounded.scaleb(-scale) if not rounded.is_zero() else Decimal(0))
            assert plain(shown) == "≈\xa0" + as_babel
            assert exact_values(shown) == [(plain(shown), exact)]
            assert f'value="{format(value_or_zero, "f")}"' in html(shown) and f'title="{exact}"' in html(shown)


@settings(max_examples=200, deadline=None)
@given(st.integers(-10**9, 10**9), st.integers(0, 6))
def test_no_digit_is_lost(units, scale):
    """Every digit is in the exact figure a rounded one carries (and in money, as shown)."""
    value = Decimal(units).scaleb(-scale)
    shown = RU.figure(value, "number")
    exact = exact_values(shown)[0][1] if exact_values(shown) else shown
    digits = "".join(c for c in exact if c.isdigit())
    written = format(value.normalize(), "f").replace("-", "").replace(".", "")
    assert digits.lstrip("0") == written.lstrip("0")


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=5, allow_nan=False, allow_infinity=False, places=12),
       st.decimals(min_value=0, max_value=5, allow_nan=False, allow_infinity=False, places=12),
       st.decimals(min_value=0, max_value=5, allow_nan=False, allow_infinity=False, places=12),
       st.sampled_from([RU, EN]), st.sampled_from(["percent", "number"]))
def test_a_band_check_never_reads_false(a, b, c, fmt, kind):
    """`low ≤ value < high` as shown reads true whenever it is true: 89,9999 % against a 90 % edge
    takes more digits rather than print `90 % < 90 %`."""
    low, value, high = sorted((a, b, c))
    if value == high:
        return
    shown = [plain(x) for x in fmt.between(low, value, high, kind)]
    numbers = [Decimal(x.replace("≈\xa0", "").replace("\xa0", "").replace("%", "").replace(" ", "")
                       .replace(",", "." if fmt.lang == "ru" else "").replace("\u202f", "")) for x in shown]
    assert numbers[0] <= numbers[1] < numbers[2], shown


def test_the_edge_that_rounding_would_cross():
    low, value, high = RU.between(Decimal("0.7"), Decimal("0.8999999"), Decimal("0.9"), "percent")
    assert (plain(low), plain(value), plain(high)) == ("70\xa0%", "89,99999\xa0%", "90\xa0%")
    _, value, _ = RU.between(Decimal("0.7"), Decimal("0.89999999999999999999"), Decimal("0.9"), "percent")
    assert plain(value) == "89,999999999999999999\xa0%"  # only every digit tells it from the edge
    _, value, _ = RU.between(Decimal("0.7"), Decimal(5) / 6, Decimal("0.9"), "percent")
    assert plain(value) == "≈\xa083,33\xa0%"  # far from the edges: the usual precision
    assert plain(RU.above(Decimal("1.50004"), Decimal("1.5"), "percent")) == "150,004\xa0%"


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
       st.sampled_from(["ru", "en"]),
       st.sampled_from(["decimal", "percent", "RUB", "USD", "JPY", "KWD", "EUR", "RUB spaced", "KWD spaced"]))
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
    elif kind.endswith(" spaced"):  # the statement's money pattern for a letter code: `RUB 155,000.01`
        from kpilang.explain.formatting import _money_pattern

        currency = kind.split()[0]
        pattern = _money_pattern(locale, "RUB" if lang == "en" else "₽")
        assert lang != "en" or pattern.pattern.startswith("¤\xa0")
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


def test_the_exact_figure_keeps_every_digit_of_a_long_quotient():
    """The evaluator divides with 34 digits; the exact percent an auditor sees keeps all of them
    (scaling by 100 under Babel's default 28-digit context would cut them)."""
    with localcontext() as ctx:
        ctx.prec = 34
        value = Decimal(13) / 36
    [(shown, exact)] = exact_values(RU.figure(value, "percent"))
    assert shown == "≈\xa036,11\xa0%"
    assert exact == "36," + "1" * 32 + "\xa0%"
    assert f'value="{value}"' in html(RU.figure(value, "percent"))


def test_money_is_exact_unless_a_division_made_more_digits_than_amounts_have():
    assert RU.figure(Decimal("1250.5"), "money") == "1\xa0250,50\xa0₽"  # a sum keeps its scale
    assert RU.figure(Decimal("1.123456"), "money") == "1,123456\xa0₽"
    average = Decimal(1000000) / 3
    [(shown, exact)] = exact_values(RU.figure(average, "money"))
    assert shown == "≈\xa0333\xa0333,33\xa0₽"
    assert exact.startswith("333\xa0333,3333333333")
