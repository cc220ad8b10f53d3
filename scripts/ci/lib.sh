# Shared by the scripts/ci/ stages (sourced, not run). Each stage builds in its own directory
# build-ci-<stage>, sends the long output to build-ci-<stage>/stage.log and prints one line:
#   stage <name>: passed (<what>) in <seconds>s
#   stage <name>: FAILED (<step>) in <seconds>s      followed by the log's last lines
# When ACTIV_CI_SUMMARY names a file, the line is appended there too (scripts/ci/all.sh).
# Environment: ACTIV_JOBS (default 2), ACTIV_CI_CLEAN=1 to start from an empty build directory.
set -euo pipefail

ACTIV_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ACTIV_ROOT"
JOBS=${ACTIV_JOBS:-2}

stage_begin() {
  STAGE=$1
  STAGE_DIR=$ACTIV_ROOT/build-ci-$STAGE
  STAGE_T0=$(date +%s)
  if [ "${ACTIV_CI_CLEAN:-0}" = 1 ]; then rm -rf "$STAGE_DIR"; fi
  mkdir -p "$STAGE_DIR"
  STAGE_LOG=$STAGE_DIR/stage.log
  : >"$STAGE_LOG"
  echo "stage $STAGE: started $(date -u +%FT%TZ) on $(nproc) cores; log $STAGE_LOG" >&2
}

# CPU seconds (user + system) used by the stage's commands so far: on a shared machine the
# wall time says little, this says what the stage costs.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($16 + $17) / hz }' "/proc/$$/stat"
}

stage_line() {
  local line="stage $STAGE: $1 in $(($(date +%s) - STAGE_T0))s (CPU $(cpu_seconds)s)"
  echo "$line"
  if [ -n "${ACTIV_CI_SUMMARY:-}" ]; then echo "$line" >>"$ACTIV_CI_SUMMARY"; fi
}

stage_fail() {
  stage_line "FAILED ($1)"
  echo "---- last lines of $STAGE_LOG ----" >&2
  tail -n "${ACTIV_CI_TAIL:-80}" "$STAGE_LOG" >&2
  exit 1
}

# step <what> <command...>: runs the command with its output in the log; fails the stage if
# it fails.
step() {
  local what=$1
  shift
  echo "+ $*" >>"$STAGE_LOG"
  "$@" >>"$STAGE_LOG" 2>&1 || stage_fail "$what"
}

# configure <cmake -D options...>: the stage's build directory, tests only, the project's own
# flags off (-march comes from the stage through CMAKE_CXX_FLAGS).
# Unity builds (ACTIV_CI_UNITY, default 1): each test program's files compiled as one, so that
# the templates they share are instantiated once; measured here, 39 % less CPU for test_core and
# test_activations, which is what keeps .ci/run within 30 minutes on 2 cores.
configure() {
  step configure cmake -S "$ACTIV_ROOT" -B "$STAGE_DIR" -DACTIV_BUILD_EXAMPLES=OFF \
    -DACTIV_BUILD_BENCHMARKS=OFF -DCMAKE_UNITY_BUILD="$([ "${ACTIV_CI_UNITY:-1}" = 1 ] && echo ON || echo OFF)" "$@"
}

# build [cmake --build options...]: keeps going past errors (make -k), so that one broken
# program does not hide the state of the others; BUILD_ERRORS lists the targets that failed.
BUILD_ERRORS=""
build() {
  echo "+ cmake --build $STAGE_DIR -j $JOBS $* -- -k" >>"$STAGE_LOG"
  if ! cmake --build "$STAGE_DIR" -j "$JOBS" "$@" -- -k >>"$STAGE_LOG" 2>&1; then
    BUILD_ERRORS=$(grep -Eo 'CMakeFiles/[A-Za-z0-9_.+-]+\.dir/[^ ]*\] Error' "$STAGE_LOG" |
      sed -E 's|CMakeFiles/([^/]+)\.dir/.*|\1|' | sort -u | tr '\n' ' ' | sed 's/ $//')
    BUILD_ERRORS=${BUILD_ERRORS:-see the log}
  fi
}

# run_tests [ctest options...]: runs ctest verbosely into ctest.log (programs that did not build
# count as failed tests); sets TESTS_RUN and TESTS_FAILED.
run_tests() {
  local out=$STAGE_DIR/ctest.log
  echo "+ ctest $*" >>"$STAGE_LOG"
  TESTS_FAILED=0
  if ! ctest --test-dir "$STAGE_DIR" -j "$JOBS" -V --no-tests=error "$@" >"$out" 2>&1; then
    grep -E '(\*\*\*|Not Run|Failed  )' "$out" | grep -v 'tests passed' >>"$STAGE_LOG" || true
    TESTS_FAILED=$(grep -Eo '[0-9]+ tests failed out of' "$out" | grep -Eo '^[0-9]+' || echo '?')
  fi
  TESTS_RUN=$(grep -Eo 'tests failed out of [0-9]+' "$out" | grep -Eo '[0-9]+$' || echo 0)
  echo "ctest: $TESTS_RUN tests, $TESTS_FAILED failed" >>"$STAGE_LOG"
}

