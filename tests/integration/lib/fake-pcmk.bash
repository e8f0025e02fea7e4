# SPDX-License-Identifier: GPL-2.0-or-later
# A stand-in for Pacemaker's crm_attribute, for agent tests without a cluster:
# point the agent at it with BATON_PCMK_TOOLS_DIR=DIR (call test_hooks_on in setup_file and
# test_hooks_off in teardown_file: lib/test-hooks.bash). It succeeds and appends each call's
# arguments, one line per call, to CALLS.

source "$(dirname "${BASH_SOURCE[0]}")/test-hooks.bash"

# fake_crm_attribute DIR CALLS
fake_crm_attribute() {
	local dir=$1 calls=$2
	mkdir -p "$dir"
	printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s"\n' "$calls" >"$dir/crm_attribute"
	chmod 755 "$dir/crm_attribute"
	: >"$calls"
}
