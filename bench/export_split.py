"""Where the payments export's time goes, inside real requests: the export and the floor
page requested in turn, with the time of each step of the view (reading the payments
due, reading the payments made, writing the workbook), then the same again with the
workbook not written at all, to show what the two reads alone cost against the floor.

    .venv/bin/python bench/export_split.py [--rounds 100]

Runs against the benchmark's database (see bench/run.py), which must be seeded.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run

# The view's steps: the officer's sheet (requests.exports), the ledger's sheet and its
# writer (budgets.exports).
STEPS = (
    ("requests.exports", "payments_due"),
    ("budgets.exports", "payments_made"),
    ("budgets.exports", "to_xlsx"),
)


def timed(name: str, function: Callable, times: dict[str, list[float]]) -> Callable:
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        times[name].append((time.perf_counter() - started) * 1000)
        return result

    return wrapper


def measure(pages, clients, rounds: int) -> dict[str, float]:
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(rounds):
        for result, _ in pages:
            started = time.perf_counter()
            response = clients[result.name].get(result.url)
            times[result.name].append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{result.name} answered {response.status_code}")
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=100)
    options = parser.parse_args()

    import django

    django.setup()
    from django.test import Client

    world = run.find_world()
    pages = [
        (result, user)
        for result, user in run.page_list(world)
        if result.name.startswith(("Floor", "Payments export"))
    ]
    floor_name, export_name = (result.name for result, _ in pages)
    clients = {}
    for result, user in pages:
        clients[result.name] = Client()
        clients[result.name].force_login(user)
        for _ in range(5):
            clients[result.name].get(result.url)

    steps: dict[str, list[float]] = defaultdict(list)
    modules = {module: importlib.import_module(module) for module, _ in STEPS}
    originals = {(module, name): getattr(modules[module], name) for module, name in STEPS}
    for (module, name), function in originals.items():
        setattr(modules[module], name, timed(name, function, steps))
    whole = measure(pages, clients, options.rounds)
    # The reads alone: no workbook written.
    modules["budgets.exports"].to_xlsx = lambda sheets: b""
    reads_only = measure(pages, clients, options.rounds)
    for (module, name), function in originals.items():
        setattr(modules[module], name, function)

    floor = whole[floor_name]
    print(f"Floor (median of {options.rounds}): {floor:.1f} ms; 3x the floor: {3 * floor:.1f} ms")
    print(f"{export_name}: {whole[export_name]:.1f} ms ({whole[export_name] / floor:.2f}x)")
    for _, name in STEPS:
        print(f"  of which {name}: {statistics.median(steps[name][: options.rounds]):.1f} ms")
    floor = reads_only[floor_name]
    print(
        f"The same with no workbook written (the two reads and the request alone): "
        f"{reads_only[export_name]:.1f} ms against a floor of {floor:.1f} "
        f"({reads_only[export_name] / floor:.2f}x)"
    )


if __name__ == "__main__":
    main()
