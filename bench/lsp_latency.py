"""How long after a change the editor shows a 1,000-line plan's findings (goal: 300 ms).

    python bench/lsp_latency.py [--lines 1000] [--changes 30] [--pause 0.5]

A real session: `kpilang lsp` in a subprocess, spoken to over stdio by pygls's client. The plan
is generated (metrics, pays, two KPIs, a table; about `--lines` lines) and opened; then each
change edits one character of a formula, as typing does (an incremental change), and the time
is taken from sending the change to receiving the findings published for its version. Between
changes the benchmark pauses `--pause` seconds, as someone reading the result would.

Also measured, in this process: `analyse` alone (compile and every check, what the server runs
per change) and `lint_file` (what `kpilang lint` runs per file), the baseline. Reported as the
median, the 90th percentile and the worst latency; see docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

from kpilang.lint import lint_file  # noqa: E402
from kpilang.lsp.analysis import analyse  # noqa: E402


def generate(lines: int) -> str:
    out = ['plan big "Большой план" {', "    role      cold", "    period    month", "    effective 2026-07-01",
           "    currency  RUB", "    strategy  growth", '    goal      "Рост выручки"', "}", ""]
    index = 0
    while len(out) < lines - 24:
        out += [f'metric calls_{index} "Звонки {index}" =',
                f'    count(activities where type = "call" and duration >= {index + 1}m)', "    kind activity", "",
                f'metric revenue_{index} "Выручка {index}" =',
                f'    sum(deals.amount where stage = "won" and deals.amount > {index})', "    kind result", "",
                f'pay bonus_{index} "Премия {index}" =', f"    min(revenue_{index} * 1%, 10000)", "    cap 50% * salary", ""]
        index += 1
    out += ['kpi revenue_plan "План по выручке" =', "    revenue_0", "    target targets.revenue", "    weight 60%",
            "    cap    150%", "", 'kpi calls_plan "План по звонкам" =', "    calls_0", "    target 100", "    weight 40%",
            "    cap    150%", "", 'table multiplier "Мультипликатор" {', "    below 70%   : 0", "    70% to 100% : 1",
            "    from 100%   : 1.2", "}", "", 'pay kpi_bonus "Премия за KPI" =', "    salary * multiplier(kpi_score)",
            "    cap 2 * salary"]
    return "\n".join(out) + "\n"


def best_of(repeat: int, run) -> tuple[float, float]:
    """The best wall time and the best CPU time of this process (which other load blurs less)."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall, cpu = min(wall, time.perf_counter() - start), min(cpu, time.process_time() - start_cpu)
    return wall, cpu


async def session(plan: Path, changes: int, pause: float) -> list[float]:
    client = LanguageClient("bench", "1")
    arrived: dict[int, float] = {}
    event = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived.setdefault(params.version, time.perf_counter())
            event.set()

    async def wait_for(version: int) -> float:
        while version not in arrived:
            event.clear()
            await asyncio.wait_for(event.wait(), 30)
        return arrived[version]

    await client.start_io(sys.executable, "-m", "kpilang", "lsp", cwd=str(plan.parent))
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities(), process_id=None))
    client.initialized(types.InitializedParams())
    uri = plan.resolve().as_uri()
    text = plan.read_text(encoding="utf-8")
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="kpilang", version=1, text=text)))
    await wait_for(1)
    line = text.split("\n").index("    min(revenue_0 * 1%, 10000)")
    column = len("    min(revenue_0 * 1%, 1")
    latencies = []
    for version in range(2, changes + 2):
        digit = str(version % 10)
        at = types.Range(start=types.Position(line=line, character=column),
                         end=types.Position(line=line, character=column + 1))
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(range=at, text=digit)]))
        latencies.append(await wait_for(version) - sent)
        await asyncio.sleep(pause)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--pause", type=float, default=0.5)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "big.kpi"
        text = generate(args.lines)
        plan.write_text(text, encoding="utf-8")
        print(f"plan: {text.count(chr(10))} lines")
        lint_s, lint_cpu = best_of(args.repeat, lambda: lint_file(plan, text=text))
        analyse_s, analyse_cpu = best_of(args.repeat, lambda: analyse(plan, text))
        print(f"lint_file (baseline): {lint_s * 1000:.0f} ms wall, {lint_cpu * 1000:.0f} ms CPU; "
              f"analyse: {analyse_s * 1000:.0f} ms wall, {analyse_cpu * 1000:.0f} ms CPU "
              f"({analyse_cpu / lint_cpu:.2f}x in CPU); best of {args.repeat}")
        latencies = sorted(asyncio.run(session(plan, args.changes, args.pause)))
    p90 = latencies[int(len(latencies) * 0.9) - 1]
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"change -> findings over stdio, {len(latencies)} changes: median {statistics.median(latencies) * 1000:.0f} ms, "
          f"90th percentile {p90 * 1000:.0f} ms, worst {latencies[-1] * 1000:.0f} ms (goal 300 ms)")


if __name__ == "__main__":
    main()
