"""Numbers, percents, money, durations, dates and periods as a reader of one language expects them.

Every figure is formatted from Babel's locale data: `155 000,01 ₽` in ru, `RUB 155,000.01` in en.

Money is shown exactly: pays are already rounded by the plan to the currency's minor unit, and a
metric's sum of money keeps its own scale (`1 250,5 ₽` stays as summed); only a money figure
that a division gave more than six decimals (an average deal) is shown to the minor unit, `≈`. Every other figure —
percents, ratios, attainments, contributions, the score, multipliers, averages — is rounded for
display, half up, to a precision that fits it (`DISPLAY_PLACES`: two decimals, more for a figure
below one so that it keeps three significant digits), and marked `≈` when that changed it:
`≈ 36,11 %` for 13/36, `80 %` for 4/5. The exact figure travels with the rounded one (see
`approx`), so HTML shows it on hover and in `<data value>`; the pay itself is always computed
from exact values. A comparison shown with rounded figures (a band check, a cap) takes more
digits where rounding would make it look false (`between`, `above`).

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
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import NumberPattern, get_currency_precision, get_currency_symbol, parse_pattern
from babel.units import format_unit

from kpilang.compile.program import Unit
from kpilang.evaluate.numbers import room_for
from kpilang.explain import LANGUAGES
from kpilang.explain.approx import APPROX, is_marked, mark

FigureKind = str
"""How a figure is shown: `count`, `number`, `percent`, `money`, `duration`."""

_CACHE_SIZE = 1 << 16

DISPLAY_PLACES = {"percent": 2, "number": 2, "count": 2, "duration": 0}
"""Decimals shown of a figure that is not money: of the percent for percents (`36,11 %`), of the
number for numbers and fractional counts (an average of 3,33), of the seconds for durations. A
figure below one keeps three significant digits (`0,00123 %`), up to `_MAX_PLACES`."""

MONEY_EXACT_PLACES = 6
"""Money is shown exactly up to this many decimals (any sum of amounts written with at most six);
a money figure with more, which only a division makes (an average deal), is shown to the
currency's minor unit with `≈`."""

