#!/bin/sh
# SPDX-License-Identifier: MIT
# Check that run-test.sh fails when it should: run it with the given
# arguments, require a failing exit status and that its report contains
# MESSAGE (e.g. "timed out" for a hung guest) and the guest's log.
#   harness-selftest.sh RUN_TEST MESSAGE -- run-test.sh arguments...
set -u
run_test=$1 message=$2
shift 2
[ "$1" = "--" ] && shift
out=$(sh "$run_test" "$@" 2>&1)
status=$?
echo "$out"
[ "$status" -ne 0 ] || { echo "harness-selftest: run-test.sh passed, expected a failure"; exit 1; }
printf '%s\n' "$out" | grep -q -- "$message" ||
    { echo "harness-selftest: report lacks '$message'"; exit 1; }
printf '%s\n' "$out" | grep -q -- "---- serial log" ||
    { echo "harness-selftest: report does not show the log"; exit 1; }
printf '%s\n' "$out" | grep -q "^Tessera " ||
    { echo "harness-selftest: the log shown lacks the guest's banner"; exit 1; }
echo "harness-selftest: run-test.sh failed as expected"
