#!/bin/sh
# appsnap-template: postgresql/1 thaw (POSIX sh). Stops the backup mode the freeze script
# holds: stops its watchdog, which sends pg_backup_stop / pg_stop_backup in the session
# that started it and closes the session; a backend still on the server after that is
# terminated there (which aborts its backup). The stop's backup label is kept in
# STATE_DIR/backup_label for restores that want it. Safe to run twice or without a freeze.
set -eu

# Parameters, filled in by AppSnap (paths and names are checked to hold no spaces).
RUN_AS='{{run_as}}'
SOCKET_DIR='{{socket_dir}}'
PORT='{{port}}'
DB_USER='{{user}}'
DBNAME='{{dbname}}'
STATE_DIR='{{state_dir}}'

say() { printf 'appsnap postgresql thaw: %s\n' "$*"; }
fail() { say "FAILED: $*"; exit 1; }

as_user=""
[ -n "$RUN_AS" ] && as_user="runuser -u $RUN_AS --"
conn="-h $SOCKET_DIR -p $PORT -U $DB_USER -d $DBNAME"
# shellcheck disable=SC2086
sql() { $as_user psql -X -q -At -v ON_ERROR_STOP=1 $conn -c "$1"; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

cd /
if [ ! -d "$STATE_DIR" ]; then
  say "no backup started by AppSnap is in progress (nothing to stop)"
  exit 0
fi

if [ -f "$STATE_DIR/watchdog.log" ]; then
  say "backup mode was already $(cat "$STATE_DIR/watchdog.log"): this snapshot may not be application-consistent"
  rm -f "$STATE_DIR/watchdog.log"
fi

out="$STATE_DIR/session.out"
pid=$(sed -n 's/^appsnap-session \([0-9][0-9]*\)$/\1/p' "$out" 2>/dev/null || true)
if alive "$STATE_DIR/writer.pid" || alive "$STATE_DIR/client.pid"; then
  if alive "$STATE_DIR/writer.pid"; then kill "$(cat "$STATE_DIR/writer.pid")" 2>/dev/null || true; fi
  n=0
  while alive "$STATE_DIR/client.pid" && [ "$n" -lt 50 ]; do sleep 0.2; n=$((n + 1)); done
  if alive "$STATE_DIR/client.pid"; then kill "$(cat "$STATE_DIR/client.pid")" 2>/dev/null || true; fi
  if grep -qx 'appsnap-backup-stopped' "$out" 2>/dev/null; then
    sed -n '/^appsnap-stop-lsn /,/^appsnap-backup-stopped$/{/^appsnap-/d;/^$/d;p;}' "$out" \
      >"$STATE_DIR/backup_label"
    say "backup stopped in session $pid at LSN $(sed -n 's/^appsnap-stop-lsn //p' "$out"), label in $STATE_DIR/backup_label"
  else
    say "backup session $pid stopped without a clean stop: $(tr '\n' ' ' <"$out" 2>/dev/null)"
  fi
elif [ -n "$pid" ]; then
  say "no backup started by AppSnap is in progress (session $pid already ended)"
else
  say "no backup started by AppSnap is in progress (nothing to stop)"
fi
rm -f "$STATE_DIR/writer.pid" "$STATE_DIR/client.pid" "$STATE_DIR/session.fifo"

# The server's word is final: our backend must be gone (terminated if it lingers).
if [ -n "$pid" ]; then
  n=0
  while :; do
    left=$(sql "SELECT count(*) FROM pg_stat_activity WHERE pid = $pid" 2>&1) \
      || fail "cannot confirm on the server that session $pid ended: $left"
    [ "$left" = 0 ] && break
    if [ "$n" -eq 0 ]; then sql "SELECT pg_terminate_backend($pid)" >/dev/null 2>&1 || true; fi
    [ "$n" -lt 25 ] || fail "session $pid is still on the server after pg_terminate_backend"
    sleep 0.2
    n=$((n + 1))
  done
  say "confirmed on the server: session $pid is gone, no AppSnap backup remains"
  rm -f "$out"
fi
