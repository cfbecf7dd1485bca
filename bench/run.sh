#!/usr/bin/env bash
# Runs the benchmarks against the lab (3 shared nodes). Usage: bench/run.sh [containers-per-node] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/lab up
eval "$(scripts/lab env)"
dotnet run -c Release --project bench/Fleet.Bench -- "$@"
dotnet run -c Release --project bench/Top.Bench -- "$@"
dotnet run -c Release --project bench/Logs.Bench
dotnet run -c Release --project bench/Builds.Bench
dotnet run -c Release --project bench/Releases.Bench
dotnet run -c Release --project bench/Traffic.Bench
dotnet run -c Release --project bench/Pipeline.Bench
dotnet run -c Release --project bench/Consul.Bench
dotnet run -c Release --project bench/Stats.Bench
