"""W1 at several sizes: is kpilang's cost linear in the rows (and in the people)?

    python bench/w1_scaling.py [--scales 0.01 0.1 1] [--explain-scales 0.01 0.1 1]

For each scale, the W1 data (`bench/generate_w1.py`, generated into `bench/out/w1-SCALE` when
absent) is evaluated by `kpilang eval` of the normative cold-sales plan for 2026-07 with an
empty cache of checked tables (cold) and again (warm), each in a child process; for each of
`--explain-scales`, `kpilang explain --format html --out DIR` then writes every person's statement
(the tables from the cache, so the time is the statements'). Every run is timed in CPU seconds
(user + system, all threads; on a shared machine they move much less with the load than wall
seconds), with the load average beside it, and divided by the rows read and by the people, so
that a cost linear in the rows shows as a constant per million rows.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from w1_end_to_end import PERIOD, PLAN, ROOT, compile_bytecode, measure  # noqa: E402


def data_for(scale: str) -> Path:
    data = ROOT / "bench" / "out" / f"w1-{scale}"
    if not (data / "managers.csv").exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate_w1.py"), "--out", str(data),
                        "--scale", scale], check=True)
    return data


def rows_of(data: Path) -> int:
    total = 0
    for path in data.glob("*.csv"):
        with path.open("rb") as handle:
            total += sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1
    return total


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", nargs="+", default=["0.01", "0.1", "1"])
    parser.add_argument("--explain-scales", nargs="*", default=["0.01", "0.1", "1"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        env = {**os.environ, "KPILANG_CACHE_DIR": str(cache)}
        compile_bytecode(env)
        print(f"{'run':34s} {'scale':>6s} {'rows':>11s} {'people':>7s} {'CPU s':>8s} "
              f"{'CPU s / M rows':>15s} {'ms / person':>12s}   load average")
        for scale in dict.fromkeys([*args.scales, *args.explain_scales]):
            data = data_for(scale)
            rows = rows_of(data)
            people = sum(1 for _ in (data / "managers.csv").open(encoding="utf-8")) - 1
            shutil.rmtree(cache, ignore_errors=True)
            runs = []
            evaluate = [sys.executable, "-m", "kpilang", "eval", str(PLAN), "--data", str(data), "--period", PERIOD,
                        "--format", "json", "--out", str(Path(tmp) / "out.json")]
            if scale in args.scales:
                runs += [("eval, cold", evaluate), ("eval, warm", evaluate)]
            if scale in args.explain_scales:
                out = Path(tmp) / f"statements-{scale}"
                if scale not in args.scales:
                    measure(evaluate, env)  # fills the cache
                runs.append(("explain --format html, warm", [
                    sys.executable, "-m", "kpilang", "explain", str(PLAN), "--data", str(data), "--period", PERIOD,
                    "--format", "html", "--out", str(out)]))
            for name, cmd in runs:
                _, _, _, cpu = measure(cmd, env)
                print(f"{name:34s} {scale:>6s} {rows:>11,} {people:>7,} {cpu:8.2f} {cpu / rows * 1e6:15.2f} "
                      f"{cpu / people * 1e3:12.2f}   {load()}", flush=True)


if __name__ == "__main__":
    main()
