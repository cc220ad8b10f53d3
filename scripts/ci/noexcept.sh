#!/usr/bin/env bash
# Stage noexcept: builds with -fno-exceptions (clang++): every header on its own, and the
# ACTIV_THROW hook tests (tests/core/throw_hook.cpp: a custom hook gets the exception's exact
# message before anything is written; the default hook prints it and aborts). The Catch2
# tests need exceptions and are not built here.
source "$(dirname "$0")/lib.sh"
stage_begin noexcept
configure -DCMAKE_CXX_COMPILER="${ACTIV_CI_CLANG:-clang++}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS=-fno-exceptions -DACTIV_INSTALL=OFF -DACTIV_TEST_HEADERS=ON
build --target activ_header_check test_throw_hook_custom test_throw_hook_default
run_tests -R '^throw_hook:'
headers=$(find "$STAGE_DIR/tests/headers" -maxdepth 1 -name '*.cpp' | wc -l)
stage_end "$TESTS_RUN tests; $headers headers compiled alone; clang++ -fno-exceptions"
