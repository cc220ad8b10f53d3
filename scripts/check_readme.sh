#!/usr/bin/env bash
# The README's usage example must be examples/quickstart.cpp, byte for byte, so that the
# code a reader copies is the code the build compiles and ctest runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
block=$(awk '/^<!-- quickstart.cpp -->$/{getline; on=1; next} on && /^```$/{exit} on' "$root/README.md")
if ! diff <(printf '%s\n' "$block") "$root/examples/quickstart.cpp"; then
  echo "README.md's usage block differs from examples/quickstart.cpp" >&2
  exit 1
fi
