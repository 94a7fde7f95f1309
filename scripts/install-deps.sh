#!/usr/bin/env bash
# Installs what AppSnap needs to build (`build`) or to build and test (`test`), skipping
# what is already there. Debian/Ubuntu are provisioned with apt; elsewhere this prints
# what to install and stops. Only package registries are used: nothing is downloaded
# from anywhere else.
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-build}
build_pkgs=(libwebkit2gtk-4.1-dev libdbus-1-dev build-essential pkg-config libssl-dev)
# xvfb + webkit2gtk-driver: the real app in a real window; gnome-keyring, dbus-daemon,
# keyutils: a real OS keyring; fonts-wqy-microhei: Chinese text in e2e screenshots.
# Real database servers for tests/scripts-real (the freeze/thaw templates are proven on
# them) and shellcheck for the templates. The suite starts its own throwaway servers, so
# these are never left running or enabled as system services (see quiet_services).
db_pkgs=(mariadb-server mariadb-client postgresql redis-server shellcheck)
test_pkgs=(xvfb webkit2gtk-driver gnome-keyring dbus-daemon keyutils fonts-wqy-microhei "${db_pkgs[@]}")
# The system service each server package would start; package|service.
db_services=("mariadb-server|mariadb" "postgresql|postgresql" "redis-server|redis-server")

pkgs=("${build_pkgs[@]}")
[ "$what" = test ] && pkgs+=("${test_pkgs[@]}")

say() { printf '[deps] %s\n' "$*"; }

manual_instructions() {
  cat <<TXT
[deps] AppSnap cannot install its system packages on this platform ($1) by itself.
[deps] Please install, then run the command again:
  - Rust (the toolchain named in rust-toolchain.toml) with clippy and rustfmt: https://rustup.rs
  - Node.js 20+ and npm
  - Tauri 2 system prerequisites: https://v2.tauri.app/start/prerequisites/
      macOS: Xcode Command Line Tools (xcode-select --install)
      Windows: Microsoft C++ Build Tools and WebView2
      Fedora: webkit2gtk4.1-devel openssl-devel gcc-c++ ;  Arch: webkit2gtk-4.1 base-devel openssl
  - For 'make test' on Linux also: Xvfb, WebKitWebDriver (webkit2gtk driver), gnome-keyring,
    dbus-run-session, keyctl (keyutils), and a CJK font.
TXT
}

install_system() {
  local os distro like
  os=$(uname -s)
  if [ "$os" != Linux ] || [ ! -r /etc/os-release ]; then
    manual_instructions "$os"; return 1
  fi
  distro=$(. /etc/os-release; echo "${ID:-}"); like=$(. /etc/os-release; echo "${ID_LIKE:-}")
  case " $distro $like " in
    *" debian "*|*" ubuntu "*) ;;
    *) manual_instructions "$distro"; return 1 ;;
  esac
  local missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then say "system packages: all present"; return 0; fi
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  say "installing: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  # No service may start during the install: a policy-rc.d that denies every start (101),
  # only when none exists, removed afterwards.
  local policy=/usr/sbin/policy-rc.d placed=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"; placed=1
  fi
  local rc=0
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" || rc=$?
  [ -n "$placed" ] && "${sudo[@]}" rm -f "$policy"
  [ "$rc" -eq 0 ] || return "$rc"
  quiet_services "${missing[@]}"
}

# Stops and disables the system service of every server package just installed (a package
# the user already had keeps its service as it was).
quiet_services() {
  local entry pkg svc new
  for entry in "${db_services[@]}"; do
    pkg=${entry%%|*}; svc=${entry#*|}
    for new in "$@"; do
      [ "$new" = "$pkg" ] || continue
      if [ -d /run/systemd/system ]; then
        "${sudo[@]}" systemctl disable --now "$svc" >/dev/null 2>&1 || true
      else
        "${sudo[@]}" service "$svc" stop >/dev/null 2>&1 || true
        command -v systemctl >/dev/null && "${sudo[@]}" systemctl disable "$svc" >/dev/null 2>&1 || true
        command -v update-rc.d >/dev/null && "${sudo[@]}" update-rc.d "$svc" disable >/dev/null 2>&1 || true
      fi
      say "service $svc: stopped and disabled (tests start their own server)"
    done
  done
}

check_toolchains() {
  command -v cargo >/dev/null || { say "cargo not found: install Rust from https://rustup.rs"; return 1; }
  command -v node >/dev/null || { say "node not found: install Node.js 20 or newer"; return 1; }
  local major; major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || { say "Node.js $major is too old: 20 or newer is needed"; return 1; }
}

install_npm() {
  # npm ci only when the lockfile changed since the last install.
  if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    say "npm packages: up to date"
  else
    say "npm ci"
    # The lockfile lists every platform's optional builds (e.g. @tauri-apps/cli's), so
    # `npm ci` accepts it everywhere and a run never rewrites it.
    npm ci --no-audit --no-fund
  fi
}

install_tauri_driver() {
  if command -v tauri-driver >/dev/null; then say "tauri-driver: present"; return; fi
  say "cargo install tauri-driver (from the crate registry)"
  # Pin major 2: the registry also serves 3.0 pre-releases.
  cargo install tauri-driver --locked --version '^2'
}

check_toolchains
install_system
install_npm
[ "$what" = test ] && install_tauri_driver
say "done ($what)"
