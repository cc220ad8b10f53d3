#!/usr/bin/env bash
# Runs examples/deep_mlp in full (every configuration, 300 epochs) and redraws its charts in
# docs/img; the printed numbers are what docs/experiments.md quotes (saved beside it as
# docs/experiments-output.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${ACTIV_BUILD_DIR:-build}
cmake --build "$build" --target deep_mlp
tmp=$(mktemp -d)
"$build/examples/deep_mlp" "$tmp" | tee docs/experiments-output.txt
mkdir -p docs/img
gnuplot -e "dir='$tmp'; out='docs/img'" examples/deep_mlp.gp
cp "$tmp"/deep_mlp_loss.csv "$tmp"/deep_mlp_gradients.csv docs/img/
rm -r "$tmp"
