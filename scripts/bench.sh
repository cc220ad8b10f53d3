#!/usr/bin/env bash
# Builds the benchmarks (Release, in their own build directory), runs every one of them with
# repetitions and writes docs/benchmarks.md and docs/img/bench-*.svg from the medians
# (scripts/bench_report.py, gnuplot).
#
#   scripts/bench.sh            build, run, write the report
#   scripts/bench.sh report     write the report again from the last run's JSON
#   scripts/bench.sh rerun bench_threads
#                               run one binary again (after a change that only it measures),
#                               keep the others' JSON, note the re-run's commit on the page
#
# Environment:
#   ACTIV_BENCH_DIR       build directory (default: build-bench)
#   ACTIV_BENCH_REPS      repetitions per benchmark and process (default: 5; bench_elementwise 3)
#   ACTIV_BENCH_MIN_TIME  seconds per repetition (default: 0.2)
#   ACTIV_BENCH_FILTER    a --benchmark_filter regex for a partial run (default: everything)
#   ACTIV_BENCH_PROCESSES processes per binary but bench_threads, each row from its median one
#                         (default: 3)
#   ACTIV_JOBS            build jobs (default: 2)
set -euo pipefail
cd "$(dirname "$0")/.."

build=${ACTIV_BENCH_DIR:-build-bench}
results=$build/bench-results
mode=${1:-run}

# Every binary but bench_threads runs in this many processes (ACTIV_BENCH_PROCESSES, default 3),
# every row reported from its median process: between two processes of one binary the 4 Ki rows
# move by more than the bars' margins (a plain copy of 4 Ki floats drew 139 to 200 ns in six
# processes of one probe on the Zen 4 of 2026-12-08; docs/prelu.md), which one process per
# binary left to a single draw. bench_elementwise, about 15 minutes a process at 5 repetitions,
# takes 3 a process (about 9 samples a row in all); bench_threads (8 minutes, wall time with a
# thread pool) runs once.
once_binaries=" bench_threads "

# One process of a benchmark binary with this script's repetitions, into OUT.
run_process() {
  local reps=5
  [ "$1" = bench_elementwise ] && reps=3
  "$build/bench/$1" \
    --benchmark_repetitions="${ACTIV_BENCH_REPS:-$reps}" \
    --benchmark_min_time="${ACTIV_BENCH_MIN_TIME:-0.2}" \
    --benchmark_enable_random_interleaving=true \
    --benchmark_report_aggregates_only=true \
    --benchmark_filter="${2:-.}" \
    --benchmark_format=json --benchmark_out_format=json \
    --benchmark_out="$3" >/dev/null
}

# One benchmark binary into $results/TARGET.json: one process (bench_threads), or the median
# process of each row (scripts/bench_merge.py).
run_binary() {
  local processes=${ACTIV_BENCH_PROCESSES:-3}
  [[ $once_binaries == *" $1 "* ]] && processes=1
  if [ "$processes" -le 1 ]; then
    run_process "$1" "${2:-.}" "$results/$1.json"
    return
  fi
  local parts=()
  for ((p = 1; p <= processes; p++)); do
    run_process "$1" "${2:-.}" "$results/$1.process$p.json.part"
    parts+=("$results/$1.process$p.json.part")
  done
  python3 scripts/bench_merge.py "$results/$1.json" "${parts[@]}"
  rm -f "${parts[@]}"
}

# The commit measured, marked when include/ or bench/ differ from it.
commit_measured() {
  echo "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- include bench || echo ' (with uncommitted changes)')"
}

if [ "$mode" = run ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  # Every benchmark target there is: this file's own and the other topics' (PReLU/Maxout,
  # initializers) when they exist in this checkout.
  mapfile -t targets < <(cmake --build "$build" --target help | sed -n 's/^\.\.\. \(bench_[a-z_0-9]*\).*/\1/p')
  cmake --build "$build" -j "${ACTIV_JOBS:-2}" --target "${targets[@]}"
  mkdir -p "$results"
  rm -f "$results"/*.json

  {
    echo "{"
    echo "  \"model\": \"$(lscpu | sed -n 's/^Model name: *//p')\","
    echo "  \"cpus\": \"$(nproc)\","
    echo "  \"flags\": \"$(lscpu | sed -n 's/^Flags: *//p' | tr ' ' '\n' | grep -E '^(sse4_2|avx|avx2|fma|avx512f)$' | tr '\n' ' ' | sed 's/ $//')\","
    echo "  \"compiler\": \"$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt" | xargs -r -I{} sh -c '{} --version | head -1')\","
    echo "  \"cxx_flags\": \"$(sed -n 's/^CMAKE_CXX_FLAGS_RELEASE:[A-Z]*=//p' "$build/CMakeCache.txt") -march=native\","
    echo "  \"commit\": \"$(commit_measured)\","
    echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\","
    echo "  \"load_before\": \"$(cut -d' ' -f1-3 /proc/loadavg)\","
  } > "$results/machine.json.part"

  for target in "${targets[@]}"; do
    echo "== $target" >&2
    run_binary "$target" "${ACTIV_BENCH_FILTER:-.}"
  done

  {
    cat "$results/machine.json.part"
    echo "  \"load_after\": \"$(cut -d' ' -f1-3 /proc/loadavg)\""
    echo "}"
  } > "$results/machine.json"
  rm -f "$results/machine.json.part"
elif [ "$mode" = rerun ]; then
  target=${2:?usage: $0 rerun bench_NAME}
  [ -f "$results/machine.json" ] || { echo "no previous run in $results" >&2; exit 2; }
  cmake --build "$build" -j "${ACTIV_JOBS:-2}" --target "$target"
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  run_binary "$target"
  note="$target re-run at commit $(commit_measured), $(date -u +%Y-%m-%dT%H:%MZ), load $load_before before and $(cut -d' ' -f1-3 /proc/loadavg) after"
  python3 - "$results/machine.json" "$note" <<'PY'
import json, sys
path, note = sys.argv[1], sys.argv[2]
m = json.load(open(path))
m["reruns"] = [r for r in m.get("reruns", []) if not r.startswith(note.split(" ")[0] + " ")] + [note]
json.dump(m, open(path, "w"), indent=2)
PY
elif [ "$mode" != report ]; then
  echo "usage: $0 [run|report|rerun bench_NAME]" >&2
  exit 2
fi

python3 scripts/bench_report.py "$results" docs/benchmarks.md docs/img
