#!/usr/bin/env bash
# Stage clang: the whole test suite built with clang++ (Debian's clang 14), Release, the
# project's default -march=native, and run.
source "$(dirname "$0")/lib.sh"
stage_begin clang
configure -DCMAKE_CXX_COMPILER="${ACTIV_CI_CLANG:-clang++}" -DCMAKE_BUILD_TYPE=Release -DACTIV_INSTALL=OFF
build
run_tests
save_accuracy
stage_end "$TESTS_RUN tests, $("${ACTIV_CI_CLANG:-clang++}" --version | head -n1), -march=native"
