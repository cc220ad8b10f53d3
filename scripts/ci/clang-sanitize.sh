#!/usr/bin/env bash
# Stage clang-sanitize: the whole test suite built with clang++ (Debian's clang 14, the second
# compiler besides g++) under AddressSanitizer (with LeakSanitizer) and UndefinedBehaviorSanitizer
# (plus float-cast-overflow), -O1 with the project's -march=native and without NDEBUG, so that
# Eigen's own assertions are on too; any report fails the test. -O1 and no corpus replay here
# (the fuzz stage runs every corpus input under the same sanitizers before it fuzzes): at -O2
# with the replay this stage alone took 11 of .ci/run's 30 minutes on 2 cores. One build for
# "a second compiler" and "sanitizers" is what keeps .ci/run within that budget;
# scripts/ci/clang.sh (clang++ Release, no sanitizers) and scripts/ci/sanitize.sh (g++ under the
# same sanitizers) are the two halves on their own.
source "$(dirname "$0")/lib.sh"
stage_begin clang-sanitize
clang=${ACTIV_CI_CLANG:-clang++}
sanitizers="-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all"
configure -DCMAKE_CXX_COMPILER="$clang" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" \
  -DCMAKE_CXX_FLAGS="$sanitizers -fno-omit-frame-pointer" -DCMAKE_EXE_LINKER_FLAGS="$sanitizers" \
  -DACTIV_INSTALL=OFF
build
export ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1:strict_init_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_tests
save_accuracy
stage_end "$TESTS_RUN tests, $("$clang" --version | head -n1), ASan+LSan+UBSan -O1 -march=native, Eigen assertions on"
