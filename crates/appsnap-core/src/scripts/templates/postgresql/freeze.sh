#!/bin/sh
# appsnap-template: postgresql/1 freeze (POSIX sh). PostgreSQL 10 and newer.
#
# Puts the server in (non-exclusive) backup mode: pg_backup_start (15+) or
# pg_start_backup(label, fast, false) (10-14), chosen from server_version_num. The mode
# belongs to the session that started it and is aborted when that session ends, so it is
# started in a background psql that outlives this script, and the script returns once the
# call has returned there. The session reads SQL from a FIFO whose only writer is the
# watchdog: when the thaw script stops it, or after WATCHDOG_SECONDS on its own, it sends
# pg_backup_stop / pg_stop_backup and closes the FIFO. Backup mode does not block writes: it
# forces a checkpoint (so recovery from the snapshot is short) and full-page writes until
# the stop. No password: peer or trust authentication, or the server's own rules for
# RUN_AS over the socket.
set -eu

# Parameters, filled in by AppSnap (paths and names are checked to hold no spaces).
RUN_AS='{{run_as}}'
SOCKET_DIR='{{socket_dir}}'
PORT='{{port}}'
DB_USER='{{user}}'
DBNAME='{{dbname}}'
WATCHDOG_SECONDS='{{watchdog_seconds}}'
START_SECONDS='{{start_timeout_seconds}}'
STATE_DIR='{{state_dir}}'

say() { printf 'appsnap postgresql freeze: %s\n' "$*"; }

as_user=""
[ -n "$RUN_AS" ] && as_user="runuser -u $RUN_AS --"
conn="-h $SOCKET_DIR -p $PORT -U $DB_USER -d $DBNAME"
# One short query. Word splitting of $as_user and $conn is wanted: checked names only.
# shellcheck disable=SC2086
sql() { $as_user psql -X -q -At -v ON_ERROR_STOP=1 $conn -c "$1"; }

session_pid() { sed -n 's/^appsnap-session \([0-9][0-9]*\)$/\1/p' "$STATE_DIR/session.out" 2>/dev/null || true; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Ends our session however far it got: the watchdog sends the stop call, and a backend
# still on the server after that is terminated there (which aborts its backup).
release() {
  if alive "$STATE_DIR/writer.pid"; then kill "$(cat "$STATE_DIR/writer.pid")" 2>/dev/null || true; fi
  n=0
  while alive "$STATE_DIR/client.pid" && [ "$n" -lt 50 ]; do sleep 0.2; n=$((n + 1)); done
  if alive "$STATE_DIR/client.pid"; then kill "$(cat "$STATE_DIR/client.pid")" 2>/dev/null || true; fi
  pid=$(session_pid)
  if [ -n "$pid" ]; then sql "SELECT pg_terminate_backend($pid)" >/dev/null 2>&1 || true; fi
  rm -f "$STATE_DIR/writer.pid" "$STATE_DIR/client.pid" "$STATE_DIR/session.fifo"
}

fail() {
  say "FAILED: $*"
  release
  exit 1
}

cd /
command -v psql >/dev/null 2>&1 || fail "psql not found on PATH"
if [ -n "$RUN_AS" ]; then
  command -v runuser >/dev/null 2>&1 || fail "runuser (util-linux) not found"
  id "$RUN_AS" >/dev/null 2>&1 || fail "user $RUN_AS does not exist"
fi
command -v setsid >/dev/null 2>&1 || fail "setsid (util-linux) not found: the backup session must outlive this script"
umask 077
mkdir -p "$STATE_DIR" || fail "cannot create $STATE_DIR"

if alive "$STATE_DIR/writer.pid" || alive "$STATE_DIR/client.pid"; then
  release
  say "an earlier freeze was never thawed: its backup is stopped before starting a new one"
fi
rm -f "$STATE_DIR/session.out" "$STATE_DIR/watchdog.log"

version=$(sql 'SHOW server_version_num' 2>&1) || fail "cannot connect: $version"
case $version in
  '' | *[!0-9]*) fail "unexpected server_version_num: $version" ;;
