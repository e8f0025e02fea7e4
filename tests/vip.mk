# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:vip. The unit tests link the agent's pure sources (no I/O)
# directly; the integration tests (tests/integration/vip.bats) need root and
# network namespaces and run from `bats tests/integration/vip.bats`.

if HAVE_CMOCKA
VIP_UNIT_TESTS = \
	tests/unit/test-vip-addr \
	tests/unit/test-vip-config \
	tests/unit/test-vip-decide \
	tests/unit/test-vip-frame
check_PROGRAMS += $(VIP_UNIT_TESTS)
TESTS += $(VIP_UNIT_TESTS)

VIP_UNIT_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/agents/vip

tests_unit_test_vip_addr_SOURCES = tests/unit/test-vip-addr.c \
	agents/vip/vip-addr.c
tests_unit_test_vip_addr_CFLAGS = $(VIP_UNIT_CFLAGS)
tests_unit_test_vip_addr_LDADD = $(UNIT_LDADD)

tests_unit_test_vip_config_SOURCES = tests/unit/test-vip-config.c \
	agents/vip/vip-config.c agents/vip/vip-addr.c
tests_unit_test_vip_config_CFLAGS = $(VIP_UNIT_CFLAGS)
tests_unit_test_vip_config_LDADD = $(UNIT_LDADD)

tests_unit_test_vip_decide_SOURCES = tests/unit/test-vip-decide.c \
	agents/vip/vip-decide.c agents/vip/vip-addr.c
tests_unit_test_vip_decide_CFLAGS = $(VIP_UNIT_CFLAGS)
tests_unit_test_vip_decide_LDADD = $(UNIT_LDADD)

tests_unit_test_vip_frame_SOURCES = tests/unit/test-vip-frame.c \
	agents/vip/vip-frame.c agents/vip/vip-addr.c
tests_unit_test_vip_frame_CFLAGS = $(VIP_UNIT_CFLAGS)
tests_unit_test_vip_frame_LDADD = $(UNIT_LDADD)
endif

EXTRA_DIST += \
	tests/integration/vip.bats \
	tests/integration/lib/netns.bash