# stage_end <what passed>: the stage's line: passed, or FAILED with the build errors and failed
# tests (then the log's tail).
stage_end() {
  local problems=()
  [ -z "$BUILD_ERRORS" ] || problems+=("build errors in $BUILD_ERRORS")
  [ "${TESTS_FAILED:-0}" = 0 ] || problems+=("$TESTS_FAILED of $TESTS_RUN tests failed")
  if [ ${#problems[@]} -gt 0 ]; then
    local joined
    joined=$(printf '%s; ' "${problems[@]}")
    stage_fail "${joined%; }"
  fi
  stage_line "passed ($1)"
}

# The ULP sweep's worst cases (its WARN lines), one per function and type, from ctest -V.
save_accuracy() {
  grep -Eo '[^ :]+[^:]*(float|double): max [^ ]+ ULP at x = .*' "$STAGE_DIR/ctest.log" | sed -E 's/^[0-9]+: +//' |
    sort -u >"$STAGE_DIR/accuracy.txt" || true
}

# has_cpu_flags <flag...>: true when /proc/cpuinfo lists every flag.
has_cpu_flags() {
  local flags
  flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
  for f in "$@"; do
    [[ " $flags " == *" $f "* ]] || return 1
  done
}

# simd_macros <compiler flags...>: the x86 SIMD feature macros g++ predefines for those flags
# that xsimd 8.1 or activ read (what decides xsimd's default architecture and activ's code
# paths), one line. AVX-512 extensions neither reads (VNNI, VBMI, BF16, … on a Zen 4's
# -march=native) are left out, so that such a CPU's native build counts as the AVX-512 stage.
simd_macros() {
  "${ACTIV_CI_CXX:-g++}" "$@" -dM -E -x c++ /dev/null |
    grep -oE '__(AVX512(F|CD|DQ|BW)|AVX2|AVX|FMA4|FMA|SSE4_2|SSE4_1|SSSE3|SSE3|SSE2)__' | sort | tr '\n' ' '
}

# arch_stage <stage> <compiler flags, -march first> <its vector register prefix> <cpu flags the
# code needs...>: builds the tests with g++ for that architecture and runs them when this CPU
# can; otherwise builds only, and says so and why. With ACTIV_CI_NATIVE_DONE=1 (.ci/run, after
# scripts/run.sh test built and ran the whole suite with -march=native), a stage whose flags
# give the same SIMD features as -march=native on this machine is not built a second time.
arch_stage() {
  local name=$1 flags=$2 register=$3
  shift 3
  stage_begin "$name"
  # shellcheck disable=SC2086
  if [ "${ACTIV_CI_NATIVE_DONE:-0}" = 1 ] && [ "$(simd_macros $flags)" = "$(simd_macros -march=native)" ]; then
    stage_line "passed: covered by the main build (scripts/run.sh test, -march=native has the same SIMD features here: $(simd_macros -march=native| sed 's/ $//'))"
    return 0
  fi
  local programs runnable=0
  if has_cpu_flags "$@"; then runnable=1; fi
  # Built only: -O1 instead of Release's -O3. The stage shows that the code compiles for the ISA
  # (every template instantiated with its batch types); nothing runs, and -O1 took 138 s where
  # -O3 took 228 s for AVX-512 (the warnings GCC 12 prints in its own headers are the same).
  local release_flags="-O3 -DNDEBUG"
  [ "$runnable" = 1 ] || release_flags="-O1 -DNDEBUG"
  configure -DCMAKE_CXX_COMPILER="${ACTIV_CI_CXX:-g++}" -DCMAKE_BUILD_TYPE=Release -DACTIV_NATIVE=OFF \
    -DACTIV_INSTALL=OFF -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_CXX_FLAGS_RELEASE="$release_flags"
  if [ "$runnable" = 1 ]; then
    build
    run_tests
    save_accuracy
    stage_end "$TESTS_RUN tests, g++ $flags"
  else
    # Built only: the programs whose code depends on the architecture (SIMD kernels, loops,
    # adaptors, PReLU/Maxout, initializer transforms), through one target so that make builds
    # them side by side (explicit targets of CMake's Makefiles are built one after another).
    build --target activ_arch_tests
    programs=$(find "$STAGE_DIR/tests" -maxdepth 1 -type f -perm -u+x | wc -l)
    local missing=()
    for f in "$@"; do has_cpu_flags "$f" || missing+=("$f"); done
    [ -z "$BUILD_ERRORS" ] || stage_fail "build errors in $BUILD_ERRORS"
    # Evidence that the build targets the ISA: instructions naming its registers.
    local uses
    uses=$(objdump -d --no-show-raw-insn "$STAGE_DIR/tests/test_math" 2>/dev/null | grep -c "%$register" || true)
    stage_line "built, NOT RUN: this CPU lacks ${missing[*]} ($programs test programs compiled with g++ $flags; test_math has $uses instructions on $register registers)"
  fi
}
