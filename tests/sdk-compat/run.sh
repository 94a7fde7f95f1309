#!/usr/bin/env bash
# Alibaba Cloud's official Python SDKs, unchanged, against the sandbox cloud.
#
#   tests/sdk-compat/run.sh            (also: make sdk-compat; part of make test)
#
# 1. a venv under target/sdk-venv with the pinned SDKs of requirements.txt (PyPI; reinstalled
#    when requirements.txt changes);
# 2. `appsnap sandbox serve` on a free loopback port (demo scenario, fast simulated clock);
# 3. test_sdk_compat.py under `python -m unittest -v`, hermetic: loopback only, no proxies,
#    no ALIBABA_CLOUD_* variables, a throwaway HOME (no ~/.alibabacloud or ~/.aliyun).
# The server is always stopped on exit.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/target/sdk-venv"
BIN="${APPSNAP_BIN:-$ROOT/target/debug/appsnap}"
TIME_SCALE="${SDK_COMPAT_TIME_SCALE:-20}"

log() { echo "sdk-compat: $*" >&2; }

# ------------------------------------------------------------------ 1. the SDKs
"$HERE/venv.sh"

# ------------------------------------------------------------------ 2. the sandbox
if [[ ! -x "$BIN" ]]; then
  log "building appsnap (cargo build -p appsnap-cli)"
  (cd "$ROOT" && CARGO_TARGET_DIR="$ROOT/target" cargo build -p appsnap-cli --quiet)
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Port 0: the server picks a free port and prints it; no race with other suites.
"$BIN" sandbox serve --port 0 --scenario demo --seed 1 --time-scale "$TIME_SCALE" \
  >"$work/server.out" 2>"$work/server.err" &
server_pid=$!

endpoint=""
for _ in $(seq 1 200); do
  endpoint="$(sed -n 's#^sandbox cloud listening on http://\(127\.0\.0\.1:[0-9]*\)$#\1#p' "$work/server.out")"
  [[ -n "$endpoint" ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    log "the sandbox did not start:"; cat "$work/server.err" >&2; exit 1
  fi
  sleep 0.05
done
[[ -n "$endpoint" ]] || { log "the sandbox printed no endpoint"; cat "$work/server.err" >&2; exit 1; }

health="$(env -u http_proxy -u HTTP_PROXY "$VENV/bin/python" -c '
import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
print(opener.open("http://" + sys.argv[1] + "/_sandbox/health", timeout=5).read().decode())
' "$endpoint")"
log "sandbox on $endpoint: $health"

keys="$("$BIN" sandbox keys --output json)"
read -r ak_id ak_secret < <("$VENV/bin/python" -c '
import json, sys
admin = [a for a in json.load(sys.stdin)["accounts"] if a["name"] == "admin"][0]
print(admin["access_key_id"], admin["access_key_secret"])
' <<<"$keys")

# ------------------------------------------------------------------ 3. the tests
mkdir -p "$work/home"
set +e
(cd "$HERE" && env -i \
  PATH="$VENV/bin:/usr/bin:/bin" \
  HOME="$work/home" \
  LANG=C.UTF-8 \
  NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost \
  PYTHONDONTWRITEBYTECODE=1 \
  SDK_COMPAT_WAIT_S="${SDK_COMPAT_WAIT_S:-60}" \
  SANDBOX_ENDPOINT="$endpoint" \
  SANDBOX_AK_ID="$ak_id" \
  SANDBOX_AK_SECRET="$ak_secret" \
  "$VENV/bin/python" -m unittest -v test_sdk_compat) 2>&1 | tee "$work/unittest.log"
rc=${PIPESTATUS[0]}
set -e

ran="$(sed -n 's/^Ran \([0-9]*\) tests* in .*/\1/p' "$work/unittest.log" | tail -1)"
count() { { grep -o "$1=[0-9]*" "$work/unittest.log" || true; } | tail -1 | cut -d= -f2; }
failures="$(count failures)"; errors="$(count errors)"; skipped="$(count skipped)"
failed=$(( ${failures:-0} + ${errors:-0} ))
passed=$(( ${ran:-0} - failed - ${skipped:-0} ))
if [[ $rc -ne 0 ]]; then
  echo "--- sandbox stderr (last 40 lines)"; tail -n 40 "$work/server.err"
fi
if [[ -z "$ran" || "$ran" -eq 0 ]]; then
  log "no test ran"; rc=1
fi
echo "sdk-compat: $passed passed, $failed failed, ${skipped:-0} skipped"
exit "$rc"
