"""Parse and compile a 10,000-line plan, against a baseline measured in the same run.

    python bench/parse_compile.py [--lines 10000] [--repeat 5]

The baseline is Lark alone parsing the same text with the same grammar into its plain parse tree
with positions (`propagate_positions`, no transformer, no typed nodes, no compiler): what a
straightforward use of the parser generator costs with this grammar, on this machine, at this
moment; the ratio (ours / Lark alone) says what our own layers cost or save and stays comparable
across machines, unlike the absolute time. The absolute time is printed too, against the goal of
0.3 s for 10,000 lines.

`parse` takes the fast path (our tokenizer and loop over Lark's table); one more line shows the
same parse by Lark's own lexer and parser loop (`parse_with_lark`, which a text with a syntax
error goes through again).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lark import Lark  # noqa: E402

from kpilang.compile import compile_text  # noqa: E402
from kpilang.syntax.parser import grammar_text, parse, parse_with_lark  # noqa: E402

GOAL_SECONDS = 0.3

HEADER = '''# A generated plan for the benchmark: many metrics, KPIs, tables, pays and tests.
plan bench "Benchmark" {
    role      cold, inbound
    period    month
    effective 2026-07-01
    timezone  "Europe/Moscow"
    currency  RUB
    strategy  growth
    goal      "Measure the parser"
}
'''


def block(i: int) -> str:
    """About 36 lines: two metrics, a KPI, a table, two pays and a test, all cross-referenced."""
    return f'''
metric calls_{i} "Звонки {i}" =
    count(activities where type = "call" and duration >= 1m)
    kind activity

metric revenue_{i} "Выручка {i}" =
    sum(deals.amount where stage = "won" and not is_new_client or stage in ["won", "lost"])
    kind result

kpi plan_{i} "План {i}" =
    revenue_{i} / calls_{i} otherwise 0  # a comment
    target targets.revenue_{i}
    weight 1%
    cap    150%

table multiplier_{i} "Мультипликатор {i}" {{
    below 70%    : 0
    70% to 90%   : 0.5
    90% to 100%  : 1
    from 100%    : 1.2
}}

pay bonus_{i} "Премия {i}" =
    salary * multiplier_{i}(kpi_score) + 2% * revenue_{i}
    cap 2 * salary

pay total_{i} =
    if kpi_score >= 100% then salary + bonus_{i} else salary
    floor 0

test "case {i}" {{
    given salary = 60000, calls_{i} = 900, revenue_{i} = 0, targets.revenue_{i} = 1_000_000
    expect bonus_{i} = 0
}}
'''


def generate(lines: int) -> str:
    parts, count, i = [HEADER], HEADER.count("\n"), 0
    while count < lines:
        text = block(i)
        parts.append(text)
        count += text.count("\n")
        i += 1
    return "".join(parts)


def measure(repeat: int, runs: dict) -> dict[str, list[float]]:
    """CPU seconds of each run, `repeat` times, the runs interleaved so that a busy moment of the
    machine hits them alike. CPU time of this process (not wall time) keeps other programs'
    load out of the figures."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, fn in runs.items():
            started = time.process_time()
            fn()
            times[name].append(time.process_time() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    text = generate(args.lines)
    result = compile_text(text, "bench.kpi")
    assert result.ok, [d.message for d in result.diagnostics[:3]]

    lark_alone = Lark(grammar_text(), parser="lalr", lexer="basic", propagate_positions=True, maybe_placeholders=True)
    times = measure(args.repeat, {
        "Lark alone (baseline)": lambda: lark_alone.parse(text),
        "parse, Lark's loop": lambda: parse_with_lark(text, "bench.kpi"),
        "parse (typed AST)": lambda: parse(text, "bench.kpi"),
        "parse + compile": lambda: compile_text(text, "bench.kpi"),
    })
    baseline = min(times["Lark alone (baseline)"])
    lines = text.count("\n")
    print(f"plan: {lines} lines, {len(text):,} characters, {len(result.program.order)} declarations in order")
    print(f"CPU seconds, best and median of {args.repeat}")
    print(f"{'':28}{'best':>9}{'median':>9}{'× Lark alone':>14}")
    for name, values in times.items():
        best, median = min(values), statistics.median(values)
        print(f"{name:28}{best:8.3f}s{median:8.3f}s{best / baseline:13.2f}×")
    total = min(times["parse + compile"])
    verdict = "within" if total <= GOAL_SECONDS else "ABOVE"
    print(f"parse + compile: {total:.3f} s, {verdict} the goal of {GOAL_SECONDS} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
