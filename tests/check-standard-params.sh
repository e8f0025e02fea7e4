#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check-standard-params.sh --xmllint PATH [--ocf-root DIR] AGENT-XML|FENCE-AGENT...
#
# Users move a resource from a standard agent to baton's by changing only
# the provider, so every parameter of the standard agent must be accounted
# for: declared by the baton agent (same name and meaning) or listed in its
# <baton:standard agent="..."> table (refused, noop or differs; see
# xml-metadata/README.md). For each table in each AGENT-XML, this asks the
# INSTALLED standard agent for its meta-data (ocf:PROVIDER:TYPE: the OCF
# script under OCF_ROOT; fence_*: "fence_x -o metadata") and fails, listing
# them, on the parameters that are neither. An AGENT-XML without any table
# fails too: make passes only agents that replace a standard one.
#
# A FENCE-AGENT is a fence_baton_* program (not *.xml): its parameters are
# what "-o metadata" prints, its table what "-o standard-params" prints
# (the plugin's decisions and the front end's on fence-agents' common
# options, so entries the standard agent lacks are not reported for it).
#
# A standard agent that is not installed fails the test in CI (CI=true) and
# otherwise skips it (77): the check is only as good as the agents it reads.
# Table entries the installed agent does not have (another resource-agents
# version) are reported, not failed.
#
# Exit: 0 passed, 1 failed, 77 skipped, 99 usage error.
set -u

xmllint= ocf_root=${OCF_ROOT:-/usr/lib/ocf}
while [ $# -gt 0 ]; do
    case $1 in
    --xmllint) xmllint=${2-}; shift 2 ;;
    --ocf-root) ocf_root=${2-}; shift 2 ;;
    --) shift; break ;;
    -*) echo "check-standard-params: unknown option $1" >&2; exit 99 ;;
    *) break ;;
    esac
done
if [ $# -eq 0 ]; then
    echo "usage: check-standard-params.sh --xmllint PATH [--ocf-root DIR] AGENT-XML|FENCE-AGENT..." >&2
    exit 99
fi
strict=false
[ "${CI-}" = true ] && strict=true
if [ -z "$xmllint" ] || ! [ -x "$xmllint" ]; then
    echo "SKIP: xmllint not found (install libxml2-utils)"
    $strict && exit 1
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-standard-params.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

n=0 failed=0 skipped=0
result() {   # result OK|FAIL|SKIP DESCRIPTION [DETAIL]
    n=$((n + 1))
    case $1 in
    OK) echo "ok $n - $2" ;;
    SKIP) skipped=$((skipped + 1)); echo "ok $n - # SKIP $2" ;;
    *) failed=$((failed + 1)); echo "not ok $n - $2"
       [ -n "${3-}" ] && printf '%s\n' "$3" | sed 's/^/#   /' ;;
    esac
}

# The values of the attributes an XPath selects, one a line, sorted.
attr_values() {   # attr_values XPATH FILE
    "$xmllint" --xpath "$1" "$2" 2>/dev/null |
        sed -n 's/^ *[a-z]*="\([^"]*\)"$/\1/p; s/" [a-z]*="/"\n/g' |
        sed 's/^ *[a-z]*="//; s/"$//' | sed '/^$/d' | sort -u
}

# The standard agent's meta-data on stdout; 1 when it is not installed.
standard_metadata() {   # standard_metadata AGENT
    case $1 in
    ocf:*:*)
        provider=${1#ocf:}; type=${provider#*:}; provider=${provider%%:*}
        script=$ocf_root/resource.d/$provider/$type
        [ -x "$script" ] || return 1
        OCF_ROOT=$ocf_root "$script" meta-data 2>/dev/null
        ;;
    fence_*)
        cmd=$(PATH=$PATH:/usr/sbin:/sbin command -v "$1") || return 1
        "$cmd" -o metadata 2>/dev/null
        ;;
    *) return 1 ;;
    esac
}

# A fence agent's metadata and decisions as one document, like an OCF agent's XML.
fence_agent_xml() {   # fence_agent_xml PROGRAM
    echo '<fence-agent>'
    "$1" -o metadata 2>/dev/null | sed '/^<?xml/d' || return 1
    "$1" -o standard-params 2>/dev/null | sed '/^<?xml/d' || return 1
    echo '</fence-agent>'
}

for xml in "$@"; do
    base=${xml##*/}
    fence=false
    case $xml in
    *.xml) ;;
    *)
        fence=true
        if ! [ -x "$xml" ] || ! fence_agent_xml "$xml" >"$tmp/fence.xml"; then
            result FAIL "$base: cannot run $xml -o metadata / -o standard-params"
            continue
        fi
        xml=$tmp/fence.xml
        ;;
    esac
    if ! [ -r "$xml" ]; then
        result FAIL "$base: cannot read $xml"
        continue
    fi
    attr_values "//*[local-name()='parameters']/*[local-name()='parameter']/@name" "$xml" \
        >"$tmp/declared"
    attr_values "//*[local-name()='standard']/@agent" "$xml" >"$tmp/agents"
    if ! [ -s "$tmp/agents" ]; then
        result FAIL "$base: no <baton:standard> table"
        continue
    fi
    while read -r agent; do
        if ! standard_metadata "$agent" >"$tmp/std.xml" || ! [ -s "$tmp/std.xml" ]; then
            if $strict; then
                result FAIL "$base: $agent is not installed (CI=true)"
            else
                result SKIP "$base: $agent is not installed"
            fi
            continue
        fi
        attr_values "//parameters/parameter/@name" "$tmp/std.xml" >"$tmp/std"
        if ! [ -s "$tmp/std" ]; then
            result FAIL "$base: $agent printed meta-data without parameters"
            continue
        fi
        attr_values "//*[local-name()='standard'][@agent='$agent']/*[local-name()='param']/@name" \
            "$xml" >"$tmp/table"
        sort -u "$tmp/declared" "$tmp/table" >"$tmp/covered"
        missing=$(comm -23 "$tmp/std" "$tmp/covered" | tr '\n' ' ')
        if [ -n "$missing" ]; then
            result FAIL "$base: parameters of $agent neither declared nor in its table" \
                "$missing(add them to <baton:standard agent=\"$agent\"> or declare them)"
        else
            result OK "$base: all $(wc -l <"$tmp/std") parameters of $agent accounted for"
        fi
        stale=$(comm -13 "$tmp/std" "$tmp/table" | tr '\n' ' ')
        [ -n "$stale" ] && ! $fence && echo "# $base: the installed $agent has no $stale(another version?)"
    done <"$tmp/agents"
done

echo "1..$n"
if [ "$failed" -gt 0 ]; then
    echo "# $failed of $n checks failed"
    exit 1
fi
if [ "$skipped" -gt 0 ]; then
    echo "# $skipped of $n checks skipped: standard agents not installed"
    exit 77
fi
echo "# every parameter of $n standard agent(s) accounted for"
exit 0
