#!/usr/bin/env bash
# Stage arch-sse2: the whole test suite built with g++ -march=x86-64 (SSE2 only, xsimd's
# sse2 batches) and run.
source "$(dirname "$0")/lib.sh"
arch_stage arch-sse2 -march=x86-64 xmm sse2
