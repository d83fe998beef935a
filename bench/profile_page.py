"""Where one benchmarked page spends its time: each SQL query with its duration (and
EXPLAIN ANALYZE of the slowest), then the Python functions by cumulative time.

    .venv/bin/python bench/profile_page.py "Officer home"
    .venv/bin/python bench/profile_page.py "Officer home" --explain 3 --functions 40

Runs against the benchmark's database (see bench/run.py), which must be seeded.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("page", help="the start of a page's name in the results table")
    parser.add_argument("--explain", type=int, default=2, help="EXPLAIN the N slowest queries")
    parser.add_argument("--functions", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--sort", default="cumulative", help="cumulative or tottime")
    options = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    world = run.find_world()
    matches = [(r, u) for r, u in run.page_list(world) if r.name.startswith(options.page)]
    if not matches:
        raise SystemExit(f"No page called {options.page!r}")
    result, user = matches[0]
    client = Client()
    client.force_login(user)
    for _ in range(3):
        client.get(result.url)
    times = []
    for _ in range(options.rounds):
        started = time.perf_counter()
        client.get(result.url)
        times.append((time.perf_counter() - started) * 1000)
    print(f"{result.name} {result.url}: median {statistics.median(times):.1f} ms")

    with CaptureQueriesContext(connection) as captured:
        client.get(result.url)
    queries = captured.captured_queries
    total = sum(float(q["time"]) for q in queries) * 1000
    print(f"{len(queries)} queries, {total:.1f} ms in SQL (as the client saw it)")
    for q in queries:
        print(f"  {float(q['time']) * 1000:7.2f} ms  {q['sql'][:220]}")
    for q in sorted(queries, key=lambda q: -float(q["time"]))[: options.explain]:
        print("\nEXPLAIN ANALYZE of", q["sql"][:160])
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            for (line,) in cursor.fetchall():
                print("   ", line)

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(result.url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(options.sort).print_stats(options.functions)
    print(out.getvalue())


if __name__ == "__main__":
    main()
