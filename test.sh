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
dotnet test ControlPanel.sln -c Release --no-build --nologo "$@"
