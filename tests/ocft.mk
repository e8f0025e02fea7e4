# SPDX-License-Identifier: GPL-2.0-or-later
# resource-agents' stock ocft configs against baton's agents (tests/integration/ocft.bats, run
# by ./lab check against the installed agents; needs root, so not part of make check).
EXTRA_DIST += \
	tests/integration/ocft.bats \
	tests/ocft/run-ocft.sh \
	tests/ocft/cases
