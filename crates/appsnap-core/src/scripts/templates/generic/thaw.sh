#!/bin/sh
# appsnap-template: generic/1 thaw (POSIX sh). The freeze script holds nothing, so there
# is nothing to release; safe to run any number of times.
set -eu
printf 'appsnap generic thaw: %s\n' "nothing to release (the freeze script only ran sync)"
