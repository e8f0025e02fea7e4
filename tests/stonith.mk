# SPDX-License-Identifier: GPL-2.0-or-later
# STONITH front end and plugin ABI: cmocka tests of the pure parts, test
# modules for the loader's ABI checks, and the example third-party plugin
# driven through a real front end (fence_baton_example).

EXTRA_DIST += \
	tests/stonith/fake-plugin.h \
	tests/stonith/fence-example.test \
	tests/integration/fence.bats \
	tests/integration/lib/ipmi-sim.bash

# ---------------------------------------------------------------- test modules
# Built like a third party would: nothing but the installed-style header.
STONITH_TEST_MODULE_CPPFLAGS = -I$(top_srcdir)/include
STONITH_TEST_MODULE_LDFLAGS = -module -avoid-version -shared -rpath /nowhere

check_LTLIBRARIES = \
	tests/stonith/example.la \
	tests/stonith/abi-major.la \
	tests/stonith/abi-small.la \
	tests/stonith/abi-noentry.la \
	tests/stonith/abi-null.la \
	tests/stonith/abi-misnamed.la \
	tests/stonith/abi-future.la

tests_stonith_example_la_SOURCES = tests/stonith/example-plugin.c
tests_stonith_example_la_CPPFLAGS = $(STONITH_TEST_MODULE_CPPFLAGS)
tests_stonith_example_la_LDFLAGS = $(STONITH_TEST_MODULE_LDFLAGS)

tests_stonith_abi_major_la_SOURCES = tests/stonith/abi-plugin.c
tests_stonith_abi_major_la_CPPFLAGS = $(STONITH_TEST_MODULE_CPPFLAGS) -DABI_NAME=\"abi-major\" -DABI_MAJOR=2
tests_stonith_abi_major_la_LDFLAGS = $(STONITH_TEST_MODULE_LDFLAGS)
tests_stonith_abi_small_la_SOURCES = tests/stonith/abi-plugin.c
tests_stonith_abi_small_la_CPPFLAGS = $(STONITH_TEST_MODULE_CPPFLAGS) -DABI_NAME=\"abi-small\" -DABI_SHRINK=16
tests_stonith_abi_small_la_LDFLAGS = $(STONITH_TEST_MODULE_LDFLAGS)
tests_stonith_abi_noentry_la_SOURCES = tests/stonith/abi-plugin.c
tests_stonith_abi_noentry_la_CPPFLAGS = $(STONITH_TEST_MODULE_CPPFLAGS) -DABI_NAME=\"abi-noentry\" -DABI_NO_ENTRY
tests_stonith_abi_noentry_la_LDFLAGS = $(STONITH_TEST_MODULE_LDFLAGS)
tests_stonith_abi_null_la_SOURCES = tests/stonith/abi-plugin.c
tests_stonith_abi_null_la_CPPFLAGS = $(STONITH_TEST_MODULE_CPPFLAGS) -DABI_NAME=\"abi-null\" -DABI_NULL
tests_stonith_abi_null_la_LDFLAGS = $(STONITH_TEST_MODULE_LDFLAGS)
tests_stonith_abi_misnamed_la_SOURCES = tests/stonith/abi-plugin.c
tests_stonith_abi_misnamed_la_CPPFLAGS = $(STONITH_TEST_MODULE_CPPFLAGS) -DABI_NAME=\"somebody-else\"
tests_stonith_abi_misnamed_la_LDFLAGS = $(STONITH_TEST_MODULE_LDFLAGS)
tests_stonith_abi_future_la_SOURCES = tests/stonith/abi-plugin.c
tests_stonith_abi_future_la_CPPFLAGS = $(STONITH_TEST_MODULE_CPPFLAGS) -DABI_NAME=\"abi-future\" -DABI_MINOR=7 -DABI_EXTRA=64
tests_stonith_abi_future_la_LDFLAGS = $(STONITH_TEST_MODULE_LDFLAGS)

# ---------------------------------------------------------------- front end on the example plugin
check_PROGRAMS += tests/stonith/fence_baton_example
tests_stonith_fence_baton_example_SOURCES = stonith/main.c
tests_stonith_fence_baton_example_CPPFLAGS = $(AM_CPPFLAGS) -DBATON_STONITH_PLUGIN_NAME=\"example\"
tests_stonith_fence_baton_example_LDADD = $(FENCE_BATON_LDADD)
TESTS += tests/stonith/fence-example.test

# ---------------------------------------------------------------- unit tests
if HAVE_CMOCKA
STONITH_UNIT_TESTS = \
	tests/unit/test-stonith-opts \
	tests/unit/test-stonith-power \
	tests/unit/test-stonith-metadata \
	tests/unit/test-stonith-loader
check_PROGRAMS += $(STONITH_UNIT_TESTS)
TESTS += $(STONITH_UNIT_TESTS)

STONITH_UNIT_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)
STONITH_UNIT_CFLAGS = $(UNIT_CFLAGS) $(LIBXML_CFLAGS)
STONITH_UNIT_LDADD = stonith/libfence-baton.la $(UNIT_LDADD) $(LIBXML_LIBS)

tests_unit_test_stonith_opts_SOURCES = tests/unit/test-stonith-opts.c tests/stonith/fake-plugin.c
tests_unit_test_stonith_opts_CPPFLAGS = $(STONITH_UNIT_CPPFLAGS)
tests_unit_test_stonith_opts_CFLAGS = $(STONITH_UNIT_CFLAGS)
tests_unit_test_stonith_opts_LDADD = $(STONITH_UNIT_LDADD)
tests_unit_test_stonith_power_SOURCES = tests/unit/test-stonith-power.c tests/stonith/fake-plugin.c
tests_unit_test_stonith_power_CPPFLAGS = $(STONITH_UNIT_CPPFLAGS)
tests_unit_test_stonith_power_CFLAGS = $(STONITH_UNIT_CFLAGS)
tests_unit_test_stonith_power_LDADD = $(STONITH_UNIT_LDADD)
tests_unit_test_stonith_metadata_SOURCES = tests/unit/test-stonith-metadata.c tests/stonith/fake-plugin.c \
	tests/unit/xml-assert.h
tests_unit_test_stonith_metadata_CPPFLAGS = $(STONITH_UNIT_CPPFLAGS)
tests_unit_test_stonith_metadata_CFLAGS = $(STONITH_UNIT_CFLAGS)
tests_unit_test_stonith_metadata_LDADD = $(STONITH_UNIT_LDADD)
tests_unit_test_stonith_loader_SOURCES = tests/unit/test-stonith-loader.c tests/stonith/fake-plugin.c
tests_unit_test_stonith_loader_CPPFLAGS = $(STONITH_UNIT_CPPFLAGS) \
	-DTEST_PLUGIN_DIR=\"$(abs_top_builddir)/tests/stonith/.libs\"
tests_unit_test_stonith_loader_CFLAGS = $(STONITH_UNIT_CFLAGS)
tests_unit_test_stonith_loader_LDADD = $(STONITH_UNIT_LDADD)
endif
EXTRA_DIST += tests/integration/fence-pacemaker.bats tests/integration/fence-libvirt.bats
