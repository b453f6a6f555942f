"""Before and after, interleaved: one benchmark run in two checkouts in turn (A B A B A B), so
that a machine's drift falls on both sides alike.

Each run's figure is the process CPU-seconds it cost (the benchmark and everything it started,
servers included: they are its children and are waited for), except for the room benchmark,
whose figure is its server's CPU-milliseconds per answered poll, read from the table it prints.
Prints every run, then the median and spread (max - min) of each side, and whether the after
side is within max(5 %, the before side's spread) of the before median: "no regression".

Run: python benchmarks/interleave.py --before ../old-checkout [--after .] [--rounds 3] \\
         -- benchmarks/room_load.py --scenario flow300 --seconds 45
"""
from __future__ import annotations

import argparse
import re
import resource
import statistics
import subprocess
import sys
from pathlib import Path

CPU = re.compile(r"server CPU, % of one core \| ([\d.]+)")
ANSWERED = re.compile(r"polls answered / asked per s \| phones ([\d.]+) / [\d.]+ \| "
                      r"projector ([\d.]+) /")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def figure(output: str, cpu_seconds: float) -> tuple[float, str]:
    """CPU-ms per answered poll for the room benchmark, else the run's CPU-seconds."""
    cpu, answered = CPU.search(output), ANSWERED.search(output)
    if cpu and answered:
        polls = float(answered.group(1)) + float(answered.group(2))
        return 10 * float(cpu.group(1)) / polls, "server CPU-ms per answered poll"
    return cpu_seconds, "process CPU-s"


def run(tree: Path, command: list[str]) -> tuple[float, str]:
    before = _children_cpu()
    done = subprocess.run([sys.executable, *command], cwd=tree, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{tree}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return figure(done.stdout, _children_cpu() - before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the checkout before")
    parser.add_argument("--after", type=Path, default=Path("."), help="the checkout after")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- benchmark and its args")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    sides: dict[str, list[float]] = {"before": [], "after": []}
    unit = ""
    for round_ in range(1, args.rounds + 1):
        for side, tree in (("before", args.before), ("after", args.after)):
            value, unit = run(tree.resolve(), command)
            sides[side].append(value)
            print(f"round {round_} {side:<6} {value:8.3f} {unit}", flush=True)
    medians = {side: statistics.median(values) for side, values in sides.items()}
    spreads = {side: max(values) - min(values) for side, values in sides.items()}
    for side in sides:
        print(f"{side:<6} median {medians[side]:8.3f}  spread {spreads[side]:7.3f}  ({unit})")
    allowed = max(0.05 * medians["before"], spreads["before"])
    change = medians["after"] - medians["before"]
    verdict = "no regression" if change <= allowed else "REGRESSION"
    print(f"after - before = {change:+.3f} ({100 * change / medians['before']:+.1f} %); "
          f"allowed +{allowed:.3f} (max of 5 % and the before spread): {verdict}")


if __name__ == "__main__":
    main()
