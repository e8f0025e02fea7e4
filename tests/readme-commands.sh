#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# readme-commands.sh --srcdir DIR --builddir DIR --xmllint PATH [README...]
#
# Every pcs and crm example in the READMEs runs as written. Without README
# arguments: DIR/README.md, DIR/agents/*/README.md, DIR/stonith/README.md,
# DIR/stonith/*/README.md and DIR/tests/lab/README.md (those that exist).
# Needs no root and no cluster: each example is applied to a scratch CIB in a
# file (cibadmin --empty, with stonith-enabled=false so that a CIB without a
# fence device verifies), with "pcs -f FILE" and "CIB_file=FILE crm".
#
# Extraction rule. In each README, inside fenced code blocks whose info
# string is empty, sh, bash, shell or console, a line that starts (in column
# one) with "pcs " or "crm " is a command; a line ending in "\" is joined with
# the next; a trailing "# comment" is dropped; "crm configure <<EOF" takes the
# lines up to EOF as crm configure's input. The words are split as sh
# splits them; a command with anything else a shell would interpret ($,
# backquotes, ; | & < > ( ) outside a heredoc) fails: a README example must be
# a plain command. Inline code in the text (`pcs ...`) is not extracted.
#
# What is applied. Each code block is a unit: its pcs commands are applied in
# order to one fresh scratch CIB, its crm commands to another (a block often
# shows the same resource both ways). Applied:
#   pcs resource create|clone|promotable|group|op|meta|update|defaults,
#   pcs stonith create|update, pcs constraint colocation|order|location,
#   pcs property set;
#   crm configure primitive|clone|ms|group|colocation|order|location|
#   property|rsc_defaults|op_defaults|rsc_template, and crm configure heredocs.
# Run as they are (they read no CIB): pcs resource|stonith describe, crm ra
# info. Every other pcs/crm command (status, resource move, cleanup, cluster
# ..., which need a live cluster) is listed as ignored.
#
# Checks. A command fails on a non-zero exit. Then each unit's CIB must pass
# crm_verify, and:
# - every <op> attribute is one Pacemaker uses (id name interval description
#   start-delay interval-origin timeout enabled record-pending role on-fail),
#   an op's instance attributes are only OCF_CHECK_LEVEL (the one Pacemaker
#   turns into the monitor's depth: "depth=10" on an op is accepted by crm and
#   then ignored) and its meta attributes only the op attributes above;
# - every parameter of an ocf:baton:* primitive or fence_baton_* device is
#   one the BUILD TREE's agent declares (DIR/agents/NAME/NAME meta-data,
#   DIR/stonith/fence_baton_NAME -o metadata; pcmk_* are pacemaker-fenced's),
#   and its required parameters are set.
#
# pcs and crm check agents themselves, by running the INSTALLED agent's
# meta-data (crm_resource --show-metadata: /usr/lib/ocf/resource.d/... and
# /usr/sbin/fence_*, paths compiled into Pacemaker; pcs runs it with a clean
# environment, so OCF_ROOT cannot point it at the build tree). A command
# naming a baton agent that is not installed, or whose installed meta-data
# differs from the build tree's (make check before make install, distcheck),
# is applied with that check off (pcs --force, crm with check_frequency=never
# and ignore_missing_metadata), said on a "#" line; the parameter check above
# against the build tree replaces it. "describe"/"ra info" of such an agent
# is skipped. crmsh 4.4 needs to write /var/log/crmsh/crmsh.log: when this
# user cannot, crm runs with its log in the scratch directory instead.
#
# Without pcs, crm, cibadmin, crm_verify or xmllint the test is skipped (77),
# and fails in CI (CI=true).
#
# Exit: 0 passed, 1 failed, 77 skipped, 99 usage error.
set -u

srcdir= builddir= xmllint=
while [ $# -gt 0 ]; do
    case $1 in
    --srcdir) srcdir=${2-}; shift 2 ;;
    --builddir) builddir=${2-}; shift 2 ;;
    --xmllint) xmllint=${2-}; shift 2 ;;
    --) shift; break ;;
    -*) echo "readme-commands: unknown option $1" >&2; exit 99 ;;
    *) break ;;
    esac
done
if [ -z "$srcdir" ] || [ -z "$builddir" ]; then
    echo "usage: readme-commands.sh --srcdir DIR --builddir DIR --xmllint PATH [README...]" >&2
    exit 99
