#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check-metadata.sh --xmllint PATH --rng FILE --dtd FILE AGENT...
#
# What every agent prints for meta-data, the way its callers ask for it:
#  - Pacemaker (OCF_RA_VERSION_MAJOR/MINOR set): valid against the OCF 1.1
#    RelaxNG schema;
#  - ocf-tester and people (no OCF_RA_VERSION_*): valid against the OCF 1.0
#    DTD that its DOCTYPE names;
#  - with an empty environment, meta-data still answers 0.
# Nothing of baton's own source namespace may show in either form.
#
# make check runs this through the wrapper tests/check-metadata (see
# tests/metadata.mk). Exit: 0 all passed, 1 a check failed, 77 skipped
# (no xmllint or no agents), 99 usage error.
set -u

xmllint= rng= dtd=
while [ $# -gt 0 ]; do
    case $1 in
    --xmllint) xmllint=${2-}; shift 2 ;;
    --rng) rng=${2-}; shift 2 ;;
    --dtd) dtd=${2-}; shift 2 ;;
    --) shift; break ;;
    -*) echo "check-metadata: unknown option $1" >&2; exit 99 ;;
    *) break ;;
    esac
done
if [ -z "$rng" ] || [ -z "$dtd" ]; then
    echo "usage: check-metadata.sh --xmllint PATH --rng FILE --dtd FILE AGENT..." >&2
    exit 99
fi
if [ -z "$xmllint" ] || ! [ -x "$xmllint" ]; then
    echo "SKIP: xmllint not found (install libxml2-utils)"
    exit 77
fi
for f in "$rng" "$dtd"; do
    if ! [ -r "$f" ]; then
        echo "check-metadata: cannot read $f" >&2
        exit 99
    fi
done
if [ $# -eq 0 ]; then
    echo "SKIP: no agents to check"
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-metadata.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

n=0 failed=0
result() {   # result OK|FAIL DESCRIPTION [LOGFILE]
    n=$((n + 1))
    if [ "$1" = OK ]; then
        echo "ok $n - $2"
    else
        failed=$((failed + 1))
        echo "not ok $n - $2"
        if [ -n "${3-}" ] && [ -s "$3" ]; then
            sed 's/^/#   /' "$3"
        fi
    fi
}

# The DTD's directory goes on xmllint's search path so that the DOCTYPE's
# relative "ra-api-1.dtd" resolves to it, as it does for ocf-tester.
dtd_dir=$(dirname "$dtd")

for agent in "$@"; do
    name=${agent##*/}
    out=$tmp/$name
    if ! [ -x "$agent" ]; then
        result FAIL "$name: $agent is not an executable"
        continue
    fi

    # Pacemaker's call.
    if env -u BATON_METADATA_FORMAT OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1 \
        "$agent" meta-data >"$out.11.xml" 2>"$out.11.err"; then
        result OK "$name: meta-data (OCF 1.1) exits 0"
    else
        result FAIL "$name: meta-data (OCF 1.1) exits $?" "$out.11.err"
    fi
    if "$xmllint" --noout --nonet --relaxng "$rng" "$out.11.xml" >"$out.11.lint" 2>&1; then
        result OK "$name: OCF 1.1 form is valid against $(basename "$rng")"
    else
        result FAIL "$name: OCF 1.1 form is not valid against $(basename "$rng")" "$out.11.lint"
    fi
    if grep -q '<version>1\.1</version>' "$out.11.xml"; then
        result OK "$name: OCF 1.1 form says version 1.1"
    else
        result FAIL "$name: OCF 1.1 form does not say version 1.1"
    fi

    # ocf-tester's call: no OCF_RA_VERSION_* at all.
    if env -u BATON_METADATA_FORMAT -u OCF_RA_VERSION_MAJOR -u OCF_RA_VERSION_MINOR \
        "$agent" meta-data >"$out.10.xml" 2>"$out.10.err"; then
        result OK "$name: meta-data (OCF 1.0) exits 0"
    else
        result FAIL "$name: meta-data (OCF 1.0) exits $?" "$out.10.err"
    fi
    if "$xmllint" --noout --nonet --path "$dtd_dir" --dtdvalid "$dtd" "$out.10.xml" \
        >"$out.10.lint" 2>&1 && ! [ -s "$out.10.lint" ]; then
        result OK "$name: OCF 1.0 form is valid against $(basename "$dtd")"
    else
        result FAIL "$name: OCF 1.0 form is not valid against $dtd" "$out.10.lint"
    fi
    if grep -q '^<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">$' "$out.10.xml" &&
        grep -q '<version>1\.0</version>' "$out.10.xml"; then
        result OK "$name: OCF 1.0 form names ra-api-1.dtd and says version 1.0"
    else
        result FAIL "$name: OCF 1.0 form lacks the DOCTYPE or version 1.0"
    fi

    # The source's own namespace is for baton alone.
    if grep -n -e 'baton:' -e 'urn:baton' "$out.11.xml" "$out.10.xml" >"$out.ns" 2>&1; then
        result FAIL "$name: baton's source namespace leaks into the output" "$out.ns"
    else
        result OK "$name: no baton: attributes in the output"
    fi

    # meta-data needs nothing from the environment, not even PATH.
    if env -i "$agent" meta-data >"$out.bare.xml" 2>"$out.bare.err" && [ -s "$out.bare.xml" ]; then
        result OK "$name: meta-data with an empty environment exits 0"
    else
        result FAIL "$name: meta-data with an empty environment fails" "$out.bare.err"
    fi
done

echo "1..$n"
if [ "$failed" -gt 0 ]; then
    echo "# $failed of $n metadata checks failed"
    exit 1
fi
echo "# all $n metadata checks passed for $# agent(s)"
exit 0
