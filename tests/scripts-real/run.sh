#!/usr/bin/env bash
# Checks are strings that `check` evals later, so their $ stay unexpanded on purpose, and
# variables read only inside them look unused to shellcheck.
# shellcheck disable=SC2016,SC2034
# The freeze/thaw templates on real servers (make scripts-real; part of make test).
#
# Starts throwaway MariaDB, PostgreSQL and Redis servers (Debian packages, installed by
# scripts/install-deps.sh test) on scratch data dirs with private sockets and no TCP, each
# as its package's unprivileged user; renders the real templates with core's own renderer
# (the render_script example) pointed at them; runs them as root with sh, as the guest
# would; and checks what each promises. Also runs shellcheck on every template, raw and
# rendered. MongoDB is not packaged by Debian: its pair is only shellchecked and rendered.
# Every server, script process and temp dir is removed on exit, also on failure.
# Exits non-zero when any check fails; prints each check and the suite's wall time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TEMPLATES="$ROOT/crates/appsnap-core/src/scripts/templates"
t0=$(date +%s%N)
passed=0
failed=0

ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$*"; }
bad() { failed=$((failed + 1)); printf 'FAIL %s\n' "$*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
section() { printf '\n== %s\n' "$*"; }
die() { printf 'scripts-real: %s\n' "$*" >&2; exit 1; }
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

[ "$(id -u)" -eq 0 ] || die "run as root: the scripts run as root on the guest and the servers as their own users"
for c in mariadb-install-db mariadbd mariadb psql redis-server redis-cli shellcheck setsid runuser; do
  command -v "$c" >/dev/null || die "$c not found: run scripts/install-deps.sh test"
done
PGBIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
[ -x "$PGBIN/initdb" ] || die "PostgreSQL server binaries not found: run scripts/install-deps.sh test"
for u in mysql postgres redis; do id "$u" >/dev/null 2>&1 || die "user $u missing (made by its server package)"; done

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/appsnap-scripts-real.XXXXXX")
chmod 755 "$SCRATCH"
cleanup() {
  set +e
  # Script processes first (holders and watchdogs), then the servers.
  for f in "$SCRATCH"/*/state*/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
  [ -f "$SCRATCH/my/run/my.pid" ] && kill "$(cat "$SCRATCH/my/run/my.pid")" 2>/dev/null
  [ -d "$SCRATCH/pg/data" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$SCRATCH/pg/data" -m immediate stop >/dev/null 2>&1
  for f in "$SCRATCH"/rd*/redis.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
  local n=0
  while [ "$n" -lt 50 ] && { [ -S "$SCRATCH/my/run/my.sock" ] || ls "$SCRATCH"/rd*/redis.sock >/dev/null 2>&1; }; do
    sleep 0.1; n=$((n + 1))
  done
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

# Built by `make scripts-real` as the calling user when this runs under sudo.
[ -n "${SCRIPTS_REAL_PREBUILT:-}" ] \
  || cargo build -q -p appsnap-core --example render_script --manifest-path "$ROOT/Cargo.toml"
RENDER="$ROOT/target/debug/examples/render_script"
# render NAME DIR FREEZE_TIMEOUT K=V...
render() { mkdir -p "$2"; "$RENDER" "$@"; }

# run_script FILE: sets $out, $rc and $ms.
run_script() {
  local s; s=$(date +%s%N)
  rc=0; out=$(sh "$1" 2>&1) || rc=$?
  ms=$(ms_since "$s")
  printf '%s\n' "$out" | sed 's/^/     | /'
}
has() { printf '%s\n' "$out" | grep -qF -- "$1"; }

# ---------------------------------------------------------------------------- shellcheck
section "shellcheck (every template, as shipped)"
for f in "$TEMPLATES"/*/*.sh; do
  check "shellcheck ${f#"$TEMPLATES"/}" shellcheck -s sh "$f"
done

# ---------------------------------------------------------------------------- generic
section "generic"
render generic "$SCRATCH/generic" 30
check "generic: rendered pair is shellcheck clean" shellcheck -s sh "$SCRATCH/generic/freeze.sh" "$SCRATCH/generic/thaw.sh"
run_script "$SCRATCH/generic/freeze.sh"
check "generic freeze: exit 0 and says sync ran" eval '[ "$rc" = 0 ] && has "flushing file-system buffers (sync)"'
run_script "$SCRATCH/generic/thaw.sh"
check "generic thaw: exit 0, nothing to release" eval '[ "$rc" = 0 ] && has "nothing to release"'

# ---------------------------------------------------------------------------- mariadb
section "MariaDB"
MY="$SCRATCH/my"
mkdir -p "$MY/data" "$MY/run"
chown -R mysql:mysql "$MY"
mariadb-install-db --no-defaults --user=mysql --datadir="$MY/data" \
  --auth-root-authentication-method=normal --skip-test-db >"$MY/install.log" 2>&1 \
  || { cat "$MY/install.log"; die "mariadb-install-db failed"; }
setsid mariadbd --no-defaults --user=mysql --datadir="$MY/data" --socket="$MY/run/my.sock" \
  --skip-networking --pid-file="$MY/run/my.pid" --log-error="$MY/error.log" \
  --innodb-buffer-pool-size=16M --innodb-log-file-size=8M </dev/null >/dev/null 2>&1 &
for _ in $(seq 100); do [ -S "$MY/run/my.sock" ] && break; sleep 0.1; done
[ -S "$MY/run/my.sock" ] || { cat "$MY/error.log"; die "mariadbd did not start"; }
pw=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
mariadb --socket="$MY/run/my.sock" -uroot -e "ALTER USER root@localhost IDENTIFIED BY '$pw'; CREATE DATABASE t; CREATE TABLE t.a (x INT) ENGINE=InnoDB; INSERT INTO t.a VALUES (1)"
# The credentials live only in a root-only option file, as /root/.my.cnf would on a guest.
printf '[client]\nuser=root\npassword=%s\nsocket=%s\n' "$pw" "$MY/run/my.sock" >"$MY/my.cnf"
chmod 600 "$MY/my.cnf"
sql() { mariadb --defaults-extra-file="$MY/my.cnf" --batch --skip-column-names "$@"; }
# insert_blocked VALUE: true when an INSERT fails with ER_LOCK_WAIT_TIMEOUT (1205) in 1 s.
insert_blocked() { local e; e=$(sql -e "SET SESSION lock_wait_timeout = 1; INSERT INTO t.a VALUES ($1)" 2>&1) && return 1; printf '%s' "$e" | grep -q 'ERROR 1205'; }
insert_works() { sql -e "SET SESSION lock_wait_timeout = 1; INSERT INTO t.a VALUES ($1)"; }
my_params=(client=mariadb "defaults_file=$MY/my.cnf" "state_dir=$MY/state")

render mysql "$MY/pair" 30 "${my_params[@]}"
check "mysql: rendered pair is shellcheck clean" shellcheck -s sh "$MY/pair/freeze.sh" "$MY/pair/thaw.sh"
check "mysql: the password is in neither rendered script" eval '! grep -qF -- "$pw" "$MY/pair/freeze.sh" "$MY/pair/thaw.sh"'
run_script "$MY/pair/freeze.sh"
check "mysql freeze: exit 0 in ${ms} ms (well inside 30 s) and says the lock is held" \
  eval '[ "$rc" = 0 ] && [ "$ms" -lt 10000 ] && has "holds FLUSH TABLES WITH READ LOCK"'
sid=$(sed -n 's/.*session \([0-9]*\) holds.*/\1/p' <<<"$out")
check "mysql: the holding session $sid is on the server after the freeze script returned" \
  eval '[ "$(sql -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ${sid:-0}")" = 1 ]'
check "mysql: an INSERT from another session blocks (ERROR 1205 lock wait timeout)" insert_blocked 2
sleep 1
check "mysql: still blocked a second later (the lock is held, not just taken)" insert_blocked 3
run_script "$MY/pair/thaw.sh"
check "mysql thaw: exit 0, UNLOCK TABLES done, session gone on the server" \
  eval '[ "$rc" = 0 ] && has "UNLOCK TABLES done in session $sid" && has "session $sid is gone"'
check "mysql: an INSERT succeeds after the thaw" insert_works 4
run_script "$MY/pair/thaw.sh"
check "mysql: a second thaw is harmless (exit 0, nothing to release)" eval '[ "$rc" = 0 ] && has "nothing to release"'
render mysql "$MY/fresh" 30 "${my_params[@]}" "state_dir=$MY/state-never"
run_script "$MY/fresh/thaw.sh"
check "mysql: a thaw without any freeze is harmless (exit 0)" eval '[ "$rc" = 0 ] && has "nothing to release"'
check "mysql: rows 1 and 4 are stored, the blocked 2 and 3 are not" eval '[ "$(sql -e "SELECT GROUP_CONCAT(x ORDER BY x) FROM t.a")" = "1,4" ]'

render mysql "$MY/replica" 30 "${my_params[@]}" replica=on
run_script "$MY/replica/freeze.sh"
check "mysql replica mode: freeze exit 0, no replication configured so nothing stopped" \
  eval '[ "$rc" = 0 ] && has "replica SQL thread is not running, nothing to stop" && has "holds FLUSH TABLES"'
run_script "$MY/replica/thaw.sh"
check "mysql replica mode: thaw exit 0" eval '[ "$rc" = 0 ] && has "UNLOCK TABLES done"'

# A short watchdog is only valid for a short freeze timeout (>= 2x): 2 s -> 4 s.
render mysql "$MY/watchdog" 2 "${my_params[@]}" watchdog_seconds=4
run_script "$MY/watchdog/freeze.sh"
w0=$(date +%s%N)
check "mysql watchdog: freeze exit 0 with a 4 s watchdog" eval '[ "$rc" = 0 ] && has "released after 4 s"'
check "mysql watchdog: an INSERT blocks while the lock is held" insert_blocked 5
until insert_works 6 2>/dev/null || [ "$(ms_since "$w0")" -gt 9000 ]; do sleep 0.2; done
waited=$(ms_since "$w0")
check "mysql watchdog: with no thaw, writes work again after ${waited} ms (bound 4 s + 1 s)" \
  eval '[ "$waited" -ge 3000 ] && [ "$waited" -le 5000 ]'
run_script "$MY/watchdog/thaw.sh"
check "mysql watchdog: the late thaw exits 0 and says the watchdog released the lock" \
  eval '[ "$rc" = 0 ] && has "released by the watchdog after 4 s" && has "may not be application-consistent"'

render mysql "$MY/broken" 30 client=mariadb "defaults_file=$MY/missing.cnf" "state_dir=$MY/state-broken"
run_script "$MY/broken/freeze.sh"
check "mysql: a missing option file fails the freeze (exit $rc) with a clear line" \
  eval '[ "$rc" = 1 ] && has "FAILED: option file $MY/missing.cnf is missing or unreadable"'
check "mysql: after all runs, no AppSnap session is left on the server" \
  eval '[ "$(sql -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND = \"Sleep\"")" = 0 ]'

# ---------------------------------------------------------------------------- postgresql
section "PostgreSQL ($("$PGBIN/postgres" --version))"
PG="$SCRATCH/pg"
mkdir -p "$PG/run"
chown postgres:postgres "$PG" "$PG/run"
runuser -u postgres -- "$PGBIN/initdb" -D "$PG/data" -U postgres --auth-local=peer \
  --auth-host=reject -E UTF8 --locale=C.UTF-8 >"$PG/initdb.log" 2>&1 \
  || { cat "$PG/initdb.log"; die "initdb failed"; }
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PG/data" -l "$PG/server.log" -w \
  -o "-c listen_addresses='' -c unix_socket_directories=$PG/run -c port=5433 -c shared_buffers=16MB" \
  start >/dev/null || { cat "$PG/server.log"; die "postgres did not start"; }
psql_() { (cd / && runuser -u postgres -- psql -X -q -At -v ON_ERROR_STOP=1 -h "$PG/run" -p 5433 -d postgres -c "$1"); }
psql_ 'CREATE TABLE a (x int); INSERT INTO a VALUES (1)'
pg_params=(run_as=postgres "socket_dir=$PG/run" port=5433 "state_dir=$PG/state")
ckpt() { psql_ 'SELECT checkpoint_lsn FROM pg_control_checkpoint()'; }

render postgresql "$PG/pair" 30 "${pg_params[@]}"
check "postgresql: rendered pair is shellcheck clean" shellcheck -s sh "$PG/pair/freeze.sh" "$PG/pair/thaw.sh"
before=$(ckpt)
run_script "$PG/pair/freeze.sh"
check "postgresql freeze: exit 0 in ${ms} ms, pg_backup_start chosen for $(psql_ 'SHOW server_version_num')" \
  eval '[ "$rc" = 0 ] && [ "$ms" -lt 10000 ] && has "using pg_backup_start / pg_backup_stop" && has "holds backup mode"'
bpid=$(sed -n 's/.*session \([0-9]*\) holds.*/\1/p' <<<"$out")
start_lsn=$(sed -n 's/.*start LSN \([0-9A-F/]*\)).*/\1/p' <<<"$out")
after=$(ckpt)
check "postgresql: the start forced a checkpoint ($before -> $after)" eval '[ -n "$after" ] && [ "$after" != "$before" ]'
check "postgresql: the backup session $bpid is on the server after the freeze script returned" \
  eval '[ "$(psql_ "SELECT count(*) FROM pg_stat_activity WHERE pid = ${bpid:-0}")" = 1 ]'
check "postgresql: writes do NOT block in backup mode (an INSERT succeeds, as documented)" psql_ 'INSERT INTO a VALUES (2)'
run_script "$PG/pair/thaw.sh"
check "postgresql thaw: exit 0, backup stopped in the same session, session gone" \
  eval '[ "$rc" = 0 ] && has "backup stopped in session $bpid" && has "session $bpid is gone"'
check "postgresql: the stop's label names our label and the forced checkpoint $after" \
  eval 'grep -q "^LABEL: appsnap-" "$PG/state/backup_label" && grep -qx "CHECKPOINT LOCATION: $after" "$PG/state/backup_label"'
wal_ends() { for f in "$PG"/data/pg_wal/0*; do "$PGBIN/pg_waldump" "$f" 2>/dev/null; done | grep -o 'desc: BACKUP_END [0-9A-F/]*' || true; }
check "postgresql: the WAL holds BACKUP_END for start LSN $start_lsn (backup mode was held until the stop)" \
  eval 'wal_ends | grep -qx "desc: BACKUP_END $start_lsn"'
run_script "$PG/pair/thaw.sh"
check "postgresql: a second thaw is harmless (exit 0, nothing to stop)" eval '[ "$rc" = 0 ] && has "nothing to stop"'
check "postgresql: an INSERT succeeds after the thaw" psql_ 'INSERT INTO a VALUES (3)'

render postgresql "$PG/watchdog" 2 "${pg_params[@]}" watchdog_seconds=4 "state_dir=$PG/state-wd"
run_script "$PG/watchdog/freeze.sh"
w0=$(date +%s%N)
wd_pid=$(sed -n 's/.*session \([0-9]*\) holds.*/\1/p' <<<"$out")
wd_lsn=$(sed -n 's/.*start LSN \([0-9A-F/]*\)).*/\1/p' <<<"$out")
check "postgresql watchdog: freeze exit 0 with a 4 s watchdog" eval '[ "$rc" = 0 ] && has "stopped after 4 s"'
until [ "$(psql_ "SELECT count(*) FROM pg_stat_activity WHERE pid = ${wd_pid:-0}")" = 0 ] || [ "$(ms_since "$w0")" -gt 9000 ]; do sleep 0.2; done
waited=$(ms_since "$w0")
check "postgresql watchdog: with no thaw, the backup session ended after ${waited} ms (bound 4 s + 1 s)" \
  eval '[ "$waited" -ge 3000 ] && [ "$waited" -le 5000 ]'
check "postgresql watchdog: it stopped the backup cleanly (BACKUP_END for $wd_lsn)" \
  eval 'wal_ends | grep -qx "desc: BACKUP_END $wd_lsn"'
run_script "$PG/watchdog/thaw.sh"
check "postgresql watchdog: the late thaw exits 0 and says the watchdog stopped the backup" \
  eval '[ "$rc" = 0 ] && has "stopped by the watchdog after 4 s" && has "may not be application-consistent"'

render postgresql "$PG/broken" 30 run_as=postgres "socket_dir=$PG/run" port=5499 "state_dir=$PG/state-broken"
run_script "$PG/broken/freeze.sh"
check "postgresql: a wrong port fails the freeze (exit $rc) with a clear line" eval '[ "$rc" = 1 ] && has "FAILED: cannot connect"'

# ---------------------------------------------------------------------------- redis
section "Redis ($(redis-server --version | cut -d' ' -f3))"
RD="$SCRATCH/rd"
mkdir -p "$RD"
chown redis:redis "$RD"
# No automatic saves: only the template's BGSAVE writes the dump.
runuser -u redis -- redis-server --port 0 --unixsocket "$RD/redis.sock" --unixsocketperm 700 \
  --dir "$RD" --dbfilename dump.rdb --save '' --appendonly no --daemonize yes \
  --pidfile "$RD/redis.pid" --logfile "$RD/redis.log"
for _ in $(seq 50); do [ -S "$RD/redis.sock" ] && break; sleep 0.1; done
rcli() { redis-cli -s "$RD/redis.sock" "$@"; }
for i in 1 2 3; do rcli SET "k$i" "v$i-$RANDOM" >/dev/null; done
want=$(rcli MGET k1 k2 k3)
render redis "$RD/pair" 30 "socket=$RD/redis.sock"
check "redis: rendered pair is shellcheck clean" shellcheck -s sh "$RD/pair/freeze.sh" "$RD/pair/thaw.sh"
check "redis: no dump exists before the freeze" eval '[ ! -e "$RD/dump.rdb" ]'
run_script "$RD/pair/freeze.sh"
check "redis freeze: exit 0 in ${ms} ms, save finished with status ok" \
  eval '[ "$rc" = 0 ] && [ "$ms" -lt 10000 ] && has "rdb_last_bgsave_status:ok"'
rcli SET k4 after >/dev/null
# The dump as a snapshot would find it: loaded by a second, separate server.
RD2="$SCRATCH/rd2"
mkdir -p "$RD2"
cp "$RD/dump.rdb" "$RD2/dump.rdb"
chown -R redis:redis "$RD2"
runuser -u redis -- redis-server --port 0 --unixsocket "$RD2/redis.sock" --dir "$RD2" \
  --dbfilename dump.rdb --save '' --appendonly no --daemonize yes --pidfile "$RD2/redis.pid" \
  --logfile "$RD2/redis.log"
for _ in $(seq 50); do [ -S "$RD2/redis.sock" ] && [ "$(redis-cli -s "$RD2/redis.sock" PING 2>/dev/null)" = PONG ] && break; sleep 0.1; done
got=$(redis-cli -s "$RD2/redis.sock" MGET k1 k2 k3)
check "redis: the dump holds the three keys written before the freeze, with their values" eval '[ "$got" = "$want" ]'
check "redis: and not the key written after it" eval '[ "$(redis-cli -s "$RD2/redis.sock" EXISTS k4)" = 0 ]'
run_script "$RD/pair/thaw.sh"
check "redis thaw: exit 0 and says it has nothing to release" eval '[ "$rc" = 0 ] && has "nothing to release"'
run_script "$RD/pair/thaw.sh"
check "redis: a second thaw is harmless (exit 0)" eval '[ "$rc" = 0 ]'
check "redis: writes work after the thaw" eval '[ "$(rcli SET k5 v5)" = OK ]'
run_script "$RD/pair/freeze.sh"
check "redis: a second freeze right after the first still sees LASTSAVE advance (exit 0)" \
  eval '[ "$rc" = 0 ] && has "rdb_last_bgsave_status:ok"'

# ---------------------------------------------------------------------------- mongodb
section "MongoDB (no server: Debian does not package it)"
render mongodb "$SCRATCH/mongo" 30
check "mongodb: rendered pair is shellcheck clean (NOT run against a server)" \
  shellcheck -s sh "$SCRATCH/mongo/freeze.sh" "$SCRATCH/mongo/thaw.sh"

# ---------------------------------------------------------------------------- summary
printf '\nscripts-real: %d passed, %d failed, wall time %d.%03d s\n' "$passed" "$failed" \
  $(($(ms_since "$t0") / 1000)) $(($(ms_since "$t0") % 1000))
[ "$failed" -eq 0 ]
