#!/usr/bin/env bash
# Start-to-READY and dispatch-overhead benchmarks of nlpsd (Release), with wrk as the load generator.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
dotnet build bench/Nlps.Host.Bench -c Release -nologo -v quiet
dotnet build host/Nlps.Daemon -c Release -nologo -v quiet
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/Nlps.Host.Bench/bin/Release/net10.0/Nlps.Host.Bench.dll "$@"
