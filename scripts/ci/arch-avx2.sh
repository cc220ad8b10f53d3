#!/usr/bin/env bash
# Stage arch-avx2: the whole test suite built with g++ -march=haswell (AVX2 + FMA, xsimd's
# fma3<avx2> batches) and run when this CPU has them.
source "$(dirname "$0")/lib.sh"
arch_stage arch-avx2 -march=haswell ymm avx2 fma bmi1 bmi2 f16c movbe
