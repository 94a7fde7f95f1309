#!/bin/sh
# appsnap-template: mysql/1 freeze (POSIX sh). MariaDB and MySQL.
#
# A lock belongs to its session and ends with it, so FLUSH TABLES WITH READ LOCK is taken
# in a background client session that outlives this script, and the script returns only
# once the lock statement has returned there. The session reads SQL from a FIFO whose only
# writer is the watchdog: it sends the lock, then waits; when the thaw script stops it, or
# after WATCHDOG_SECONDS on its own, it sends UNLOCK TABLES and closes the FIFO, the client
# quits and the server drops whatever is left. Credentials come from an option file or
# socket authentication, never from this script.
set -eu

# Parameters, filled in by AppSnap (paths and names are checked to hold no spaces).
CLIENT='{{client}}'
DEFAULTS_FILE='{{defaults_file}}'
SOCKET='{{socket}}'
WATCHDOG_SECONDS='{{watchdog_seconds}}'
LOCK_WAIT_SECONDS='{{lock_wait_seconds}}'
REPLICA='{{replica}}'
STATE_DIR='{{state_dir}}'

say() { printf 'appsnap mysql freeze: %s\n' "$*"; }

opts=""
[ -n "$DEFAULTS_FILE" ] && opts="--defaults-extra-file=$DEFAULTS_FILE"
[ -n "$SOCKET" ] && opts="$opts --socket=$SOCKET"
# One short session. Word splitting of $opts is wanted: it holds only checked paths.
# shellcheck disable=SC2086
sql() { "$CLIENT" $opts --batch --skip-column-names "$@"; }

session_id() { sed -n 's/^appsnap-session \([0-9][0-9]*\)$/\1/p' "$STATE_DIR/session.out" 2>/dev/null || true; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Ends our session however far it got: the watchdog sends UNLOCK TABLES, and a session
# still on the server after that (a lock statement still waiting) is killed there.
release() {
  if alive "$STATE_DIR/writer.pid"; then kill "$(cat "$STATE_DIR/writer.pid")" 2>/dev/null || true; fi
  n=0
  while alive "$STATE_DIR/client.pid" && [ "$n" -lt 50 ]; do sleep 0.2; n=$((n + 1)); done
  if alive "$STATE_DIR/client.pid"; then kill "$(cat "$STATE_DIR/client.pid")" 2>/dev/null || true; fi
  id=$(session_id)
  if [ -n "$id" ]; then sql -e "KILL $id" >/dev/null 2>&1 || true; fi
  rm -f "$STATE_DIR/writer.pid" "$STATE_DIR/client.pid" "$STATE_DIR/session.fifo"
}

restart_replica() {
  if [ -f "$STATE_DIR/replica-stopped" ]; then
    sql -e 'START REPLICA SQL_THREAD' 2>/dev/null || sql -e 'START SLAVE SQL_THREAD' || true
    rm -f "$STATE_DIR/replica-stopped"
    say "replica SQL thread started again"
  fi
}

fail() {
  say "FAILED: $*"
  release
  restart_replica
  exit 1
}

command -v "$CLIENT" >/dev/null 2>&1 || fail "client '$CLIENT' not found on PATH"
if [ -n "$DEFAULTS_FILE" ] && [ ! -r "$DEFAULTS_FILE" ]; then
  fail "option file $DEFAULTS_FILE is missing or unreadable"
fi
command -v setsid >/dev/null 2>&1 || fail "setsid (util-linux) not found: the lock session must outlive this script"
umask 077
mkdir -p "$STATE_DIR" || fail "cannot create $STATE_DIR"

if alive "$STATE_DIR/writer.pid" || alive "$STATE_DIR/client.pid"; then
  release
  say "an earlier freeze was never thawed: its lock is released before taking a new one"
fi
rm -f "$STATE_DIR/session.out" "$STATE_DIR/watchdog.log"

version=$(sql -e 'SELECT VERSION()' 2>&1) || fail "cannot connect: $version"
say "connected to server $version"

if [ "$REPLICA" = on ]; then
  status=$(sql -e 'SHOW REPLICA STATUS\G' 2>/dev/null || sql -e 'SHOW SLAVE STATUS\G' 2>&1) \
    || fail "cannot read the replica status: $status"
  if printf '%s\n' "$status" | grep -Eq '(Slave|Replica)_SQL_Running: Yes'; then
    sql -e 'STOP REPLICA SQL_THREAD' 2>/dev/null || sql -e 'STOP SLAVE SQL_THREAD' \
      || fail "cannot stop the replica SQL thread"
    : >"$STATE_DIR/replica-stopped"
    say "replica SQL thread stopped (the thaw script starts it again)"
  else
    say "replica mode: the replica SQL thread is not running, nothing to stop"
  fi
fi

fifo="$STATE_DIR/session.fifo"
rm -f "$fifo"
mkfifo "$fifo" || fail "cannot create $fifo"

# The session: its own process session (setsid), so nothing that ends this script's
# process group ends the lock; no terminal, its output in a root-only file.
# The inner scripts expand their own arguments, hence single quotes.
# shellcheck disable=SC2016,SC2086
setsid sh -c 'printf "%s\n" "$$" >"$1"; shift; exec "$@"' appsnap-session \
  "$STATE_DIR/client.pid" "$CLIENT" $opts --batch --skip-column-names --unbuffered \
  <"$fifo" >"$STATE_DIR/session.out" 2>&1 &

# The watchdog, the FIFO's only writer. The session's wait_timeout is raised past the
# watchdog so that a short server setting cannot end the lock early.
lock_sql="SET SESSION lock_wait_timeout = $LOCK_WAIT_SECONDS;
SET SESSION wait_timeout = $((WATCHDOG_SECONDS + 60));
SELECT CONCAT('appsnap-session ', CONNECTION_ID());
FLUSH TABLES WITH READ LOCK;
SELECT 'appsnap-locked';"
release_sql="UNLOCK TABLES;
SELECT 'appsnap-unlocked';"
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
    printf "released by the watchdog after %s s (no thaw came)\n" "$2" >"$5"
  fi
  printf "%s\n" "$4"
' appsnap-watchdog "$STATE_DIR/writer.pid" "$WATCHDOG_SECONDS" "$lock_sql" "$release_sql" \
  "$STATE_DIR/watchdog.log" </dev/null >"$fifo" 2>/dev/null &

# Ready when the lock statement has returned in the session; bounded by the lock wait.
n=0
limit=$(((LOCK_WAIT_SECONDS + 5) * 5))
while ! grep -qx 'appsnap-locked' "$STATE_DIR/session.out" 2>/dev/null; do
  if [ "$n" -gt 10 ] && ! alive "$STATE_DIR/client.pid"; then
    fail "the lock session ended: $(tr '\n' ' ' <"$STATE_DIR/session.out" 2>/dev/null)"
  fi
  [ "$n" -lt "$limit" ] || fail "FLUSH TABLES WITH READ LOCK did not return within $((LOCK_WAIT_SECONDS + 5)) s"
  sleep 0.2
  n=$((n + 1))
done
id=$(session_id)
held=$(sql -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = $id" 2>&1) \
  || fail "cannot check the lock session: $held"
[ "$held" = 1 ] || fail "lock session $id is not on the server"
say "session $id holds FLUSH TABLES WITH READ LOCK"
say "watchdog: the lock is released after $WATCHDOG_SECONDS s unless the thaw script runs first"
