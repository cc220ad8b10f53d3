#!/usr/bin/env bash
# Stage package: ctest's package:* tests: cmake --install into a fresh prefix, a
# find_package(activ CONFIG REQUIRED) consumer, a pkg-config consumer and an add_subdirectory
# consumer, each built and run. (Every header on its own is the noexcept stage's job: one
# compile of the 29 headers is enough for the 30-minute budget.)
source "$(dirname "$0")/lib.sh"
stage_begin package
configure -DCMAKE_CXX_COMPILER="${ACTIV_CI_CXX:-g++}" -DCMAKE_BUILD_TYPE=Release -DACTIV_INSTALL=ON \
  -DACTIV_TEST_PACKAGE=ON
run_tests -R '^package:'
stage_end "$TESTS_RUN tests: install, find_package, pkg-config, add_subdirectory"
