#!/usr/bin/env bash
# Runs every reliability stage of issue 6 (docs/reliability.md), one after the other, and ends
# with one summary line per stage. Each stage is also a script of its own in this directory.
#   ACTIV_CI_STAGES="arch-sse2 fuzz"   run only these stages
#   ACTIV_JOBS=2                       parallel build jobs (default 2)
#   ACTIV_FUZZ_SECONDS=30              the fuzzer's time budget
# Exit status 0 when no stage failed; a stage that cannot run here (AVX-512 on a CPU without
# it) is built only and reported as such, which is not a failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
scripts/install-deps.sh

read -r -a stages <<<"${ACTIV_CI_STAGES:-arch-sse2 arch-avx2 arch-avx512 clang-sanitize tsan noexcept fuzz package}"
summary=$(mktemp)
export ACTIV_CI_SUMMARY=$summary
t0=$(date +%s)
failed=0
for s in "${stages[@]}"; do
  before=$(wc -l <"$summary")
  if ! "scripts/ci/$s.sh"; then
    failed=$((failed + 1))
    # A stage that died before printing its line still gets one.
    if [ "$(wc -l <"$summary")" = "$before" ]; then echo "stage $s: FAILED (the script itself failed)" >>"$summary"; fi
  fi
done

# The ULP sweep's worst cases side by side, for the stages that ran it.
accuracy=$(ls build-ci-*/accuracy.txt 2>/dev/null || true)
if [ -n "$accuracy" ]; then
  echo "==== worst ULP error per function (tests/math/ulp_sweep.cpp), by stage ===="
  for f in $accuracy; do
    stage=${f%/accuracy.txt}
    sed -nE "s/^(.*) (float|double): max ([^ ]+) ULP.*/${stage#build-ci-}|\1 \2|\3/p" "$f"
  done | awk -F'|' '
    !($1 in has) { has[$1] = 1; stages[++ns] = $1 }
    !($2 in seen) { seen[$2] = 1; keys[++nk] = $2 }
    { v[$2, $1] = $3 }
    END {
      printf "%-30s", "function"; for (s = 1; s <= ns; ++s) printf " %12s", stages[s]; print ""
      for (k = 1; k <= nk; ++k) {
        differ = 0
        for (s = 2; s <= ns; ++s) if (v[keys[k], stages[s]] != v[keys[k], stages[1]]) differ = 1
        printf "%-30s", keys[k]; for (s = 1; s <= ns; ++s) printf " %12s", v[keys[k], stages[s]]
        print (differ ? "   <- differs" : "")
      }
    }'
fi

echo "==== activ CI: ${#stages[@]} stages in $(($(date +%s) - t0))s, $failed failed ===="
cat "$summary"
rm -f "$summary"
[ "$failed" -eq 0 ]
