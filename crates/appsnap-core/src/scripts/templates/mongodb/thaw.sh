#!/bin/sh
# appsnap-template: mongodb/1 thaw (POSIX sh). UNTESTED against a MongoDB server (Debian
# does not package MongoDB). Stops the freeze script's watchdog and calls db.fsyncUnlock()
# once for the lock the freeze took (fsyncLock is counted: a lock someone else took stays).
# Safe to run twice or without a freeze.
set -eu

# Parameters, filled in by AppSnap (paths and names are checked to hold no spaces).
MONGOSH='{{mongosh}}'
URI='{{uri}}'
URI_FILE='{{uri_file}}'
STATE_DIR='{{state_dir}}'

say() { printf 'appsnap mongodb thaw: %s\n' "$*"; }
fail() { say "FAILED: $*"; exit 1; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

if [ -f "$STATE_DIR/watchdog.log" ]; then
  say "the lock was already $(cat "$STATE_DIR/watchdog.log"): this snapshot may not be application-consistent"
  rm -f "$STATE_DIR/watchdog.log"
fi
if alive "$STATE_DIR/watchdog.pid"; then kill "$(cat "$STATE_DIR/watchdog.pid")" 2>/dev/null || true; fi
rm -f "$STATE_DIR/watchdog.pid"
if [ ! -f "$STATE_DIR/locked" ]; then
  say "no lock taken by AppSnap is held (nothing to release)"
  exit 0
fi

command -v "$MONGOSH" >/dev/null 2>&1 || fail "client '$MONGOSH' not found on PATH"
if [ -n "$URI_FILE" ]; then
  [ -r "$URI_FILE" ] || fail "connection file $URI_FILE is missing or unreadable"
  URI=$(cat "$URI_FILE")
fi
reply=$("$MONGOSH" --quiet --norc "$URI" --eval 'const r = db.fsyncUnlock(); print("appsnap-unlock " + r.ok + " " + r.lockCount)' 2>&1) \
  || fail "fsyncUnlock failed: $reply"
case $reply in
  *"appsnap-unlock 1 "*) ;;
  *) fail "fsyncUnlock was not acknowledged: $reply" ;;
esac
rm -f "$STATE_DIR/locked"
say "fsyncUnlock done (${reply##*appsnap-unlock 1 } lock(s) left on the server)"
