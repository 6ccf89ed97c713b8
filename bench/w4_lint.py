"""W4: lint 1,000 generated plans, proofs included, against compiling them as the baseline.

    python bench/w4_lint.py [--count 1000] [--seed 4] [--repeat 3]

The plans are generated deterministically (for a seed): 2–4 KPIs over 6–8 metrics drawn from a
pool of result, activity and quality metrics, weights that sum to 100%, a multiplier table,
pays. About a third carry a fault the proofs must find with a witness (an activity KPI heavy
enough to reach 100% without sales, money per call, an uncapped KPI), so the timing includes
the witness searches, not only the cheap proofs.

Three timings, each the best of `--repeat` runs in this same process: compiling every plan
(the baseline), linting every plan one after another, and `lint_paths` as `kpilang lint DIR`
runs it (in parallel processes when there are many files). The first two are measured in CPU
time of this process as well as wall time, so that other load on the machine does not blur the
ratio; the parallel run can only be measured in wall time. Reported as seconds and as ratios to
the baseline, so the figures compare across machines.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from kpilang.compile import compile_file  # noqa: E402
from kpilang.lint import lint_file, lint_paths  # noqa: E402

METRICS = {
    "calls": ('count(activities where type = "call" and duration >= 1m)', "activity"),
    "meetings": ('count(activities where type = "meeting" and status = "done")', "activity"),
    "emails": ('count(activities where type = "email")', "activity"),
    "tasks_done": ('count(activities where type = "task" and status = "done")', "activity"),
    "deals_won": ('count(deals where stage = "won")', "result"),
    "revenue": ('sum(deals.amount where stage = "won")', "result"),
    "new_clients": ('count(deals where stage = "won" and is_new_client)', "result"),
    "avg_deal": ('avg(deals.amount where stage = "won") otherwise 0', "quality"),
    "answered": ('share(leads where first_response_at != created_at) otherwise 0', "quality"),
    "leads_in": ("count(leads)", "activity"),
}
RESULT_KPIS = [("revenue_plan", "revenue", "targets.revenue"), ("won_kpi", "deals_won", "5"),
               ("new_clients_kpi", "new_clients", "4")]
OTHER_KPIS = [("meeting_rate", "meetings / calls otherwise 0", "8%"), ("calls_kpi", "calls", "800"),
              ("tasks_kpi", "tasks_done", "60"), ("deal_size", "avg_deal", "100000"),
              ("answer_kpi", "answered", "90%")]


def generate(rng: random.Random, index: int) -> str:
    faulty = rng.random() < 0.33
    n_kpis = rng.randint(2, 4)
    n_results = 1 if faulty else rng.randint(1, min(2, n_kpis - 1)) if n_kpis > 2 else 1
    kpis = rng.sample(RESULT_KPIS, n_results) + rng.sample(OTHER_KPIS, n_kpis - n_results)
    needed = {k[1].split()[0] for k in kpis} | ({"calls"} if any("calls" in k[1] for k in kpis) else set())
    metrics = list(dict.fromkeys([m for m in METRICS if m in needed or any(m in k[1] for k in kpis)]))
    for extra in rng.sample(list(METRICS), len(METRICS)):
        if len(metrics) >= rng.randint(6, 8):
            break
        if extra not in metrics:
            metrics.append(extra)
    weights = _weights(rng, n_kpis, heavy_activity=faulty)
    lines = [
        f'plan bench_{index} "План {index}" {{',
        "    role cold  period month  effective 2026-07-01  currency RUB  strategy growth",
        '    goal "Новые клиенты"',
        "}",
    ]
    for name in metrics:
        expr, kind = METRICS[name]
        lines.append(f'metric {name} "{name}" = {expr}\n    kind {kind}')
    for (name, expr, target), weight in zip(kpis, weights):
        cap = "" if faulty and rng.random() < 0.3 else "\n    cap 150%"
        lines.append(f'kpi {name} "{name}" = {expr}\n    target {target}\n    weight {weight}%{cap}')
    lines.append('table multiplier "Мультипликатор" {\n    below 70% : 0\n    70% to 100% : 1\n    from 100% : 1.2\n}')
    lines.append('pay bonus "Премия" = salary * multiplier(kpi_score)\n    cap 2 * salary')
    lines.append('pay commission "Процент" = 2% * revenue' if "revenue" in metrics else 'pay commission "Процент" = 0 * salary')
    if faulty and "calls" in metrics and rng.random() < 0.5:
        lines.append('pay per_call "За звонки" = 20 * calls')
    lines.append('pay total "Итого" = salary + bonus + commission')
    return "\n".join(lines) + "\n"


def _weights(rng: random.Random, n: int, heavy_activity: bool) -> list[int]:
    if heavy_activity:  # the result KPI comes first: give the activity KPIs most of the weight
        first = rng.choice([10, 20])
    else:
        first = rng.choice([40, 50, 60, 70])
    rest = 100 - first
    cuts = sorted(rng.sample(range(1, rest // 5), n - 2)) if n > 2 else []
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, rest // 5])]
    return [first, *(p * 5 for p in parts)]


def best_of(repeat: int, work) -> tuple[float, float]:
    """(wall, cpu) seconds of the fastest of `repeat` runs."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = []
        for i in range(args.count):
            path = folder / f"plan_{i:04d}.kpi"
            path.write_text(generate(rng, i), encoding="utf-8")
            files.append(path)
        compile_file(files[0])  # build the parser once, outside the timings
        results = [lint_file(p) for p in files]
        broken = [r for r in results if r.program is None]
        if broken:
            raise SystemExit(f"{len(broken)} generated plans do not compile, e.g. {broken[0].diagnostics[0].message}")
        flagged = sum(any(d.code == "KPL004" for d in r.diagnostics) for r in results)
        witnesses = sum(1 for r in results for d in r.diagnostics if d.witness)
        baseline = best_of(args.repeat, lambda: [compile_file(p) for p in files])
        sequential = best_of(args.repeat, lambda: [lint_file(p) for p in files])
        parallel = best_of(args.repeat, lambda: lint_paths(files))
    print(f"plans: {args.count} (seed {args.seed}), {flagged} met without sales, {witnesses} findings with a witness")
    print(f"cpus: {os.cpu_count()}, load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"{'':34}{'wall s':>8}{'cpu s':>8}{'ratio':>8}")
    print(f"{'compile only (baseline)':34}{baseline[0]:8.2f}{baseline[1]:8.2f}{1:8.2f}x")
    print(f"{'lint, one process':34}{sequential[0]:8.2f}{sequential[1]:8.2f}{sequential[1] / baseline[1]:8.2f}x (cpu)")
    print(f"{'lint_paths (as `kpilang lint`)':34}{parallel[0]:8.2f}{'':>8}{parallel[0] / baseline[0]:8.2f}x (wall)")
    print(f"checks alone, per plan: {(sequential[1] - baseline[1]) / args.count * 1000:.2f} ms cpu")

if __name__ == "__main__":
    main()
