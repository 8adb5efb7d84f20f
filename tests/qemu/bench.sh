#!/bin/sh
# SPDX-License-Identifier: MIT
# Run the benchmark image twice under QEMU's deterministic instruction
# counting and print its "BENCH <name> <value> <unit>" lines. Fails if the
# image did not finish, printed no figures, or the two runs differ: under
# -icount shift=0 every figure is an instruction count and must repeat exactly.
# A run that times out or ends with a failure status fails as such (one run
# takes about half a minute; a busy machine can make it several times that).
#   bench.sh IMAGE [MACHINE]
set -u
image=$1 machine=${2:-virt,gic-version=3}
qemu_sh=$(dirname "$0")/../../tools/qemu.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run() {
    timeout -k 5 240 sh "$qemu_sh" -M "$machine" -cpu cortex-a72 -m 1G \
        -serial stdio -monitor none -semihosting -no-reboot \
        -icount shift=0,align=off,sleep=off -kernel "$image" < /dev/null > "$log" 2>&1
    status=$?
    tr -d '\r' < "$log"
    return $status
}
first=$(run) || { echo "bench: first run failed (status $?):"; echo "$first"; exit 1; }
second=$(run) || { echo "bench: second run failed (status $?):"; echo "$second"; exit 1; }
a=$(printf '%s\n' "$first" | grep '^BENCH ')
b=$(printf '%s\n' "$second" | grep '^BENCH ')
[ -n "$a" ] || { echo "bench: no BENCH lines in:"; echo "$first"; exit 1; }
printf '%s\n' "$a"
if [ "$a" != "$b" ]; then
    echo "bench: the two runs differ; second run:"
    printf '%s\n' "$b"
    exit 1
fi
echo "bench: $(printf '%s\n' "$a" | wc -l) figures, identical in two runs ($machine)"
