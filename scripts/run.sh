#!/usr/bin/env bash
# The README's quick start. On Debian 12, as root (or with sudo available):
#   scripts/run.sh demo   install what is missing, configure, build, run examples/quickstart
#   scripts/run.sh test   install what is missing, configure, build, run every test with ctest
# Build directory: $ACTIV_BUILD_DIR (default: build). Jobs: $ACTIV_JOBS (default: nproc).
set -euo pipefail

usage() { echo "usage: $0 demo|test" >&2; exit 2; }
[ $# -eq 1 ] || usage
mode=$1
case "$mode" in demo|test) ;; *) usage ;; esac

cd "$(dirname "$0")/.."
"$(pwd)/scripts/install-deps.sh"

build=${ACTIV_BUILD_DIR:-build}
jobs=${ACTIV_JOBS:-$(nproc)}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release
if [ "$mode" = demo ]; then
  cmake --build "$build" -j "$jobs" --target quickstart
  "$build/examples/quickstart"
else
  cmake --build "$build" -j "$jobs"
  ctest --test-dir "$build" --output-on-failure -j "$jobs"
fi