fi
strict=false
[ "${CI-}" = true ] && strict=true
for tool in pcs crm cibadmin crm_verify crm_attribute "$xmllint"; do
    if [ -z "$tool" ] || ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: ${tool:-xmllint} not found (pcs, crmsh, pacemaker-cli-utils, libxml2-utils)"
        $strict && exit 1
        exit 77
    fi
done

# Where Pacemaker looks for agents (compiled in; see above).
PCMK_OCF_ROOT=/usr/lib/ocf
PCMK_FENCE_DIR=/usr/sbin
STONITH_PLUGINS=$builddir/stonith/plugins/.libs

tmp=$(mktemp -d "${TMPDIR:-/tmp}/readme-commands.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
# crm reads no user configuration here: an empty one (strict) or this one.
: >"$tmp/crm-strict.conf"
printf '[core]\ncheck_frequency = never\nignore_missing_metadata = yes\n' >"$tmp/crm-relaxed.conf"

# crm as written, or with its log moved when this user cannot write it;
# its history and cache go to the scratch directory, not the user's home.
crm_log=/var/log/crmsh/crmsh.log
mkdir "$tmp/home" || exit 99
run_crm() {
    if [ "$(id -u)" = 0 ] || [ -w "$crm_log" ]; then
        HOME=$tmp/home XDG_CACHE_HOME=$tmp/home/.cache XDG_CONFIG_HOME=$tmp/home/.config \
            crm "$@"
    else
        HOME=$tmp/home XDG_CACHE_HOME=$tmp/home/.cache XDG_CONFIG_HOME=$tmp/home/.config \
            python3 -c '
import sys
from crmsh import log
log.CRMSH_LOG_FILE = sys.argv[1]
log.LOGGING_CFG["handlers"]["file"]["filename"] = sys.argv[1]
del sys.argv[1]
log.setup_logging()
from crmsh import main
sys.exit(main.run())' "$tmp/crmsh.log" "$@"
    fi
}
if ! { [ "$(id -u)" = 0 ] || [ -w "$crm_log" ]; }; then
    echo "# $crm_log is not writable by $(id -un): crm runs with its log in $tmp"
fi

n=0 failed=0 skipped=0 applied=0 ignored=0
result() {   # result OK|FAIL|SKIP DESCRIPTION [DETAIL-FILE]
    n=$((n + 1))
    case $1 in
    OK) echo "ok $n - $2" ;;
    SKIP) skipped=$((skipped + 1)); echo "ok $n - # SKIP $2" ;;
    *) failed=$((failed + 1)); echo "not ok $n - $2"
       [ -n "${3-}" ] && [ -s "$3" ] && sed 's/^/#   /' "$3" ;;
    esac
}

# The values of the attributes an XPath selects, one a line.
xvalues() {   # xvalues XPATH FILE
    "$xmllint" --xpath "$1" "$2" 2>/dev/null |
        grep -o '="[^"]*"' | sed 's/^="//; s/"$//'
}
# The names of the attributes an XPath selects, one a line.
xnames() {   # xnames XPATH FILE
    "$xmllint" --xpath "$1" "$2" 2>/dev/null | grep -o '[A-Za-z_][-A-Za-z0-9_.:]*="' | sed 's/="$//'
}
xstring() {   # xstring XPATH FILE
    "$xmllint" --xpath "string($1)" "$2" 2>/dev/null
}

# A baton agent's meta-data from the build tree, into FILE; 1 if it has none.
build_metadata() {   # build_metadata ocf:baton:NAME|fence_baton_NAME FILE
    case $1 in
    ocf:baton:*)
        a=${1#ocf:baton:}
        [ -x "$builddir/agents/$a/$a" ] &&
            OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1 OCF_ROOT=$PCMK_OCF_ROOT \
                "$builddir/agents/$a/$a" meta-data >"$2" 2>/dev/null ;;
    fence_baton_*)
        [ -x "$builddir/stonith/$1" ] &&
            BATON_STONITH_PLUGIN_DIR=$STONITH_PLUGINS "$builddir/stonith/$1" -o metadata >"$2" 2>/dev/null ;;
    *) return 1 ;;
    esac
}

