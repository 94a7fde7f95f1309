#!/bin/sh
# appsnap-guest: script-test/1
# AppSnap test run: the freeze script, then the thaw script, as root, without a
# snapshot; each killed after TIMEOUT seconds (format: script-test/1).
PRESCRIPT=/tmp/prescript.sh
POSTSCRIPT=/tmp/postscript.sh
TIMEOUT=30
echo "APPSNAP-SCRIPT-TEST/1"
failed=0
now_ms() { echo $(($(date +%s%N) / 1000000)); }
run() {
  label=$1
  out=$(mktemp)
  start=$(now_ms)
  timeout "$TIMEOUT" "$2" >"$out" 2>&1
  code=$?
  ms=$(($(now_ms) - start))
  if [ "$code" -eq 124 ]; then timed_out=true; else timed_out=false; fi
  echo "$label=$2|exit=$code|ms=$ms|timed_out=$timed_out"
  while IFS= read -r line || [ -n "$line" ]; do echo "$label.output|$line"; done <"$out"
  rm -f "$out"
  [ "$code" -eq 0 ] || failed=1
}
run prescript "$PRESCRIPT"
run postscript "$POSTSCRIPT"
echo "END"
exit "$failed"
