# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# pcmk-single.bash - what the bats files that drive an agent through a real one-node cluster
# (pcmk-single.sh) share. Load it with "load ../harness/pcmk-single".
#
#   in_cluster CMD...        run CMD inside the cluster's namespaces
#   wait_until SECS CMD...   poll CMD every 0.5 s until it succeeds; 1 after SECS seconds
#   pcmk_agent_dir           the directory of the baton agents under test: BATON_AGENT_DIR,
#                            default the installed ones
#   pcmk_up [NAME]           in setup_file: start this file's cluster, in network namespace
#                            baton-pcmk-NAME with its state in /var/lib/baton-pcmk-NAME (each
#                            file its own, so that two never meet; no NAME: pcmk-single.sh's
#                            defaults, baton-pcmk). When pcmk_agent_dir is not
#                            the installed directory, the cluster sees it as provider baton.
#                            Exports the cluster's BATON_PCMK_* variables to the tests.
#   pcmk_down                in teardown_file: stop it (logs to $BATON_PCMK_SAVE_LOGS if set)
#   pcmk_show_failure        in teardown: after a failed test, the last command's output and
#                            crm_mon --failcounts, on the test's output (fd 3)

PCMK=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/pcmk-single.sh
PCMK_INSTALLED_AGENTS=/usr/lib/ocf/resource.d/baton

in_cluster() { "$PCMK" exec "$@"; }

wait_until() {
	local to=$1 t0=$SECONDS
	shift
	until "$@"; do
		[ $((SECONDS - t0)) -lt "$to" ] || return 1
		sleep 0.5
	done
}

pcmk_agent_dir() { echo "${BATON_AGENT_DIR:-$PCMK_INSTALLED_AGENTS}"; }

pcmk_up() {
	local dir env
	dir=$(readlink -f "$(pcmk_agent_dir)")
	if [ "$dir" != "$PCMK_INSTALLED_AGENTS" ]; then
		export BATON_PCMK_OCF_BATON=$dir
	fi
	if [ -n "${1:-}" ]; then
		export BATON_PCMK_NS=baton-pcmk-$1 BATON_PCMK_DIR=/var/lib/baton-pcmk-$1
	fi
	env=$("$PCMK" start) || { echo "pcmk-single.sh start failed" >&2; return 1; }
	eval "$env"
	export BATON_PCMK_NS BATON_PCMK_NIC BATON_PCMK_DIR BATON_PCMK_NODE BATON_PCMK_SHARE BATON_PCMK_LOG
}

pcmk_down() { "$PCMK" stop; }

pcmk_show_failure() {
	[ -z "${BATS_TEST_COMPLETED:-}" ] && [ -n "${BATON_PCMK_NS:-}" ] || return 0
	printf '%s\n' "${output:-}" | sed 's/^/# output: /' >&3
	in_cluster crm_mon -1 --failcounts 2>&1 | sed 's/^/# crm_mon: /' >&3 || true
}
