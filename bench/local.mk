# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmarks: run by "./lab bench" against the installed agents (root, network
# namespaces, simulated BMCs, test guests); not part of make check.
dist_noinst_SCRIPTS += \
	bench/vip \
	bench/fence \
	bench/failover \
	bench/site-restart \
	bench/vm-load \
	bench/remote-scale \
	bench/ldap \
	bench/drbd \
	bench/migrate \
	bench/vm/vm-bench.sh
EXTRA_DIST += bench/bench-lib.bash
