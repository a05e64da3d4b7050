#!/usr/bin/env bash
# tests/Nlps.Packaging.Tests builds and lints the .deb and installs it with dpkg: dpkg-deb, lintian,
# systemd-analyze, adduser, setpriv, strip. (The tests also call this themselves, so plain `dotnet test` works.)
set -euo pipefail
exec bash "$(dirname "$0")/../../packaging/install-build-deps.sh"
