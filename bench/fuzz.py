"""Fuzz the parser, the compiler and the formatter: whatever the text, the answer is a plan or
diagnostics, never an exception.

    python bench/fuzz.py --count 100000 [--seed 1] [--show 5]

Inputs are, in turn: random text (printable and control characters, Cyrillic, kpilang's own
symbols), random bytes decoded as UTF-8 with replacement, and valid plans mutated at the token
level (a token deleted, duplicated, swapped with another or replaced by one from elsewhere) or at
the character level (a byte inserted, deleted or flipped). Each input goes through `parse`,
`compile_text` (which also renders every diagnostic as text and JSON) and, when it parses,
`format_source`. A crash is any exception; each distinct one is printed with a shortest input
seen. Exit status 1 if anything crashed. The run is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kpilang.compile import compile_text  # noqa: E402
from kpilang.diagnostics import render_text  # noqa: E402
from kpilang.syntax.formatter import format_source  # noqa: E402
from kpilang.syntax.parser import lark_parser, parse  # noqa: E402

EXTRA_PLAN = '''
import "library.kpi"
plan inbound "Входящие" {
    role inbound, cold
    period quarter
    effective 2026-07-01
    timezone "Europe/Moscow"
    currency RUB
    strategy service
    goal "Ответ за 15 минут"
    scope team
}
metric response "Ответ" = avg(leads.first_response_at - leads.created_at where source in ["web", "ads"])
    kind quality
    uncontrollable for cold
metric answered = share(leads where not (status = "spam") and first_response_at <= created_at)
metric clients = count_distinct(deals.client_id where is_new_client)
metric biggest = max(deals.amount where stage != "lost") kind result
kpi speed "Скорость" = response target 15m weight 60% cap 120% lower is better
kpi reach = answered target targets.answered weight 40%
table commission_tiers "Комиссия" graduated { below 100% : 3%  from 100% : 5% }
table steps { below -1 : 0  -1 to 1_000 : 0.5  from 1_000 : 1 }
pay base = salary
pay commission = commission_tiers(biggest, targets.revenue) cap 100_000 floor 0
pay extra = if kpi_score >= 100% then round(salary * 10% * steps(clients), 2) else 0 otherwise 0
pay total = base + commission + extra + min(salary, max(biggest, 0))
test "quiet quarter" {
    given salary = 50000, response = 900, answered = 0.5, clients = 0, biggest = 0,
          targets.answered = 0.9, targets.revenue = 1000000, managers.team = "a"
    expect speed = 1, steps(clients) = 0.5, total = 50000.00
}
'''

ALPHABET = (
    "abcdefghijklmnopqrstuvwxyz_ABCXYZ0123456789 \t\n\n\n\"\\#%.,:;=!<>+-*/()[]{}"
    "звонкивыручкаЁё\u00a0\u200b\ufeff\r\x00\x7f≥≤≠×÷'`"
)
WORDS = ("plan", "metric", "kpi", "table", "pay", "test", "import", "target", "weight", "cap", "floor",
         "lower is better", "kind", "uncontrollable for", "graduated", "below", "from", "to", "given",
         "expect", "where", "otherwise", "if", "then", "else", "and", "or", "not", "in", "true", "false",
         "count(", "sum(", "avg(", "share(", "kpi_score", "salary", "targets.", "managers.", "deals.amount",
         "2026-02-30", "9999-99-99", "1_000", "_1", "1__0", "8%", "%", "15m", "0", "-0", "1e5", "0.", ".5")


def seeds() -> list[str]:
    example = (ROOT / "examples" / "cold_sales" / "cold_sales.kpi").read_text(encoding="utf-8")
    return [example, EXTRA_PLAN]


def tokens_of(text: str) -> list[str]:
    """The source split into lexer tokens and the text between them (so joining gives it back)."""
    out, pos = [], 0
    for tok in lark_parser().lex(text, dont_ignore=True):
        start = tok.start_pos
        if start > pos:
            out.append(text[pos:start])
        out.append(str(tok))
        pos = tok.end_pos
    out.append(text[pos:])
    return out


def random_text(rng: random.Random) -> str:
    n = rng.randint(0, 200)
    parts = []
    while sum(map(len, parts)) < n:
        parts.append(rng.choice(WORDS) + " " if rng.random() < 0.3 else rng.choice(ALPHABET))
    return "".join(parts)


def random_bytes(rng: random.Random) -> str:
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 120))).decode("utf-8", errors="replace")


def mutate_tokens(rng: random.Random, tokens: list[str]) -> str:
    t = list(tokens)
    for _ in range(rng.randint(1, 4)):
        if not t:
            break
        i, j = rng.randrange(len(t)), rng.randrange(len(t))
        op = rng.randrange(5)
        if op == 0:
            del t[i]
        elif op == 1:
            t.insert(i, t[i])
        elif op == 2:
            t[i], t[j] = t[j], t[i]
        elif op == 3:
            t[i] = t[j]
        else:
            t.insert(i, " " + rng.choice(WORDS) + " ")
    return "".join(t)


def mutate_chars(rng: random.Random, text: str) -> str:
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 6)):
        i = rng.randrange(len(data) + 1)
        op = rng.randrange(3)
        if op == 0:
            data.insert(i, rng.randrange(256))
        elif op == 1 and i < len(data):
            del data[i]
        elif i < len(data):
            data[i] ^= 1 << rng.randrange(8)
    return data.decode("utf-8", errors="replace")


@dataclass
class Report:
    runs: int = 0
    parsed: int = 0
    compiled: int = 0
    crashes: dict[str, str] = field(default_factory=dict)
    """A crash's signature (exception type and innermost frame) → the shortest input that raised it."""


