#!/usr/bin/env bash
# promtool (metrics exposition checks), chromium and CJK fonts (console browser tests).
set -euo pipefail
exec bash "$(dirname "$0")/../tools/install-test-tools.sh"
