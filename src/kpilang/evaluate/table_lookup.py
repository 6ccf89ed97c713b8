"""Table look-ups: step tables (`multiplier(kpi_score)`) and graduated tables
(`commission_tiers(revenue, targets.revenue)`), each giving its result and a `TableHit` that says
which band was used and why.

A band `X to Y` holds X ≤ s < Y, `below X` holds s < X and `from X` holds s ≥ X. A step table
gives the value of the first band (in written order) that holds the argument. A graduated table
gives Σ rate × (the part of the argument inside each tier); called with a base, its edges are
fractions of the base (`below 100% : 3%` with base = the target means "3% up to the target").
An argument that falls in no band is an error for the person, never a silent 0.
"""

from __future__ import annotations

from decimal import Decimal

from kpilang.compile.program import TableDef
from kpilang.evaluate.numbers import ZERO, plain, tidy
from kpilang.evaluate.results import TableHit, TierPart, trusted_builder
from kpilang.messages import Figure, t

_table_hit = trusted_builder(TableHit)


def said(value: Decimal) -> Figure:
    """A figure of a look-up's error as `plain` writes it, marked a number so that each language
    writes it its own way (`0.00` in English, `0,00` in Russian)."""
    return Figure(plain(value))


class LookupFailed(Exception):
    """A look-up that cannot give a figure: the argument is in no band, or the base is unusable.

    `code` names the error and its words in the catalogs (`eval.CODE.message`, `.help`), which
    `facts` fill in."""

    def __init__(self, cause: str, code: str, **facts: object):
        self.cause = cause
        self.code = code
        self.message = t(f"eval.{code}.message", **facts)
        self.help = t(f"eval.{code}.help", **facts)
        self.call: object | None = None
        """The `ast.Call` node, filled in by the caller that knows it."""
        super().__init__(str(self.message))


def band_text(low: Decimal | None, high: Decimal | None) -> str:
    if low is None and high is None:
        return "any value"
    if low is None:
        return f"below {plain(high)}"
    if high is None:
        return f"from {plain(low)}"
    return f"{plain(low)} to {plain(high)}"


def why_in_band(argument: Decimal, low: Decimal | None, high: Decimal | None) -> str:
    """`0.70 ≤ 0.700 < 0.90`: the comparison that put the argument in its band."""
    parts = []
    if low is not None:
        parts.append(f"{plain(low)} ≤ ")
    parts.append(plain(argument))
    if high is not None:
        parts.append(f" < {plain(high)}")
    return "".join(parts)


class StepTable:
    """A compiled step table: the bands in written order."""

    def __init__(self, table: TableDef):
        self.name = table.name
        self.bands = tuple((b.low, b.high, b.value) for b in table.bands)
        self._indexed = tuple((index, low, high, value) for index, (low, high, value) in enumerate(self.bands))

    def band_of(self, argument: Decimal) -> int:
        for index, low, high, _value in self._indexed:
            if (low is None or low <= argument) and (high is None or argument < high):
                return index
        raise self._no_band(argument)

    def _no_band(self, argument: Decimal) -> LookupFailed:
        return LookupFailed(
            "no_band", "no_band", argument=said(argument), name=self.name,
            bands=", ".join(band_text(lo, hi) for lo, hi, _ in self.bands),
        )

    def result(self, argument: Decimal) -> Decimal:
        return self.bands[self.band_of(argument)][2]

    def hit(self, argument: Decimal, subject: str, call: str) -> tuple[Decimal, TableHit]:
        # The band search is written out here rather than calling band_of: this runs once per
        # person for every look-up.
        for index, low, high, value in self._indexed:
            if (low is None or low <= argument) and (high is None or argument < high):
                return value, _table_hit({"table": self.name, "subject": subject, "call": call, "argument": argument,
                                          "base": None, "graduated": False, "band": index, "low": low, "high": high,
                                          "value": value, "result": value, "parts": []})
        raise self._no_band(argument)


