# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
#
# What the bats files of the agents tested without a cluster (drbd, ldap, ntp, vip) share:
# finding the agent, running it as Pacemaker would (a clean environment, parameters as
# OCF_RESKEY_*), the assertions on its answers, and killing what a test left running.
#
#   agent_path NAME        the agent NAME: $BATON_AGENT_DIR/NAME, by default the installed
#                          /usr/lib/ocf/resource.d/baton/NAME; for a build tree
#                          BATON_AGENT_DIR=_build/<dir>/agents/NAME
#   agent_require          in setup_file: fail (never skip) when $AGENT is not executable
#   agent_tmp NAME         in setup: T, a new directory /tmp/bt-NAME.XXXXXX; STATE=$T/state;
#                          TOOLS=$T/tools with a fake crm_attribute (lib/fake-pcmk.bash) that
#                          records its calls in $T/crm_attribute.calls
#   ocf_exec [--netns NS] ACTION [NAME=VALUE | OCF_VAR=VALUE | BATON_VAR=VALUE]...
#                          run $AGENT ACTION with only PATH, OCF_ROOT and the given variables;
#                          NAME=VALUE becomes OCF_RESKEY_NAME=VALUE; --netns: inside NS
#   refute CMD...          CMD must fail (a bare "! CMD" asserts nothing in bats: bash's
#                          errexit ignores negated commands)
#   assert_reason TEXT     $stderr (run --separate-stderr) has the exit reason, on one line,
#                          mentioning TEXT
#   process_gone PID       the process ended (a zombie not yet reaped by init counts as gone)
#   kill_matching REGEX    SIGKILL (after SIGCONT: a stopped one) every process whose command
#                          line, arguments joined by blanks, matches REGEX (grep -E)

source "$(dirname "${BASH_SOURCE[0]}")/fake-pcmk.bash"

agent_path() { echo "$(readlink -f "${BATON_AGENT_DIR:-/usr/lib/ocf/resource.d/baton}")/$1"; }

agent_require() {
	if [ ! -x "$AGENT" ]; then
		echo "agent not found: $AGENT (set BATON_AGENT_DIR)" >&2
		return 1
	fi
}

agent_tmp() {
	T=$(mktemp -d "/tmp/bt-$1.XXXXXX")
	STATE=$T/state
	TOOLS=$T/tools
	fake_crm_attribute "$TOOLS" "$T/crm_attribute.calls"
}

ocf_exec() {
	local -a wrap=()
	if [ "$1" = --netns ]; then
		wrap=(ip netns exec "$2")
		shift 2
	fi
	local action=$1 kv
	shift
	local -a env=(PATH="$PATH" OCF_ROOT=/usr/lib/ocf)
	for kv in "$@"; do
		case $kv in
		OCF_* | BATON_*) env+=("$kv") ;;
		*) env+=("OCF_RESKEY_$kv") ;;
		esac
	done
	"${wrap[@]}" env -i "${env[@]}" "$AGENT" "$action"
}

refute() { ! "$@"; }

assert_reason() {
	if ! grep -q "^ocf-exit-reason:.*$1" <<<"$stderr"; then
		echo "no exit reason matching '$1' in stderr:" >&2
		echo "$stderr" >&2
		return 1
	fi
}

process_gone() { [ ! -e "/proc/$1" ] || grep -q '^State:.*Z' "/proc/$1/status"; }

kill_matching() {
	local c p
	for c in /proc/[0-9]*/cmdline; do
		p=${c#/proc/}
		p=${p%/cmdline}
		if tr '\0' ' ' 2>/dev/null <"$c" | grep -qE -- "$1"; then
			kill -CONT "$p" 2>/dev/null || true
			kill -KILL "$p" 2>/dev/null || true
		fi
	done
}
