#!/usr/bin/env bash
# Stage package: every header compiled on its own (g++), then ctest's package:* tests:
# cmake --install into a fresh prefix, a find_package(activ CONFIG REQUIRED) consumer, a
# pkg-config consumer and an add_subdirectory consumer, each built and run.
source "$(dirname "$0")/lib.sh"
stage_begin package
configure -DCMAKE_CXX_COMPILER="${ACTIV_CI_CXX:-g++}" -DCMAKE_BUILD_TYPE=Release -DACTIV_INSTALL=ON \
  -DACTIV_TEST_HEADERS=ON -DACTIV_TEST_PACKAGE=ON
build --target activ_header_check
run_tests -R '^package:'
headers=$(find "$STAGE_DIR/tests/headers" -maxdepth 1 -name '*.cpp' | wc -l)
stage_end "$TESTS_RUN tests: install, find_package, pkg-config, add_subdirectory; $headers headers compiled alone with g++"