# same | missing | differs: the installed agent Pacemaker would run, against
# the build tree's (cached). "nobuild" when the build tree has no such agent.
agent_state() {   # agent_state ocf:baton:NAME|fence_baton_NAME
    key=$(printf '%s' "$1" | tr -c 'A-Za-z0-9_' _)
    if ! [ -f "$tmp/state-$key" ]; then
        if ! build_metadata "$1" "$tmp/meta-$key.build"; then
            echo nobuild
        else
            case $1 in
            ocf:baton:*) inst=$PCMK_OCF_ROOT/resource.d/baton/${1#ocf:baton:}
                [ -x "$inst" ] && OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1 \
                    OCF_ROOT=$PCMK_OCF_ROOT "$inst" meta-data >"$tmp/meta-$key.inst" 2>/dev/null ;;
            *) inst=$PCMK_FENCE_DIR/$1
                [ -x "$inst" ] && "$inst" -o metadata >"$tmp/meta-$key.inst" 2>/dev/null ;;
            esac
            if ! [ -x "$inst" ]; then echo "missing $inst"
            elif cmp -s "$tmp/meta-$key.build" "$tmp/meta-$key.inst"; then echo same
            else echo "differs $inst"
            fi
        fi >"$tmp/state-$key"
    fi
    cat "$tmp/state-$key"
}

# The checks of one unit's CIB after its commands: TAP lines.
OP_ATTRS=' id name interval description start-delay interval-origin timeout enabled record-pending role on-fail '
check_cib() {   # check_cib CIB DESCRIPTION
    cib=$1 what=$2
    : >"$tmp/why"
    if ! crm_verify --xml-file "$cib" >"$tmp/verify" 2>&1 </dev/null; then
        cat "$tmp/verify" >>"$tmp/why"
    fi
    nops=$("$xmllint" --xpath 'count(//op)' "$cib" 2>/dev/null || echo 0)
    i=1
    while [ "$i" -le "$nops" ]; do
        op="(//op)[$i]"
        where="$(xstring "$op/ancestor::primitive[1]/@id" "$cib") op $(xstring "$op/@name" "$cib")"
        for a in $(xnames "$op/@*" "$cib"); do
            case $OP_ATTRS in *" $a "*) ;; *)
                echo "$where: op attribute '$a' is not one Pacemaker uses" >>"$tmp/why" ;;
            esac
        done
        for a in $(xvalues "$op/instance_attributes/nvpair/@name" "$cib"); do
            [ "$a" = OCF_CHECK_LEVEL ] ||
                echo "$where: op instance attribute '$a': Pacemaker uses only OCF_CHECK_LEVEL (the monitor depth)" >>"$tmp/why"
        done
        for a in $(xvalues "$op/meta_attributes/nvpair/@name" "$cib"); do
            case $OP_ATTRS in *" $a "*) ;; *)
                echo "$where: op meta attribute '$a' is not one Pacemaker uses" >>"$tmp/why" ;;
            esac
        done
        i=$((i + 1))
    done
    nprim=$("$xmllint" --xpath 'count(//primitive)' "$cib" 2>/dev/null || echo 0)
    i=1
    while [ "$i" -le "$nprim" ]; do
        p="(//primitive)[$i]"
        id=$(xstring "$p/@id" "$cib") class=$(xstring "$p/@class" "$cib")
        provider=$(xstring "$p/@provider" "$cib") type=$(xstring "$p/@type" "$cib")
        agent=
        case $class:$provider:$type in
        ocf:baton:*) agent=ocf:baton:$type ;;
        stonith::fence_baton_*) agent=$type ;;
        esac
        if [ -n "$agent" ]; then
            agent_state "$agent" >/dev/null
            key=$(printf '%s' "$agent" | tr -c 'A-Za-z0-9_' _)
            meta=$tmp/meta-$key.build
            if ! [ -s "$meta" ]; then
                echo "$id: the build tree has no agent $agent" >>"$tmp/why"
            else
                known=" $(xvalues '//parameters/parameter/@name' "$meta" | tr '\n' ' ') "
                set_=" $(xvalues "$p/instance_attributes/nvpair/@name" "$cib" | tr '\n' ' ') "
                for a in $set_; do
                    case $known in *" $a "*) continue ;; esac
                    case $agent:$a in fence_baton_*:pcmk_*) continue ;; esac
                    echo "$id: $agent has no parameter '$a'" >>"$tmp/why"
                done
                for a in $(xvalues '//parameters/parameter[@required="1" or @required="true"]/@name' "$meta"); do
                    case $agent:$a in fence_baton_*:port | fence_baton_*:plug) continue ;; esac
                    case $set_ in *" $a "*) ;; *)
                        echo "$id: required parameter '$a' of $agent is not set" >>"$tmp/why" ;;
                    esac
                done
            fi
        fi
        i=$((i + 1))
    done
    if [ -s "$tmp/why" ]; then
        result FAIL "$what: the CIB (crm_verify, op attributes, agents' parameters)" "$tmp/why"
    else
        result OK "$what: the CIB passes crm_verify; ops and parameters are ones Pacemaker and the agents use"
    fi
}

