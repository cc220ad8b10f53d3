#!/usr/bin/env python3
"""Merges the JSON of several processes of one Google Benchmark binary into one file.

    bench_merge.py OUT.json PROCESS1.json PROCESS2.json ...

Each row (run_name) is taken whole, its median and its other aggregates, from the process
whose median time for that row is the median across the processes (the lower middle one for an
even count), so that times, bytes/s and coefficients of variation stay those of one measured
process. The context is the first process's, with the number of processes added. Used by
scripts/bench.sh for every binary but bench_threads (see ACTIV_BENCH_PROCESSES there).
"""
import json
import sys


def main():
    out, paths = sys.argv[1], sys.argv[2:]
    runs = [json.load(open(p)) for p in paths]
    rows = {}  # run_name -> [(median time, process index)]
    for k, data in enumerate(runs):
        for b in data.get("benchmarks", []):
            if b.get("aggregate_name") == "median":
                rows.setdefault(b["run_name"], []).append((b["real_time"], k))
    chosen = {name: sorted(times)[(len(times) - 1) // 2][1] for name, times in rows.items()}
    merged = dict(runs[0])
    merged["context"] = dict(runs[0].get("context", {}), processes=str(len(runs)))
    benchmarks = []
    for k, data in enumerate(runs):
        benchmarks += [b for b in data.get("benchmarks", []) if chosen.get(b["run_name"]) == k]
    merged["benchmarks"] = benchmarks
    with open(out, "w") as f:
        json.dump(merged, f, indent=1)


if __name__ == "__main__":
    main()
