#!/bin/sh
# appsnap-template: generic/1 freeze (POSIX sh). File-system consistency plus a clean
# page cache: flush dirty pages before the cloud freezes the file systems. Holds nothing.
set -eu
say() { printf 'appsnap generic freeze: %s\n' "$*"; }

say "flushing file-system buffers (sync)"
sync
say "done: nothing is held, the thaw script has nothing to release"