new_cib() {   # new_cib FILE
    cibadmin --empty >"$1" </dev/null &&
        CIB_file=$1 crm_attribute --type crm_config --name stonith-enabled --update false </dev/null
}

# ---------------------------------------------------------------- extraction

if [ $# -eq 0 ]; then
    for f in "$srcdir/README.md" "$srcdir"/agents/*/README.md "$srcdir/stonith/README.md" \
        "$srcdir"/stonith/*/README.md "$srcdir/tests/lab/README.md"; do
        [ -f "$f" ] && set -- "$@" "$f"
    done
fi

# Records, tab-separated: C FILE BLOCK-LINE LINE COMMAND for a command,
# H FILE BLOCK-LINE LINE TEXT for a line of the heredoc the command before opened.
for f in "$@"; do
    rel=${f#"$srcdir"/}
    awk -v file="$rel" '
    function flush() { if (cmd != "") { print "C\t" file "\t" block "\t" start "\t" cmd; cmd = "" } }
    /^[ \t]*```/ {
        if (!inb) { info = $0; sub(/^[ \t]*```[ \t]*/, "", info); sub(/[ \t].*/, "", info)
                    inb = 1; ok = (info == "" || info == "sh" || info == "bash" || info == "shell" || info == "console"); block = NR }
        else { flush(); inb = 0; heredoc = "" }
        next
    }
    !inb || !ok { next }
    heredoc != "" { if ($0 == heredoc) heredoc = ""; else print "H\t" file "\t" block "\t" NR "\t" $0; next }
    cont { line = $0; sub(/^[ \t]+/, "", line); cmd = cmd " " line }
    !cont && /^(pcs|crm) / { cmd = $0; start = NR }
    cmd != "" {
        if (cmd ~ /\\$/) { sub(/[ \t]*\\$/, "", cmd); cont = 1; next }
        cont = 0
        if (match(cmd, /<<-?[ \t]*["\047]?[A-Za-z_][A-Za-z0-9_]*["\047]?/)) {
            heredoc = substr(cmd, RSTART, RLENGTH); sub(/^<<-?[ \t]*["\047]?/, "", heredoc); sub(/["\047]$/, "", heredoc)
        }
        flush()
    }
    ' "$f"
done >"$tmp/records"
nreadmes=$#

# ---------------------------------------------------------------- applying

unit= cib_pcs= cib_crm=
end_unit() {
    [ -n "$cib_pcs" ] && check_cib "$cib_pcs" "$unit (pcs)"
    [ -n "$cib_crm" ] && check_cib "$cib_crm" "$unit (crm)"
    cib_pcs= cib_crm=
}

heredoc_for=
run_heredoc() {   # the crm configure heredoc collected for the command before
    [ -n "$heredoc_for" ] || return 0
    set -- $heredoc_for
    desc="$1: crm configure <<... ($(wc -l <"$tmp/heredoc") lines)"
    if [ -z "$cib_crm" ]; then cib_crm=$tmp/cib-crm-$n.xml; new_cib "$cib_crm"; fi
    mode=strict
    for w in $(cat "$tmp/heredoc"); do
        case $w in ocf:baton:* | fence_baton_*)
            case $(agent_state "$w") in same) ;; *) mode=relaxed ;; esac ;;
        esac
    done
    { cat "$tmp/heredoc"; echo commit; } |
        CIB_file=$cib_crm CRM_CONFIG_FILE=$tmp/crm-$mode.conf run_crm configure >"$tmp/out" 2>&1
    rc=$?
    applied=$((applied + 1))
    if [ $rc -eq 0 ]; then result OK "$desc"; else echo "exit status $rc" >>"$tmp/out"; result FAIL "$desc" "$tmp/out"; fi
    heredoc_for=
}

