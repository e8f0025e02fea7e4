#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# standard-params-readme.sh --xsltproc PATH --srcdir DIR [--update] AGENT...
#
# Each AGENT's README (agents/AGENT/README.md) shows the <baton:standard>
# tables of its metadata (xml-metadata/AGENT.xml) between the lines
#   <!-- standard-params:begin -->  and  <!-- standard-params:end -->
# as doc/standard-params.xsl renders them. Without --update (make check)
# this fails when a README's section differs, so the README says what the
# agent enforces; with --update (make update-standard-params) it rewrites
# the sections.
#
# Exit: 0 in sync (or updated), 1 out of sync, 77 skipped (no xsltproc),
# 99 usage error.
set -u

xsltproc= srcdir= update=false
while [ $# -gt 0 ]; do
    case $1 in
    --xsltproc) xsltproc=${2-}; shift 2 ;;
    --srcdir) srcdir=${2-}; shift 2 ;;
    --update) update=true; shift ;;
    --) shift; break ;;
    -*) echo "standard-params-readme: unknown option $1" >&2; exit 99 ;;
    *) break ;;
    esac
done
if [ -z "$srcdir" ] || [ $# -eq 0 ]; then
    echo "usage: standard-params-readme.sh --xsltproc PATH --srcdir DIR [--update] AGENT..." >&2
    exit 99
fi
if [ -z "$xsltproc" ] || ! [ -x "$xsltproc" ]; then
    echo "SKIP: xsltproc not found"
    exit 77
fi

begin='<!-- standard-params:begin -->'
end='<!-- standard-params:end -->'
tmp=$(mktemp -d "${TMPDIR:-/tmp}/standard-params-readme.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

n=0 failed=0
for agent in "$@"; do
    n=$((n + 1))
    xml=$srcdir/xml-metadata/$agent.xml
    readme=$srcdir/agents/$agent/README.md
    if ! "$xsltproc" --nonet "$srcdir/doc/standard-params.xsl" "$xml" >"$tmp/want" 2>"$tmp/err"; then
        failed=$((failed + 1))
        echo "not ok $n - $agent: cannot render $xml"
        sed 's/^/#   /' "$tmp/err"
        continue
    fi
    if [ "$(grep -cxF -e "$begin" -e "$end" "$readme" 2>/dev/null)" != 2 ]; then
        failed=$((failed + 1))
        echo "not ok $n - $agent: $readme needs one line '$begin' and one '$end'"
        continue
    fi
    # The section as it is: the lines strictly between the markers.
    awk -v b="$begin" -v e="$end" '$0 == e { in_ = 0 } in_ { print } $0 == b { in_ = 1 }' \
        "$readme" >"$tmp/have"
    if cmp -s "$tmp/want" "$tmp/have"; then
        echo "ok $n - $agent: README's standard parameters match xml-metadata/$agent.xml"
        continue
    fi
    if $update; then
        awk -v b="$begin" -v e="$end" -v f="$tmp/want" '
            $0 == b { print; while ((getline l < f) > 0) print l; skip = 1; next }
            $0 == e { skip = 0 }
            !skip { print }' "$readme" >"$tmp/new" &&
            cat "$tmp/new" >"$readme" &&
            echo "ok $n - $agent: $readme updated" && continue
        failed=$((failed + 1))
        echo "not ok $n - $agent: cannot update $readme"
        continue
    fi
    failed=$((failed + 1))
    echo "not ok $n - $agent: README's standard parameters differ from xml-metadata/$agent.xml" \
        "(make update-standard-params)"
    diff -u "$tmp/have" "$tmp/want" | sed 's/^/#   /'
done
echo "1..$n"
[ "$failed" -eq 0 ] || exit 1
exit 0
