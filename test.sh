#!/usr/bin/env bash
# Runs every test against the real lab: brings the lab up (installing what is missing),
# exports its settings, then runs the whole solution's tests.
set -euo pipefail
cd "$(dirname "$0")"

# Four nodes: three shared by all tests, one that engine-restart tests may stop.
export LAB_NODES="${LAB_NODES:-4}"
scripts/lab up
eval "$(scripts/lab env)"

dotnet build ControlPanel.sln -c Release -warnaserror --nologo -v q

log="$(mktemp)"
status=0
dotnet test ControlPanel.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log" || status=$?
# One closing line over all test projects, in the plain form CI reads.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [[ $status -eq 0 && $passed -eq 0 ]]; then echo "no test ran" >&2; exit 1; fi
exit $status