_MAX_PLACES = 12
_SIGNIFICANT = 3

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
        self.currency_symbol = get_currency_symbol(self.currency, locale=self.locale)
        self._money = CompiledPattern(_money_pattern(self.locale, self.currency_symbol), self.locale, self.currency)
        self.money_digits = get_currency_precision(self.currency)
        self.minus = self.locale.number_symbols["latn"]["minusSign"]
        self.plus = self.locale.number_symbols["latn"]["plusSign"]
        self._formatters = {"money": self._money, "percent": self._percent, "duration": self._duration_of,
                            "number": self._decimal, "count": self._decimal}
        self.approx = APPROX
        self._memo: dict[str, dict[Decimal, str]] = {kind: {} for kind in self._formatters}

    def _duration_of(self, seconds: Decimal) -> str:
        # The largest unit that holds the duration whole: 1m reads "1 мин", 90s stays "90 с".
        for unit, size in _DURATION_UNITS:
            if seconds and seconds % size == 0:
                return format_unit(seconds / size, unit, length="short", locale=self.locale)
        # Babel would round to three decimals here unasked; every digit is ours to round (`figure`).
        return format_unit(self._decimal(seconds), "duration-second", length="short", locale=self.locale)

    def figure(self, value: Decimal | None, kind: FigureKind, none: str = "—") -> str:
        """`value` shown as `kind`; `none` for no value. Money exactly; any other figure rounded
        for display (`DISPLAY_PLACES`) and, when that changed it, marked `≈` and carrying its
        exact value (see `approx`).

        Memoised per (kind, value): Babel formats the normalised number (`1.0` and `1.00` print
        alike), so equal decimals always give the same text. Zero is shown unsigned."""
        if value is None:
            return none
        memo = self._memo[kind]
        text = memo.get(value)
        if text is None:
            if len(memo) >= _CACHE_SIZE:
                memo.clear()
            with room_for(value):
                text = memo[value] = self._shown(value, kind, None)
        return text

    def exact(self, value: Decimal, kind: FigureKind) -> str:
        """Every digit of `value`, as the locale writes a `kind` (what a rounded figure stands for).

        A percent is scaled by 100 under the decimal context's precision (28 digits by default),
        which would cut an evaluator's 34-digit quotient short: the context is widened to hold
        every digit of `value` (`room_for`)."""
        value = Decimal(0) if value.is_zero() else value
        with room_for(value):
            return self._formatters[kind](value)

    def places(self, value: Decimal, kind: FigureKind) -> int | None:
        """The decimals `value` is shown with (of the percent for a percent), or None: exactly."""
        if kind == "money":
            # Sums, minima and maxima of amounts keep the data's own scale; only a division (an
            # average, a share of money) makes more digits than amounts are written with.
            if not value.is_finite() or value.as_tuple().exponent >= -MONEY_EXACT_PLACES:  # type: ignore[operator]
                return None
            return self.money_digits
        base = DISPLAY_PLACES.get(kind)
        if base is None or not value.is_finite():
            return None
        scaled = value.scaleb(2) if kind == "percent" else value
        if kind == "duration" or scaled.is_zero() or abs(scaled) >= 1:
            return base
        # below one: enough decimals for three significant digits
        return min(max(base, _SIGNIFICANT - 1 - scaled.adjusted()), _MAX_PLACES)

    def _shown(self, value: Decimal, kind: FigureKind, places: int | None) -> str:
        if value.is_zero():
            value = Decimal(0)
        if places is None:
            places = self.places(value, kind)
        rounded = self._rounded(value, kind, places)
        if rounded is None or rounded == value:
            return self._formatters[kind](value)
        if rounded.is_zero():
            rounded = Decimal(0)
        return mark(value, self.exact(value, kind), self.approx + self._formatters[kind](rounded))

    @staticmethod
    def _rounded(value: Decimal, kind: FigureKind, places: int | None) -> Decimal | None:
        if places is None:
            return None
        shift = places + 2 if kind == "percent" else places
        exponent = -shift
        if value.as_tuple().exponent >= exponent:  # type: ignore[operator]
            return value
        return value.quantize(Decimal((0, (1,), exponent)), rounding=ROUND_HALF_UP)

    def between(self, low: Decimal | None, value: Decimal, high: Decimal | None, kind: FigureKind,
                edge_kind: FigureKind | None = None) -> tuple[str | None, str, str | None]:
        """`low`, `value`, `high` (the edges shown as `edge_kind`, by default `kind`) shown so that
        `low ≤ value < high` also reads true: rounding is monotone, so `≤` survives it, but
        `value < high` can round to equal figures (89,9999 % < 90 % → 90 % < 90 %); then all
        three take more decimals until they differ (every digit, at worst)."""
        return self._apart(low, value, high, kind, edge_kind or kind)

    def above(self, value: Decimal, limit: Decimal, kind: FigureKind) -> str:
        """`value` (greater than `limit`) shown so that it does not read as equal to `limit`
        (150,004 % above a 150 % cap is `150,004 %`, not `≈ 150 %`)."""
        return self._apart(limit, value, None, kind, kind, strict_low=True)[1]

    def _apart(self, low: Decimal | None, value: Decimal, high: Decimal | None, kind: FigureKind,
               edge_kind: FigureKind, strict_low: bool = False) -> tuple[str | None, str, str | None]:
        with room_for(low, value, high):
            return self._apart_in_room(low, value, high, kind, edge_kind, strict_low)

    def _apart_in_room(self, low: Decimal | None, value: Decimal, high: Decimal | None, kind: FigureKind,
                       edge_kind: FigureKind, strict_low: bool) -> tuple[str | None, str, str | None]:
        def reads_true(p_low: int | None, p_value: int | None, p_high: int | None) -> bool:
            r_value = self._rounded(value, kind, p_value)
            r_value = value if r_value is None else r_value
            if high is not None and value < high:
                r_high = self._rounded(high, edge_kind, p_high)
                if not r_value < (high if r_high is None else r_high):
                    return False
            if strict_low and low is not None and value > low:
                r_low = self._rounded(low, edge_kind, p_low)
                if not r_value > (low if r_low is None else r_low):
                    return False
            return True

        own = (None if low is None else self.places(low, edge_kind), self.places(value, kind),
               None if high is None else self.places(high, edge_kind))
        if reads_true(*own):  # as the figures are shown everywhere else
            return (None if low is None else self.figure(low, edge_kind), self.figure(value, kind),
                    None if high is None else self.figure(high, edge_kind))
        places = self._common_places((value, kind), (low, edge_kind), (high, edge_kind))
        while places is not None and not reads_true(places, places, places):
            places = places + 1 if places < _MAX_PLACES else None
        if places is None:  # only every digit tells them apart
            return (None if low is None else self.exact(low, edge_kind), self.exact(value, kind),
                    None if high is None else self.exact(high, edge_kind))
        return (None if low is None else self._shown(low, edge_kind, places), self._shown(value, kind, places),
                None if high is None else self._shown(high, edge_kind, places))

    def _common_places(self, *figures: tuple[Decimal | None, FigureKind]) -> int | None:
        found = [self.places(x, kind) for x, kind in figures if x is not None]
        if not found or any(p is None for p in found):
            return None
        return max(p for p in found if p is not None)

    def signed(self, value: Decimal, kind: FigureKind) -> str:
        """A change: `+1`, `+180 000,00 ₽`, `−5 %` (`≈ +0,33` when rounded for display)."""
        with room_for(value):
            return self._signed(value, kind)

    def _signed(self, value: Decimal, kind: FigureKind) -> str:
        sign = self.minus if value < 0 else self.plus
        text = self.figure(abs(value), kind)
        if is_marked(text):  # the ≈ goes before the sign: `≈ +0,33`
            rounded = self._rounded(abs(value), kind, self.places(abs(value), kind))
            assert rounded is not None
            return mark(value, sign + self.exact(abs(value), kind), self.approx + sign + self.exact(rounded, kind))
        return sign + text

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


def _money_pattern(locale: Locale, symbol: str) -> NumberPattern:
    """The locale's money pattern, with a no-break space between a currency code written in
    letters and the digits (`RUB 155,000.01`, the form bank statements use, rather than English
    data's `RUB155,000.01`); a sign such as `$` or a pattern that already spaces it is kept."""
    pattern = locale.currency_formats["standard"]
    if symbol[-1:].isalpha() and "¤#" in pattern.pattern:
        return parse_pattern(pattern.pattern.replace("¤#", "¤\u00a0#"))
    return pattern


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
