#!/usr/bin/env bash
# Stage sanitize: the whole test suite and the fuzz corpus replay built with g++ under
# AddressSanitizer (with LeakSanitizer) and UndefinedBehaviorSanitizer (plus float-cast-overflow),
# -O1 without NDEBUG so that Eigen's own assertions are on too; any report fails the test.
# -Wno-maybe-uninitialized: under ASan at -O1, GCC 12 reports libstdc++'s own std::function
# inside std::regex (Catch2's matchers) as maybe-uninitialized, a false positive that -Werror
# would turn into a failed build; warnings are not what this stage checks.
source "$(dirname "$0")/lib.sh"
stage_begin sanitize
sanitizers="-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all"
configure -DCMAKE_CXX_COMPILER="${ACTIV_CI_CXX:-g++}" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" \
  -DCMAKE_CXX_FLAGS="$sanitizers -fno-omit-frame-pointer -Wno-maybe-uninitialized" -DCMAKE_EXE_LINKER_FLAGS="$sanitizers" \
  -DACTIV_INSTALL=OFF -DACTIV_TEST_FUZZ_CORPUS=ON
build
export ASAN_OPTIONS=detect_leaks=1:check_initialization_order=1:strict_init_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_tests
stage_end "$TESTS_RUN tests, g++ ASan+LSan+UBSan -O1, Eigen assertions on"