esac
label="appsnap-$(date -u +%Y%m%dT%H%M%SZ)"
if [ "$version" -ge 150000 ]; then
  start="pg_backup_start('$label', true)"
  stop="pg_backup_stop(false)"
elif [ "$version" -ge 100000 ]; then
  start="pg_start_backup('$label', true, false)"
  stop="pg_stop_backup(false, false)"
else
  fail "PostgreSQL $version is older than 10: not supported"
fi
say "connected to server_version_num $version: using ${start%%(*} / ${stop%%(*}"

fifo="$STATE_DIR/session.fifo"
rm -f "$fifo"
mkfifo "$fifo" || fail "cannot create $fifo"

# The session: its own process session (setsid), so nothing that ends this script's
# process group ends the backup; its output in a root-only file. The inner script expands
# its own arguments, hence single quotes.
# shellcheck disable=SC2016,SC2086
setsid sh -c 'printf "%s\n" "$$" >"$1"; shift; exec "$@"' appsnap-session \
  "$STATE_DIR/client.pid" $as_user psql -X -q -At $conn \
  <"$fifo" >"$STATE_DIR/session.out" 2>&1 &

# Idle and statement timeouts are switched off for this session only (a server default
# could otherwise end the backup early); the start call alone is bounded. Versions before
# 14 lack idle_session_timeout, so that line runs before errors become fatal.
start_sql="SET idle_session_timeout = 0;
\\set ON_ERROR_STOP on
SET idle_in_transaction_session_timeout = 0;
SELECT 'appsnap-session ' || pg_backend_pid();
SET statement_timeout = '${START_SECONDS}s';
SELECT 'appsnap-start-lsn ' || $start;
SET statement_timeout = 0;
\\echo appsnap-backup-started"
stop_sql="SELECT 'appsnap-stop-lsn ' || lsn || E'\\n' || labelfile FROM $stop;
\\echo appsnap-backup-stopped"
# shellcheck disable=SC2016
setsid sh -c '
  printf "%s\n" "$$" >"$1"
  printf "%s\n" "$3"
  sleep "$2" >/dev/null 2>&1 &
  sleeper=$!
  by=watchdog
  trap "by=thaw; kill \$sleeper 2>/dev/null" TERM
  wait "$sleeper" || true
  if [ "$by" = watchdog ]; then
    printf "stopped by the watchdog after %s s (no thaw came)\n" "$2" >"$5"
  fi
  printf "%s\n" "$4"
' appsnap-watchdog "$STATE_DIR/writer.pid" "$WATCHDOG_SECONDS" "$start_sql" "$stop_sql" \
  "$STATE_DIR/watchdog.log" </dev/null >"$fifo" 2>/dev/null &

# Ready when the start call has returned in the session; bounded by its timeout.
n=0
limit=$(((START_SECONDS + 5) * 5))
while ! grep -qx 'appsnap-backup-started' "$STATE_DIR/session.out" 2>/dev/null; do
  if [ "$n" -gt 10 ] && ! alive "$STATE_DIR/client.pid"; then
    fail "the backup session ended: $(tr '\n' ' ' <"$STATE_DIR/session.out" 2>/dev/null)"
  fi
  [ "$n" -lt "$limit" ] || fail "${start%%(*} did not return within $((START_SECONDS + 5)) s"
  sleep 0.2
  n=$((n + 1))
done
pid=$(session_pid)
lsn=$(sed -n 's/^appsnap-start-lsn //p' "$STATE_DIR/session.out")
held=$(sql "SELECT count(*) FROM pg_stat_activity WHERE pid = $pid" 2>&1) \
  || fail "cannot check the backup session: $held"
[ "$held" = 1 ] || fail "backup session $pid is not on the server"
say "session $pid holds backup mode (checkpoint done, start LSN $lsn)"
say "watchdog: backup mode is stopped after $WATCHDOG_SECONDS s unless the thaw script runs first"
