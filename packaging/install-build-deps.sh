#!/usr/bin/env bash
# Installs the Debian tools that packaging/build.sh and tests/Nlps.Packaging.Tests need:
#   dpkg-deb (dpkg), lintian, systemd-analyze (systemd), adduser (the package's postinst uses it).
# Idempotent and quick when everything is present: apt is only asked when a tool is missing.
# Needs root (or passwordless sudo) only when something has to be installed.
set -euo pipefail

declare -A wanted=(
  [dpkg-deb]=dpkg
  [lintian]=lintian
  [systemd-analyze]=systemd
  [adduser]=adduser
  [setpriv]=util-linux
  [strip]=binutils
)

missing=()
for tool in "${!wanted[@]}"; do
  if ! command -v "$tool" >/dev/null 2>&1 && [[ ! -x "/usr/sbin/$tool" ]]; then
    missing+=("${wanted[$tool]}")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo -n); else
    echo "install-build-deps: need root to install: ${missing[*]}" >&2
    exit 1
  fi
fi

# Serialise concurrent callers (several worktrees or test processes on one machine).
exec 9>/tmp/nlps-install-build-deps.lock
flock 9
echo "install-build-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
