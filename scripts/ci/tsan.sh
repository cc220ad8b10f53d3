#!/usr/bin/env bash
# Stage tsan: the thread-pool tests (tests/core/parallel.cpp) built with clang++ under
# ThreadSanitizer, -O1: the overloads of core/parallel.hpp share a chunk counter and a finished
# count between the calling thread and the pool's (run_chunks), and queued tasks may outlive the
# call; a data race or a use after the call has returned is reported, and any report fails the
# test. Only that program: the rest of the suite is single-threaded (clang-sanitize covers it).
source "$(dirname "$0")/lib.sh"
stage_begin tsan
clang=${ACTIV_CI_CLANG:-clang++}
configure -DCMAKE_CXX_COMPILER="$clang" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" \
  -DCMAKE_CXX_FLAGS="-fsanitize=thread" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" -DACTIV_INSTALL=OFF
build --target test_parallel
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
run_tests -R '^test_parallel:'
stage_end "$TESTS_RUN tests, $("$clang" --version | head -n1), ThreadSanitizer -O1 -march=native"
