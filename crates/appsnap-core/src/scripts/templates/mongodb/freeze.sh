#!/bin/sh
# appsnap-template: mongodb/1 freeze (POSIX sh). UNTESTED against a MongoDB server (Debian
# does not package MongoDB); checked only by shellcheck and AppSnap's rendering tests.
#
# db.fsyncLock() flushes to disk and blocks writes until db.fsyncUnlock(). Unlike a MySQL
# lock it does not end with the session, so nothing is held open here; instead a
# background watchdog calls fsyncUnlock after WATCHDOG_SECONDS unless the thaw script
# stops it first. The connection string (with any credentials) is read from a root-only
# file when one is given, never written here.
set -eu

# Parameters, filled in by AppSnap (paths and names are checked to hold no spaces).
MONGOSH='{{mongosh}}'
URI='{{uri}}'
URI_FILE='{{uri_file}}'
WATCHDOG_SECONDS='{{watchdog_seconds}}'
STATE_DIR='{{state_dir}}'

say() { printf 'appsnap mongodb freeze: %s\n' "$*"; }
fail() { say "FAILED: $*"; exit 1; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

command -v "$MONGOSH" >/dev/null 2>&1 || fail "client '$MONGOSH' not found on PATH"
command -v setsid >/dev/null 2>&1 || fail "setsid (util-linux) not found: the watchdog must outlive this script"
if [ -n "$URI_FILE" ]; then
  [ -r "$URI_FILE" ] || fail "connection file $URI_FILE is missing or unreadable"
  URI=$(cat "$URI_FILE")
fi
umask 077
mkdir -p "$STATE_DIR" || fail "cannot create $STATE_DIR"
mongo() { "$MONGOSH" --quiet --norc "$URI" --eval "$1" 2>&1; }

if [ -f "$STATE_DIR/locked" ]; then
  if alive "$STATE_DIR/watchdog.pid"; then kill "$(cat "$STATE_DIR/watchdog.pid")" 2>/dev/null || true; fi
  mongo 'db.fsyncUnlock()' >/dev/null || true
  rm -f "$STATE_DIR/locked" "$STATE_DIR/watchdog.pid"
  say "an earlier freeze was never thawed: its lock is released before taking a new one"
fi
rm -f "$STATE_DIR/watchdog.log"

reply=$(mongo 'const r = db.fsyncLock(); print("appsnap-lock " + r.ok + " " + r.lockCount)') \
  || fail "fsyncLock failed: $reply"
case $reply in
  *"appsnap-lock 1 "*) ;;
  *) fail "fsyncLock was not acknowledged: $reply" ;;
esac
: >"$STATE_DIR/locked"
say "fsyncLock taken (${reply##*appsnap-lock 1 } lock(s) now held on the server)"

# The watchdog: unlocks once unless the thaw script stops it (TERM) first.
# shellcheck disable=SC2016
setsid sh -c '
  printf "%s\n" "$$" >"$1"
  sleep "$2" >/dev/null 2>&1 &
  sleeper=$!
  trap "kill \$sleeper 2>/dev/null; exit 0" TERM
  wait "$sleeper" || exit 0
  "$3" --quiet --norc "$4" --eval "db.fsyncUnlock()" >/dev/null 2>&1 || true
  rm -f "$5/locked"
  printf "released by the watchdog after %s s (no thaw came)\n" "$2" >"$5/watchdog.log"
' appsnap-watchdog "$STATE_DIR/watchdog.pid" "$WATCHDOG_SECONDS" "$MONGOSH" "$URI" "$STATE_DIR" \
  </dev/null >/dev/null 2>&1 &
say "watchdog: the lock is released after $WATCHDOG_SECONDS s unless the thaw script runs first"
