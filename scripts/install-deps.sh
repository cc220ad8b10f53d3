#!/usr/bin/env bash
# Installs the Debian 12 packages activ's build, tests, examples and benchmarks use, if any
# is missing. Nothing is downloaded from anywhere but Debian's archive.
set -euo pipefail

packages=(
  cmake make g++                      # the build
  libeigen3-dev libxsimd-dev xtl-dev  # activ's dependencies (xsimd's CMake target names xtl)
  catch2                              # tests
  libbenchmark-dev libdnnl-dev        # benchmarks and their oneDNN baseline
  ocl-icd-opencl-dev                  # oneDNN's CMake config requires OpenCL (a Recommends of libdnnl-dev)
  clang libc++-dev libc++abi-dev      # the libstdc++-vs-libc++ initializer test, clang builds
  gnuplot-nox                         # benchmark and example charts
  libclang-rt-14-dev pkg-config       # scripts/ci: sanitizers and libFuzzer with clang, the .pc test
  doxygen                             # the API reference (docs/Doxyfile), checked by ctest
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "activ: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
