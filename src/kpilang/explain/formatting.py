"""Numbers, percents, money, durations, dates and periods as a reader of one language expects them.

Every figure is formatted from Babel's locale data: `155 000,01 ₽` in ru, `RUB155,000.01` in en.
Every digit of an exact decimal is kept (Babel's `decimal_quantization=False`), so a statement
never shows a figure rounded differently from the one that was paid.

Speed: `NumberPattern.apply` re-reads the locale's symbols and the currency's name and precision
on every call (30–50 µs a number), which alone would cap statements at a few hundred a second.
`CompiledPattern` takes what Babel's parsed pattern and the locale say — prefixes and suffixes,
grouping sizes, fraction digits, the group and decimal symbols, the currency symbol — once, and
applies the same steps `NumberPattern.apply` takes for a plain (non-scientific, non-significant-
digit) pattern; any other pattern is left to Babel itself. `tests/explain/test_formatting.py`
checks with Hypothesis that the result is character for character Babel's `format_decimal`,
`format_percent` and `format_currency` for any decimal, in every language we ship. Results are
also memoised per (kind, value), since a statement repeats many figures.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import NumberPattern, get_currency_precision, get_currency_symbol
from babel.units import format_unit

from kpilang.compile.program import Unit
from kpilang.explain import LANGUAGES

FigureKind = str
"""How a figure is shown: `count`, `number`, `percent`, `money`, `duration`."""

_CACHE_SIZE = 1 << 16

_DURATION_UNITS = (("duration-day", 86400), ("duration-hour", 3600), ("duration-minute", 60))


class CompiledPattern:
    """One Babel number pattern of one locale (and currency), read once and applied to exact
    decimals without rounding: `NumberPattern.apply(value, locale, currency=…,
    decimal_quantization=False)`, minus the per-call look-ups."""

    __slots__ = ("_babel", "_locale", "_currency", "_fallback", "_scale", "_min_frac", "_min_int",
                 "_group", "_group_next", "_group_symbol", "_decimal_symbol", "_prefix", "_suffix")

    def __init__(self, pattern: NumberPattern, locale: Locale, currency: str | None = None):
        self._babel, self._locale, self._currency = pattern, locale, currency
        plain = (not pattern.exp_prec and "@" not in pattern.pattern and pattern.number_pattern != ""
                 and locale.default_numbering_system == "latn")
        affixes = "".join((*pattern.prefix, *pattern.suffix))
        # A quoted literal or a currency name that depends on the number (¤¤¤) is left to Babel.
        self._fallback = not plain or "'" in affixes or "¤¤¤" in affixes
        if self._fallback:
            return
        symbols = locale.number_symbols["latn"]
        self._scale = pattern.scale
        if currency is not None:
            digits = get_currency_precision(currency)
            self._min_frac = digits
        else:
            self._min_frac = pattern.frac_prec[0]
        self._min_int = pattern.int_prec[0]
        self._group, self._group_next = pattern.grouping
        self._group_symbol = symbols["group"]
        self._decimal_symbol = symbols["decimal"]
        if currency is not None:
            symbol = get_currency_symbol(currency, locale=locale)

            def fill(text: str) -> str:
                return text.replace("¤¤", currency.upper()).replace("¤", symbol)

            self._prefix = tuple(fill(p) for p in pattern.prefix)
            self._suffix = tuple(fill(p) for p in pattern.suffix)
        else:
            self._prefix, self._suffix = tuple(pattern.prefix), tuple(pattern.suffix)

    def __call__(self, value: Decimal) -> str:
        if self._fallback:
            return self._babel.apply(value, self._locale, currency=self._currency, decimal_quantization=False)
        if self._scale:
            value = value.scaleb(self._scale)
        negative = 1 if value.is_signed() else 0
        # Babel quantizes to max(the pattern's fraction digits, the number's own precision), which
        # only appends zeros that the fraction step strips again: the plain digits are the same.
        integer, _, fraction = format(abs(value).normalize(), "f").partition(".")
        if len(integer) < self._min_int:
            integer = "0" * (self._min_int - len(integer)) + integer
        size = self._group
        if len(integer) > size:
            groups = []
            while len(integer) > size:
                groups.append(integer[-size:])
                integer = integer[:-size]
                size = self._group_next
            groups.append(integer)
            integer = self._group_symbol.join(reversed(groups))
        return self._prefix[negative] + integer + self._fraction(fraction) + self._suffix[negative]

    def _fraction(self, digits: str) -> str:
        low = self._min_frac
        if len(digits) < low:
            digits += "0" * (low - len(digits))
        if not digits or (low == 0 and not digits.strip("0")):
            return ""
        while len(digits) > low and digits[-1] == "0":
            digits = digits[:-1]
        return self._decimal_symbol + digits



class LocaleFormat:
    """The formatting of one language and one currency, with Babel's patterns compiled once."""

    def __init__(self, lang: str, currency: str | None):
        if lang not in LANGUAGES:
            raise ValueError(f"no statements in language {lang!r}; choose one of {', '.join(LANGUAGES)}")
        self.lang = lang
        self.locale = Locale.parse(lang)
        self.currency = currency or "XXX"
        self._decimal = CompiledPattern(self.locale.decimal_formats[None], self.locale)
        self._percent = CompiledPattern(self.locale.percent_formats[None], self.locale)
        self._money = CompiledPattern(self.locale.currency_formats["standard"], self.locale, self.currency)
        self.currency_symbol = get_currency_symbol(self.currency, locale=self.locale)
        self.money_digits = get_currency_precision(self.currency)
        self.minus = self.locale.number_symbols["latn"]["minusSign"]
        self.plus = self.locale.number_symbols["latn"]["plusSign"]
        self._formatters = {"money": self._money, "percent": self._percent, "duration": self._duration_of,
                            "number": self._decimal, "count": self._decimal}
        self._memo: dict[str, dict[Decimal, str]] = {kind: {} for kind in self._formatters}

    def _duration_of(self, seconds: Decimal) -> str:
        # The largest unit that holds the duration whole: 1m reads "1 мин", 90s stays "90 с".
        for unit, size in _DURATION_UNITS:
            if seconds and seconds % size == 0:
                return format_unit(seconds / size, unit, length="short", locale=self.locale)
        return format_unit(seconds, "duration-second", length="short", locale=self.locale)

    def figure(self, value: Decimal | None, kind: FigureKind, none: str = "—") -> str:
        """`value` shown as `kind`; `none` for no value.

        Memoised per (kind, value): Babel formats the normalised number (`1.0` and `1.00` print
        alike), so equal decimals always give the same text. Zero is shown unsigned."""
        if value is None:
            return none
        memo = self._memo[kind]
        text = memo.get(value)
        if text is None:
            if len(memo) >= _CACHE_SIZE:
                memo.clear()
            text = memo[value] = self._formatters[kind](Decimal(0) if value.is_zero() else value)
        return text

    def signed(self, value: Decimal, kind: FigureKind) -> str:
        """A change: `+1`, `+180 000,00 ₽`, `−5 %`."""
        sign = self.minus if value < 0 else self.plus
        return sign + self.figure(abs(value), kind)

    def date(self, day: date) -> str:
        return format_date(day, format="long", locale=self.locale)

    def month(self, day: date) -> str:
        return format_skeleton("yMMMM", day, locale=self.locale)

    def quarter(self, day: date) -> str:
        return format_skeleton("yQQQQ", day, locale=self.locale)

    def day_range(self, first: date, end: date) -> str:
        """[first, end) as the locale writes a range of days (`6–12 июля 2026 г.`)."""
        from babel.dates import format_interval

        return format_interval(first, end - timedelta(days=1), "yMMMd", locale=self.locale)


def unit_kind(unit: Unit) -> FigureKind:
    """How a figure of a compiled unit is shown (a fraction that a plan writes as a percent is
    chosen by the caller, which knows how the plan wrote it)."""
    if unit is Unit.MONEY:
        return "money"
    if unit is Unit.DURATION:
        return "duration"
    if unit is Unit.COUNT:
        return "count"
    return "number"
