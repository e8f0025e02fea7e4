# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:drbd. The unit tests link the agent's pure sources: parsing of
# `drbdsetup status --json` fixtures (tests/drbd/fixtures, in the shapes of
# drbd-utils 9), the promotion score table, the monitor decisions and the
# stall detection. The agent itself is driven against the DRBD simulator
# tests/drbd/drbdsim by tests/integration/drbd.bats (no DRBD kernel needed).

if HAVE_CMOCKA
DRBD_UNIT_TESTS = \
	tests/unit/test-drbd-state \
	tests/unit/test-drbd-score
check_PROGRAMS += $(DRBD_UNIT_TESTS)
TESTS += $(DRBD_UNIT_TESTS)

DRBD_UNIT_CFLAGS = $(UNIT_CFLAGS) $(JSONC_CFLAGS) -I$(top_srcdir)/agents/drbd \
	-DDRBD_FIXTURE_DIR='"$(abs_top_srcdir)/tests/drbd/fixtures"'

tests_unit_test_drbd_state_SOURCES = tests/unit/test-drbd-state.c \
	agents/drbd/drbd-state.c agents/drbd/drbd-state.h
tests_unit_test_drbd_state_CFLAGS = $(DRBD_UNIT_CFLAGS)
tests_unit_test_drbd_state_LDADD = $(UNIT_LDADD) $(JSONC_LIBS)

tests_unit_test_drbd_score_SOURCES = tests/unit/test-drbd-score.c \
	agents/drbd/drbd-score.c agents/drbd/drbd-score.h \
	agents/drbd/drbd-state.c agents/drbd/drbd-state.h
tests_unit_test_drbd_score_CFLAGS = $(DRBD_UNIT_CFLAGS)
tests_unit_test_drbd_score_LDADD = $(UNIT_LDADD) $(JSONC_LIBS)
endif

EXTRA_DIST += \
	tests/drbd/drbdsim \
	tests/drbd/pacemaker.bats \
	tests/drbd/fixtures \
	tests/integration/drbd.bats
