#!/usr/bin/env bash
# Runs the appliance on its embedded default, for a developer: state in ./.nlps, admin API on
# http://127.0.0.1:5080, the first-party agents (plugins/*) packed with a local development key and installed at
# start. Everything it needs comes from this repository and the package registries.
set -euo pipefail
cd "$(dirname "$0")/.."

state="${NLPS_STATE:-$PWD/.nlps}"
keys="$state/dev-keys"
bundled="$state/bundled"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

echo "== build"
dotnet build host/Nlps.Daemon -c Release -nologo -v quiet
dotnet build host/Nlps.Cli -c Release -nologo -v quiet
nlpsctl=(dotnet host/Nlps.Cli/bin/Release/net10.0/nlpsctl.dll)

mkdir -p "$state" "$bundled"
if [ ! -f "$keys/dev.private.pem" ]; then
  "${nlpsctl[@]}" keys generate --out "$keys" --name dev
fi

shopt -s nullglob
for project in plugins/*/; do
  [ -f "$project/plugin.json" ] || continue
  echo "== pack $project"
  "${nlpsctl[@]}" pack "$project" --key "$keys/dev.private.pem" -o "$bundled" >/dev/null
done

echo "== nlpsd (state: $state; admin token: $state/admin.token; Ctrl+C stops)"
exec dotnet host/Nlps.Daemon/bin/Release/net10.0/nlpsd.dll \
  --State:Directory="$state" \
  --Http:Urls="${NLPS_URLS:-http://127.0.0.1:5080}" \
  --Plugins:TrustedKeyFiles:0="$keys/dev.public.pem" \
  --Plugins:BundledDirectory="$bundled" \
  "$@"
