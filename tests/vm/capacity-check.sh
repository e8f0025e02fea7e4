# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
# What tests/vm/capacity-test.sh and capacity-cluster-test.sh share (sourced):
#   check NAME WANT_RC GREP...   run $C with the arguments in $ARGS, compare the exit status,
#                                and find each GREP as a fixed string in a line of the output
#                                ($out keeps it); counts failures in $fails
fails=0
out=

check() {
    name=$1 want=$2
    shift 2
    # shellcheck disable=SC2086
    out=$($C $ARGS 2>&1)
    rc=$?
    if [ "$rc" != "$want" ]; then
        echo "FAIL $name: exit $rc, wanted $want"; echo "$out"; fails=$((fails + 1)); return
    fi
    for g in "$@"; do
        if ! printf '%s\n' "$out" | grep -qF -- "$g"; then
            echo "FAIL $name: no line with '$g'"; echo "$out"; fails=$((fails + 1)); return
        fi
    done
    echo "ok $name"
}