while IFS="$(printf '\t')" read -r kind file block line text; do
    if [ "$kind" = H ]; then
        printf '%s\n' "$text" >>"$tmp/heredoc"
        continue
    fi
    run_heredoc
    if [ "$file:$block" != "$unit" ]; then
        end_unit
        unit=$file:$block
    fi
    where="$file:$line"
    cmd=$(printf '%s' "$text" | sed 's/[[:space:]]#.*$//; s/[[:space:]]*$//')
    case $cmd in
    *'$'* | *'`'* | *';'* | *'|'* | *'&'* | *'('* | *')'* | *'>'*)
        printf '%s\n' "$cmd" >"$tmp/out"
        result FAIL "$where: not a plain command (shell syntax in a README example)" "$tmp/out"
        continue ;;
    *'<<'*) heredoc_is=true ;;
    *'<'*)
        printf '%s\n' "$cmd" >"$tmp/out"
        result FAIL "$where: not a plain command (shell syntax in a README example)" "$tmp/out"
        continue ;;
    *) heredoc_is=false ;;
    esac
    if $heredoc_is; then
        case $cmd in
        'crm configure <<'*) heredoc_for="$where"; : >"$tmp/heredoc" ;;
        *) printf '%s\n' "$cmd" >"$tmp/out"
           result FAIL "$where: a heredoc other than crm configure's" "$tmp/out" ;;
        esac
        continue
    fi
    eval "set -- $cmd"
    tool=$1
    shift
    # What the command is: apply (to the unit's CIB), describe, or ignore.
    what=ignore
    case $tool:${1-}:${2-} in
    pcs:resource:create | pcs:resource:clone | pcs:resource:promotable | pcs:resource:group | \
    pcs:resource:op | pcs:resource:meta | pcs:resource:update | pcs:resource:defaults | \
    pcs:stonith:create | pcs:stonith:update | \
    pcs:constraint:colocation | pcs:constraint:order | pcs:constraint:location | \
    pcs:property:set) what=apply ;;
    pcs:resource:describe | pcs:stonith:describe) what=describe ;;
    crm:configure:primitive | crm:configure:clone | crm:configure:ms | crm:configure:group | \
    crm:configure:colocation | crm:configure:order | crm:configure:location | \
    crm:configure:property | crm:configure:rsc_defaults | crm:configure:op_defaults | \
    crm:configure:rsc_template) what=apply ;;
    crm:ra:info) what=describe ;;
    esac
    if [ $what = ignore ]; then
        ignored=$((ignored + 1))
        echo "# ignored (not a configuration command): $where: $tool $*"
        continue
    fi
    # Agents that Pacemaker would not find as the build tree has them.
    mode=strict stale=
    for w in "$@"; do
        case $w in
        ocf:baton:* | fence_baton_* | stonith:fence_baton_*)
            w=${w#stonith:}
            st=$(agent_state "$w")
            case $st in
            same) ;;
            nobuild) mode=relaxed; stale="$stale $w (not in the build tree)" ;;
            *) mode=relaxed; stale="$stale $w (${st%% *}: ${st#* })" ;;
            esac ;;
        esac
    done
    desc="$where: $cmd"
    if [ $what = describe ]; then
        if [ $mode = relaxed ]; then
            result SKIP "$desc: the installed agent is not the build tree's:$stale"
        elif "$tool" "$@" >"$tmp/out" 2>&1 </dev/null; then
            result OK "$desc"
        else
            result FAIL "$desc" "$tmp/out"
        fi
        continue
    fi
    applied=$((applied + 1))
    [ $mode = relaxed ] &&
        echo "# $where: $tool's own agent check off (the installed agent is not the build tree's:$stale); parameters checked against the build tree"
    case $tool in
    pcs)
        if [ -z "$cib_pcs" ]; then cib_pcs=$tmp/cib-pcs-$n.xml; new_cib "$cib_pcs"; fi
        force=
        [ $mode = relaxed ] && force=--force
        pcs -f "$cib_pcs" "$@" $force >"$tmp/out" 2>&1 </dev/null ;;
    crm)
        if [ -z "$cib_crm" ]; then cib_crm=$tmp/cib-crm-$n.xml; new_cib "$cib_crm"; fi
        CIB_file=$cib_crm CRM_CONFIG_FILE=$tmp/crm-$mode.conf run_crm "$@" >"$tmp/out" 2>&1 </dev/null ;;
    esac
    rc=$?
    if [ $rc -eq 0 ]; then
        result OK "$desc"
    else
        echo "exit status $rc" >>"$tmp/out"
        result FAIL "$desc" "$tmp/out"
    fi
done <"$tmp/records"
run_heredoc
end_unit

echo "1..$n"
echo "# $applied commands applied, $ignored ignored, from $nreadmes READMEs; $failed failed, $skipped skipped"
if [ "$applied" -eq 0 ]; then
    echo "# no command applied: the extraction found nothing"
    exit 1
fi
[ "$failed" -eq 0 ] || exit 1
exit 0
