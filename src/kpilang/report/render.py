"""The report and the comparison as one self-contained HTML page each (Jinja2 templates beside
this module, styles inline, charts as inline SVG), and the report as an Excel workbook.

Every figure the page shows sits in an element carrying its exact value (`data-value`) and what
it is (`data-key`: `pay:m0001:2026-07:total`, `payroll:2026-07`, …), so the page can be checked
against `kpilang eval --format json` figure by figure, and a reader can copy the exact number.
Words come from the message catalogs (`report.…`, `compare.…`), figures from `LocaleFormat`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from kpilang.explain.approx import plain
from kpilang.explain.formatting import LocaleFormat
from kpilang.messages import Text, t
from kpilang.payouts.json import number
from kpilang.report import charts
from kpilang.report.build import SCORE_EDGES, Report


def _environment() -> Environment:
    return Environment(loader=PackageLoader("kpilang.report", "templates"),
                       autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
                       trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined, auto_reload=False)


class Words:
    """Catalog texts and figures for one language and currency, as templates call them."""

    def __init__(self, lang: str, currency: str, program=None):
        from kpilang.explain.kinds import FigureKinds

        self.lang = lang
        self.fmt = LocaleFormat(lang, currency)
        self.program = program
        # A figure is shown as the statements show it: a rate whose target the plan writes as a
        # percent is a percent, a table's edges as its bands are written.
        self.kinds = FigureKinds(program) if program is not None else None

    def __call__(self, key: str, **facts) -> str:
        """The catalog text `report.KEY` (or `compare.…` as given). Keys are written whole where
        they are used, in these modules and the templates, which the catalog test reads."""
        return Text(key if key.startswith("compare.") else f"report.{key}", tuple(facts.items())).render(self.lang)

    def figure(self, value: Decimal | int | None, kind: str) -> str:
        return plain(self.fmt.figure(Decimal(value) if isinstance(value, int) else value, kind))

    def money(self, value: Decimal | None) -> str:
        return self.figure(value, "money")

    def percent(self, value: Decimal | None) -> str:
        return self.figure(value, "percent")

    def cell(self, key: str, value: Decimal | None, kind: str, css: str = "num") -> Markup:
        """A table cell showing `value` as `kind`, with its exact value and key for checking."""
        exact = "" if value is None else f' data-value="{escape(number(Decimal(value)))}"'
        return Markup(f'<td class="{css}" data-key="{escape(key)}"{exact}>{escape(self.figure(value, kind))}</td>')

    def label(self, name: str) -> str:
        label = self.program.label(name) if self.program is not None else None
        return f"{label} ({name})" if label else name

    def kpi_kind(self, name: str) -> str:
        return self.kinds.kpi[name]

    def metric_kind(self, name: str) -> str:
        return self.kinds.metric[name]


def render_report_html(report: Report, lang: str) -> str:
    from kpilang.report.build import NEAR_SHARE

    words = Words(lang, report.currency, report.program)
    program = report.program

    def band_range(table: str, index: int) -> str:
        band = program.tables[table].bands[index]
        kind = words.kinds.table_key[table]
        low = words.figure(band.low, kind) if band.low is not None else "…"
        high = words.figure(band.high, kind) if band.high is not None else "…"
        return f"{low} – {high}"

    return _environment().get_template("report.html.j2").render(
        r=report, w=words, lang=lang, charts=_report_charts(report, words), buckets=_bucket_names(words),
        band_range=band_range, metric_kind=words.metric_kind, near=NEAR_SHARE,
        num=number)


def _bucket_names(w: Words) -> list[str]:
    names, low = [], None
    for edge in SCORE_EDGES:
        names.append(w("bucket.below", high=w.percent(edge)) if low is None
                     else w("bucket.between", low=w.percent(low), high=w.percent(edge)))
        low = edge
    names.append(w("bucket.from", low=w.percent(low)))
    return names


def _report_charts(report: Report, w: Words) -> dict[str, Markup]:
    labels = [p.label for p in report.periods]
    out = {"payroll": charts.bar_chart(
        w("payroll.chart", currency=report.currency), labels,
        [charts.Series(w("payroll.payroll"), [p.payroll for p in report.periods],
                       [w.money(p.payroll) for p in report.periods]),
         charts.Series(w("payroll.salary-fund"), [p.salary_fund for p in report.periods],
                       [w.money(p.salary_fund) for p in report.periods])])}
    last = report.periods[-1]
    out["scores"] = charts.bar_chart(
        w("scores.chart", period=last.label), _bucket_names(w),
        [charts.Series(w("scores.people"), [Decimal(n) for n in last.score_buckets],
                       [str(n) for n in last.score_buckets])])
    for kpi in report.kpis:
        rows = [t for t in report.teams if t.team is None and t.kpi == kpi]
        out[f"kpi:{kpi}"] = charts.bar_chart(
            w("team.chart", kpi=w.label(kpi)), [r.period for r in rows],
            [charts.Series(w("team.attainment"), [r.attainment for r in rows], [w.percent(r.attainment) for r in rows])],
            reference=Decimal(1), reference_label=w("team.target-line"))
    return out


def render_comparison_html(comparison, meaning: str, lang: str) -> str:
    words = Words(lang, comparison.currency)
    chart = charts.bar_chart(
        t("compare.by-period").render(lang), [p.period for p in comparison.by_period],
        [charts.Series(t("compare.column.old").render(lang), [p.old for p in comparison.by_period],
                       [words.money(p.old) for p in comparison.by_period]),
         charts.Series(t("compare.column.new").render(lang), [p.new for p in comparison.by_period],
                       [words.money(p.new) for p in comparison.by_period])])
    return _environment().get_template("compare.html.j2").render(
        c=comparison, w=words, lang=lang, meaning=meaning, chart=chart)


def write_report_xlsx(report: Report, path: str | Path, lang: str) -> None:
    """The report's content as typed sheets: payroll per period, plan vs fact per person and
    per team, score spread and bands per period, who is within reach, data problems, versions."""
    from kpilang.payouts.xlsx import fill_sheet, new_workbook

    w = Words(lang, report.currency, report.program)
    book, formats = new_workbook(f"{report.plan} · {report.periods[0].label}..{report.periods[-1].label}",
                                 report.currency, lang)

    sheet = book.active
    sheet.title = w("sheet.payroll")
    headers = [w("column.period"), w("payroll.payroll"), w("payroll.salary-fund"), w("column.paid"),
               w("column.not-computed"), *[w.label(p) for p in report.pays]]
    rows = [[p.label, p.payroll, p.salary_fund, Decimal(p.paid), Decimal(p.not_computed),
             *[p.pay_sums[name] for name in report.pays]] for p in report.periods]
    fill_sheet(sheet, headers, ["text", "money", "money", "count", "count", *["money"] * len(report.pays)], rows,
               formats)

    headers = [w("column.id"), w("column.name"), w("column.team"), w("column.period"), w("column.kpi"),
               w("column.fact"), w("column.plan"), w("column.attainment")]
    rows, kinds = [], ["text", "text", "text", "text", "text", "number", "number", "share"]
    for person in report.people:
        for label, figures in person.periods.items():
            for kpi, cell in figures.kpis.items():
                rows.append([person.manager_id, person.name, person.team, label, kpi, cell.value, cell.target,
                             cell.attainment])
    fill_sheet(book.create_sheet(w("sheet.people")), headers, kinds, rows, formats, freeze="C2")

    headers = [w("column.id"), w("column.name"), w("column.period"), w("column.score"),
               *[w.label(p) for p in report.pays]]
    rows = [[p.manager_id, p.name, label, f.score, *[f.pays[name] for name in report.pays]]
            for p in report.people for label, f in p.periods.items()]
    fill_sheet(book.create_sheet(w("sheet.pays")), headers, ["text", "text", "text", "share",
                                                               *["money"] * len(report.pays)], rows, formats,
               freeze="C2")

    headers = [w("column.team"), w("column.period"), w("column.kpi"), w("column.people"), w("column.fact"),
               w("column.plan"), w("column.attainment"), w("column.median"), w("column.at-target")]
    rows = [[t.team or w("team.everyone"), t.period, t.kpi, Decimal(t.people), t.value, t.target, t.attainment,
             t.median, Decimal(t.at_target)] for t in report.teams]
    fill_sheet(book.create_sheet(w("sheet.teams")), headers,
               ["text", "text", "text", "count", "number", "number", "share", "share", "count"], rows, formats)

    buckets = _bucket_names(w)
    headers = [w("column.period"), *buckets]
    rows = [[p.label, *[Decimal(n) for n in p.score_buckets]] for p in report.periods]
    fill_sheet(book.create_sheet(w("sheet.scores")), headers, ["text", *["count"] * len(buckets)], rows, formats)

    headers = [w("column.table"), w("column.band"), *[p.label for p in report.periods]]
    rows = [[table, Decimal(band + 1), *[Decimal(p.bands[table][band]) for p in report.periods]]
            for table, size in report.tables.items() for band in range(size)]
    fill_sheet(book.create_sheet(w("sheet.bands")), headers, ["text", "number", *["count"] * len(report.periods)],
               rows, formats)

    headers = [w("column.id"), w("column.name"), w("column.table"), w("column.metric"), w("column.change"),
               w("column.becomes"), w("reach.pay-after")]
    rows = [[r.manager_id, r.name, r.table, r.metric, r.delta, r.value, r.final_after] for r in report.reach]
    fill_sheet(book.create_sheet(w("sheet.reach")), headers,
               ["text", "text", "text", "text", "number", "number", "money"], rows, formats)

    headers = [w("column.period"), w("column.table"), w("column.file"), w("column.row"), w("column.column"),
               w("column.reason")]
    rows = [[p.label, pr.table, pr.file, Decimal(pr.row) if pr.row is not None else None, pr.column,
             pr.reason.render(lang)] for p in report.periods for pr in p.problems]
    fill_sheet(book.create_sheet(w("sheet.problems")), headers, ["text", "text", "text", "number", "text", "text"],
               rows, formats)

    headers = [w("column.period"), w("column.version"), w("column.fingerprint"), w("column.commit"),
               w("column.effective")]
    rows = [[p.label, p.version_spec, p.fingerprint, p.commit.sha if p.commit is not None else None,
             p.effective.isoformat()] for p in report.periods]
    fill_sheet(book.create_sheet(w("sheet.versions")), headers, ["text"] * 5, rows, formats)
    book.save(path)
