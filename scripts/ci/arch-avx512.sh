#!/usr/bin/env bash
# Stage arch-avx512: the whole test suite built with g++ -march=skylake-avx512 (xsimd's
# avx512bw batches) and run when this CPU has AVX-512; without it the suite is built only,
# and the summary line says so.
# GCC 12.2 warns inside its own avx512fintrin.h (-Wmaybe-uninitialized on the self-initialised
# "__m512 __Y = __Y" operand of intrinsics as plain as _mm512_max_ps, GCC bug 105593): activ's
# headers silence it for their own code (ACTIV_DIAGNOSTICS_PUSH, include/activ/config.hpp) and
# CMakeLists.txt turns it off for the tests' Eigen code when the target has AVX-512, so the
# stage builds with -Werror like the others.
source "$(dirname "$0")/lib.sh"
arch_stage arch-avx512 "-march=skylake-avx512" zmm \
  avx512f avx512cd avx512bw avx512dq avx512vl avx2 fma