class GraduatedTable:
    """A compiled graduated table: tiers ordered by their lower edge, `below X` starting at 0.

    The tiers must follow each other without a gap or an overlap; an argument that reaches past
    the end of the covered range (a gap, or above a last tier that has an upper edge) is in no band.
    """

    def __init__(self, table: TableDef):
        self.name = table.name
        # Edges without trailing zeros (100% → 1), so that scaled by a base of 800000 they read 800000.
        tiers = sorted(
            ((index, ZERO if band.low is None else tidy(band.low), None if band.high is None else tidy(band.high),
              band.value) for index, band in enumerate(table.bands)),
            key=lambda t: t[1],
        )
        covered_to: Decimal | None = tiers[0][1]
        contiguous = []
        self.overlap: tuple[Decimal, Decimal] | None = None
        """Where two tiers overlap (from, to), if they do."""
        for tier in tiers:
            _index, low, high, _rate = tier
            if low < covered_to:
                self.overlap = (low, covered_to)
            if low != covered_to:
                break
            contiguous.append(tier)
            covered_to = high
            if high is None:
                break
        self.tiers = tuple(contiguous)
        self.covered_to = covered_to
        """Where the tiers stop (a gap, or the upper edge of the last tier); None: no end."""
        self.start = tiers[0][1]

    def _check(self, argument: Decimal, base: Decimal | None) -> Decimal:
        """The factor the edges are scaled by; raises for an argument outside the tiers."""
        if base is not None and base <= 0:
            raise LookupFailed("bad_base", "bad_base", name=self.name, base=said(base))
        if self.overlap is not None:
            low, high = self.overlap
            raise LookupFailed("no_band", "tiers_overlap", name=self.name, low=said(low), high=said(high))
        scale = Decimal(1) if base is None else base
        start = self.start * scale
        if argument < start:
            raise LookupFailed("no_band", "below_first_tier", argument=said(argument), name=self.name,
                               start=said(start))
        if self.covered_to is not None and argument >= self.covered_to * scale:
            raise LookupFailed("no_band", "past_last_tier", argument=said(argument),
                               end=said(self.covered_to * scale), name=self.name)
        return scale

    def _parts(self, argument: Decimal, scale: Decimal) -> tuple[list[tuple], tuple]:
        """The tier arithmetic, for both the figure and its explanation: (tier index, low, high,
        rate, amount, rate × amount) for each tier the argument reaches, edges scaled by the base
        (the first tier always, even with nothing in it), and the highest tier reached."""
        parts: list[tuple] = []
        reached = self.tiers[0]
        for tier in self.tiers:
            index, low, high, rate = tier
            low_abs = low * scale
            high_abs = None if high is None else high * scale
            if argument < low_abs:
                break
            reached = tier  # low ≤ argument: the argument reaches this tier
            if argument > low_abs or not parts:
                top = argument if high_abs is None or argument < high_abs else high_abs
                amount = top - low_abs
                parts.append((index, low_abs, high_abs, rate, amount, rate * amount))
        return parts, reached

    @staticmethod
    def _total(parts: list[tuple]) -> Decimal:
        total = ZERO
        for *_tier, part in parts:
            total += part
        return total

    def result(self, argument: Decimal, base: Decimal | None = None) -> Decimal:
        parts, _reached = self._parts(argument, self._check(argument, base))
        return self._total(parts)

    def hit(self, argument: Decimal, base: Decimal | None, subject: str, call: str) -> tuple[Decimal, TableHit]:
        parts, (index, low, high, rate) = self._parts(argument, self._check(argument, base))
        total = self._total(parts)
        return total, TableHit(
            table=self.name, subject=subject, call=call, argument=argument, base=base, graduated=True, band=index,
            low=low, high=high, value=rate, result=total,
            parts=[TierPart(band=i, low=lo, high=hi, rate=r, amount=a, result=p) for i, lo, hi, r, a, p in parts],
        )
