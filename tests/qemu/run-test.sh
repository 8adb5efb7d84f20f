#!/bin/sh
# SPDX-License-Identifier: MIT
# Boot one image in QEMU and judge it by what the guest printed and how QEMU
# exited. Used by every QEMU test in ctest (tests/qemu/CMakeLists.txt).
#
#   run-test.sh [options] -- QEMU COMMAND...
#     --name NAME          label for messages and the log file name
#     --timeout SECS       kill QEMU after SECS (a hang is a failure)    [60]
#     --expect-exit N      QEMU's exit status must be N                  [0]
#     --tap                the log must hold TAP lines ("ok N - ...") and a
#                          closing "N passed, M failed" line that agrees
#                          with them, with M = 0 and N > 0
#     --first-line RE      the first non-empty line must match RE
#     --expect RE          the log must match the extended regex RE (repeatable)
#     --reject RE          the log must not match RE (repeatable)
#     --until RE           stop QEMU as soon as the log matches RE and count
#                          that as exit status 0 (for images that never exit)
#     --log FILE           where to keep the serial log [NAME.log in cwd]
#     --script FILE        drive the guest's console: QEMU's standard input is
#                          fed from FILE's commands, one per line, in order
#                          (the whole run still ends by --timeout):
#                            expect RE   wait for a line matching RE after
#                                        the line the previous expect matched
#                            send TEXT   type TEXT, then Enter (a CR)
#                            type TEXT   type TEXT as printf %b reads it
#                                        (\b, \177, \r...), nothing added
#                            repeat N TEXT
#                                        type TEXT N times in one write
#                                        (a burst, as a paste would be)
#                            # ...       a comment; blank lines are ignored
#                          A failed expect fails the test with the line it
#                          waited for.
# On failure the whole log is printed, so ctest --output-on-failure shows it.
set -u

name=qemu-test timeout=60 expect_exit=0 tap=0 first_line="" until="" log="" script=""
expects="" rejects=""
nl='
'
while [ $# -gt 0 ]; do
    case "$1" in
    --name) name=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --expect-exit) expect_exit=$2; shift 2 ;;
    --tap) tap=1; shift ;;
    --first-line) first_line=$2; shift 2 ;;
    --expect) expects="$expects$2$nl"; shift 2 ;;
    --reject) rejects="$rejects$2$nl"; shift 2 ;;
    --until) until=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --script) script=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run-test.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ $# -gt 0 ] || { echo "run-test.sh: no QEMU command" >&2; exit 2; }
[ -n "$log" ] || log="$name.log"
raw="$log.raw"

fail() {
    echo "FAIL $name: $*"
    echo "---- serial log ($log) ----"
    cat "$log"
    echo "---- end of log ----"
    exit 1
}

: > "$raw"
deadline=$(( $(date +%s) + timeout ))

# The log so far, without carriage returns.
clean_log() { tr -d '\r' < "$raw"; }

# Script mode: QEMU reads its console input from a FIFO we write to.
script_failed=""
if [ -n "$script" ]; then
    [ -r "$script" ] || { echo "run-test.sh: cannot read $script" >&2; exit 2; }
    fifo="$log.in"
    rm -f "$fifo"
    mkfifo "$fifo"
    "$@" > "$raw" 2>&1 < "$fifo" &
    pid=$!
    exec 3> "$fifo"
    # Typing into a QEMU that has gone must fail the test, not kill us.
    trap '' PIPE
    consumed=0
    while IFS= read -r cmd || [ -n "$cmd" ]; do
        case "$cmd" in
        "" | "#"*) continue ;;
        "expect "*)
            re=${cmd#expect }
            found=""
            while :; do
                # Whether QEMU still runs is asked before the log is read,
                # so that its last lines are seen even if it just ended.
                running=1
                kill -0 "$pid" 2> /dev/null || running=0
                found=$(clean_log | tail -n +$((consumed + 1)) | grep -En -m 1 -- "$re" | cut -d: -f1)
                [ -n "$found" ] && break
                if [ "$running" -eq 0 ] || [ "$(date +%s)" -ge "$deadline" ]; then
                    break
                fi
                sleep 0.1
            done
            if [ -z "$found" ]; then
                script_failed="script: no line matching /$re/ after line $consumed"
                break
            fi
            consumed=$((consumed + found)) ;;
        "send "* | "type "* | "repeat "*)
            if ! kill -0 "$pid" 2> /dev/null; then
                script_failed="script: QEMU ended before '$cmd'"
                break
            fi
            case "$cmd" in
            "send "*) printf '%s\r' "${cmd#send }" >&3 2> /dev/null ;;
            "type "*) printf '%b' "${cmd#type }" >&3 2> /dev/null ;;
            *)
                rest=${cmd#repeat }
                n=${rest%% *}
                text=$(printf '%b.' "${rest#* }")
                text=${text%.}
                burst=""
                while [ "$n" -gt 0 ]; do burst="$burst$text"; n=$((n - 1)); done
                printf '%s' "$burst" >&3 2> /dev/null ;;
            esac ;;
        *) echo "run-test.sh: bad script line: $cmd" >&2; kill "$pid"; exit 2 ;;
        esac
    done < "$script"
    # The guest now ends by itself (or at the timeout); after a failed
    # expect there is nothing left to wait for.
    while [ -z "$script_failed" ] && kill -0 "$pid" 2> /dev/null &&
        [ "$(date +%s)" -lt "$deadline" ]; do
        sleep 0.1
    done
    if kill -0 "$pid" 2> /dev/null; then
        kill "$pid" 2> /dev/null
        wait "$pid" 2> /dev/null
        status=124
    else
        wait "$pid"
        status=$?
    fi
    exec 3>&-
    trap - PIPE
    rm -f "$fifo"
