# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:vm: unit tests of the memory planner and of the libvirt-facing code
# against libvirt's in-process test:///default driver. The tests with a real
# libvirtd + QEMU guest are tests/integration/vm.bats (root; ./lab check).

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-vm-plan
TESTS += tests/unit/test-vm-plan
tests_unit_test_vm_plan_SOURCES = tests/unit/test-vm-plan.c agents/vm/vm-plan.c agents/vm/vm-plan.h
tests_unit_test_vm_plan_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/agents/vm
tests_unit_test_vm_plan_LDADD = $(UNIT_LDADD)
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-vm-migrate-options
TESTS += tests/unit/test-vm-migrate-options
tests_unit_test_vm_migrate_options_SOURCES = tests/unit/test-vm-migrate-options.c \
	agents/vm/vm-migrate-options.c agents/vm/vm-migrate-options.h
tests_unit_test_vm_migrate_options_CFLAGS = $(UNIT_CFLAGS) $(VM_AGENT_CFLAGS) -I$(top_srcdir)/agents/vm
tests_unit_test_vm_migrate_options_LDADD = $(UNIT_LDADD) $(VM_AGENT_LIBS)
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-vm-boot
TESTS += tests/unit/test-vm-boot
tests_unit_test_vm_boot_SOURCES = tests/unit/test-vm-boot.c agents/vm/vm-boot.c agents/vm/vm-boot.h \
	agents/vm/vm-config.c agents/vm/vm.h
tests_unit_test_vm_boot_CFLAGS = $(UNIT_CFLAGS) $(VM_AGENT_CFLAGS) -I$(top_srcdir)/agents/vm
tests_unit_test_vm_boot_LDADD = $(UNIT_LDADD) $(VM_AGENT_LIBS)
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-vm-libvirt
TESTS += tests/unit/test-vm-libvirt
tests_unit_test_vm_libvirt_SOURCES = tests/unit/test-vm-libvirt.c $(VM_AGENT_SOURCES)
nodist_tests_unit_test_vm_libvirt_SOURCES = agents/vm/vm-metadata.c
tests_unit_test_vm_libvirt_CFLAGS = $(UNIT_CFLAGS) $(VM_AGENT_CFLAGS) -I$(top_srcdir)/agents/vm
tests_unit_test_vm_libvirt_LDADD = $(UNIT_LDADD) $(VM_AGENT_LIBS)
tests_unit_test_vm_libvirt_LDFLAGS = $(AM_LDFLAGS) -pthread
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-vm-migrate
TESTS += tests/unit/test-vm-migrate
tests_unit_test_vm_migrate_SOURCES = tests/unit/test-vm-migrate.c $(VM_AGENT_SOURCES)
nodist_tests_unit_test_vm_migrate_SOURCES = agents/vm/vm-metadata.c
tests_unit_test_vm_migrate_CFLAGS = $(UNIT_CFLAGS) $(VM_AGENT_CFLAGS) -I$(top_srcdir)/agents/vm
tests_unit_test_vm_migrate_LDADD = $(UNIT_LDADD) $(VM_AGENT_LIBS)
tests_unit_test_vm_migrate_LDFLAGS = $(AM_LDFLAGS) -pthread
endif

# baton-vm-capacity against test:/// (tests/vm/capacity-node.xml)
TESTS += tests/vm/capacity-test.sh
# baton-vm-capacity cluster against saved CIBs
TESTS += tests/vm/capacity-cluster-test.sh

EXTRA_DIST += tests/vm/capacity-test.sh tests/vm/capacity-check.sh tests/vm/capacity-node.xml tests/vm/capacity-cluster-test.sh \
	tests/vm/cluster-cib.xml tests/integration/vm-migrate.bats
EXTRA_DIST += tests/vm/guest-image.sh tests/integration/vm.bats tests/integration/vm-boot.bats \
	tests/integration/lib/libvirtd.bash tests/integration/lib/vm-agent.bash \
	bench/vm/vm-bench.sh

# admission control: the baton-vm-host attribute, the forecast, the CIB reader,
# and the forecast's agreement with the start's plan (vm_host_to_plan: vm-memory.c)
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-vm-forecast
TESTS += tests/unit/test-vm-forecast
tests_unit_test_vm_forecast_SOURCES = tests/unit/test-vm-forecast.c $(VM_AGENT_SOURCES)
nodist_tests_unit_test_vm_forecast_SOURCES = agents/vm/vm-metadata.c
tests_unit_test_vm_forecast_CFLAGS = $(UNIT_CFLAGS) $(VM_AGENT_CFLAGS) -I$(top_srcdir)/agents/vm
tests_unit_test_vm_forecast_LDADD = $(UNIT_LDADD) $(VM_AGENT_LIBS)
tests_unit_test_vm_forecast_LDFLAGS = $(AM_LDFLAGS) -pthread
endif
