#!/usr/bin/env bash
# Same-process A/B of two versions of include/: both compiled into one benchmark binary (the
# namespace renamed per side), run with random interleaving, minima and medians side by side.
# On this shared machine separate runs of one binary drift by 20-40 %; within one process the
# two sides see the same drift, so a few per cent become visible.
#
#   scripts/ab/ab.sh elementwise 8d82c04          A = 8d82c04, B = the worktree
#   scripts/ab/ab.sh prelu 8d82c04 HEAD           A = 8d82c04, B = HEAD
#   scripts/ab/ab.sh prelu HEAD DIR               B = the include/ tree under DIR (an experiment)
#
# Environment: AB_FILTER (a --benchmark_filter), AB_REPS (default 10).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
suite=${1:?usage: ab.sh elementwise|prelu|maxout|maps|threads|layout REV_A [REV_B|DIR]}
rev_a=${2:?usage: ab.sh elementwise|prelu|maxout|maps|threads|layout REV_A [REV_B|DIR]}
side_b=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tree() {  # tree REV|DIR OUT: OUT/activ/... from a git revision or a directory holding activ/
  mkdir -p "$2"
  if [ -d "$1/activ" ]; then
    cp -r "$1/activ" "$2/"
  elif [ -d "$1/include/activ" ]; then
    cp -r "$1/include/activ" "$2/"
  else
    git -C "$root" archive "$1" include | tar -x -C "$2" --strip-components=1
  fi
}
tree "$rev_a" "$work/a"
tree "${side_b:-$root}" "$work/b"

flags="-O3 -march=native -std=c++17 -DNDEBUG -isystem /usr/include/eigen3"
g++ $flags -DVNS=activ_a -I"$work/a" -c "$root/scripts/ab/$suite.cpp" -o "$work/a.o" &
g++ $flags -DVNS=activ_b -I"$work/b" -c "$root/scripts/ab/$suite.cpp" -o "$work/b.o" &
wait
g++ "$work/a.o" "$work/b.o" -o "$work/ab" -lbenchmark_main -lbenchmark -lpthread
"$work/ab" --benchmark_filter="${AB_FILTER:-.}" --benchmark_repetitions="${AB_REPS:-10}" \
  --benchmark_enable_random_interleaving=true --benchmark_min_time=0.02 \
  --benchmark_out="$work/ab.json" --benchmark_out_format=json >/dev/null
echo "A = $rev_a, B = ${side_b:-the worktree ($root/include)}"
python3 "$root/scripts/ab/compare.py" "$work/ab.json"
