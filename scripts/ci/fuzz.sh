#!/usr/bin/env bash
# Stage fuzz: the libFuzzer target of tests/fuzz (clang++, ASan + UBSan, -O1, Eigen's
# assertions on) run for ACTIV_FUZZ_SECONDS (default 30) from the committed seed corpus
# tests/fuzz/corpus. New inputs go to build-ci-fuzz/corpus, a failing one to build-ci-fuzz/crash-*
# (replay it with: build-ci-fuzz/tests/fuzz/activ_fuzz <file>; keep it in tests/fuzz/corpus
# once fixed). Line tables only (-gline-tables-only, clang's lighter -g): the sanitizers' reports
# keep their file:line stacks, the build takes a sixth less time.
source "$(dirname "$0")/lib.sh"
stage_begin fuzz
configure -DCMAKE_CXX_COMPILER="${ACTIV_CI_CLANG:-clang++}" -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -gline-tables-only" -DACTIV_INSTALL=OFF -DACTIV_BUILD_FUZZER=ON
build --target activ_fuzz
[ -z "$BUILD_ERRORS" ] || stage_fail "build errors in $BUILD_ERRORS"
seconds=${ACTIV_FUZZ_SECONDS:-30}
seeds=$(find tests/fuzz/corpus -type f | wc -l)
mkdir -p "$STAGE_DIR/corpus"
rm -f "$STAGE_DIR"/crash-* "$STAGE_DIR"/timeout-* "$STAGE_DIR"/oom-*
log=$STAGE_DIR/fuzz.log
echo "+ activ_fuzz for ${seconds}s, log $log" >>"$STAGE_LOG"
if ! "$STAGE_DIR/tests/fuzz/activ_fuzz" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=4096 \
  -print_final_stats=1 -artifact_prefix="$STAGE_DIR/" "$STAGE_DIR/corpus" tests/fuzz/corpus >"$log" 2>&1; then
  grep -E 'activ fuzz:|ERROR:|runtime error|SUMMARY' "$log" >>"$STAGE_LOG" || true
  artifact=$(ls "$STAGE_DIR"/crash-* "$STAGE_DIR"/timeout-* "$STAGE_DIR"/oom-* 2>/dev/null | head -n1 || true)
  stage_fail "the fuzzer found a failing input: ${artifact:-see $log}"
fi
runs=$(grep -Eo 'number_of_executed_units:[[:space:]]+[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')
new=$(grep -Eo 'new_units_added:[[:space:]]+[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')
stage_line "passed ($runs inputs in ${seconds}s from $seeds seeds, $new new; clang++ libFuzzer+ASan+UBSan)"
