#!/usr/bin/env bash
# Builds everything the vendor ships, into artifacts/packages/ (or --out DIR):
#   nlps_<version>_amd64.deb       the appliance: self-contained nlpsd + nlpsctl, unit, config, bundled plugins
#   nuget/Nlps.Sdk.<v>.nupkg       the SDK agents compile against
#   nuget/Nlps.Sdk.Templates.<v>.nupkg   `dotnet new nlps-agent`
#   plugins/<id>-<version>.nlpkg   every plugins/*/ project with a plugin.json, signed
#
# Usage: packaging/build.sh [--out DIR] [--signing-key DIR] [--plugin PROJECT_DIR]... [--no-nupkgs] [--work DIR] [--fast]
#   --signing-key DIR  holds vendor.private.pem and vendor.public.pem (`nlpsctl keys generate --out DIR`);
#                      also NLPS_SIGNING_KEY_DIR. Without it a development key is made once in
#                      artifacts/keys/dev/ and reused: fine for tests, never for a customer.
#   --plugin DIR       pack this project instead of plugins/*/ (repeatable).
#   --no-nupkgs        skip the SDK and template packages (the tests do not need them).
#   --work DIR         intermediate files (default artifacts/packaging; kept for incremental builds).
#   --fast             compress the .deb with gzip (seconds) instead of xz (about a minute, 30% smaller).
# The version comes from one place: <Version> in Directory.Build.props.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
here="$root/packaging"
out="$root/artifacts/packages"
key_dir="${NLPS_SIGNING_KEY_DIR:-}"
plugins=()
explicit_plugins=false
nupkgs=true
compression=xz
work="$root/artifacts/packaging"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out=$(realpath -m "$2"); shift 2 ;;
    --signing-key) key_dir=$(realpath "$2"); shift 2 ;;
    --plugin) plugins+=("$(realpath "$2")"); explicit_plugins=true; shift 2 ;;
    --no-nupkgs) nupkgs=false; shift ;;
    --fast) compression=gzip; shift ;;
    --work) work=$(realpath -m "$2"); shift 2 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' | grep -v '^set '; exit 0 ;;
    *) echo "build.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -n 1)
if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([~+.a-z0-9-]*)?$ ]]; then
  echo "build.sh: no usable <Version> in Directory.Build.props (found '$version')" >&2
  exit 1
fi
deb_version="${version//-/\~}" # 1.2.0-rc.1 → 1.2.0~rc.1, which sorts before 1.2.0 as SemVer wants

# Timestamps in the package come from the last commit, so two builds of one commit are alike.
SOURCE_DATE_EPOCH=$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)
export SOURCE_DATE_EPOCH
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

msbuild_out="$work/msbuild"             # bin/obj of this build, apart from the developer's own
pkgroot="$work/pkgroot"
started=$SECONDS
step() { printf '[build %4ds] %s\n' $((SECONDS - started)) "$*" >&2; }

command -v dpkg-deb >/dev/null || { echo "build.sh: dpkg-deb missing; run packaging/install-build-deps.sh" >&2; exit 1; }

rm -rf "$work/publish" "$pkgroot"
mkdir -p "$out" "$work/publish"

# 1. nlpsd and nlpsctl, self-contained (no dotnet on the box), not single-file and not trimmed: plugins load
#    arbitrary framework APIs through reflection, and a plain folder is what crash dumps and debuggers expect.
publish=(-c Release -r linux-x64 --self-contained true
  -p:PublishSingleFile=false -p:PublishTrimmed=false
  -p:PublishDocumentationFiles=false -p:SatelliteResourceLanguages=en
  --artifacts-path "$msbuild_out" --nologo -v quiet)
step "publishing nlpsd $version (linux-x64, self-contained)"
dotnet publish "$root/host/Nlps.Daemon/Nlps.Daemon.csproj" "${publish[@]}" -o "$work/publish/nlpsd"
step "publishing nlpsctl"
dotnet publish "$root/host/Nlps.Cli/Nlps.Cli.csproj" "${publish[@]}" -o "$work/publish/nlpsctl"

# Both apps share one runtime folder: same runtime pack, same package versions (central management), so the files
# they have in common must be identical. Anything else is a version skew that would break one of them.
opt="$pkgroot/opt/nlps"
mkdir -p "$opt"
cp -a "$work/publish/nlpsd/." "$opt/"
(cd "$work/publish/nlpsctl" && find . -type f -print0) | while IFS= read -r -d '' file; do
  if [[ -e "$opt/$file" ]]; then
    cmp -s "$work/publish/nlpsctl/$file" "$opt/$file" || { echo "build.sh: nlpsd and nlpsctl disagree on $file" >&2; exit 1; }
  else
    mkdir -p "$(dirname "$opt/$file")"
    cp -a "$work/publish/nlpsctl/$file" "$opt/$file"
  fi
done
# LTTng tracing provider: optional, and it would make the package depend on liblttng-ust.
rm -f "$opt/libcoreclrtraceptprovider.so"
# SQLite's native library comes with its symbol table; the runtime's own libraries are already stripped.
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$opt/libe_sqlite3.so"
nlpsctl="$opt/nlpsctl"

