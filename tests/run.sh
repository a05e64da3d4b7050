#!/usr/bin/env bash
# Runs the whole test suite the way CI does: installs what the tests need (project scripts only), builds with
# warnings as errors, runs every test project, and ends with one summary line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

for script in tests/deps.d/*.sh; do
  [ -e "$script" ] || continue
  echo "== test dependency: $script"
  bash "$script"
done

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
configuration="${CONFIGURATION:-Debug}"

echo "== build ($configuration)"
dotnet build NlpsAppliance.sln -c "$configuration" -warnaserror -nologo -v quiet

echo "== format check (whitespace; code style and analyzers are enforced by the build)"
dotnet format whitespace NlpsAppliance.sln --verify-no-changes -v quiet

echo "== test"
log=$(mktemp)
status=0
dotnet test NlpsAppliance.sln -c "$configuration" --no-build --nologo 2>&1 | tee "$log" || status=$?

passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
