#!/bin/sh
# appsnap-template: redis/1 freeze (POSIX sh). Persists the dataset before the freeze:
# BGSAVE, then waits (bounded) until no save is in progress, LASTSAVE has advanced past
# the moment of the request and the last save reported ok, so the RDB file on disk holds
# every key written before this script returned. Holds nothing. A password, when needed,
# is read from a root-only file into REDISCLI_AUTH, never written here.
set -eu

# Parameters, filled in by AppSnap (paths and names are checked to hold no spaces).
CLI='{{cli}}'
SOCKET='{{socket}}'
HOST='{{host}}'
PORT='{{port}}'
PASSWORD_FILE='{{password_file}}'
WAIT_SECONDS='{{wait_seconds}}'

say() { printf 'appsnap redis freeze: %s\n' "$*"; }
fail() { say "FAILED: $*"; exit 1; }

command -v "$CLI" >/dev/null 2>&1 || fail "client '$CLI' not found on PATH"
if [ -n "$PASSWORD_FILE" ]; then
  [ -r "$PASSWORD_FILE" ] || fail "password file $PASSWORD_FILE is missing or unreadable"
  REDISCLI_AUTH=$(cat "$PASSWORD_FILE")
  export REDISCLI_AUTH
fi
if [ -n "$SOCKET" ]; then target="-s $SOCKET"; else target="-h $HOST -p $PORT"; fi
# Word splitting of $target is wanted: checked names only.
# shellcheck disable=SC2086
cli() { "$CLI" $target --no-raw "$@" 2>&1; }
# shellcheck disable=SC2086
raw() { "$CLI" $target --raw "$@" 2>&1; }
field() { raw INFO persistence | tr -d '\r' | sed -n "s/^$1://p"; }

pong=$(raw PING) || fail "cannot connect: $pong"
[ "$pong" = PONG ] || fail "server did not answer PING: $pong"
before=$(raw LASTSAVE) || fail "LASTSAVE failed: $before"
case $before in '' | *[!0-9]*) fail "unexpected LASTSAVE reply: $before" ;; esac
# LASTSAVE counts whole seconds: a save that ends in the same second as the last one
# would not show, so start in the next second.
now=$(raw TIME | head -n 1)
if [ "$now" = "$before" ]; then sleep 1; fi
say "connected; last save at $before (unix time)"

reply=$(cli BGSAVE) || fail "BGSAVE failed: $reply"
case $reply in
  *"Background saving started"*) say "BGSAVE started" ;;
  *"already in progress"*)
    reply=$(cli BGSAVE SCHEDULE) || fail "BGSAVE SCHEDULE failed: $reply"
    say "a save was already running; BGSAVE scheduled after it ($reply)" ;;
  *) fail "BGSAVE refused: $reply" ;;
esac

n=0
limit=$((WAIT_SECONDS * 5))
while :; do
  last=$(raw LASTSAVE)
  if [ "$(field rdb_bgsave_in_progress)" = 0 ] && [ "$last" != "$before" ]; then break; fi
  [ "$n" -lt "$limit" ] || fail "the background save did not finish within $WAIT_SECONDS s"
  sleep 0.2
  n=$((n + 1))
done
status=$(field rdb_last_bgsave_status)
[ "$status" = ok ] || fail "the background save failed (rdb_last_bgsave_status:$status); see the Redis log"
say "dataset saved to disk at $last (rdb_last_bgsave_status:ok); nothing is held"