# 2. The signing key: the private half signs the bundled plugins, the public half goes into the package so the
#    appliance trusts them (Plugins:TrustedKeyFiles in nlps.json).
if [[ -z "$key_dir" ]]; then
  key_dir="$root/artifacts/keys/dev"
  if [[ ! -f "$key_dir/vendor.private.pem" ]]; then
    step "no --signing-key: making a development key in $key_dir"
    "$nlpsctl" keys generate --out "$key_dir" --name vendor >/dev/null
  fi
  echo "build.sh: WARNING: plugins are signed with the development key in $key_dir; pass --signing-key for a customer build" >&2
fi
for half in vendor.private.pem vendor.public.pem; do
  [[ -f "$key_dir/$half" ]] || { echo "build.sh: $key_dir/$half missing" >&2; exit 1; }
done

# 3. Plugins: every plugins/*/ project with a plugin.json, packed and signed by the nlpsctl just published.
if [[ "$explicit_plugins" == false ]]; then
  for manifest in "$root"/plugins/*/plugin.json; do
    [[ -f "$manifest" ]] && plugins+=("$(dirname "$manifest")")
  done
fi
rm -rf "$out/plugins"
if [[ ${#plugins[@]} -eq 0 ]]; then
  step "no plugin projects (plugins/*/plugin.json): the package bundles none"
else
  mkdir -p "$out/plugins" "$opt/plugins-bundled"
  for project in "${plugins[@]}"; do
    step "packing plugin $(basename "$project")"
    "$nlpsctl" pack "$project" --key "$key_dir/vendor.private.pem" -o "$out/plugins" >/dev/null
  done
  cp "$out"/plugins/*.nlpkg "$opt/plugins-bundled/"
fi

# 4. The SDK and its template, for customers' developers (not in the .deb).
if [[ "$nupkgs" == true ]]; then
  step "packing Nlps.Sdk and Nlps.Sdk.Templates"
  rm -rf "$out/nuget"
  for project in sdk/Nlps.Sdk/Nlps.Sdk.csproj sdk/Nlps.Sdk.Templates/Nlps.Sdk.Templates.csproj; do
    dotnet pack "$root/$project" -c Release -o "$out/nuget" --artifacts-path "$msbuild_out" --nologo -v quiet
  done
fi

# 5. The package tree.
step "assembling the package tree"
install -D -m 0644 "$here/systemd/nlpsd.service" "$pkgroot/lib/systemd/system/nlpsd.service"
install -D -m 0644 "$here/config/nlps.json" "$pkgroot/etc/nlps/nlps.json"
install -D -m 0644 "$key_dir/vendor.public.pem" "$pkgroot/etc/nlps/trusted-keys/vendor.pem"
mkdir -p "$pkgroot/usr/bin"
ln -s /opt/nlps/nlpsctl "$pkgroot/usr/bin/nlpsctl"
doc="$pkgroot/usr/share/doc/nlps"
install -D -m 0644 "$here/debian/copyright" "$doc/copyright"
install -D -m 0644 "$here/README.md" "$doc/README.md"
{
  printf 'nlps (%s) stable; urgency=medium\n\n' "$deb_version"
  printf '  * NLPs Appliance %s, built from commit %s.\n\n' "$version" "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  printf ' -- NLPs Appliance <support@nlps-appliance.example>  %s\n' "$(date -R -u -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$doc/changelog.gz"
install -D -m 0644 "$here/debian/lintian-overrides" "$pkgroot/usr/share/lintian/overrides/nlps"
mkdir -p "$pkgroot/usr/share/man/man1"
gzip -9n <"$here/man/nlpsctl.1" >"$pkgroot/usr/share/man/man1/nlpsctl.1.gz"

find "$pkgroot" -type d -exec chmod 0755 {} +
find "$pkgroot" -type f -exec chmod 0644 {} +
chmod 0755 "$opt/nlpsd" "$opt/nlpsctl" "$opt/createdump"

mkdir -p "$pkgroot/DEBIAN"
for script in postinst prerm postrm; do
  install -m 0755 "$here/debian/$script" "$pkgroot/DEBIAN/$script"
done
(cd "$pkgroot" && find etc -type f | sort | sed 's:^:/:') >"$pkgroot/DEBIAN/conffiles"
(cd "$pkgroot" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$pkgroot/DEBIAN/md5sums"
installed_size=$(du -sk --exclude=DEBIAN "$pkgroot" | cut -f1)
sed -e "s/@VERSION@/$deb_version/" -e "s/@INSTALLED_SIZE@/$installed_size/" "$here/debian/control.in" >"$pkgroot/DEBIAN/control"
chmod 0644 "$pkgroot/DEBIAN/control" "$pkgroot/DEBIAN/conffiles" "$pkgroot/DEBIAN/md5sums"

# 6. The .deb: files owned by root whoever builds it.
deb="$out/nlps_${deb_version}_amd64.deb"
step "building $(basename "$deb")"
rm -f "$out"/nlps_*_amd64.deb
case "$compression" in
  xz) level=(-Zxz -z6) ;;
  gzip) level=(-Zgzip -z6) ;;
esac
dpkg-deb --root-owner-group "${level[@]}" --build "$pkgroot" "$deb" >/dev/null

step "done: $deb ($(du -h "$deb" | cut -f1), installed $((installed_size / 1024)) MiB)"
echo "$deb"
