#!/usr/bin/env bash
# Regenerates docs/img/{relu,leaky_relu,elu,sigmoid,tanh,sigmoid_tanh_relu}.svg from a build
# of examples/plot_activations (default build dir: build).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${ACTIV_BUILD_DIR:-build}
cmake --build "$build" --target plot_activations
tmp=$(mktemp -d)
"$build/examples/plot_activations" "$tmp"
mkdir -p docs/img
gnuplot -e "dir='$tmp'; out='docs/img'" examples/plot_activations.gp
rm -r "$tmp"
ls docs/img/*.svg