def check_one(text: str, directory: Path, report: Report) -> None:
    """Run every stage on `text`; record an exception as a crash."""
    report.runs += 1
    try:
        module, diagnostics = parse(text, "fuzz.kpi")
        assert (module is None) == bool(diagnostics), "a parse gives a module or diagnostics, not both"
        for d in diagnostics:
            render_text(d, {"fuzz.kpi": text})
            d.to_json()
        if module is not None:
            report.parsed += 1
            formatted, _ = format_source(text, "fuzz.kpi")
            assert formatted is not None
        result = compile_text(text, str(directory / "fuzz.kpi"))
        if result.program is not None:
            report.compiled += 1
        for d in result.diagnostics:
            render_text(d, result.sources)
            d.to_json()
    except Exception as err:  # noqa: BLE001 - any exception is what we are looking for
        frame = traceback.extract_tb(err.__traceback__)[-1]
        signature = f"{type(err).__name__} at {Path(frame.filename).name}:{frame.lineno}: {err}"[:300]
        if signature not in report.crashes or len(text) < len(report.crashes[signature]):
            report.crashes[signature] = text


def run(count: int, seed: int = 1, directory: Path | None = None) -> Report:
    rng = random.Random(seed)
    corpus = seeds()
    token_lists = [tokens_of(s) for s in corpus]
    report = Report()
    with tempfile.TemporaryDirectory() as tmp:
        where = directory or Path(tmp)
        (where / "library.kpi").write_text("metric lib = count(deals)\n", encoding="utf-8")
        for i in range(count):
            kind = i % 4
            if kind == 0:
                text = random_text(rng)
            elif kind == 1:
                text = random_bytes(rng)
            elif kind == 2:
                text = mutate_tokens(rng, rng.choice(token_lists))
            else:
                text = mutate_chars(rng, rng.choice(corpus))
            check_one(text, where, report)
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="how many inputs to try")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", type=int, default=5, help="how many distinct crashes to print")
    args = parser.parse_args()
    started = time.perf_counter()
    report = run(args.count, args.seed)
    elapsed = time.perf_counter() - started
    print(f"{report.runs} inputs in {elapsed:.1f} s ({report.runs / elapsed:.0f}/s): "
          f"{report.parsed} parsed, {report.compiled} compiled, {len(report.crashes)} distinct crash(es)")
    for signature, text in list(report.crashes.items())[: args.show]:
        print(f"\n{signature}\ninput: {text!r}")
    return 1 if report.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
