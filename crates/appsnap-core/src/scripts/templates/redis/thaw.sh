#!/bin/sh
# appsnap-template: redis/1 thaw (POSIX sh). The freeze script only saved the dataset and
# holds nothing, so there is nothing to release; safe to run any number of times.
set -eu
printf 'appsnap redis thaw: %s\n' "nothing to release (the freeze script only saved the dataset)"
