# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:ntp. The unit tests link the agent's pure sources (no I/O)
# directly; the integration tests (tests/integration/ntp.bats) need root and
# chrony and run from `bats tests/integration/ntp.bats`.

if HAVE_CMOCKA
NTP_UNIT_TESTS = \
	tests/unit/test-ntp-chrony \
	tests/unit/test-ntp-config \
	tests/unit/test-ntp-decide
check_PROGRAMS += $(NTP_UNIT_TESTS)
TESTS += $(NTP_UNIT_TESTS)

NTP_UNIT_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/agents/ntp

tests_unit_test_ntp_chrony_SOURCES = tests/unit/test-ntp-chrony.c \
	agents/ntp/ntp-chrony.c
tests_unit_test_ntp_chrony_CFLAGS = $(NTP_UNIT_CFLAGS)
tests_unit_test_ntp_chrony_LDADD = $(UNIT_LDADD) -lm

tests_unit_test_ntp_config_SOURCES = tests/unit/test-ntp-config.c \
	agents/ntp/ntp-config.c
tests_unit_test_ntp_config_CFLAGS = $(NTP_UNIT_CFLAGS)
tests_unit_test_ntp_config_LDADD = $(UNIT_LDADD)

tests_unit_test_ntp_decide_SOURCES = tests/unit/test-ntp-decide.c \
	agents/ntp/ntp-decide.c agents/ntp/ntp-chrony.c agents/ntp/ntp-config.c
tests_unit_test_ntp_decide_CFLAGS = $(NTP_UNIT_CFLAGS)
tests_unit_test_ntp_decide_LDADD = $(UNIT_LDADD) -lm
endif

EXTRA_DIST += tests/integration/ntp.bats
EXTRA_DIST += tests/integration/ntp-pacemaker.bats
