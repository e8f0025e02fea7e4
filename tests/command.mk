# SPDX-License-Identifier: GPL-2.0-or-later
# Unit tests of lib/deadline.c, lib/watchdog.c and lib/command.c. test-command runs
# tests/unit/command-helper (found next to itself through /proc/self/exe) as
# the child whose behaviour each test needs.

if HAVE_CMOCKA
check_PROGRAMS += \
	tests/unit/test-deadline \
	tests/unit/test-watchdog \
	tests/unit/test-command \
	tests/unit/command-helper
TESTS += \
	tests/unit/test-deadline \
	tests/unit/test-watchdog \
	tests/unit/test-command

tests_unit_test_deadline_SOURCES = tests/unit/test-deadline.c
tests_unit_test_deadline_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_deadline_LDADD = $(UNIT_LDADD)

tests_unit_test_watchdog_SOURCES = tests/unit/test-watchdog.c
tests_unit_test_watchdog_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_watchdog_LDADD = $(UNIT_LDADD)

tests_unit_test_command_SOURCES = tests/unit/test-command.c
tests_unit_test_command_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_command_LDADD = $(UNIT_LDADD)

# Links nothing from libbaton: it plays an arbitrary program.
tests_unit_command_helper_SOURCES = tests/unit/command-helper.c
endif
