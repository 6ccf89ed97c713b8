"""Numbers, percents, money, durations, dates and periods as a reader of one language expects them.

Every figure goes through Babel's locale data: `155 000,01 ₽` in ru, `RUB155,000.01` in en. Babel's
patterns are parsed once per locale; every digit of an exact decimal is kept
(`decimal_quantization=False`), so a statement never shows a figure rounded differently from the
one that was paid. Formatting one number with Babel takes tens of microseconds, and a statement
repeats many figures (weights, targets, salary, band edges), so results are memoised per
(kind, exact text of the number): the same decimal always gives the same text.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import get_currency_precision, get_currency_symbol
from babel.units import format_unit

from kpilang.compile.program import Unit

LANGUAGES = ("ru", "en")

FigureKind = str
"""How a figure is shown: `count`, `number`, `percent`, `money`, `duration`."""

_CACHE_SIZE = 1 << 16

_DURATION_UNITS = (("duration-day", 86400), ("duration-hour", 3600), ("duration-minute", 60))


class LocaleFormat:
    """The formatting of one language and one currency, with Babel's patterns compiled once."""

    def __init__(self, lang: str, currency: str | None):
        if lang not in LANGUAGES:
            raise ValueError(f"no statements in language {lang!r}; choose one of {', '.join(LANGUAGES)}")
        self.lang = lang
        self.locale = Locale.parse(lang)
        self.currency = currency or "XXX"
        self._decimal = self.locale.decimal_formats[None]
        self._percent = self.locale.percent_formats[None]
        self._money = self.locale.currency_formats["standard"]
        self.currency_symbol = get_currency_symbol(self.currency, locale=self.locale)
        self.money_digits = get_currency_precision(self.currency)
        self.minus = self.locale.number_symbols["latn"]["minusSign"]
        self.plus = self.locale.number_symbols["latn"]["plusSign"]
        # One memo per instance: the functions close over this locale's patterns.
        self.number = functools.lru_cache(_CACHE_SIZE)(self._number)
        self.percent = functools.lru_cache(_CACHE_SIZE)(self._percent_of)
        self.money = functools.lru_cache(_CACHE_SIZE)(self._money_of)
        self.duration = functools.lru_cache(4096)(self._duration_of)

    # The memo key is the Decimal itself; Decimal("1.0") == Decimal("1.00") hash alike but are
    # written differently, so the public helpers below key on the exact text as well.
    def _number(self, text: str) -> str:
        return self._decimal.apply(Decimal(text), self.locale, decimal_quantization=False)

    def _percent_of(self, text: str) -> str:
        value = Decimal(text)
        if value.is_zero():
            value = Decimal(0)  # `0E+2` (0 × 100%) is plain zero
        return self._percent.apply(value, self.locale, decimal_quantization=False)

    def _money_of(self, text: str) -> str:
        return self._money.apply(Decimal(text), self.locale, currency=self.currency, currency_digits=True,
                                 decimal_quantization=False)

    def _duration_of(self, text: str) -> str:
        seconds = Decimal(text)
        # The largest unit that holds the duration whole: 1m reads "1 мин", 90s stays "90 с".
        for unit, size in _DURATION_UNITS:
            if seconds and seconds % size == 0:
                return format_unit(seconds / size, unit, length="short", locale=self.locale)
        return format_unit(seconds, "duration-second", length="short", locale=self.locale)

    def figure(self, value: Decimal | None, kind: FigureKind, none: str = "—") -> str:
        """`value` shown as `kind`; `none` for no value."""
        if value is None:
            return none
        text = str(value)
        if kind == "money":
            return self.money(text)
        if kind == "percent":
            return self.percent(text)
        if kind == "duration":
            return self.duration(text)
        if value.is_zero():
            text = "0"
        return self.number(text)

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
