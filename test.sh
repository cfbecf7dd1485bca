#!/usr/bin/env bash
# Runs every test against the real lab: brings the lab up (installing what is missing),
# exports its settings, then runs the whole solution's tests.
#
# The run fails when a test fails, when any test was skipped (tests fail, never skip, when the lab is
# missing), when a test project ran no tests, and when a single test hangs for 15 minutes (the hang
# is reported and its test host stopped, well inside CI's limit).
set -euo pipefail
cd "$(dirname "$0")"

# Four nodes: three shared by all tests, one that engine-restart tests may stop.
export LAB_NODES="${LAB_NODES:-4}"
scripts/lab up
eval "$(scripts/lab env)"

dotnet build ControlPanel.sln -c Release -warnaserror --nologo -v q

log="$(mktemp)"
trap 'rm -f "${log}"' EXIT
status=0
dotnet test ControlPanel.sln -c Release --no-build --nologo --blame-hang-timeout 15m "$@" 2>&1 | tee "$log" || status=$?

# The test projects of the solution (those referencing the test SDK) and their assembly names: each must
# print one VSTest summary line ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ... - X.dll").
expected=()
while IFS= read -r project; do
    [[ -f "$project" ]] && grep -q 'Microsoft.NET.Test.Sdk' "$project" || continue
    name="$(sed -nE 's|.*<AssemblyName>([^<]+)</AssemblyName>.*|\1|p' "$project" | head -1)"
    expected+=("${name:-$(basename "$project" .csproj)}")
done < <({ grep -oE '"[^"]+\.csproj"' ControlPanel.sln || true; } | tr -d '"' | tr '\\' '/')

# One line per summary: failed passed skipped total assembly. Colour codes are removed first; a summary
# is recognised by its whole shape, so test output that merely contains "Passed: 3" is not counted.
summaries="$(sed -E 's/\x1b\[[0-9;?]*[A-Za-z]//g' "$log" | awk '
    /(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+, +Total: +[0-9]+/ {
        f = p = s = t = 0; name = "?"
        for (i = 1; i < NF; i++) {
            if ($i == "Failed:") f = $(i + 1) + 0
            else if ($i == "Passed:") p = $(i + 1) + 0
            else if ($i == "Skipped:") s = $(i + 1) + 0
            else if ($i == "Total:") t = $(i + 1) + 0
        }
        for (i = 1; i <= NF; i++) if ($i ~ /\.(dll|exe)$/) name = $i
        sub(/.*\//, "", name)
        print f, p, s, t, name
    }')"

passed=0 failed=0 skipped=0 runs=0
problems=()
while read -r f p s t name; do
    [[ -n "${name:-}" ]] || continue
    runs=$((runs + 1)) failed=$((failed + f)) passed=$((passed + p)) skipped=$((skipped + s))
    if [[ $t -eq 0 ]]; then problems+=("${name} ran no tests"); fi
done <<<"${summaries}"

# One closing line over all test projects, in the plain form CI reads.
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"

if [[ $skipped -gt 0 ]]; then
    problems+=("${skipped} test(s) skipped: tests must fail, never skip (is the lab up and its settings exported?)")
fi
# A --filter legitimately leaves projects without a matching test; the full run must hear from every one.
filtered=0
for arg in "$@"; do
    if [[ "$arg" == --filter || "$arg" == --filter=* ]]; then filtered=1; fi
done
if [[ $filtered -eq 0 ]]; then
    if [[ ${#expected[@]} -eq 0 ]]; then problems+=("no test project found in ControlPanel.sln"); fi
    for name in ${expected[@]+"${expected[@]}"}; do
        grep -qF " ${name}.dll" <<<"${summaries}" || problems+=("${name} printed no test summary (no test ran, or its test host died)")
    done
    if [[ $runs -lt ${#expected[@]} ]]; then
        problems+=("${runs} test summaries for ${#expected[@]} test projects")
    fi
fi
if [[ $passed -eq 0 ]]; then problems+=("no test ran"); fi

if ((${#problems[@]})); then
    printf 'test.sh: %s\n' "${problems[@]}" >&2
    if [[ $status -eq 0 ]]; then status=1; fi
fi
exit $status
