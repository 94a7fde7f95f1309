#!/usr/bin/env bash
# The .deb as a user gets it: `make package` builds it from the debug binary, it is
# unpacked with `dpkg -x` into a scratch root (no root rights, nothing installed on this
# machine), its control fields and files are checked, and the unpacked binary is started
# in a real window by the e2e harness (tests/e2e/run.sh: Xvfb, WebDriver, throwaway HOME),
# which checks it opens on the Sandbox profile.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
deb=$(ls -t target/debug/bundle/deb/*.deb 2>/dev/null | head -n1 || true)
[ -n "$deb" ] || { echo "package: no .deb in target/debug/bundle/deb: run 'make package'"; exit 1; }
scratch=$(mktemp -d "${TMPDIR:-/tmp}/appsnap-package.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

fail() { echo "package: $*"; exit 1; }
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = app-snap ] || fail "unexpected package name '$(field Package)'"
version=$(field Version)
want_version=$(node -p 'require("./tauri.conf.json").version')
[ "$version" = "$want_version" ] || fail "version $version, tauri.conf.json says $want_version"
depends=$(field Depends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libdbus-1-3 xdg-utils; do
  [[ ",$depends," == *"$dep"* ]] || fail "Depends lacks $dep: $depends"
done

dpkg -x "$deb" "$scratch/root"
bin=$scratch/root/usr/bin/appsnap-desktop
[ -x "$bin" ] || fail "no executable /usr/bin/appsnap-desktop in $deb"
desktop=$(find "$scratch/root/usr/share/applications" -name '*.desktop' | head -n1)
[ -n "$desktop" ] || fail "no .desktop file in $deb"
grep -qx 'Exec=appsnap-desktop' "$desktop" || fail "$desktop does not start appsnap-desktop"
[ -n "$(find "$scratch/root/usr/share/icons" -name '*.png' | head -n1)" ] || fail "no icon in $deb"
echo "package: $deb ($(du -h "$deb" | cut -f1)), version $version, Depends: $depends"

APPSNAP_APP_BIN=$bin APPSNAP_DEB_VERSION=$version \
  APPSNAP_SCREENSHOT_DIR=${APPSNAP_SCREENSHOT_DIR:-$root/target/e2e-screenshots} \
  tests/e2e/run.sh tests/package/installed.test.mjs
