#!/bin/sh
# appsnap-template: mysql/1 thaw (POSIX sh). Releases the lock the freeze script holds:
# stops its watchdog, which sends UNLOCK TABLES and closes the session; a session still on
# the server after that is killed there. Then starts the replica SQL thread if the freeze
# stopped it. Safe to run twice or without a freeze.
set -eu

# Parameters, filled in by AppSnap (paths and names are checked to hold no spaces).
CLIENT='{{client}}'
DEFAULTS_FILE='{{defaults_file}}'
SOCKET='{{socket}}'
STATE_DIR='{{state_dir}}'

say() { printf 'appsnap mysql thaw: %s\n' "$*"; }
fail() { say "FAILED: $*"; exit 1; }

opts=""
[ -n "$DEFAULTS_FILE" ] && opts="--defaults-extra-file=$DEFAULTS_FILE"
[ -n "$SOCKET" ] && opts="$opts --socket=$SOCKET"
# shellcheck disable=SC2086
sql() { "$CLIENT" $opts --batch --skip-column-names "$@"; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

if [ ! -d "$STATE_DIR" ]; then
  say "no lock taken by AppSnap is held (nothing to release)"
  exit 0
fi

if [ -f "$STATE_DIR/watchdog.log" ]; then
  say "the lock was already $(cat "$STATE_DIR/watchdog.log"): this snapshot may not be application-consistent"
  rm -f "$STATE_DIR/watchdog.log"
fi

id=$(sed -n 's/^appsnap-session \([0-9][0-9]*\)$/\1/p' "$STATE_DIR/session.out" 2>/dev/null || true)
if alive "$STATE_DIR/writer.pid" || alive "$STATE_DIR/client.pid"; then
  if alive "$STATE_DIR/writer.pid"; then kill "$(cat "$STATE_DIR/writer.pid")" 2>/dev/null || true; fi
  n=0
  while alive "$STATE_DIR/client.pid" && [ "$n" -lt 50 ]; do sleep 0.2; n=$((n + 1)); done
  if alive "$STATE_DIR/client.pid"; then kill "$(cat "$STATE_DIR/client.pid")" 2>/dev/null || true; fi
  if grep -qx 'appsnap-unlocked' "$STATE_DIR/session.out" 2>/dev/null; then
    say "UNLOCK TABLES done in session $id, session closed"
  else
    say "lock session $id stopped"
  fi
elif [ -n "$id" ]; then
  say "no lock taken by AppSnap is held (session $id already ended)"
else
  say "no lock taken by AppSnap is held (nothing to release)"
fi
rm -f "$STATE_DIR/writer.pid" "$STATE_DIR/client.pid" "$STATE_DIR/session.fifo"

# The server's word is final: our session must be gone (killed if it lingers).
if [ -n "$id" ]; then
  n=0
  while :; do
    left=$(sql -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = $id" 2>&1) \
      || fail "cannot confirm on the server that session $id ended: $left"
    [ "$left" = 0 ] && break
    if [ "$n" -eq 0 ]; then sql -e "KILL $id" >/dev/null 2>&1 || true; fi
    [ "$n" -lt 25 ] || fail "session $id is still on the server after KILL"
    sleep 0.2
    n=$((n + 1))
  done
  say "confirmed on the server: session $id is gone, no AppSnap lock remains"
  rm -f "$STATE_DIR/session.out"
fi

if [ -f "$STATE_DIR/replica-stopped" ]; then
  sql -e 'START REPLICA SQL_THREAD' 2>/dev/null || sql -e 'START SLAVE SQL_THREAD' \
    || fail "cannot start the replica SQL thread again"
  rm -f "$STATE_DIR/replica-stopped"
  say "replica SQL thread started again"
fi
