# SPDX-License-Identifier: GPL-2.0-or-later
# The lab cluster and the users' scenarios played on it (tests/lab/README.md). The bats
# files run in "./lab check" against the installed packages; "./lab demo" plays a scenario.
EXTRA_DIST += \
	tests/lab/README.md \
	tests/lab/lab-cluster.sh \
	tests/lab/scenario-lib.sh \
	tests/lab/ldap-client.bash \
	tests/lab/lab.bash \
	tests/lab/scenario-vm-failover.sh \
	tests/lab/vm-failover.bats \
	tests/lab/scenario-vips.sh \
	tests/lab/vips.bats \
	tests/lab/scenario-many-vms.sh \
	tests/lab/many-vms.bats \
	tests/lab/scenario-roles.sh \
	tests/lab/roles.bats \
	tests/lab/scenario-health-migrate.sh \
	tests/lab/health-migrate.bats \
	tests/lab/scenario-switch.sh \
	tests/lab/switch.bats \
	tests/lab/scenario-remote.sh \
	tests/lab/remote.bats \
	tests/lab/scenario-admission.sh \
	tests/lab/admission.bats \
	tests/lab/chaos.sh \
	tests/lab/chaos.bats