elif [ -n "$until" ]; then
    "$@" > "$raw" 2>&1 < /dev/null &
    pid=$!
    status=124
    while kill -0 "$pid" 2> /dev/null; do
        if tr -d '\r' < "$raw" | grep -Eq -- "$until"; then
            status=0
            break
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            break
        fi
        sleep 0.2
    done
    if kill -0 "$pid" 2> /dev/null; then
        kill "$pid" 2> /dev/null
        wait "$pid" 2> /dev/null
    else
        wait "$pid"
        st=$?
        # QEMU ended by itself: judge by the log after all, then its status.
        if tr -d '\r' < "$raw" | grep -Eq -- "$until"; then status=0; else status=$st; fi
    fi
else
    timeout -k 5 "$timeout" "$@" > "$raw" 2>&1 < /dev/null
    status=$?
fi
tr -d '\r' < "$raw" > "$log"
rm -f "$raw"

[ -z "$script_failed" ] || fail "$script_failed"

case "$status" in
124 | 137) fail "timed out after ${timeout}s (the guest hung or never finished)" ;;
esac

if [ "$tap" -eq 1 ]; then
    oks=$(grep -Ec '^ok [0-9]+ - ' "$log")
    not_oks=$(grep -Ec '^not ok [0-9]+ - ' "$log")
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    [ -n "$summary" ] || fail "no closing 'N passed, M failed' line"
    passed=${summary%% passed*}
    failed=${summary#*, }
    failed=${failed%% failed*}
    [ "$passed" -eq "$oks" ] && [ "$failed" -eq "$not_oks" ] ||
        fail "summary '$summary' disagrees with $oks ok / $not_oks not ok lines"
    [ "$not_oks" -eq 0 ] || fail "$not_oks in-guest test(s) failed: $(grep -E '^not ok' "$log" | tr '\n' ';')"
    [ "$oks" -gt 0 ] || fail "no in-guest test ran"
fi

if [ -n "$first_line" ]; then
    line=$(grep -v '^[[:space:]]*$' "$log" | head -n 1)
    printf '%s\n' "$line" | grep -Eq -- "$first_line" ||
        fail "first line '$line' does not match /$first_line/"
fi

printf '%s' "$expects" | while IFS= read -r re; do
    [ -n "$re" ] || continue
    grep -Eq -- "$re" "$log" || { echo "missing /$re/"; exit 1; }
done > "$log.check" || { msg=$(cat "$log.check"); rm -f "$log.check"; fail "log is $msg"; }
printf '%s' "$rejects" | while IFS= read -r re; do
    [ -n "$re" ] || continue
    if grep -Eq -- "$re" "$log"; then echo "matching forbidden /$re/"; exit 1; fi
done > "$log.check" || { msg=$(cat "$log.check"); rm -f "$log.check"; fail "log is $msg"; }
rm -f "$log.check"

[ "$status" -eq "$expect_exit" ] || fail "QEMU exited with status $status, expected $expect_exit"
if [ "$tap" -eq 1 ]; then
    echo "PASS $name: $oks in-guest tests passed"
else
    echo "PASS $name"
fi
exit 0
