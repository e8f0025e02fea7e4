# SPDX-License-Identifier: GPL-2.0-or-later
# The installed agents take the test suite's overrides (BATON_PCMK_TOOLS_DIR: fake
# cluster tools; BATON_RUN_DIR: a private run directory) only while the marker
# /run/baton-test-hooks exists (lib/util.c, baton__test_env). A bats file that sets
# either calls test_hooks_on in setup_file and test_hooks_off in teardown_file (a script:
# test_hooks_on DIR at the start, test_hooks_off DIR in its exit trap, DIR a directory of its
# own); the marker is removed by whoever created it (./lab check makes it for the whole run).

BATON_TEST_MARKER=/run/baton-test-hooks

test_hooks_on() { # [DIR]
	local own=${1:-$BATS_FILE_TMPDIR}/.test-hooks-owned
	[ -e "$BATON_TEST_MARKER" ] && return 0
	printf 'baton test suite, pid %s: agents honour BATON_RUN_DIR and BATON_PCMK_TOOLS_DIR\n' \
		"$$" >"$BATON_TEST_MARKER"
	: >"$own"
}

test_hooks_off() { # [DIR]
	local own=${1:-$BATS_FILE_TMPDIR}/.test-hooks-owned
	[ -e "$own" ] || return 0
	rm -f "$BATON_TEST_MARKER" "$own"
}
