# SPDX-License-Identifier: GPL-2.0-or-later
# make check: cmocka unit tests of libbaton and the agents' pure functions,
# and validation of every agent's metadata. Integration tests (bats, network
# namespaces, Pacemaker) need root and run from ./lab check.

UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/lib
UNIT_LDADD = lib/libbaton-internal.la $(CMOCKA_LIBS)

if HAVE_CMOCKA
BATON_CORE_TESTS = \
	tests/unit/test-ocf \
	tests/unit/test-log \
	tests/unit/test-agent \
	tests/unit/test-notify \
	tests/unit/test-cluster \
	tests/unit/test-process \
	tests/unit/test-fileio \
	tests/unit/test-strutil
check_PROGRAMS += $(BATON_CORE_TESTS)
TESTS += $(BATON_CORE_TESTS)

tests_unit_test_ocf_SOURCES = tests/unit/test-ocf.c
tests_unit_test_ocf_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ocf_LDADD = $(UNIT_LDADD)
tests_unit_test_log_SOURCES = tests/unit/test-log.c
tests_unit_test_log_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_log_LDADD = $(UNIT_LDADD)
tests_unit_test_agent_SOURCES = tests/unit/test-agent.c
nodist_tests_unit_test_agent_SOURCES = tests/unit/fake-agent-compiled.c
tests_unit_test_agent_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_agent_LDADD = $(UNIT_LDADD)
tests_unit_test_notify_SOURCES = tests/unit/test-notify.c
tests_unit_test_notify_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_notify_LDADD = $(UNIT_LDADD)
tests_unit_test_cluster_SOURCES = tests/unit/test-cluster.c
tests_unit_test_cluster_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_cluster_LDADD = $(UNIT_LDADD)
tests_unit_test_process_SOURCES = tests/unit/test-process.c
tests_unit_test_process_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_process_LDADD = $(UNIT_LDADD)
tests_unit_test_fileio_SOURCES = tests/unit/test-fileio.c
tests_unit_test_fileio_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_fileio_LDADD = $(UNIT_LDADD)
tests_unit_test_strutil_SOURCES = tests/unit/test-strutil.c
tests_unit_test_strutil_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_strutil_LDADD = $(UNIT_LDADD)
endif

include tests/command.mk
include tests/metadata.mk
include tests/readme.mk
include tests/vip.mk
include tests/vm.mk
include tests/stonith.mk
include tests/drbd.mk
include tests/ntp.mk
include tests/ldap.mk
include tests/lab.mk
include tests/ocft.mk

# The single-node cluster harness and the tests that drive agents through Pacemaker.
EXTRA_DIST += tests/harness/pcmk-single.sh tests/harness/pcmk-single.bash tests/integration/pacemaker.bats
EXTRA_DIST += tests/integration/lib/fake-pcmk.bash tests/integration/lib/test-hooks.bash \
	tests/integration/lib/ocf-agent.bash
