#!/usr/bin/env bash
# Runs a command with real OS keyrings and nothing of the user's: a private D-Bus session
# with an unlocked, throwaway gnome-keyring (Secret Service) and a fresh kernel session
# keyring (keyutils). Tests that need a keyring run only when APPSNAP_KEYRING_TESTS=1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/appsnap-keyring.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/data" "$scratch/run"; chmod 700 "$scratch/run"
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run" APPSNAP_KEYRING_TESTS=1
export APPSNAP_REPO_ROOT="$root"
# The keyring password only unlocks this throwaway collection.
exec dbus-run-session -- bash -c '
  eval "$(printf %s "appsnap-test" | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  exec keyctl session - "$@"' bash "$@" 2> >(grep -v "Failed to set fd limit" >&2)
